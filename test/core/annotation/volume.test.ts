/**
 * The 'volume' annotation kind: one instance holding a sparse 3D mask over the whole stack. Loading a model
 * prediction, reading it back in acquisition order, painting it in one undo step, and the JSON round trip.
 */
import { expect } from '@open-wc/testing';
import {
  type AnnotationDocument,
  createAnnotationDocument,
  type DocumentChange,
} from '../../../src/core/annotation/document.js';
import { SHAPES, volumeOf } from '../../../src/core/annotation/shapes.js';
import { type VolumeAnnotation, VolumeHandle } from '../../../src/core/annotation/types.js';
import { VoxmarkError } from '../../../src/core/errors.js';
import { paintSphere } from '../../../src/core/mask/paint-3d.js';
import { parseDocument, serializeDocument } from '../../../src/core/formats/document.js';
import { validateDocument } from '../../../src/core/schema/validate.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';

const W = 70;
const H = 40;
const D = 12;

function doc(): AnnotationDocument {
  let n = 0;
  return createAnnotationDocument({ width: W, height: H, depth: D, createId: () => `v${++n}` });
}

/** A prediction with known voxels: a block x 5…9, y 30…32, z 3…7, and one voxel at (69, 39, 11). */
function prediction(): Uint8Array {
  const data = new Uint8Array(W * H * D);
  for (let z = 3; z <= 7; z++)
    for (let y = 30; y <= 32; y++) for (let x = 5; x <= 9; x++) data[z * W * H + y * W + x] = 1;
  data[11 * W * H + 39 * W + 69] = 255;
  return data;
}

const schema: LabelSchema = {
  version: 1,
  labels: [{ id: 'liver', name: 'Liver', color: '#aa3300', kinds: ['volume', 'mask'] }],
};

