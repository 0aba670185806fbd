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
} from '../../../src/core/mask/rle.js';

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

/**
 * A counts string written by pycocotools.mask.encode itself: a 1080×1440 Mask R-CNN instance mask as
 * published in a public discussion of the format. Decoding it must cover exactly 1080 × 1440 pixels, and
 * encoding the decoded mask must give back the very same string, character for character.
 */
const PYCOCOTOOLS_1080x1440 =
  'l]a?V3an02O001N101O0O10001O0000001O00001O00001O1O001O010O00001O00000000010O01O001O001O00001O00001O00' +
  '0000001O00000000000001O0001O0000000001O01O000000010O001O00001O00001O000000001O000000000000000010O000' +
  '01O00001O000000001O00000001O0001O0001O00001O001O001O00001O0000001O00000000001O0001O01O01O01000O010O0' +
  '10O01O01O0001O0001O00000000001O0000001O00001O00001O001O000001O01O01O00001O10O01O001O001O0001O01O0000' +
  '0001O00001O001O1O001O00001O0000001O000000001O0000001O00001O001O1O01O01O001O00000001O00001O001O0010O0' +
  '001O00001O000000001O000001O00001O00001O1O001O001O00001O0000001O000000001O0000010O00001O001O010O00001' +
  '0O00001O000010O0001O00000000001O0000000000010O00000001O01O01O010O1O010O010O01O00010O00000000000001O0' +
  '001O0000000001O00000000001O01O01O0010O00010O1O0010O01O001O01O0001O00000000000001O000000000000001O000' +
  '00000001O00001O010O00001O01O0000010O00001O00010O00001O00000000001O00000000000000001O0000000000000000' +
  '0000000000000000000000000000000000010O00001O010O00100O0010O0010O0001O01O0000000001O00000000000000000' +
  '000000000001O01O0000001O001O001O001O001O00001O0000000000000O101O000O10000O100O100O1O10000O10000O1000' +
  '1N10001N101N2N6Fmkc=';

describe('COCO RLE against a string pycocotools wrote', () => {
  it('decodes to the full mask size and re-encodes to the identical string', () => {
    const rle = { size: [1080, 1440] as [number, number], counts: PYCOCOTOOLS_1080x1440 };
    const mask = decodeRle(rle);
    expect(mask.length).to.equal(1080 * 1440);
    let area = 0;
    for (const v of mask) area += v;
    expect(area).to.equal(62123);
    expect(rleArea(rle)).to.equal(62123);
    expect(encodeRle(mask, 1440, 1080)).to.deep.equal(rle);
  });
});
