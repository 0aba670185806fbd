/**
 * Hostile TIFFs: IFD loops, truncation, absurd sizes, lying byte counts, flipped bytes and a deflate bomb.
 * Each must resolve or reject with a VoxmarkError within 2 seconds (a hang detector, not a performance check),
 * and never allocate more than the input justifies.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack } from '../../../src/core/load.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import { readTiffLayout } from '../../../src/core/image/tiff/ifd.js';
import { buildTiff, deflate, type TiffPageSpec } from '../../helpers/tiff-builder.js';

const HANG_MS = 2000;

/** Loads and decodes every frame; resolves with the outcome, or fails the test if it takes longer than 2 s. */
async function outcome(
  bytes: Uint8Array,
  options: { maxFrameBytes?: number } = {},
): Promise<{ ok: true; depth: number } | { ok: false; error: unknown }> {
  const work = (async () => {
    try {
      const stack = await loadImageStack(bytes, options);
      for (let i = 0; i < stack.depth; i++) await stack.getFrame(i);
      return { ok: true as const, depth: stack.depth };
    } catch (error) {
      return { ok: false as const, error };
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms: hang`)), HANG_MS);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectRejection(bytes: Uint8Array, codes: string[], options: { maxFrameBytes?: number } = {}) {
  const r = await outcome(bytes, options);
  expect(r.ok, 'expected a rejection').to.equal(false);
  const error = (r as { error: unknown }).error;
  expect(error, String(error)).to.be.instanceOf(VoxmarkError);
  expect(codes, `code ${(error as VoxmarkError).code}: ${(error as Error).message}`).to.include(
    (error as VoxmarkError).code,
  );
}

function gradient(width: number, height: number, extra: Partial<TiffPageSpec> = {}): TiffPageSpec {
  const data = new Array<number>(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) & 0xffff;
  return { width, height, bits: 16, data, rowsPerStrip: 4, ...extra };
}

/** Offset of the first IFD, and where its next-IFD link lives (classic little-endian TIFF). */
function firstIfd(bytes: Uint8Array): { offset: number; linkAt: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = view.getUint32(4, true);
  const n = view.getUint16(offset, true);
  return { offset, linkAt: offset + 2 + n * 12 };
}

/** Finds the value field of tag `tag` in the first IFD (classic little-endian). */
function entryAt(bytes: Uint8Array, tag: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { offset } = firstIfd(bytes);
  const n = view.getUint16(offset, true);
  for (let i = 0; i < n; i++) {
    const p = offset + 2 + i * 12;
    if (view.getUint16(p, true) === tag) return p;
  }
  throw new Error(`tag ${tag} not found`);
}

describe('TIFF: hostile input', () => {
  it('stops at an IFD that links to itself (geotiff alone would loop forever)', async () => {
    const bytes = await buildTiff([gradient(16, 16)]);
    const { offset, linkAt } = firstIfd(bytes);
    new DataView(bytes.buffer).setUint32(linkAt, offset, true);
    expect(readTiffLayout(bytes).truncatedChain).to.equal('loop');
    const r = await outcome(bytes);
    expect(r).to.deep.equal({ ok: true, depth: 1 });
  });

  it('ends the chain at a later IFD link that points outside the file, keeping earlier pages', async () => {
    const bytes = await buildTiff([gradient(8, 8), gradient(8, 8)]);
    const layout = readTiffLayout(bytes);
    const second = layout.ifds[1]!;
    const view = new DataView(bytes.buffer);
    const n = view.getUint16(second.offset, true);
    view.setUint32(second.offset + 2 + n * 12, 0x7ffffff0, true);
    const stack = await loadImageStack(bytes);
    expect(stack.depth).to.equal(2);
    expect(stack.metadata.ifdChainCut).to.equal('bad-link');
    // The first page's link pointing at a cut-short directory keeps page 0 only.
    const cut = bytes.slice(0, second.offset + 4);
    const partial = await outcome(cut);
    if (partial.ok) expect(partial.depth).to.equal(1);
    else expect(partial.error).to.be.instanceOf(VoxmarkError);
  });

  it('stops the IFD walk at the page limit', async () => {
    const bytes = await buildTiff([gradient(8, 8), gradient(8, 8), gradient(8, 8)]);
    const layout = readTiffLayout(bytes, 2);
    expect(layout.ifds.length).to.equal(2);
    expect(layout.truncatedChain).to.equal('limit');
    expect(readTiffLayout(bytes).truncatedChain).to.equal(undefined);
  });

  it('stops at an IFD chain that links back to an earlier page', async () => {
    const bytes = await buildTiff([gradient(16, 16), gradient(16, 16), gradient(16, 16)]);
    const layout = readTiffLayout(bytes);
    const third = layout.ifds[2]!;
    const view = new DataView(bytes.buffer);
    const n = view.getUint16(third.offset, true);
    view.setUint32(third.offset + 2 + n * 12, layout.ifds[0]!.offset, true);
    const stack = await loadImageStack(bytes);
    expect(stack.depth).to.equal(3);
    expect(stack.metadata.ifdChainCut).to.equal('loop');
  });

  it('rejects a file cut at every length with a VoxmarkError, never a hang', async () => {
    const bytes = await buildTiff([gradient(24, 20, { compression: 'lzw', predictor: 2 }), gradient(24, 20)]);
    const lengths = new Set<number>();
    for (let n = 0; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 60))) lengths.add(n);
    for (let n = bytes.length - 12; n < bytes.length; n++) lengths.add(n);
    for (const n of lengths) {
      const r = await outcome(bytes.slice(0, n));
      if (!r.ok) expect(r.error, `cut at ${n}: ${String(r.error)}`).to.be.instanceOf(VoxmarkError);
    }
    // The header alone is truncated.
    await expectRejection(bytes.slice(0, 6), ['truncated', 'not-an-image']);
  });

  it('rejects uncompressed strips that run past the end of the file as truncated', async () => {
    const bytes = await buildTiff([gradient(64, 64, { rowsPerStrip: 64 })]);
    // Drop the last 100 bytes of pixel data by moving the IFD's strip onto the end: simply cut the pixel bytes.
    const p = entryAt(bytes, 279); // StripByteCounts, inline LONG
    const view = new DataView(bytes.buffer);
    view.setUint32(p + 8, 0x7fffffff, true);
    await expectRejection(bytes, ['truncated']);
  });

  it('rejects uncompressed strips that hold fewer bytes than the image needs', async () => {
    const bytes = await buildTiff([gradient(64, 64, { rowsPerStrip: 64 })]);
    const p = entryAt(bytes, 279);
    new DataView(bytes.buffer).setUint32(p + 8, 100, true);
    await expectRejection(bytes, ['truncated']);
  });

  it('rejects absurd dimensions before allocating', async () => {
    const bytes = await buildTiff([gradient(16, 16)]);
    const view = new DataView(bytes.buffer);
    view.setUint32(entryAt(bytes, 256) + 8, 200_000, true);
    view.setUint32(entryAt(bytes, 257) + 8, 200_000, true);
    await expectRejection(bytes, ['too-large']);
  });

  it('rejects a compressed page that claims far more pixels than its data can hold', async () => {
    const bytes = await buildTiff([gradient(16, 16, { compression: 'deflate' })]);
    new DataView(bytes.buffer).setUint32(entryAt(bytes, 256) + 8, 16 + (1 << 22), true);
    await expectRejection(bytes, ['too-large']);
  });

  it('honours a smaller maxFrameBytes', async () => {
    const bytes = await buildTiff([gradient(64, 64)]);
    await expectRejection(bytes, ['too-large'], { maxFrameBytes: 1000 });
  });

  it('rejects a zero width', async () => {
    const bytes = await buildTiff([gradient(16, 16)]);
    new DataView(bytes.buffer).setUint32(entryAt(bytes, 256) + 8, 0, true);
    await expectRejection(bytes, ['corrupt']);
  });

  it('rejects an IFD whose entry count runs past the file', async () => {
    const bytes = await buildTiff([gradient(16, 16)]);
    const { offset } = firstIfd(bytes);
    new DataView(bytes.buffer).setUint16(offset, 0xffff, true);
    await expectRejection(bytes, ['truncated']);
  });

  it('rejects a tag whose value points past the end of the file', async () => {
    const bytes = await buildTiff([gradient(16, 16, { rowsPerStrip: 2 })]);
    new DataView(bytes.buffer).setUint32(entryAt(bytes, 273) + 8, 0x7ffffff0, true); // StripOffsets array
    await expectRejection(bytes, ['truncated']);
  });

  it('rejects compressions it cannot decode as unsupported', async () => {
    const bytes = await buildTiff([gradient(16, 16)]);
    new DataView(bytes.buffer).setUint16(entryAt(bytes, 259) + 8, 34712, true); // JPEG 2000
    await expectRejection(bytes, ['unsupported']);
  });

  it('decodes a deflate bomb strip only up to the strip size', async () => {
    // A 64×64 8-bit page whose single strip inflates to 64 MiB of zeros.
    const page: TiffPageSpec = {
      width: 64,
      height: 64,
      bits: 8,
      data: new Array(64 * 64).fill(1),
      compression: 'deflate',
    };
    const bytes = await buildTiff([page]);
    const bomb = await deflate(new Uint8Array(64 * 1024 * 1024));
    const out = new Uint8Array(bytes.length + bomb.length);
    out.set(bytes);
    out.set(bomb, bytes.length);
    const view = new DataView(out.buffer);
    view.setUint32(entryAt(out, 273) + 8, bytes.length, true);
    view.setUint32(entryAt(out, 279) + 8, bomb.length, true);
    const stack = await loadImageStack(out);
    const frame = await stack.getFrame(0);
    expect(frame.data.length).to.equal(64 * 64);
    expect(frame.data.every((v) => v === 0)).to.equal(true);
  });

  it('survives flipped bytes: every result is a stack or a VoxmarkError', async () => {
    const sources = [
      await buildTiff([gradient(20, 12, { compression: 'lzw', predictor: 2 }), gradient(20, 12)]),
      await buildTiff([gradient(20, 12, { compression: 'deflate', tile: [16, 16] })], {
        littleEndian: false,
      }),
      await buildTiff(
        [gradient(20, 12, { compression: 'packbits', samples: 3, data: new Array(720).fill(9) })],
        {
          bigTiff: true,
        },
      ),
    ];
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let rejected = 0;
    for (const source of sources) {
      for (let trial = 0; trial < 60; trial++) {
        const bytes = source.slice();
        const flips = 1 + Math.floor(rnd() * 4);
        for (let f = 0; f < flips; f++) bytes[Math.floor(rnd() * bytes.length)] ^= 1 << Math.floor(rnd() * 8);
        const r = await outcome(bytes);
        if (!r.ok) {
          rejected++;
          expect(r.error, String(r.error)).to.be.instanceOf(VoxmarkError);
        }
      }
    }
    expect(rejected, 'some flips must break the file').to.be.greaterThan(0);
  });
});
