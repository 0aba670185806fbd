import { expect } from '@open-wc/testing';
import {
  type AnnotationDocument,
  createAnnotationDocument,
  maskOf,
  type DocumentChange,
} from '../../../src/core/annotation/document.js';
import { SparseMask } from '../../../src/core/mask/sparse-mask.js';
import type { MaskAnnotation } from '../../../src/core/annotation/types.js';
import { paintDab } from '../../../src/core/mask/paint.js';
import { VoxmarkError } from '../../../src/core/errors.js';

function doc(extra: Partial<ConstructorParameters<typeof AnnotationDocument>[0]> = {}) {
  let n = 0;
  return createAnnotationDocument({ width: 100, height: 80, depth: 10, createId: () => `a${++n}`, ...extra });
}

describe('AnnotationDocument', () => {
  it('adds with unique ids and times, indexes by slice', () => {
    const d = createAnnotationDocument({ width: 10, height: 10 });
    const a = d.add({ label: 'l', kind: 'box', slice: 2, box: { x: 1, y: 2, width: 3, height: 4 } });
    const b = d.add({
      label: 'l',
      kind: 'polygon',
      slice: 2,
      points: [
        [0, 0],
        [1, 0],
        [1, 1],
      ],
    });
    expect(a.id).to.match(/^[0-9a-f-]{36}$/);
    expect(a.id).to.not.equal(b.id);
    expect(a.createdAt).to.be.a('string');
    expect(d.annotations.map((x) => x.id)).to.deep.equal([a.id, b.id]);
    expect(d.bySlice(2).length).to.equal(2);
    expect(d.bySlice(3).length).to.equal(0);
    expect(d.get(a.id)).to.equal(a);
    expect(Object.isFrozen(a)).to.equal(true);
  });

  it('rejects bad input with VoxmarkError', () => {
    const d = doc();
    const bads: unknown[] = [
      { label: '', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } },
      { label: 'l', kind: 'circle', slice: 0 },
      { label: 'l', kind: 'box', slice: 10, box: { x: 0, y: 0, width: 1, height: 1 } },
      { label: 'l', kind: 'box', slice: 0, box: { x: NaN, y: 0, width: 1, height: 1 } },
      {
        label: 'l',
        kind: 'polygon',
        slice: 0,
        points: [
          [0, 0],
          [1, 1],
        ],
      },
      { label: 'l', kind: 'mask', slice: 0, mask: { data: new Uint8Array(5) } },
      { label: 'l', kind: 'mask', slice: 0, mask: { rle: '11', bbox: [0, 0, 2.5, 1] } },
      { label: 'l', kind: 'mask', slice: 0, mask: { rle: '1a~', bbox: [0, 0, 2, 2] } },
      { label: 'l', kind: 'mask', slice: 0, mask: { rle: '9', bbox: [0, 0, 2, 2] } },
      {
        label: 'l',
        kind: 'mask',
        slice: 0,
        mask: { bbox: [0, 0, 3, 3], width: 3, height: 3, data: new Uint8Array(4) },
      },
      { label: 'l', kind: 'mask', slice: 0, mask: { rle: '0', bbox: [0, 0, 1e6, 1e6] } },
      { label: 'l', kind: 'mask', slice: 0, mask: 'nope' },
    ];
    for (const b of bads) {
      expect(() => d.add(b as never)).to.throw(VoxmarkError);
    }
    expect(d.size).to.equal(0);
    expect(d.canUndo).to.equal(false);
  });

  it('one change set per edit with origin; undo/redo restore exact objects', () => {
    const d = doc();
    const seen: DocumentChange[] = [];
    d.subscribe((c) => seen.push(c));
    const a = d.add({ label: 'l', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 2, height: 2 } });
    const a2 = d.update(a.id, { box: { x: 5, y: 5, width: 2, height: 2 } });
    d.remove(a.id);
    expect(seen.map((c) => [c.created.length, c.updated.length, c.deleted.length, c.cause])).to.deep.equal([
      [1, 0, 0, 'edit'],
      [0, 1, 0, 'edit'],
      [0, 0, 1, 'edit'],
    ]);
    expect(seen[1]!.updated[0]!.before).to.equal(a);
    expect(d.undo()).to.equal(true);
    expect(d.get(a.id)).to.equal(a2);
    expect(d.undo()).to.equal(true);
    expect(d.get(a.id)).to.equal(a);
    expect(d.undo()).to.equal(true);
    expect(d.size).to.equal(0);
    expect(d.canUndo).to.equal(false);
    expect(d.redo()).to.equal(true);
    expect(d.get(a.id)).to.equal(a);
    d.redo();
    d.redo();
    expect(d.size).to.equal(0);
    expect(d.canRedo).to.equal(false);
    expect(seen.slice(3).map((c) => c.cause)).to.deep.equal(['undo', 'undo', 'undo', 'redo', 'redo', 'redo']);
  });

  it('remote and silent changes notify but are not undoable', () => {
    const d = doc();
    const origins: string[] = [];
    d.subscribe((c) => origins.push(c.origin));
    d.add(
      { label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } },
      { origin: 'remote' },
    );
    d.add(
      { label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } },
      { origin: 'silent' },
    );
    expect(origins).to.deep.equal(['remote', 'silent']);
    expect(d.canUndo).to.equal(false);
  });

  it('a transaction is one change and one undo step; cancel leaves nothing', () => {
    const d = doc();
    let changes = 0;
    d.subscribe(() => changes++);
    d.transact(() => {
      const a = d.add({ label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } });
      d.update(a.id, { label: 'm' });
      d.add({ label: 'l', kind: 'box', slice: 1, box: { x: 0, y: 0, width: 1, height: 1 } });
    });
    expect(changes).to.equal(1);
    expect(d.historyDepth.undo).to.equal(1);
    expect(d.annotations[0]!.label).to.equal('m');
    const before = d.annotations;
    d.begin();
    d.remove(d.annotations[0]!.id);
    d.add({ label: 'x', kind: 'box', slice: 3, box: { x: 0, y: 0, width: 1, height: 1 } });
    d.update(d.annotations[0]!.id, { slice: 4 });
    d.cancel();
    expect(changes).to.equal(1);
    expect([...d.annotations].sort((p, q) => p.id.localeCompare(q.id))).to.deep.equal(
      [...before].sort((p, q) => p.id.localeCompare(q.id)),
    );
    expect(d.bySlice(3).length).to.equal(0);
    expect(d.bySlice(4).length).to.equal(0);
    // Undo during an open transaction cancels it.
    d.begin();
    d.clear();
    expect(d.size).to.equal(0);
    d.undo();
    expect(d.size).to.equal(2);
    expect(d.historyDepth.undo).to.equal(1);
    // transact rolls back on throw
    expect(() =>
      d.transact(() => {
        d.clear();
        throw new Error('boom');
      }),
    ).to.throw('boom');
    expect(d.size).to.equal(2);
  });

  it('accepts masks as full data, RLE and region; getMask and getMaskRegion', () => {
    const d = doc();
    const full = new Uint8Array(100 * 80);
    full[10 * 100 + 20] = 1;
    full[11 * 100 + 21] = 7;
    const a = d.add({ label: 'l', kind: 'mask', slice: 0, mask: { data: full } });
    expect(d.getMaskRegion(a.id)).to.deep.equal({
      bbox: [20, 10, 2, 2],
      width: 2,
      height: 2,
      data: new Uint8Array([1, 0, 0, 1]),
    });
    const back = d.getMask(a.id)!.data;
    expect(back[1020]).to.equal(1);
    expect(back[1121]).to.equal(1);
    expect(back.reduce((s, v) => s + v, 0)).to.equal(2);
    // Lazy RLE of the bbox, round-tripping through add.
    expect((a as MaskAnnotation).mask.bbox).to.deep.equal([20, 10, 2, 2]);
    const b = d.add({ label: 'l', kind: 'mask', slice: 1, mask: a.mask! });
    expect(maskOf(b)!.equals(maskOf(a)!)).to.equal(true);
    const c = d.add({ label: 'l', kind: 'mask', slice: 2, mask: d.getMaskRegion(a.id)! });
    expect(maskOf(c)!.equals(maskOf(a)!)).to.equal(true);
    const json = JSON.parse(JSON.stringify(d.toJSON()));
    expect(json.annotations[0].mask).to.deep.equal({
      rle: (a as MaskAnnotation).mask.rle,
      bbox: [20, 10, 2, 2],
    });
  });

  it('mask edits keep the previous version for undo and report the changed rect', () => {
    const d = doc();
    const m = d.createMask();
    paintDab(m, 10, 10, 5);
    const a = d.add({ label: 'l', kind: 'mask', slice: 0, mask: m });
    const rects: unknown[] = [];
    d.subscribe((c) => rects.push(c.maskRects.get(a.id)));
    const draft = maskOf(a)!.clone();
    paintDab(draft, 60.5, 60.5, 3);
    const b = d.update(a.id, { mask: draft });
    expect(maskOf(b)!.get(60, 60)).to.equal(1);
    expect(maskOf(a)!.get(60, 60)).to.equal(0); // the old version is untouched
    expect(rects[0]).to.deep.equal({ x: 59, y: 59, width: 3, height: 3 });
    d.undo();
    expect(rects[1]).to.deep.equal({ x: 59, y: 59, width: 3, height: 3 });
    expect(d.getSparseMask(a.id)!.get(60, 60)).to.equal(0);
    expect(d.getSparseMask(a.id)!.get(10, 10)).to.equal(1);
  });

  it('history is bounded by bytes, not count', () => {
    const d = doc({ historyBytes: 40_000 });
    const m = d.createMask();
    paintDab(m, 5, 5, 3);
    const a = d.add({ label: 'l', kind: 'mask', slice: 0, mask: m });
    for (let i = 0; i < 30; i++) {
      const draft = d.getSparseMask(a.id)!.clone();
      paintDab(draft, (i % 10) * 10 + 5, 70, 3);
      d.update(a.id, { mask: draft });
    }
    expect(d.historyBytes).to.be.at.most(40_000);
    expect(d.historyDepth.undo).to.be.greaterThan(2).and.lessThan(31);
    const small = doc();
    for (let i = 0; i < 2000; i++)
      small.add({ label: 'l', kind: 'box', slice: 0, box: { x: i, y: 0, width: 1, height: 1 } });
    expect(small.historyDepth.undo).to.equal(2000);
  });

  it('a listener that throws does not break others', async () => {
    const d = doc();
    let ok = 0;
    d.subscribe(() => {
      throw new Error('listener');
    });
    d.subscribe(() => ok++);
    const onerr = window.onerror;
    window.onerror = () => true;
    d.add({ label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } });
    await new Promise((r) => setTimeout(r, 0));
    window.onerror = onerr;
    expect(ok).to.equal(1);
  });

  it('rejects duplicate ids and unknown ids on update', () => {
    const d = doc();
    d.add({ id: 'x', label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } });
    expect(() =>
      d.add({ id: 'x', label: 'l', kind: 'box', slice: 0, box: { x: 0, y: 0, width: 1, height: 1 } }),
    ).to.throw(VoxmarkError);
    expect(() => d.update('nope', { label: 'q' })).to.throw(VoxmarkError);
    expect(() => d.update('x', { kind: 'mask' } as never)).to.throw(VoxmarkError);
  });
});

describe('SparseMask', () => {
  it('allocates tiles only where painted and shares tiles on clone', () => {
    const m = new SparseMask(512, 512);
    paintDab(m, 100, 100, 10);
    m.freeze();
    expect(m.tileCount).to.equal(1);
    const c = m.clone();
    paintDab(c, 400, 400, 10);
    c.freeze();
    expect(c.tileCount).to.equal(2);
    expect(c.ownedBytes).to.equal(4096);
    expect(m.get(400, 400)).to.equal(0);
    expect(() => m.setPixel(1, 1, 1)).to.throw(VoxmarkError);
  });
});
