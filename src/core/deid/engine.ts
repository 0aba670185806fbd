/**
 * The dataset walk of de-identification: applies Table E.1-1 (rules.ts) to every attribute, recursing into
 * every sequence, removes private attributes not declared safe, removes overlays and curves, replaces UIDs,
 * shifts dates, and records every attribute it touched.
 */
import { TEXT_VRS, formatTag, type Vr } from '../dicom/tags.js';
import type { DicomDataset, DicomElement } from '../dicom/writer.js';
import { needlesOf, redact } from './clean.js';
import { shiftValues } from './dates.js';
import { pseudonym, replacementUid } from './keyed.js';
import { basicAction, resolveAction, ruleFor, type ResolvedAction } from './rules.js';
import type { DeidOptionColumn, DeidentifyOptions, DeidentifyReportEntry, SafePrivateTag } from './types.js';

const PATIENT_ID = 0x00100020;
const PATIENT_NAME = 0x00100010;
const SPECIFIC_CHARACTER_SET = 0x00080005;

/** Free-text VRs: the ones a dummy or clean scope rewrites. */
const FREE_TEXT = new Set<Vr>(['LO', 'SH', 'PN', 'ST', 'LT', 'UT', 'UC', 'AE']);

type Scope = 'normal' | 'dummy' | 'clean';

/** State shared by one de-identification walk: options, key, report entries and caches. */
export interface WalkContext {
  options: DeidentifyOptions;
  columns: readonly DeidOptionColumn[];
  key: CryptoKey;
  /** Whole days to shift dates by, when dates are modified. */
  dateOffset?: number;
  entries: DeidentifyReportEntry[];
  uids: Map<string, Promise<string>>;
  needles: string[];
  /** Whether the top-level dataset declares UTF-8 (ISO_IR 192). */
  utf8: boolean;
}

/** A value as text: strings as they are, bytes as UTF-8 or ISO 8859-1 (byte per character). */
export function decodeText(value: unknown, utf8: boolean): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('\\');
  if (!(value instanceof Uint8Array)) return '';
  if (utf8) return new TextDecoder().decode(value);
  let s = '';
  for (let i = 0; i < value.length; i += 8192) s += String.fromCharCode(...value.subarray(i, i + 8192));
  return s;
}

function trimValue(text: string): string {
  return text.replace(/[\0 ]+$/, '').replace(/^ +/, '');
}

function byteLength(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return 0;
}

/** Collects identifying values of the dataset (recursively) for the default text cleaner. */
export function collectNeedles(
  dataset: DicomDataset,
  columns: readonly DeidOptionColumn[],
  utf8: boolean,
  out: string[],
): void {
  for (const e of dataset) {
    if (e.vr === 'SQ') {
      for (const item of (e.value ?? []) as DicomDataset[]) collectNeedles(item, columns, utf8, out);
      continue;
    }
    // Identity comes from the table's attributes that are not descriptors themselves and are not retained.
    const rule = ruleFor(e.tag);
    if (!rule || rule.tag === 'private' || rule.cleanDescOpt || rule.cleanStructContOpt || rule.cleanGraphOpt)
      continue;
    if (resolveAction(rule, columns).action === 'K') continue;
    if (!TEXT_VRS.has(e.vr) || e.vr === 'UI' || e.vr === 'LT' || e.vr === 'ST' || e.vr === 'UT') continue;
    if (e.vr === 'CS' || e.vr === 'DS' || e.vr === 'IS' || e.vr === 'TM') continue;
    out.push(...needlesOf(decodeText(e.value, utf8), e.vr));
  }
}

function record(
  ctx: WalkContext,
  path: string,
  t: number,
  name: string,
  action: DeidentifyReportEntry['action'],
  changed: boolean,
): void {
  ctx.entries.push({ tag: formatTag(t), path: path + formatTag(t), name, action, changed });
}

