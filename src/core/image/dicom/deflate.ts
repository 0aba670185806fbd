import { ErrorCode, VoxmarkError, toVoxmarkError, throwIfAborted } from '../../errors.js';
import { MAX_SEQUENCE_DEPTH } from './depth.js';

/**
 * Room for everything in a deflated dataset besides its pixel data: the attributes before and after the
 * image module, functional group sequences, overlays, private blocks. A dataset with no image module (or
 * one that cannot be read far enough to find it) is held to this alone.
 */
export const DEFLATE_HEADER_ROOM = 32 * 1024 * 1024;

/**
 * Room for a deflated dataset whose first elements cannot be read at all (zeros, groups 0000/0001, letters
 * where a VR belongs): enough for dicom-parser to report what is wrong, not enough to make a bomb expensive.
 */
export const DEFLATE_UNREADABLE_ROOM = 4 * 1024 * 1024;

/** How many times the declared pixel data a deflated dataset may inflate to (on top of the header room). */
export const DEFLATE_PIXEL_MULTIPLE = 2;

const UNDEFINED = 0xffffffff;
const NEED_MORE = -1;
const BROKEN = -2;
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

/** The image pixel module attributes that bound a dataset's size, as far as they were found. */
interface ImageGeometry {
  rows?: number;
  columns?: number;
  frames?: number;
  samples?: number;
  bitsAllocated?: number;
}

const GEOMETRY_TAGS: Record<number, keyof ImageGeometry> = {
  0x00280002: 'samples',
  0x00280008: 'frames',
  0x00280010: 'rows',
  0x00280011: 'columns',
  0x00280100: 'bitsAllocated',
};
const LAST_GEOMETRY_TAG = 0x00280100;

/**
 * How far a deflated dataset (explicit VR little endian) may inflate, decided from its own first bytes.
 *
 * Fed the inflated output as it arrives, it walks the top-level elements until it passes (0028,0100). When
 * the image pixel module was found, the limit is {@link DEFLATE_PIXEL_MULTIPLE} × rows × columns × frames ×
 * samples × bytes per sample plus {@link DEFLATE_HEADER_ROOM}; otherwise (no image module, tags out of
 * it cannot follow, nothing found within the header room) it is the header room alone.
 * Never more than `ceiling`. Until the walk ends the limit is the header room, so a bomb of zeros stops
 * after a few megabytes instead of inflating to the input cap.
 *
 * Only bytes up to the end of the walk are kept (at most the header room); the walk resumes where it
 * stopped, and an unfinished undefined-length sequence is retried only once the kept bytes have doubled, so
 * the work stays linear in what was inflated.
 */
export class DeflateBudget {
  private head = new Uint8Array(64 * 1024);
  private headLength = 0;
  private pos = 0;
  private retryAt = 0;
  private readonly geometry: ImageGeometry = {};
  private resolved: number | undefined;
  /** What the limit was decided from, for error messages. */
  reason = 'a dataset whose header is still being read';

  constructor(private readonly ceiling: number) {}

  /** The current limit on the inflated size, after taking in the next chunk of output. */
  feed(chunk: Uint8Array): number {
    if (this.resolved !== undefined) return this.resolved;
    this.append(chunk);
    if (this.headLength >= this.retryAt) this.walk();
    if (this.resolved === undefined && this.headLength >= DEFLATE_HEADER_ROOM) {
      this.resolve('its image module was not found within the header room');
    }
    return this.resolved ?? Math.min(this.ceiling, DEFLATE_HEADER_ROOM);
  }

  private append(chunk: Uint8Array): void {
    const room = Math.min(chunk.length, DEFLATE_HEADER_ROOM - this.headLength);
    if (this.headLength + room > this.head.length) {
      const grown = new Uint8Array(
        Math.min(DEFLATE_HEADER_ROOM, Math.max(this.head.length * 2, this.headLength + room)),
      );
      grown.set(this.head.subarray(0, this.headLength));
      this.head = grown;
    }
    this.head.set(chunk.subarray(0, room), this.headLength);
    this.headLength += room;
  }

