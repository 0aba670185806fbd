/**
 * Fuzzing over the whole corpus (DICOM and TIFF): seeded byte flips, overwrites with boundary values and
 * truncations. Every mutated file must load (and its frames decode) or be rejected with a VoxmarkError,
 * within 2 s each (a hang detector). The run is bounded to about a minute by a budget of work, not by an
 * assertion on time; the seed makes any failure reproducible.
 */
import { expect } from '@open-wc/testing';
import { loadImageStack, VoxmarkError } from '../../../src/core/index.js';
import { corpusBytes, corpusIndex } from '../../helpers/corpus.js';
import { seededRandom as mulberry32 } from '../../../src/core/util/random.js';

const SEED = 0x5eed_2026;
const HANG_MS = 2000;
/** Stop starting new rounds after this long; each round covers every corpus file once. */
const BUDGET_MS = 55_000;

const BOUNDARY = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

function mutate(bytes: Uint8Array, rnd: () => number): { data: Uint8Array; what: string } {
  const kind = Math.floor(rnd() * 3);
  const pick = () =>
    // Half of the changes land in the first 2 KiB, where headers, tags and offsets live.
    rnd() < 0.5 ? Math.floor(rnd() * Math.min(2048, bytes.length)) : Math.floor(rnd() * bytes.length);
  if (kind === 0) {
    const cut = Math.floor(rnd() * bytes.length);
    return { data: bytes.slice(0, cut), what: `truncated to ${cut}` };
  }
  const data = bytes.slice();
  const n = 1 + Math.floor(rnd() * 8);
  const positions: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = pick();
    positions.push(p);
    data[p] =
      kind === 1 ? data[p]! ^ (1 << Math.floor(rnd() * 8)) : BOUNDARY[Math.floor(rnd() * BOUNDARY.length)]!;
  }
  return { data, what: `${kind === 1 ? 'bit flips' : 'boundary bytes'} at ${positions.join(',')}` };
}

async function exercise(data: Uint8Array): Promise<unknown> {
  try {
    const stack = await loadImageStack(data);
    const picks = new Set([0, stack.depth >> 1, stack.depth - 1]);
    for (const i of picks) await stack.getFrame(i);
    return undefined;
  } catch (e) {
    return e;
  }
}

async function withinHangLimit(p: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no result within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzz: mutated corpus files', function () {
  this.timeout(240_000);

  it('every mutation loads or fails with a VoxmarkError, and none hangs', async () => {
    const entries = await corpusIndex();
    const files = await Promise.all(
      entries.map(async (e) => ({ file: e.file, bytes: await corpusBytes(e.file) })),
    );
    const rnd = mulberry32(SEED);
    const codes = new Map<string, number>();
    let runs = 0;
    let loaded = 0;
    const started = performance.now();
    for (let round = 0; round === 0 || performance.now() - started < BUDGET_MS; round++) {
      for (const { file, bytes } of files) {
        const { data, what } = mutate(bytes, rnd);
        const label = `${file} (seed ${SEED}, round ${round}): ${what}`;
        const error = await withinHangLimit(exercise(data)).catch((e: unknown) => {
          throw new Error(`${label}: ${String(e)}`);
        });
        runs++;
        if (error === undefined) {
          loaded++;
          continue;
        }
        if (!(error instanceof VoxmarkError)) {
          throw new Error(`${label}: failed with a non-VoxmarkError: ${String(error)}`, { cause: error });
        }
        expect(error.code, label).to.be.a('string').and.not.equal('');
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      }
      if (round > 200) break; // plenty, however fast the machine
    }
    console.log(
      `fuzz: ${runs} mutations over ${files.length} files, ${loaded} still loaded, failures by code: ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    expect(runs).to.be.at.least(files.length);
  });

  it('every codec survives corrupt compressed data: VoxmarkError or pixels, never a hang or a crash', async () => {
    const entries = (await corpusIndex()).filter(
      (e) =>
        e.file.startsWith('dicom/') &&
        e.transferSyntaxUID &&
        /^1\.2\.840\.10008\.1\.2\.(4|5)/.test(e.transferSyntaxUID),
    );
    const rnd = mulberry32(SEED + 1);
    let runs = 0;
    for (const entry of entries) {
      const bytes = await corpusBytes(entry.file);
      // Mutate only past the pixel data tag, so the codecs (not the parser) meet the damage.
      const tag = [0xe0, 0x7f, 0x10, 0x00];
      let start = -1;
      for (let i = bytes.length - 4; i >= 0; i--) {
        if (tag.every((b, k) => bytes[i + k] === b)) {
          start = i + 12 + 8; // tag, VR, length, then the basic offset table item header
          break;
        }
      }
      expect(start, entry.file).to.be.above(0);
      for (let k = 0; k < 60; k++) {
        const data = bytes.slice();
        const flips = 1 + Math.floor(rnd() * 6);
        const at: number[] = [];
        for (let f = 0; f < flips; f++) {
          const p = start + Math.floor(rnd() * (bytes.length - start));
          at.push(p);
          data[p] = Math.floor(rnd() * 256);
        }
        const label = `${entry.file} (seed ${SEED + 1}): bytes at ${at.join(',')}`;
        const error = await withinHangLimit(exercise(data)).catch((e: unknown) => {
          throw new Error(`${label}: ${String(e)}`);
        });
        runs++;
        if (error !== undefined && !(error instanceof VoxmarkError)) {
          throw new Error(`${label}: failed with a non-VoxmarkError: ${String(error)}`, { cause: error });
        }
      }
    }
    expect(runs).to.equal(entries.length * 60);
  });
});