/** UIDs the standard itself defines (e.g. 1.2.840.10008.15.1.1, UTC synchronization) identify no one. */
const DICOM_ROOT = '1.2.840.10008.';

/** Replacement for a UID, cached per call. UIDs under the DICOM root stay as they are. */
function mapUid(ctx: WalkContext, uid: string): Promise<string> {
  if (uid.startsWith(DICOM_ROOT)) return Promise.resolve(uid);
  let p = ctx.uids.get(uid);
  if (!p) {
    p = replacementUid(ctx.key, uid);
    ctx.uids.set(uid, p);
  }
  return p;
}

async function mapUidList(ctx: WalkContext, text: string): Promise<string> {
  const parts = trimValue(text).split('\\');
  const mapped = await Promise.all(
    parts.map((p) => {
      const uid = p.replace(/\0/g, '').trim();
      return uid === '' ? '' : mapUid(ctx, uid);
    }),
  );
  return mapped.join('\\');
}

/** A dummy value of the element's VR that carries nothing of the original. */
function dummyValue(e: DicomElement): DicomElement['value'] {
  const n = byteLength(e.value);
  switch (e.vr) {
    case 'AE':
    case 'CS':
      return 'ANONYMOUS';
    case 'AS':
      return '000Y';
    case 'DA':
      return '19000101';
    case 'DT':
      return '19000101000000';
    case 'TM':
      return '000000';
    case 'DS':
    case 'IS':
      return '0';
    case 'UR':
      return 'urn:x-voxmark:anonymized';
    case 'LO':
    case 'SH':
    case 'PN':
    case 'ST':
    case 'LT':
    case 'UT':
    case 'UC':
      return 'ANONYMIZED';
    default:
      // Binary: zeros of the same length keep the multiplicity.
      return new Uint8Array(n + (n & 1));
  }
}

function sameBytes(a: unknown, b: unknown, utf8: boolean): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return trimValue(decodeText(a, utf8)) === trimValue(decodeText(b, utf8));
}

function isSafePrivate(
  list: readonly SafePrivateTag[] | undefined,
  creator: string | undefined,
  group: number,
  offset: number,
): boolean {
  if (!list || creator === undefined) return false;
  return list.some(
    (s) =>
      s.group === group &&
      s.creator.trim() === creator &&
      (s.elements === undefined || s.elements.includes(offset)),
  );
}

