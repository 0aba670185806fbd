/**
 * DICOM JSON (PS3.18 F.2), as QIDO-RS and WADO-RS metadata return it: reading values, and turning an
 * instance's metadata into elements the Part 10 writer takes, so the existing DICOM reader sees the same
 * attributes a file would give it.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import { formatDecimalString, isVr, type DicomDataset, type DicomElement } from '../dicom/index.js';

/** One attribute in DICOM JSON. */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}

/** A dataset in DICOM JSON: attributes by eight-hex-digit tag. */
export type DicomJson = Record<string, DicomJsonAttribute>;

/** The first value of an attribute, as text (person names as their alphabetic form). */
export function jsonString(json: DicomJson, tag: string): string | undefined {
  const v = json[tag]?.Value?.[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const name = (v as { Alphabetic?: unknown }).Alphabetic;
    return typeof name === 'string' ? name : undefined;
  }
  return String(v);
}

/** Every value of an attribute, as text. */
export function jsonStrings(json: DicomJson, tag: string): string[] {
  return (json[tag]?.Value ?? []).map((v) =>
    v !== null && typeof v === 'object' ? personName(v) : String(v),
  );
}

export function jsonNumber(json: DicomJson, tag: string): number | undefined {
  const v = json[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloat(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function personName(v: object): string {
  const p = v as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
  const groups = [p.Alphabetic ?? '', p.Ideographic ?? '', p.Phonetic ?? ''];
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

/** Checks that a parsed answer is a list of DICOM JSON datasets. */
export function asDatasetList(value: unknown, what: string): DicomJson[] {
  if (!Array.isArray(value) || value.some((d) => d === null || typeof d !== 'object' || Array.isArray(d))) {
    throw new VoxmarkError(ErrorCode.Corrupt, `${what} is not a list of DICOM JSON datasets`);
  }
  return value as DicomJson[];
}

const PIXEL_TAGS = new Set(['7FE00010', '7FE00008', '7FE00009']);

export interface JsonToElementsResult {
  elements: DicomDataset;
  /** The pixel data attribute present (by tag), if any. */
  pixelTag?: string;
  /** Other attributes whose value is only available as a bulk data URI (not fetched). */
  bulk: string[];
}

/**
 * Converts one instance's DICOM JSON into writer elements. Group 0002, item and delimitation tags and the
 * pixel data are left out (pixel data arrives frame by frame); attributes given only as a bulk data URI
 * are listed in `bulk` and left out.
 */
export function jsonToElements(json: DicomJson, depth = 0): JsonToElementsResult {
  if (depth > 16) throw new VoxmarkError(ErrorCode.Corrupt, 'DICOM JSON is nested too deeply');
  const elements: DicomDataset = [];
  const bulk: string[] = [];
  let pixelTag: string | undefined;
  for (const [key, attr] of Object.entries(json)) {
    if (!/^[0-9A-Fa-f]{8}$/.test(key) || !attr || typeof attr !== 'object') continue;
    const tagText = key.toUpperCase();
    const t = parseInt(tagText, 16) >>> 0;
    const group = t >>> 16;
    if (group === 0x0002 || group === 0xfffe || group === 0xfffc || (t & 0xffff) === 0) continue;
    if (PIXEL_TAGS.has(tagText)) {
      pixelTag = tagText;
      continue;
    }
    const vr = attr.vr;
    if (!isVr(vr)) continue;
    const element = toElement(t, vr, attr, depth, bulk, tagText);
    if (element) elements.push(element);
  }
  return { elements, bulk, ...(pixelTag ? { pixelTag } : {}) };
}

function toElement(
  t: number,
  vr: DicomElement['vr'],
  attr: DicomJsonAttribute,
  depth: number,
  bulk: string[],
  tagText: string,
): DicomElement | undefined {
  if (attr.BulkDataURI !== undefined) {
    bulk.push(tagText);
    return undefined;
  }
  if (attr.InlineBinary !== undefined) return { tag: t, vr, value: base64(attr.InlineBinary) };
  const values = attr.Value ?? [];
  if (vr === 'SQ') {
    const items = values.map((item) => {
      const r = jsonToElements((item ?? {}) as DicomJson, depth + 1);
      bulk.push(...r.bulk);
      return r.elements;
    });
    return { tag: t, vr, value: items };
  }
  if (values.length === 0) return { tag: t, vr };
  switch (vr) {
    case 'PN':
      return {
        tag: t,
        vr,
        value: values.map((v) => (v && typeof v === 'object' ? personName(v) : String(v ?? ''))).join('\\'),
      };
    case 'AT':
      return { tag: t, vr, value: values.map((v) => parseInt(String(v), 16) >>> 0) };
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
      return { tag: t, vr, value: values.map((v) => Number(v)) };
    case 'SV':
    case 'UV':
      return { tag: t, vr, value: values.map((v) => BigInt(String(v))) };
    case 'DS':
    case 'IS':
      // As the shortest text that reads back as the same number (what the server had, in practice).
      return { tag: t, vr, value: values.map((v) => decimalText(v, vr)).join('\\') };
    default:
      // Text: one string, values joined by backslashes, as in a file.
      return { tag: t, vr, value: values.map((v) => (v === null ? '' : String(v))).join('\\') };
  }
}

function decimalText(v: unknown, vr: 'DS' | 'IS'): string {
  if (v === null || v === undefined) return '';
  const text = String(v);
  if (vr === 'IS' || text.length <= 16 || typeof v !== 'number') return text;
  return formatDecimalString(v);
}

function base64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch (e) {
    throw new VoxmarkError(ErrorCode.Corrupt, 'DICOM JSON InlineBinary is not base64', { cause: e });
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
