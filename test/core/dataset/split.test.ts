import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { checkSplit, splitDataset } from '../../../src/core/dataset/split.js';

interface Item {
  id: number;
  patientId?: string;
  label: string;
}

function dataset(patients: number, seed = 1): Item[] {
  const out: Item[] = [];
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) % 1000) / 1000;
  for (let p = 0; p < patients; p++) {
    const n = 1 + Math.floor(rnd() * 5);
    const label = p % 4 === 0 ? 'tumour' : 'normal';
    for (let k = 0; k < n; k++) out.push({ id: out.length, patientId: `P${p}`, label });
  }
  return out;
}

const ids = (list: Item[]) => list.map((i) => i.id).sort((a, b) => a - b);

describe('splitDataset', () => {
  it('splits 80/10/10 by patient with no patient in two sets', () => {
    const items = dataset(200);
    const { train, validation, test, report } = splitDataset(items, { seed: 42 });
    expect(train.length + validation.length + test.length).to.equal(items.length);
    const sets = [train, validation, test].map((s) => new Set(s.map((i) => i.patientId)));
    for (const p of sets[0]!) expect(sets[1]!.has(p) || sets[2]!.has(p)).to.equal(false);
    for (const p of sets[1]!) expect(sets[2]!.has(p)).to.equal(false);
    expect(report.leakage).to.deep.equal([]);
    expect(report.sizes).to.deep.equal({
      train: train.length,
      validation: validation.length,
      test: test.length,
    });
    expect(report.groups.train + report.groups.validation + report.groups.test).to.equal(200);
    expect(report.achieved[0]).to.be.closeTo(0.8, 0.02);
    expect(report.achieved[1]).to.be.closeTo(0.1, 0.02);
    expect(report.achieved[2]).to.be.closeTo(0.1, 0.02);
  });

  it('is deterministic for a seed, whatever the input order, and differs between seeds', () => {
    const items = dataset(60);
    const a = splitDataset(items, { seed: 'abc' });
    const b = splitDataset([...items].reverse(), { seed: 'abc' });
    expect(ids(a.test)).to.deep.equal(ids(b.test));
    expect(ids(a.validation)).to.deep.equal(ids(b.validation));
    const c = splitDataset(items, { seed: 'abd' });
    expect(ids(c.test)).not.to.deep.equal(ids(a.test));
  });

  it('stratifies by label', () => {
    const items = dataset(400, 7);
    const { report } = splitDataset(items, { seed: 3, ratios: [0.6, 0.2, 0.2], stratifyBy: (i) => i.label });
    for (const [, c] of Object.entries(report.strata!)) {
      const total = c.train + c.validation + c.test;
      expect(c.train / total).to.be.closeTo(0.6, 0.04);
      expect(c.test / total).to.be.closeTo(0.2, 0.04);
    }
  });

  it('groups by a host key, and treats items without a key as their own group', () => {
    const items = [...dataset(30)].map((i) => ({ ...i, site: `S${i.id % 3}` }));
    const bySite = splitDataset(items, { groupBy: (i) => i.site, ratios: [1, 1, 1] });
    expect(bySite.report.groups).to.deep.equal({ train: 1, validation: 1, test: 1 });
    const loose = splitDataset(
      items.map(({ patientId: _p, ...rest }) => rest),
      { seed: 1 },
    );
    expect(loose.report.ungrouped).to.equal(items.length);
  });

  it('finds leakage in an existing split', () => {
    const items = dataset(10);
    const p0 = items.filter((i) => i.patientId === 'P0');
    const rest = items.filter((i) => i.patientId !== 'P0');
    const report = checkSplit({ train: [...rest, p0[0]!], validation: [], test: [p0[0]!] });
    expect(report.leakage).to.deep.equal([{ group: 'P0', sets: ['train', 'test'], items: 2 }]);
  });

  it('rejects bad ratios', () => {
    for (const ratios of [
      [1, -1, 0],
      [0, 0, 0],
      [NaN, 1, 1],
    ] as [number, number, number][]) {
      expect(() => splitDataset([1, 2], { ratios }))
        .to.throw()
        .with.property('code', 'invalid-argument');
    }
  });

  it('never loses, duplicates or leaks an item (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 15 }), l: fc.constantFrom('a', 'b') }), {
          maxLength: 80,
        }),
        fc.tuple(fc.nat(10), fc.nat(10), fc.nat(10)).filter(([a, b, c]) => a + b + c > 0),
        fc.integer(),
        (raw, ratios, seed) => {
          const items = raw.map((r, id) => ({ id, patientId: `P${r.p}`, label: r.l }));
          const out = splitDataset(items, { ratios, seed, stratifyBy: (i) => i.label });
          expect(ids([...out.train, ...out.validation, ...out.test])).to.deep.equal(items.map((i) => i.id));
          expect(checkSplit(out).leakage).to.deep.equal([]);
          ratios.forEach((r, k) => {
            if (r === 0) expect([out.train, out.validation, out.test][k]!.length).to.equal(0);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
