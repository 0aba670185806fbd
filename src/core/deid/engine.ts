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

/**
 * Sequences whose Basic Profile action is X/Z but that are Type 2 in some composite IOD, so emptying (Z) is
 * the choice that stays conformant: Acquisition Context Sequence is Type 2 in the Acquisition Context Module.
 * Every other X/Z sequence (Referenced Study Sequence, ...) is Type 3 wherever it appears, and a Type 3
 * sequence must have at least one item when present: those are removed instead.
 */
const TYPE2_SEQUENCES = new Set([0x00400555]);

/**
 * Type 1C/2C attributes and the attribute whose presence is their condition (PS3.3). When de-identification
 * removes the condition's source, the dependent goes too: left alone it would be present while its
 * condition is unsatisfied, an error the input did not have.
 */
const CONDITIONAL_PAIRS: readonly { dependent: number; condition: number }[] = [
  // C.7.1.3: Clinical Trial Protocol Ethics Committee Name is required if the Approval Number is present.
  { dependent: 0x00120081, condition: 0x00120082 },
];

/** The Table E.1-1 action for an element, or undefined when the table has nothing to say about it. */
function chooseAction(
  ctx: WalkContext,
  e: DicomElement,
  scope: Scope,
): { action: ResolvedAction; column?: DeidOptionColumn; name: string } | undefined {
  const rule = ruleFor(e.tag >>> 0);
  if (!rule) {
    if (scope !== 'normal' && FREE_TEXT.has(e.vr)) {
      return { action: scope === 'dummy' ? 'D' : 'C', name: 'Attribute inside a de-identified sequence' };
    }
    return undefined;
  }
  let { action, column } = resolveAction(rule, ctx.columns);
  if (action === 'C' && column === 'rtnLongModifDatesOpt' && !['DA', 'DT', 'TM'].includes(e.vr)) {
    action = basicAction(rule);
    column = undefined;
  }
  if (
    action === 'Z' &&
    e.vr === 'SQ' &&
    rule.basic.split('/').includes('X') &&
    !TYPE2_SEQUENCES.has(e.tag >>> 0)
  ) {
    action = 'X';
  }
  return column ? { action, column, name: rule.name } : { action, name: rule.name };
}

/** Private creator values by block ((group << 8) | block). */
function privateCreators(dataset: DicomDataset, utf8: boolean): Map<number, string> {
  const creators = new Map<number, string>();
  for (const e of dataset) {
    const g = e.tag >>> 16;
    const el = e.tag & 0xffff;
    if (g & 1 && el >= 0x10 && el <= 0xff) creators.set((g << 8) | el, trimValue(decodeText(e.value, utf8)));
  }
  return creators;
}

/** One walk over a dataset: the output, and what later phases need to know. */
interface DatasetWalk {
  out: DicomDataset;
  creators: Map<number, string>;
  keptBlocks: Set<number>;
  creatorElements: DicomElement[];
  overlayGroupsRemoved: Set<number>;
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
  const walk: DatasetWalk = {
    out: [],
    creators: privateCreators(dataset, utf8),
    keptBlocks: new Set(),
    creatorElements: [],
    overlayGroupsRemoved: new Set(),
  };
  for (const e of dataset) {
    if ((e.tag >>> 16) & 1) await walkPrivate(ctx, walk, e, path, utf8);
    else await walkStandard(ctx, walk, e, path, scope, utf8);
  }
  keepCreatorsOfKeptBlocks(ctx, walk, path);
  removeOrphanedOverlayGroups(ctx, walk, path);
  removeOrphanedConditionals(ctx, dataset, walk, path);
  return walk.out;
}

/** A private element: kept (and walked) when declared safe, removed otherwise; creators wait for later. */
async function walkPrivate(
  ctx: WalkContext,
  walk: DatasetWalk,
  e: DicomElement,
  path: string,
  utf8: boolean,
): Promise<void> {
  const t = e.tag >>> 0;
  const g = t >>> 16;
  const el = t & 0xffff;
  if (el >= 0x10 && el <= 0xff) {
    walk.creatorElements.push(e);
    return;
  }
  const block = (g << 8) | (el >> 8);
  const creator = el > 0xff ? walk.creators.get(block) : undefined;
  if (isSafePrivate(ctx.options.retainSafePrivate, creator, g, el & 0xff)) {
    walk.keptBlocks.add(block);
    walk.out.push(e.vr === 'SQ' ? { ...e, value: await walkItems(ctx, e, path, 'normal', utf8) } : e);
    record(ctx, path, t, `Private attribute (${creator})`, 'K', false);
  } else {
    record(ctx, path, t, creator ? `Private attribute (${creator})` : 'Private attribute', 'X', true);
  }
}

