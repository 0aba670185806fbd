import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  countsToString,
  decodeRle,
  encodeRle,
  maskToCounts,
  maskToRegionRle,
  regionRleToCoco,
  regionRleToMask,
  rleArea,
  rleToBbox,
  stringToCounts,
} from '../../../src/core/formats/rle.js';

/** Row-major mask from rows drawn with '#' (inside) and '.' (outside). */
function m(rows: string[]): { data: Uint8Array; w: number; h: number } {
  const data = Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0));
  return { data, w: rows[0]!.length, h: rows.length };
}

// Known answers. The expected counts and strings were derived by a line-by-line Python port of pycocotools'
// maskApi.c (rleEncode over np.asfortranarray(mask), then rleToString with 64-bit `long` arithmetic) and
// checked by hand: e.g. for the 5×7 ring, count 4 is 1 − 3 = −2 → 5-bit group 30 with the sign bit set and
// nothing left (x >> 5 = −1) → one character 30 + 48 = 'N'.
const KNOWN: { name: string; rows: string[]; counts: number[]; str: string }[] = [
  { name: '1×1 empty', rows: ['.'], counts: [1], str: '1' },
  { name: '1×1 full', rows: ['#'], counts: [0, 1], str: '01' },
  {
    name: '2×2 diagonal',
    rows: ['#.', '.#'],
    counts: [0, 1, 2, 1],
    str: '0120',
  },
  {
    name: '3×3 centre',
    rows: ['...', '.#.', '...'],
    counts: [4, 1, 4],
    str: '414',
  },
  {
    name: '3×5 L',
    rows: ['#....', '#....', '#####'],
    counts: [0, 3, 2, 1, 2, 1, 2, 1, 2, 1],
    str: '032N000000',
  },
  {
    name: '4×3 top row',
    rows: ['###', '...', '...', '...'],
    counts: [0, 1, 3, 1, 3, 1, 3],
    str: '0130000',
  },
  {
    name: '5×7 ring',
    rows: ['.......', '.#####.', '.#...#.', '.#####.', '.......'],
    counts: [6, 3, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 3, 6],
    str: '632NO010O010O0124',
  },
];

// Counts strings of run lists with large values and negative deltas, from the same port.
const KNOWN_COUNTS: [number[], string][] = [
  [[0, 100000, 3, 99000, 1], '0PeQ33hPON'],
  [[262144], 'PPP8'],
  [[5, 40, 2, 10, 30, 1], '5X12ROl0G'],
];

describe('COCO RLE (pycocotools compatible)', () => {
  for (const k of KNOWN) {
    it(`encodes the ${k.name} mask as pycocotools does`, () => {
      const { data, w, h } = m(k.rows);
      expect(Array.from(maskToCounts(data, w, h))).to.deep.equal(k.counts);
      expect(encodeRle(data, w, h)).to.deep.equal({ size: [h, w], counts: k.str });
      expect(Array.from(decodeRle({ size: [h, w], counts: k.str }))).to.deep.equal(Array.from(data));
      expect(Array.from(decodeRle({ size: [h, w], counts: k.counts }))).to.deep.equal(Array.from(data));
    });
  }

  for (const [counts, str] of KNOWN_COUNTS) {
    it(`compresses counts ${JSON.stringify(counts)} to '${str}' and back`, () => {
      expect(countsToString(counts)).to.equal(str);
      expect(Array.from(stringToCounts(str))).to.deep.equal(counts);
    });
  }

  it('computes area and bbox like pycocotools', () => {
    const ring = m(KNOWN[6]!.rows);
    const rle = encodeRle(ring.data, ring.w, ring.h);
    expect(rleArea(rle)).to.equal(12);
    expect(rleToBbox(rle)).to.deep.equal([1, 1, 5, 3]);
    expect(rleToBbox({ size: [3, 3], counts: '9' })).to.deep.equal([0, 0, 0, 0]);
    // A run crossing a column boundary spans every row.
    expect(rleToBbox({ size: [3, 2], counts: [2, 2, 2] })).to.deep.equal([0, 0, 2, 3]);
  });

  it('treats any non-zero value as inside', () => {
    expect(encodeRle(Uint8Array.from([0, 255, 7, 0]), 2, 2).counts).to.equal(
      encodeRle(Uint8Array.from([0, 1, 1, 0]), 2, 2).counts,
    );
  });

  it('rejects corrupt strings and runs that do not fit with "corrupt"', () => {
    for (const bad of ['\u0020', '~', '0`']) {
      expect(() => stringToCounts(bad))
        .to.throw()
        .with.property('code', 'corrupt');
    }
    expect(() => decodeRle({ size: [2, 2], counts: [1, 5] }))
      .to.throw()
      .with.property('code', 'corrupt');
    expect(() => decodeRle({ size: [2, 2], counts: [1, 1] }))
      .to.throw()
      .with.property('code', 'corrupt');
    expect(() => regionRleToMask({ rle: '01', bbox: [3, 0, 1, 1] }, 3, 3))
      .to.throw()
      .with.property('code', 'corrupt');
  });

  it('encode → decode is identity for random masks of odd sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 41 }).map((n) => n | 1),
        fc.integer({ min: 1, max: 37 }).map((n) => n | 1),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, h, seed, density) => {
          const data = randomMask(w, h, seed, density);
          const rle = encodeRle(data, w, h);
          expect(Array.from(decodeRle(rle))).to.deep.equal(Array.from(data));
          expect(Array.from(stringToCounts(rle.counts as string))).to.deep.equal(
            Array.from(maskToCounts(data, w, h)),
          );
          expect(rleArea(rle)).to.equal(data.reduce((s, v) => s + v, 0));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('encode → decode is identity for large masks', () => {
    for (const [w, h, seed] of [
      [1201, 1017, 1],
      [2048, 600, 2],
    ] as const) {
      const data = randomMask(w, h, seed, 0.3, true);
      const rle = encodeRle(data, w, h);
      const back = decodeRle(rle);
      let same = back.length === data.length;
      for (let i = 0; same && i < data.length; i++) same = back[i] === data[i];
      expect(same).to.equal(true);
      expect(() => decodeRle({ size: [h, w], counts: [w * h + 1] }))
        .to.throw()
        .with.property('code', 'corrupt');
      expect(() => decodeRle({ size: [h, w], counts: [5, 5] }))
        .to.throw()
        .with.property('code', 'corrupt');
    }
  });

  it('region RLE ↔ mask ↔ full COCO RLE agree for random masks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 29 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        (w, h, seed, density) => {
          const data = randomMask(w, h, seed, density, true);
          const region = maskToRegionRle(data, w, h);
          if (data.every((v) => v === 0)) {
            expect(region).to.equal(null);
            return;
          }
          expect(Array.from(regionRleToMask(region!, w, h))).to.deep.equal(Array.from(data));
          const full = regionRleToCoco(region!, w, h);
          expect(full).to.deep.equal(encodeRle(data, w, h));
          expect(rleToBbox(full)).to.deep.equal(region!.bbox);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Deterministic random mask; `blob` concentrates it in a random rectangle so bboxes vary. */
function randomMask(w: number, h: number, seed: number, density: number, blob = false): Uint8Array {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const data = new Uint8Array(w * h);
  const x0 = blob ? Math.floor(rnd() * w) : 0;
  const y0 = blob ? Math.floor(rnd() * h) : 0;
  const x1 = blob ? x0 + Math.floor(rnd() * (w - x0)) : w - 1;
  const y1 = blob ? y0 + Math.floor(rnd() * (h - y0)) : h - 1;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * w + x] = rnd() < density ? 1 : 0;
  return data;
}