  private walk(): void {
    const bytes = this.head.subarray(0, this.headLength);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (this.resolved === undefined) {
      const p = this.pos;
      if (p + 8 > bytes.length) return;
      const tag = ((view.getUint16(p, true) << 16) | view.getUint16(p + 2, true)) >>> 0;
      if (tag > LAST_GEOMETRY_TAG) return this.resolve('its image module was read');
      // Groups 0000 and 0001 never appear in a dataset: these bytes (zeros, say) are not one.
      if (tag < 0x00020000) return this.resolve('its first bytes are not a dataset', DEFLATE_UNREADABLE_ROOM);
      const header = readExplicitHeader(bytes, view, p);
      if (header === NEED_MORE) return;
      if (header === BROKEN) return this.resolve('its elements cannot be read', DEFLATE_UNREADABLE_ROOM);
      let end: number;
      if (header.length === UNDEFINED) {
        if (header.vr !== 'SQ' && header.vr !== 'UN')
          return this.resolve('its elements cannot be read', DEFLATE_UNREADABLE_ROOM);
        end = skipItems(bytes, view, header.value, header.vr === 'SQ', 1);
        if (end === BROKEN) return this.resolve('its sequences cannot be read', DEFLATE_UNREADABLE_ROOM);
        if (end === NEED_MORE) {
          this.retryAt = bytes.length * 2;
          return;
        }
      } else {
        end = header.value + header.length;
        if (end > bytes.length) return;
      }
      const key = GEOMETRY_TAGS[tag];
      if (key) {
        const value = readNumber(bytes, view, header.vr, header.value, header.length);
        if (value !== undefined) this.geometry[key] = value;
      }
      this.pos = end;
    }
  }

  /** Whether the limit is decided (it no longer changes). */
  get settled(): boolean {
    return this.resolved !== undefined;
  }

  private resolve(reason: string, room = DEFLATE_HEADER_ROOM): void {
    const { rows, columns, frames, samples, bitsAllocated } = this.geometry;
    let limit = room;
    if (rows && columns) {
      const bits = Math.max(1, frames ?? 1) * Math.max(1, samples ?? 1) * Math.max(1, bitsAllocated ?? 16);
      limit += DEFLATE_PIXEL_MULTIPLE * Math.ceil((rows * columns * bits) / 8);
      const count = Math.max(1, frames ?? 1);
      this.reason = `its image module (${rows} × ${columns}, ${count} frame${count === 1 ? '' : 's'})`;
    } else {
      this.reason = `a dataset with no image size (${reason})`;
    }
    this.resolved = Math.min(this.ceiling, limit);
    this.head = new Uint8Array(0);
    this.headLength = 0;
  }
}

type Header = { vr: string; value: number; length: number };

/** An explicit VR little endian element header at `p`, or NEED_MORE / BROKEN. */
function readExplicitHeader(
  bytes: Uint8Array,
  view: DataView,
  p: number,
): Header | typeof NEED_MORE | typeof BROKEN {
  const a = bytes[p + 4]!;
  const b = bytes[p + 5]!;
  if (a < 0x41 || a > 0x5a || b < 0x41 || b > 0x5a) return BROKEN;
  const vr = String.fromCharCode(a, b);
  if (LONG_VRS.has(vr)) {
    if (p + 12 > bytes.length) return NEED_MORE;
    return { vr, value: p + 12, length: view.getUint32(p + 8, true) };
  }
  return { vr, value: p + 8, length: view.getUint16(p + 6, true) };
}

/**
 * Skips the items of an undefined-length sequence whose first item starts at `p`, up to and including its
 * delimiter. Items hold explicit VR elements in an SQ, implicit VR in an undefined-length UN.
 */
function skipItems(bytes: Uint8Array, view: DataView, p: number, explicit: boolean, depth: number): number {
  if (depth > MAX_SEQUENCE_DEPTH) return BROKEN;
  for (;;) {
    if (p + 8 > bytes.length) return NEED_MORE;
    if (view.getUint16(p, true) !== 0xfffe) return BROKEN;
    const element = view.getUint16(p + 2, true);
    const length = view.getUint32(p + 4, true);
    if (element === 0xe0dd) return p + 8;
    if (element !== 0xe000) return BROKEN;
    p += 8;
    if (length !== UNDEFINED) {
      p += length;
      continue;
    }
    p = skipItemElements(bytes, view, p, explicit, depth);
    if (p < 0) return p;
  }
}

/** Skips the elements of an undefined-length item, up to and including its delimiter. */
function skipItemElements(
  bytes: Uint8Array,
  view: DataView,
  p: number,
  explicit: boolean,
  depth: number,
): number {
  for (;;) {
    if (p + 8 > bytes.length) return NEED_MORE;
    if (view.getUint16(p, true) === 0xfffe && view.getUint16(p + 2, true) === 0xe00d) return p + 8;
    let header: Header | typeof NEED_MORE | typeof BROKEN;
    if (explicit) header = readExplicitHeader(bytes, view, p);
    else header = { vr: '', value: p + 8, length: view.getUint32(p + 4, true) };
    if (header === NEED_MORE || header === BROKEN) return header;
    if (header.length === UNDEFINED) {
      p = skipItems(bytes, view, header.value, explicit && header.vr !== 'UN', depth + 1);
      if (p < 0) return p;
    } else {
      p = header.value + header.length;
    }
  }
}