describe('volume annotations', () => {
  it('loads a prediction and gives it back in acquisition order', () => {
    const d = doc();
    const a = d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } });
    expect(a.kind).to.equal('volume');
    expect(a.mask).to.be.instanceOf(VolumeHandle);
    // slice is the first painted slice.
    expect(a.slice).to.equal(3);
    const v = d.getVolume(a.id)!;
    expect([v.width, v.height, v.depth]).to.deep.equal([W, H, D]);
    const expected = prediction().map((x) => (x ? 1 : 0));
    expect(v.data.length).to.equal(W * H * D);
    expect(v.data.every((x, i) => x === expected[i])).to.equal(true);
    expect(v.data[5 * W * H + 31 * W + 7]).to.equal(1);
    expect(v.data[5 * W * H + 7 * W + 31]).to.equal(0);
    expect(d.getSparseVolume(a.id)!.voxelCount()).to.equal(5 * 3 * 5 + 1);
    expect(d.getVolume('nope')).to.equal(undefined);
    expect(d.volumesAt(11).map((x) => x.id)).to.deep.equal([a.id]);
    expect(d.volumesAt(2)).to.deep.equal([]);
    // Listed once, on its first slice.
    expect(d.bySlice(3).map((x) => x.id)).to.deep.equal([a.id]);
    expect(d.annotations.length).to.equal(1);
  });

  it('rejects data of the wrong size, and volumes of the wrong depth', () => {
    const d = doc();
    for (const data of [new Uint8Array(W * H * (D - 1)), new Uint8Array(W * H * D + 1), new Uint8Array(0)]) {
      expect(() => d.add({ kind: 'volume', label: 'liver', mask: { data } }))
        .to.throw(VoxmarkError)
        .with.property('code', 'invalid-argument');
    }
    expect(() => d.add({ kind: 'volume', label: 'liver' }))
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
    expect(() => d.add({ kind: 'volume', label: 'liver', mask: { depth: D + 1, slices: [] } }))
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
    expect(() =>
      d.add({
        kind: 'volume',
        label: 'liver',
        mask: { depth: D, slices: [{ z: D, rle: '', bbox: [0, 0, 0, 0] }] },
      }),
    )
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
    expect(d.size).to.equal(0);
    // A document without a depth takes any whole number of slices.
    const free = createAnnotationDocument({ width: W, height: H });
    const a = free.add({ kind: 'volume', label: 'liver', mask: { data: new Uint8Array(W * H * 3) } });
    expect(free.getVolume(a.id)!.depth).to.equal(3);
    expect(() => free.add({ kind: 'volume', label: 'liver', mask: { data: new Uint8Array(W * H + 3) } }))
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
  });

  it('paints an existing volume in one undo step, and undo/redo restore the exact voxels', () => {
    const d = doc();
    const a = d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } });
    const before = d.getVolume(a.id)!.data;
    const changes: DocumentChange[] = [];
    d.subscribe((c) => changes.push(c));
    const undoDepth = d.historyDepth.undo;
    const edit = d.editVolume(a.id);
    // A ball across slices 0…4, and an erased voxel.
    paintSphere(edit, [20, 10, 2], 5, [1, 1, 1]);
    edit.draft(5).setPixel(7, 31, 0);
    expect(d.getVolume(a.id)!.data).to.deep.equal(before); // nothing until commit
    const memo = edit.commit()!;
    expect(memo.box.z).to.equal(0);
    expect(changes.length).to.equal(1);
    expect(changes[0]!.updated.length).to.equal(1);
    expect(changes[0]!.volumeBoxes.get(a.id)).to.deep.equal(memo.box);
    expect(d.historyDepth.undo).to.equal(undoDepth + 1);
    const after = d.getVolume(a.id)!.data;
    expect(after[2 * W * H + 10 * W + 20]).to.equal(1);
    expect(after[0 * W * H + 10 * W + 20]).to.equal(1);
    expect(after[5 * W * H + 31 * W + 7]).to.equal(0);
    expect(d.get(a.id)!.slice).to.equal(0);
    // History keeps only the touched tiles, not the whole volume.
    expect(d.historyBytes).to.be.below(volumeOf(d.get(a.id)!)!.bytes + 64 * 64 * 6);
    d.undo();
    expect(d.getVolume(a.id)!.data).to.deep.equal(before);
    expect(d.get(a.id)!.slice).to.equal(3);
    expect(changes.at(-1)!.volumeBoxes.get(a.id)).to.deep.equal(memo.box);
    d.redo();
    expect(d.getVolume(a.id)!.data).to.deep.equal(after);
    // The frozen versions cannot be edited in place.
    expect(() => volumeOf(d.get(a.id)!)!.edit())
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
  });

  it('creates a new instance from an edit, and an empty edit changes nothing', () => {
    const d = doc();
    const empty = d.editVolume({ label: 'liver' });
    expect(empty.commit()).to.equal(null);
    expect(d.size).to.equal(0);
    const edit = d.editVolume({ label: 'liver', id: 'organ', attributes: { grade: 2 } });
    for (let z = 4; z < 9; z++) edit.draft(z).setPixel(1, 2, 1);
    edit.commit();
    const a = d.get('organ')!;
    expect(a.kind).to.equal('volume');
    expect(a.slice).to.equal(4);
    expect(a.attributes).to.deep.equal({ grade: 2 });
    expect(d.getSparseVolume('organ')!.paintedSlices()).to.deep.equal([4, 5, 6, 7, 8]);
    d.undo();
    expect(d.size).to.equal(0);
    d.redo();
    expect(d.getSparseVolume('organ')!.voxelCount()).to.equal(5);
    expect(() => d.editVolume({ label: 'liver', id: 'organ' }))
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
    expect(() => d.editVolume('nope'))
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
  });

  it('refuses to commit an edit of a volume that changed meanwhile', () => {
    const d = doc();
    const a = d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } });
    const first = d.editVolume(a.id);
    const second = d.editVolume(a.id);
    first.draft(0).setPixel(0, 0, 1);
    second.draft(1).setPixel(1, 1, 1);
    first.commit();
    const now = d.getVolume(a.id)!.data;
    expect(() => second.commit())
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-argument');
    expect(d.getVolume(a.id)!.data).to.deep.equal(now);
  });

  it('a cancelled edit and a relabel keep the voxels shared', () => {
    const d = doc();
    const a = d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } });
    const edit = d.editVolume(a.id);
    edit.draft(0).setPixel(0, 0, 1);
    edit.cancel();
    expect(d.getSparseVolume(a.id)!.voxelCount()).to.equal(76);
    const b = d.update(a.id, { label: 'other' });
    expect(volumeOf(b)).to.equal(volumeOf(a));
    expect(b.slice).to.equal(3);
  });

  it('has a shape: bounds and hits on a slice, and moves by whole pixels', () => {
    const d = doc();
    const a = d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } }) as VolumeAnnotation;
    const s = SHAPES.volume;
    expect(s.bounds(a)).to.deep.equal([5, 30, 10, 33]);
    expect(s.bounds(a, 11)).to.deep.equal([69, 39, 70, 40]);
    expect(s.bounds(a, 0)).to.equal(null);
    expect(s.hit(a, 6.5, 31.2, 0)).to.equal(true);
    expect(s.hit(a, 6.5, 31.2, 0, 11)).to.equal(false);
    expect(s.hit(a, 69.5, 39.5, 0, 11)).to.equal(true);
    expect(s.preview(a, 7)).to.have.property('mask');
    const moved = d.update(a.id, s.translate(a, -2, 1)) as VolumeAnnotation;
    expect(s.bounds(moved, 5)).to.deep.equal([3, 31, 8, 34]);
    // The voxel on the bottom edge moved off the image, as a mask's pixels do.
    expect(s.bounds(moved, 11)).to.equal(null);
    d.undo();
    expect(d.getVolume(a.id)!.data).to.deep.equal(prediction().map((x) => (x ? 1 : 0)));
  });

  it('round-trips through the voxmark JSON exactly, as a sparse RLE per slice', () => {
    const d = doc();
    const a = d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } });
    d.add({ kind: 'mask', label: 'liver', slice: 2, mask: { data: new Uint8Array(W * H).fill(1, 0, 9) } });
    const json = JSON.parse(JSON.stringify(serializeDocument(d, { schema })));
    const mask = json.annotations[0].mask;
    expect(mask.depth).to.equal(D);
    expect(mask.slices.map((s: { z: number }) => s.z)).to.deep.equal([3, 4, 5, 6, 7, 11]);
    expect(mask.slices[0].bbox).to.deep.equal([5, 30, 5, 3]);
    const back = parseDocument(json);
    expect(back.getVolume(a.id)!.data).to.deep.equal(d.getVolume(a.id)!.data);
    expect(back.get(a.id)!.slice).to.equal(3);
    expect(JSON.parse(JSON.stringify(serializeDocument(back, { schema })))).to.deep.equal(json);
    expect(JSON.parse(JSON.stringify(d.toJSON())).annotations[0].mask).to.deep.equal(mask);
    // A corrupt slice is refused with the document error.
    json.annotations[0].mask.slices[0].z = 99;
    expect(() => parseDocument(json))
      .to.throw(VoxmarkError)
      .with.property('code', 'invalid-document');
  });

  it('is validated and counted once, and an empty volume is reported', () => {
    const d = doc();
    d.add({ kind: 'volume', label: 'liver', mask: { data: prediction() } });
    expect(validateDocument(d, schema, { depth: D })).to.deep.equal([]);
    const e = d.add({ kind: 'volume', label: 'liver', mask: { data: new Uint8Array(W * H * D) } });
    const problems = validateDocument(d, schema, { depth: D });
    expect(problems.map((p) => [p.code, p.annotationId])).to.deep.equal([['empty-mask', e.id]]);
    const noVolumes: LabelSchema = { version: 1, labels: [{ ...schema.labels[0]!, kinds: ['mask'] }] };
    expect(validateDocument(d, noVolumes).filter((p) => p.code === 'kind-not-allowed').length).to.equal(2);
  });
});
