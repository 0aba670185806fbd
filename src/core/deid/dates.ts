/**
 * Date shifting for the Retain Longitudinal Temporal Information with Modified Dates option: DA and DT
 * values move by a whole number of days, keeping their precision; times of day are unchanged.
 */

const DAY_MS = 86_400_000;

/** Shifts one DA value (YYYYMMDD, or the legacy YYYY.MM.DD) by `days`. Unparseable values become empty. */
export function shiftDate(value: string, days: number): string {
  const v = value.trim();
  if (v === '') return '';
  // A DA range "A-B" (query form) shifts both ends.
  if (v.includes('-') && !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    return v
      .split('-')
      .map((part) => (part === '' ? '' : shiftDate(part, days)))
      .join('-');
  }
  const digits = v.replace(/[.-]/g, '');
  if (!/^\d{8}$/.test(digits)) return '';
  return shiftDigits(digits, days) ?? '';
}

function shiftDigits(yyyymmdd: string, days: number): string | undefined {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const t = Date.UTC(y, m - 1, d);
  const check = new Date(t);
  if (Number.isNaN(t) || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  const shifted = new Date(t + days * DAY_MS);
  const yy = shifted.getUTCFullYear();
  if (yy < 1 || yy > 9999) return undefined;
  return (
    String(yy).padStart(4, '0') +
    String(shifted.getUTCMonth() + 1).padStart(2, '0') +
    String(shifted.getUTCDate()).padStart(2, '0')
  );
}

/**
 * Shifts one DT value (YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]) by `days`, keeping its precision and the rest of
 * the value. A value of year or year-month precision is shifted as if on its first day, then truncated back.
 */
export function shiftDateTime(value: string, days: number): string {
  const v = value.trim();
  if (v === '') return '';
  const m = /^(\d{4})(\d{2})?(\d{2})?(.*)$/.exec(v);
  if (!m) return '';
  const precision = 4 + (m[2] ? 2 : 0) + (m[3] ? 2 : 0);
  const full = `${m[1]}${m[2] ?? '01'}${m[3] ?? '01'}`;
  const shifted = shiftDigits(full, days);
  if (!shifted) return '';
  return shifted.slice(0, precision) + (precision === 8 ? m[4]! : '');
}

/** Applies a DA or DT shift to every value of a multi-valued string. */
export function shiftValues(text: string, vr: 'DA' | 'DT', days: number): string {
  return text
    .split('\\')
    .map((part) => (vr === 'DA' ? shiftDate(part, days) : shiftDateTime(part, days)))
    .join('\\');
}
