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
  return new DepthWalk(bytes, explicit, littleEndian, maxDepth).run(start);
}

/** An open sequence or item: where it ends (Infinity for undefined length) and how its elements are encoded. */
interface Open {
  end: number;
  seq: boolean;
  explicit: boolean;
}

/** One walk of checkSequenceDepth. The element header just read is kept in fields, not allocated. */
class DepthWalk {
  private readonly view: DataView;
  private readonly newVrs: number[] = [];
  /** Open sequences and items, innermost last. */
  private readonly open: Open[] = [];
  private depth = 0;
  private vr = '';
  private length = 0;
  private valuePos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly explicit: boolean,
    private readonly le: boolean,
    private readonly maxDepth: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(start: number): number[] {
    const { open, bytes, view, le } = this;
    const len = bytes.length;
    let pos = start;
    while (pos + 8 <= len) {
      while (open.length > 0 && pos >= open[open.length - 1]!.end) {
        if (open.pop()!.seq) this.depth--;
      }
      const ctxExplicit = open.length > 0 ? open[open.length - 1]!.explicit : this.explicit;
      // Items and delimiters are always little endian in LE syntaxes and big endian in BE ones.
      const group = view.getUint16(pos, le);
      const element = view.getUint16(pos + 2, le);
      if (group === 0xfffe) {
        this.itemOrDelimiter(element, view.getUint32(pos + 4, le), pos + 8, ctxExplicit);
        pos += 8;
        continue;
      }
      if (!this.readHeader(pos, ctxExplicit)) return this.newVrs;
      const { vr, length, valuePos } = this;
      if (this.isSequence(group, element, ctxExplicit)) {
        this.enterSequence(group, element, ctxExplicit && vr !== 'UN');
        pos = valuePos;
        continue;
      }
      // Encapsulated pixel data (or another undefined-length value): skip its items to the delimiter.
      pos = length === UNDEFINED ? this.skipItems(valuePos) : valuePos + length;
    }
    return this.newVrs;
  }

  /** An item opens; an item delimiter closes it (and any sequence left open inside); a sequence delimiter too. */
  private itemOrDelimiter(element: number, length: number, next: number, ctxExplicit: boolean): void {
    const { open } = this;
    if (element === 0xe000) {
      open.push({ end: length === UNDEFINED ? Infinity : next + length, seq: false, explicit: ctxExplicit });
    } else if (element === 0xe00d) {
      while (open.length > 0 && open[open.length - 1]!.seq) {
        this.depth--;
        open.pop();
      }
      open.pop();
    } else if (element === 0xe0dd) {
      while (open.length > 0 && !open[open.length - 1]!.seq) open.pop();
      if (open.pop()) this.depth--;
    }
  }

  /** Reads the VR, length and value position of the element at `pos`; false when the header is cut short. */
  private readHeader(pos: number, ctxExplicit: boolean): boolean {
    const { bytes, view, le } = this;
    if (!ctxExplicit) {
      this.vr = '';
      this.length = view.getUint32(pos + 4, le);
      this.valuePos = pos + 8;
      return true;
    }
    this.vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    if (LONG_VRS.has(this.vr)) {
      if (pos + 12 > bytes.length) return false;
      if (this.vr === 'OV' || this.vr === 'SV' || this.vr === 'UV') this.newVrs.push(pos + 4);
      this.length = view.getUint32(pos + 8, le);
      this.valuePos = pos + 12;
    } else {
      this.length = view.getUint16(pos + 6, le);
      this.valuePos = pos + 8;
    }
    return true;
  }

  /** As dicom-parser decides: VR SQ, an undefined-length UN, or in implicit VR an undefined length or items. */
  private isSequence(group: number, element: number, ctxExplicit: boolean): boolean {
    const { vr, length, valuePos, view, le } = this;
    if (group === 0x7fe0 && element === 0x0010) return false;
    if (vr === 'SQ') return true;
    if (ctxExplicit) return vr === 'UN' && length === UNDEFINED;
    if (length === UNDEFINED) return true;
    return (
      length >= 8 &&
      valuePos + 4 <= this.bytes.length &&
      view.getUint16(valuePos, le) === 0xfffe &&
      view.getUint16(valuePos + 2, le) === 0xe000
    );
  }

  private enterSequence(group: number, element: number, innerExplicit: boolean): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      throw new VoxmarkError(
        ErrorCode.Corrupt,
        `DICOM sequences are nested more than ${this.maxDepth} deep`,
        {
          details: { tag: tagString(group, element), depth: this.depth },
        },
      );
    }
    // UN with undefined length holds an implicit VR little endian sequence (innerExplicit false).
    const end = this.length === UNDEFINED ? Infinity : this.valuePos + this.length;
    this.open.push({ end, seq: true, explicit: innerExplicit });
  }

  /** Skips the items of an undefined-length value to its delimiter; returns the position after it. */
  private skipItems(valuePos: number): number {
    const { view, le } = this;
    const len = this.bytes.length;
    let p = valuePos;
    while (p + 8 <= len) {
      const g = view.getUint16(p, le);
      const e = view.getUint16(p + 2, le);
      const l = view.getUint32(p + 4, le);
      p += 8;
      if (g !== 0xfffe || e === 0xe0dd || l === UNDEFINED) break;
      p += l;
    }
    return p;
  }
}

function tagString(group: number, element: number): string {
  const h = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();
  return `(${h(group)},${h(element)})`;
}