/** A standard element: its table action, the host's pseudonyms for Patient ID and Name. */
async function walkStandard(
  ctx: WalkContext,
  walk: DatasetWalk,
  e: DicomElement,
  path: string,
  scope: Scope,
  utf8: boolean,
): Promise<void> {
  const t = e.tag >>> 0;
  const chosen = chooseAction(ctx, e, scope);
  if (!chosen) {
    // Not in the table: kept as it is, but sequences are still walked.
    walk.out.push(e.vr === 'SQ' ? { ...e, value: await walkItems(ctx, e, path, scope, utf8) } : e);
    return;
  }
  const { action, column, name } = chosen;
  if (t === PATIENT_ID && (action === 'D' || action === 'Z')) {
    const original = trimValue(decodeText(e.value, utf8));
    const value =
      ctx.options.patientId ?? (original === '' ? '' : await pseudonym(ctx.key, 'patient-id', original));
    walk.out.push({ tag: t, vr: e.vr === 'UN' ? 'LO' : e.vr, value });
    record(ctx, path, t, name, value === '' ? 'Z' : 'D', value !== original);
    return;
  }
  if (t === PATIENT_NAME && ctx.options.patientName !== undefined && action !== 'K') {
    const original = trimValue(decodeText(e.value, utf8));
    walk.out.push({ tag: t, vr: e.vr === 'UN' ? 'PN' : e.vr, value: ctx.options.patientName });
    record(ctx, path, t, name, 'D', ctx.options.patientName !== original);
    return;
  }
  const result = await apply(ctx, e, action, column, path, utf8);
  if (result === undefined) {
    if (ruleFor(t)?.tag === '60xx3000') walk.overlayGroupsRemoved.add(t >>> 16);
    record(ctx, path, t, name, 'X', true);
  } else {
    walk.out.push(result.element);
    record(ctx, path, t, name, result.action, result.changed);
  }
}

/** Private creators stay only for blocks that kept an element. */
function keepCreatorsOfKeptBlocks(ctx: WalkContext, walk: DatasetWalk, path: string): void {
  for (const c of walk.creatorElements) {
    const g = c.tag >>> 16;
    const block = (g << 8) | (c.tag & 0xff);
    const creator = walk.creators.get(block);
    if (walk.keptBlocks.has(block)) {
      walk.out.push(c);
      record(ctx, path, c.tag, `Private Creator (${creator})`, 'K', false);
    } else {
      record(ctx, path, c.tag, 'Private Creator', 'X', true);
    }
  }
}

/** An overlay plane without its data is broken: removes the rest of its group. */
function removeOrphanedOverlayGroups(ctx: WalkContext, walk: DatasetWalk, path: string): void {
  if (walk.overlayGroupsRemoved.size === 0) return;
  const { out } = walk;
  for (let i = out.length - 1; i >= 0; i--) {
    const e = out[i]!;
    if (walk.overlayGroupsRemoved.has(e.tag >>> 16)) {
      out.splice(i, 1);
      record(ctx, path, e.tag, 'Overlay Plane attribute', 'X', true);
    }
  }
}

/** Removes conditional attributes whose condition's source the walk removed (see CONDITIONAL_PAIRS). */
function removeOrphanedConditionals(
  ctx: WalkContext,
  input: DicomDataset,
  walk: DatasetWalk,
  path: string,
): void {
  const { out } = walk;
  for (const { dependent, condition } of CONDITIONAL_PAIRS) {
    const removed =
      input.some((e) => e.tag >>> 0 === condition) && !out.some((e) => e.tag >>> 0 === condition);
    const at = out.findIndex((e) => e.tag >>> 0 === dependent);
    if (!removed || at < 0) continue;
    out.splice(at, 1);
    // The walk recorded the dependent's own action: it is removed instead.
    for (const entry of ctx.entries) {
      if (entry.path === path + formatTag(dependent)) Object.assign(entry, { action: 'X', changed: true });
    }
  }
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