/** De-identifies one dataset (and, recursively, its sequences). Returns a new list; the input is untouched. */
export async function walkDataset(
  ctx: WalkContext,
  dataset: DicomDataset,
  path: string,
  scope: Scope,
  utf8In: boolean,
): Promise<DicomDataset> {
  const charset = dataset.find((e) => e.tag === SPECIFIC_CHARACTER_SET);
  const utf8 = charset ? decodeText(charset.value, false).includes('ISO_IR 192') : utf8In;
  const out: DicomDataset = [];
  const creators = new Map<number, string>();
  for (const e of dataset) {
    const g = e.tag >>> 16;
    const el = e.tag & 0xffff;
    if (g & 1 && el >= 0x10 && el <= 0xff) creators.set((g << 8) | el, trimValue(decodeText(e.value, utf8)));
  }
  const keptBlocks = new Set<number>();
  const creatorElements: DicomElement[] = [];
  const overlayGroupsRemoved = new Set<number>();

  for (const e of dataset) {
    const t = e.tag >>> 0;
    const g = t >>> 16;
    if (g & 1) {
      const el = t & 0xffff;
      if (el >= 0x10 && el <= 0xff) {
        creatorElements.push(e);
        continue;
      }
      const block = (g << 8) | (el >> 8);
      const creator = el > 0xff ? creators.get(block) : undefined;
      if (isSafePrivate(ctx.options.retainSafePrivate, creator, g, el & 0xff)) {
        keptBlocks.add(block);
        out.push(e.vr === 'SQ' ? { ...e, value: await walkItems(ctx, e, path, 'normal', utf8) } : e);
        record(ctx, path, t, `Private attribute (${creator})`, 'K', false);
      } else {
        record(ctx, path, t, creator ? `Private attribute (${creator})` : 'Private attribute', 'X', true);
      }
      continue;
    }

    const rule = ruleFor(t);
    let action: ResolvedAction;
    let column: DeidOptionColumn | undefined;
    let name: string;
    if (rule) {
      ({ action, column } = resolveAction(rule, ctx.columns));
      name = rule.name;
      if (action === 'C' && column === 'rtnLongModifDatesOpt' && !['DA', 'DT', 'TM'].includes(e.vr)) {
        action = basicAction(rule);
        column = undefined;
      }
    } else if (scope !== 'normal' && FREE_TEXT.has(e.vr)) {
      action = scope === 'dummy' ? 'D' : 'C';
      name = 'Attribute inside a de-identified sequence';
    } else {
      // Not in the table: kept as it is, but sequences are still walked.
      out.push(e.vr === 'SQ' ? { ...e, value: await walkItems(ctx, e, path, scope, utf8) } : e);
      continue;
    }

    // Patient ID and Patient's Name take the host's pseudonyms.
    if (t === PATIENT_ID && (action === 'D' || action === 'Z')) {
      const original = trimValue(decodeText(e.value, utf8));
      const value =
        ctx.options.patientId ?? (original === '' ? '' : await pseudonym(ctx.key, 'patient-id', original));
      out.push({ tag: t, vr: e.vr === 'UN' ? 'LO' : e.vr, value });
      record(ctx, path, t, name, value === '' ? 'Z' : 'D', value !== original);
      continue;
    }
    if (t === PATIENT_NAME && ctx.options.patientName !== undefined && action !== 'K') {
      const original = trimValue(decodeText(e.value, utf8));
      out.push({ tag: t, vr: e.vr === 'UN' ? 'PN' : e.vr, value: ctx.options.patientName });
      record(ctx, path, t, name, 'D', ctx.options.patientName !== original);
      continue;
    }

    const result = await apply(ctx, e, action, column, path, utf8);
    if (result === undefined) {
      if (rule && rule.tag === '60xx3000') overlayGroupsRemoved.add(g);
      record(ctx, path, t, name, 'X', true);
    } else {
      out.push(result.element);
      record(ctx, path, t, name, result.action, result.changed);
    }
  }

  // Private creators stay only for blocks that kept an element.
  for (const c of creatorElements) {
    const g = c.tag >>> 16;
    const block = (g << 8) | (c.tag & 0xff);
    const creator = creators.get(block);
    if (keptBlocks.has(block)) {
      out.push(c);
      record(ctx, path, c.tag, `Private Creator (${creator})`, 'K', false);
    } else {
      record(ctx, path, c.tag, 'Private Creator', 'X', true);
    }
  }

  // An overlay plane without its data is broken: remove the rest of its group.
  if (overlayGroupsRemoved.size > 0) {
    for (let i = out.length - 1; i >= 0; i--) {
      const e = out[i]!;
      if (overlayGroupsRemoved.has(e.tag >>> 16)) {
        out.splice(i, 1);
        record(ctx, path, e.tag, 'Overlay Plane attribute', 'X', true);
      }
    }
  }
  return out;
}

async function walkItems(
  ctx: WalkContext,
  e: DicomElement,
  path: string,
  scope: Scope,
  utf8: boolean,
): Promise<DicomDataset[]> {
  const items = (e.value ?? []) as DicomDataset[];
  const out: DicomDataset[] = [];
  for (let i = 0; i < items.length; i++) {
    out.push(await walkDataset(ctx, items[i]!, `${path}${formatTag(e.tag)}[${i}]/`, scope, utf8));
  }
  return out;
}

