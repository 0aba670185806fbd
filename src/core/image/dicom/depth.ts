import { ErrorCode, VoxmarkError } from '../../errors.js';

/** Deepest sequence nesting voxmark accepts. Real objects (SR trees included) stay far below it. */
export const MAX_SEQUENCE_DEPTH = 64;

const UNDEFINED = 0xffffffff;
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

/**
 * Walks a dataset's elements without recursion and refuses sequences nested deeper than `maxDepth`,
 * before dicom-parser (which recurses once per level) sees them: hostile nesting becomes a VoxmarkError
 * rather than a stack overflow. Each step moves forward by at least one element header, so the walk is
 * linear in the input. It mirrors how dicom-parser recognises sequences: VR SQ (explicit), and in implicit
 * VR an undefined length or a value that starts with an item tag. Anything it cannot follow ends the walk
 * quietly: dicom-parser reports malformed data itself.
 *
 * Returns the byte positions of explicit VRs that dicom-parser 1.8 does not know to have a 32-bit length
 * (OV, SV, UV: the Extended Offset Table is OV), so the caller can present them as OB, which has the
 * same layout, instead of letting dicom-parser misread every element after them.
 */
export function checkSequenceDepth(
  bytes: Uint8Array,
  start: number,
  explicit: boolean,
  littleEndian: boolean,
  maxDepth = MAX_SEQUENCE_DEPTH,
): number[] {
  const newVrs: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  // Ends of the open sequences and items (Infinity for undefined length), innermost last.
  const open: { end: number; seq: boolean; explicit: boolean }[] = [];
  let depth = 0;
  let pos = start;
  const u16 = (p: number, le: boolean) => view.getUint16(p, le);
  const u32 = (p: number, le: boolean) => view.getUint32(p, le);
  while (pos + 8 <= len) {
    while (open.length > 0 && pos >= open[open.length - 1]!.end) {
      if (open.pop()!.seq) depth--;
    }
    const ctxExplicit = open.length > 0 ? open[open.length - 1]!.explicit : explicit;
    // Items and delimiters are always little endian in LE syntaxes and big endian in BE ones.
    const group = u16(pos, littleEndian);
    const element = u16(pos + 2, littleEndian);
    if (group === 0xfffe) {
      const length = u32(pos + 4, littleEndian);
      pos += 8;
      if (element === 0xe000) {
        open.push({ end: length === UNDEFINED ? Infinity : pos + length, seq: false, explicit: ctxExplicit });
      } else if (element === 0xe00d) {
        while (open.length > 0 && open[open.length - 1]!.seq) {
          depth--;
          open.pop();
        }
        open.pop();
      } else if (element === 0xe0dd) {
        while (open.length > 0 && !open[open.length - 1]!.seq) open.pop();
        if (open.pop()) depth--;
      }
      continue;
    }
    let vr = '';
    let length: number;
    let valuePos: number;
    if (ctxExplicit) {
      vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
      if (LONG_VRS.has(vr)) {
        if (pos + 12 > len) return newVrs;
        if (vr === 'OV' || vr === 'SV' || vr === 'UV') newVrs.push(pos + 4);
        length = u32(pos + 8, littleEndian);
        valuePos = pos + 12;
      } else {
        length = u16(pos + 6, littleEndian);
        valuePos = pos + 8;
      }
    } else {
      length = u32(pos + 4, littleEndian);
      valuePos = pos + 8;
    }
    const startsWithItem =
      length !== UNDEFINED &&
      length >= 8 &&
      valuePos + 4 <= len &&
      u16(valuePos, littleEndian) === 0xfffe &&
      u16(valuePos + 2, littleEndian) === 0xe000;
    const isPixelData = group === 0x7fe0 && element === 0x0010;
    const isSequence =
      !isPixelData &&
      (vr === 'SQ' ||
        (ctxExplicit && vr === 'UN' && length === UNDEFINED) ||
        (!ctxExplicit && (length === UNDEFINED || startsWithItem)));
    if (isSequence) {
      depth++;
      if (depth > maxDepth) {
        throw new VoxmarkError(ErrorCode.Corrupt, `DICOM sequences are nested more than ${maxDepth} deep`, {
          details: { tag: tagString(group, element), depth },
        });
      }
      // UN with undefined length holds an implicit VR little endian sequence.
      const innerExplicit = ctxExplicit && vr !== 'UN';
      open.push({
        end: length === UNDEFINED ? Infinity : valuePos + length,
        seq: true,
        explicit: innerExplicit,
      });
      pos = valuePos;
      continue;
    }
    if (length === UNDEFINED) {
      // Encapsulated pixel data (or another undefined-length value): skip its items to the delimiter.
      let p = valuePos;
      while (p + 8 <= len) {
        const g = u16(p, littleEndian);
        const e = u16(p + 2, littleEndian);
        const l = u32(p + 4, littleEndian);
        p += 8;
        if (g !== 0xfffe || e === 0xe0dd || l === UNDEFINED) break;
        p += l;
      }
      pos = p;
      continue;
    }
    pos = valuePos + length;
  }
  return newVrs;
}

function tagString(group: number, element: number): string {
  const h = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();
  return `(${h(group)},${h(element)})`;
}