function readNumber(
  bytes: Uint8Array,
  view: DataView,
  vr: string,
  p: number,
  length: number,
): number | undefined {
  if (vr === 'US' && length >= 2) return view.getUint16(p, true);
  if (vr === 'IS' || vr === 'DS') {
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[p + i]!);
    const n = Number.parseInt(text.trim(), 10);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  }
  return undefined;
}

/**
 * Inflates raw deflate data with the platform's DecompressionStream, refusing output beyond `cap` bytes and,
 * when `budget` is given, beyond what the dataset being inflated declares it holds (see {@link DeflateBudget}).
 * Reading stops at the first chunk past the limit, so memory stays within the limit plus one chunk.
 *
 * Writers often pad the deflated dataset to an even length, or leave other bytes after the end of the
 * deflate stream, which DecompressionStream rejects as junk. When that happens the end of the stream is
 * searched for: first a few bytes short of the input (the usual padding), then by bisection. Every attempt
 * is bounded by the same limits, so a bomb is refused however the input is cut.
 */
export async function inflateRaw(
  data: Uint8Array,
  cap: number,
  signal?: AbortSignal,
  options: { datasetBudget?: boolean } = {},
): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new VoxmarkError(
      ErrorCode.Unsupported,
      'This platform has no DecompressionStream to inflate deflated DICOM',
    );
  }
  const attempt = (bytes: Uint8Array) =>
    inflateOnce(bytes, options.datasetBudget ? new DeflateBudget(cap) : undefined, cap, signal);
  const first = await attempt(data);
  if (first.ok) return first.data;
  if (first.reason !== 'junk') throw first.error;
  // Trailing bytes after the deflate stream: find where it really ends.
  let lo = 0; // longest length known to be too short
  let hi = data.length; // shortest length known to be too long
  for (const guess of [data.length - 1, data.length - 2, data.length - 4]) {
    if (guess <= lo || guess >= hi) continue;
    const r = await attempt(data.subarray(0, guess));
    if (r.ok) return r.data;
    if (r.reason === 'junk') hi = guess;
    else if (r.reason === 'short') lo = guess;
    else throw r.error;
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const r = await attempt(data.subarray(0, mid));
    if (r.ok) return r.data;
    if (r.reason === 'junk') hi = mid;
    else if (r.reason === 'short') lo = mid;
    else throw r.error;
  }
  throw first.error;
}

type InflateResult =
  { ok: true; data: Uint8Array } | { ok: false; reason: 'junk' | 'short' | 'other'; error: VoxmarkError };

/** Deflate's largest expansion: one input byte gives at most this many output bytes. */
const MAX_RATIO = 1032;
const MIN_SLICE = 1024;
const MAX_SLICE = 1 << 20;

async function inflateOnce(
  data: Uint8Array,
  budget: DeflateBudget | undefined,
  cap: number,
  signal?: AbortSignal,
): Promise<InflateResult> {
  const inflater = new DecompressionStream('deflate-raw');
  const writer = inflater.writable.getWriter();
  const reader = inflater.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = budget ? Math.min(cap, DEFLATE_HEADER_ROOM) : cap;
  let stopped = false;
  // The input goes in slices no bigger than the room left can take at deflate's largest ratio: one write
  // inflates in full however the output is read, so a whole-file write of a bomb would inflate far past the
  // limit before the first chunk could be refused.
  const feeding = (async () => {
    for (let p = 0; p < data.length && !stopped;) {
      // Until the budget has read the header, the smallest slices: the limit may still shrink.
      const room = budget && !budget.settled ? 0 : Math.max(0, limit - total);
      const size = Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.floor(room / MAX_RATIO)));
      await writer.write(data.subarray(p, p + size) as Uint8Array<ArrayBuffer>);
      p += size;
    }
    if (!stopped) await writer.close();
  })();
  feeding.catch(() => undefined); // its errors also reach the reader
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      limit = budget ? budget.feed(value) : cap;
      if (total > limit) {
        const why = budget && limit < cap ? ` that ${budget.reason} allows` : '';
        throw new VoxmarkError(
          ErrorCode.TooLarge,
          `Deflated data expands beyond the ${limit}-byte limit${why}`,
        );
      }
      chunks.push(value);
    }
  } catch (e) {
    stopped = true;
    void reader.cancel().catch(() => undefined);
    void writer.abort().catch(() => undefined);
    if (e instanceof VoxmarkError) return { ok: false, reason: 'other', error: e };
    const error = toVoxmarkError(e, ErrorCode.Corrupt, 'Deflated DICOM data is corrupt');
    const message = e instanceof Error ? e.message : String(e);
    const reason = /junk|trailing|after (the )?end/i.test(message)
      ? 'junk'
      : /truncat|unexpected end|incomplete|premature/i.test(message)
        ? 'short'
        : 'other';
    return { ok: false, reason, error };
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return { ok: true, data: out };
}