/** Applies one action. Undefined means the element is removed. */
async function apply(
  ctx: WalkContext,
  e: DicomElement,
  action: ResolvedAction,
  column: DeidOptionColumn | undefined,
  path: string,
  utf8: boolean,
): Promise<{ element: DicomElement; action: ResolvedAction; changed: boolean } | undefined> {
  const isSequence = e.vr === 'SQ';
  switch (action) {
    case 'X':
      return undefined;
    case 'Z':
      return {
        element: { tag: e.tag, vr: e.vr, value: isSequence ? [] : new Uint8Array(0) },
        action,
        changed: byteLength(e.value) > 0,
      };
    case 'K':
      if (isSequence)
        return {
          element: { ...e, value: await walkItems(ctx, e, path, 'normal', utf8) },
          action,
          changed: false,
        };
      return { element: e, action, changed: false };
    case 'U':
      if (isSequence)
        return {
          element: { ...e, value: await walkItems(ctx, e, path, 'normal', utf8) },
          action,
          changed: true,
        };
      return replaceUids(ctx, e, utf8);
    case 'D': {
      if (isSequence)
        return {
          element: { ...e, value: await walkItems(ctx, e, path, 'dummy', utf8) },
          action,
          changed: true,
        };
      if (e.vr === 'UI') return replaceUids(ctx, e, utf8);
      const value = dummyValue(e);
      return { element: { tag: e.tag, vr: e.vr, value }, action, changed: !sameBytes(e.value, value, utf8) };
    }
    case 'C':
      return clean(ctx, e, column, path, utf8);
  }
}

async function replaceUids(
  ctx: WalkContext,
  e: DicomElement,
  utf8: boolean,
): Promise<{ element: DicomElement; action: ResolvedAction; changed: boolean }> {
  const text = decodeText(e.value, utf8);
  if (!/^[0-9.\\\0 ]*$/.test(text)) {
    // Not a UID (an unknown VR in an implicit file holding something else): empty it.
    return {
      element: { tag: e.tag, vr: e.vr, value: new Uint8Array(0) },
      action: 'Z',
      changed: text.length > 0,
    };
  }
  const mapped = await mapUidList(ctx, text);
  return {
    element: { tag: e.tag, vr: e.vr === 'UN' ? 'UI' : e.vr, value: mapped },
    action: 'U',
    changed: mapped !== trimValue(text),
  };
}

async function clean(
  ctx: WalkContext,
  e: DicomElement,
  column: DeidOptionColumn | undefined,
  path: string,
  utf8: boolean,
): Promise<{ element: DicomElement; action: ResolvedAction; changed: boolean }> {
  if (e.vr === 'SQ') {
    return {
      element: { ...e, value: await walkItems(ctx, e, path, 'clean', utf8) },
      action: 'C',
      changed: true,
    };
  }
  const text = decodeText(e.value, utf8);
  if (column === 'rtnLongModifDatesOpt' && (e.vr === 'DA' || e.vr === 'DT')) {
    const shifted = shiftValues(trimValue(text), e.vr, ctx.dateOffset ?? 0);
    return {
      element: { tag: e.tag, vr: e.vr, value: shifted },
      action: 'C',
      changed: shifted !== trimValue(text),
    };
  }
  if (column === 'rtnLongModifDatesOpt' || !TEXT_VRS.has(e.vr) || e.vr === 'UI') {
    // Times of day survive a whole-day shift; binary values have no text to clean.
    return { element: e, action: 'C', changed: false };
  }
  const original = trimValue(text);
  const cleaned = ctx.options.clean
    ? ctx.options.clean({
        tag: formatTag(e.tag),
        name: ruleFor(e.tag)?.name ?? 'Attribute',
        vr: e.vr,
        value: original,
        option: column ?? 'cleanDescOpt',
      })
    : redact(original, ctx.needles);
  return { element: { tag: e.tag, vr: e.vr, value: cleaned }, action: 'C', changed: cleaned !== original };
}
