/**
 * The default "clean" (C) for text: every identifying value found elsewhere in the same dataset (names and
 * their components, IDs, dates in common spellings, places, ...) is blanked out of the text with asterisks
 * of the same length, so lengths and VR limits hold. Hosts with better knowledge pass their own `clean`.
 */

/** Collects needles from one identifying value. */
export function needlesOf(value: string, vr: string): string[] {
  const out: string[] = [];
  for (const raw of value.split('\\')) {
    const v = raw.replace(/\0/g, '').trim();
    if (v.length < 2) continue;
    if (vr === 'PN') {
      for (const part of v.split(/[=^]/)) {
        const p = part.trim();
        if (p.length >= 2) out.push(p);
      }
      if (v.length >= 3) out.push(v);
      continue;
    }
    if (vr === 'DA' && /^\d{8}$/.test(v)) {
      const y = v.slice(0, 4);
      const m = v.slice(4, 6);
      const d = v.slice(6, 8);
      out.push(v, `${y}-${m}-${d}`, `${d}/${m}/${y}`, `${m}/${d}/${y}`, `${d}.${m}.${y}`, `${y}/${m}/${d}`);
      continue;
    }
    if (v.length >= 3) out.push(v);
  }
  return out;
}

/** Replaces every case-insensitive occurrence of a needle in `text` with asterisks. */
export function redact(text: string, needles: readonly string[]): string {
  if (needles.length === 0 || text === '') return text;
  const sorted = [...new Set(needles)].sort((a, b) => b.length - a.length);
  let out = text;
  for (const needle of sorted) {
    const lower = out.toLowerCase();
    const n = needle.toLowerCase();
    let from = 0;
    let idx: number;
    let rebuilt = '';
    let last = 0;
    while ((idx = lower.indexOf(n, from)) !== -1) {
      rebuilt += out.slice(last, idx) + '*'.repeat(needle.length);
      last = idx + needle.length;
      from = last;
    }
    if (last > 0) out = rebuilt + out.slice(last);
  }
  return out;
}
