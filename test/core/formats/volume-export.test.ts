/**
 * A volume annotation exports with the same voxels as the equivalent per-slice masks: COCO (one annotation
 * per painted slice, regrouped by `track_id` and `attributes.instance_id`), DICOM SEG (the instance's frames
 * under its label's segment, checked by dciodvfy and pydicom) and NIfTI (read back by nibabel).
 */
import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { toCoco } from '../../../src/core/formats/coco.js';
import { toNifti } from '../../../src/core/formats/nifti.js';
import { fromDicomSeg, toDicomSeg } from '../../../src/core/formats/seg.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import { checkWithTool, dicom3toolsErrors } from '../../helpers/check-tool.js';
import { exportDataset } from '../../../src/core/dataset/export.js';
import { jsonOf, readNiftiGz, series, unzip } from '../dataset/fixtures.js';
import { blobMask, testStack } from './helpers.js';

const W = 48;
const H = 40;
const D = 9;
const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#aa5500', kinds: ['volume', 'mask'] },
    { id: 'lesion', name: 'Lesion', color: '#ff0000', kinds: ['mask'] },
  ],
};
const stack = testStack({ width: W, height: H, depth: D });

/** Known voxels: blobs on slices 2, 3, 4 and 7 (slices 0, 1, 5, 6 and 8 empty). */
function slicesOfLiver(): Map<number, Uint8Array> {
  return new Map([2, 3, 4, 7].map((z) => [z, blobMask(W, H, 5 + z, 4 + z, 20, 14, z)] as const));
}

/** The same liver as one volume annotation, and as one mask annotation per slice; plus a lesion mask. */
function documents(): { volume: AnnotationDocument; perSlice: AnnotationDocument; volumeId: string } {
  const data = new Uint8Array(W * H * D);
  for (const [z, m] of slicesOfLiver()) data.set(m, z * W * H);
  const lesion = blobMask(W, H, 30, 20, 10, 8, 4);
  const volume = new AnnotationDocument({ width: W, height: H, depth: D });
  const v = volume.add({ kind: 'volume', label: 'liver', mask: { data }, attributes: { reviewed: true } });
  volume.add({ kind: 'mask', label: 'lesion', slice: 3, mask: { data: lesion } });
  const perSlice = new AnnotationDocument({ width: W, height: H, depth: D });
  for (const [z, m] of slicesOfLiver())
    perSlice.add({ kind: 'mask', label: 'liver', slice: z, mask: { data: m } });
  perSlice.add({ kind: 'mask', label: 'lesion', slice: 3, mask: { data: lesion } });
  return { volume, perSlice, volumeId: v.id };
}

describe('volume annotation export', () => {
  it('writes COCO: one annotation per painted slice, with the instance id as track_id', () => {
    const { volume, perSlice, volumeId } = documents();
    const a = toCoco(volume, stack, schema).annotations;
    const b = toCoco(perSlice, stack, schema).annotations;
    const liver = a.filter((x) => x.category_id === 1);
    expect(liver.map((x) => x.image_id)).to.deep.equal([3, 4, 5, 8]);
    for (const x of liver) {
      expect(x.track_id).to.equal(volumeId);
      expect(x.attributes).to.deep.equal({ reviewed: true, instance_id: volumeId });
      expect(x.voxmark_id).to.equal(volumeId);
    }
    const geometry = (list: typeof a) =>
      list
        .map((x) => ({
          image: x.image_id,
          category: x.category_id,
          bbox: x.bbox,
          area: x.area,
          seg: x.segmentation,
        }))
        .sort((p, q) => p.image - q.image || p.category - q.category);
    expect(geometry(a)).to.deep.equal(geometry(b));
    expect(a.find((x) => x.category_id === 2)!.track_id).to.equal(undefined);
  });

  it('writes DICOM SEG frames under the label segment, as the per-slice masks do', async function () {
    this.timeout(30_000);
    const { volume, perSlice } = documents();
    const segA = new Uint8Array(await toDicomSeg(volume, stack, schema));
    const segB = new Uint8Array(await toDicomSeg(perSlice, stack, schema));
    const frames = async (bytes: Uint8Array) =>
      (await fromDicomSeg(bytes)).frames.map((f) => ({
        segment: f.segment,
        source: f.sopInstanceUID,
        data: Array.from(f.data).join(''),
      }));
    const fa = await frames(segA);
    expect(fa).to.deep.equal(await frames(segB));
    // Four liver frames (segment 1) and the lesion's (segment 2).
    expect(fa.map((f) => f.segment)).to.deep.equal([1, 1, 1, 1, 2]);
    expect(fa[0]!.data).to.equal(Array.from(slicesOfLiver().get(2)!).join(''));
    expect(fa[0]!.source).to.equal(stack.slices[2]!.sopInstanceUID);
    const iod = await checkWithTool('dciodvfy', segA);
    if (iod.available) expect(dicom3toolsErrors(iod), iod.stderr).to.deep.equal([]);
    const py = await checkWithTool('pydicom', segA);
    if (!iod.available && !py.available) this.skip(); // neither dicom3tools nor pydicom is installed here
    if (py.available) {
      expect(py.exitCode, py.stderr).to.equal(0);
      const out = JSON.parse(py.stdout) as Record<string, unknown>;
      expect(out['Modality']).to.equal('SEG');
      expect(out['_frames']).to.equal(5);
      expect(out['_pixels']).to.equal(Math.ceil((5 * W * H) / 8));
    }
  });

  it('writes the voxels into NIfTI, read back by nibabel', async function () {
    this.timeout(30_000);
    const { volume, perSlice } = documents();
    const a = new Uint8Array(await toNifti(volume, stack, schema));
    const b = new Uint8Array(await toNifti(perSlice, stack, schema));
    expect(a).to.deep.equal(b);
    const view = new DataView(a.buffer);
    const offset = view.getFloat32(108, true);
    const liver = slicesOfLiver();
    let inside = 0;
    for (const [z, m] of liver)
      m.forEach((v, i) => {
        if (v) {
          inside++;
          if (a[offset + z * W * H + i] === 0) throw new Error(`voxel ${i} of slice ${z} is missing`);
        }
      });
    const report = await checkWithTool('nibabel', a);
    if (!report.available) this.skip(); // nibabel is not installed here
    expect(report.exitCode, report.stderr).to.equal(0);
    const out = JSON.parse(report.stdout) as { shape: number[]; values: Record<string, number> };
    expect(out.shape).to.deep.equal([W, H, D]);
    // The lesion (slice 3) does not overlap the liver: nibabel sees every liver voxel as 1.
    expect(out.values['1']).to.equal(inside);
    expect(out.values['2']).to.equal(blobMask(W, H, 30, 20, 10, 8, 4).filter((v) => v).length);
  });

  it('writes its voxels into the dataset export label maps and COCO', async function () {
    this.timeout(30_000);
    const small = series({ width: 16, height: 12, depth: 4 });
    const data = new Uint8Array(16 * 12 * 4);
    for (const z of [1, 3]) for (let x = 2; x < 9; x++) data[z * 16 * 12 + (4 + z) * 16 + x] = 1;
    const vol = new AnnotationDocument({ width: 16, height: 12, depth: 4 });
    vol.add({ kind: 'volume', label: 'liver', mask: { data }, id: 'organ' });
    const flat = new AnnotationDocument({ width: 16, height: 12, depth: 4 });
    for (const z of [1, 3])
      flat.add({
        kind: 'mask',
        label: 'liver',
        slice: z,
        mask: { data: data.slice(z * 192, (z + 1) * 192) },
      });
    const options = {
      formats: ['nnunet', 'coco'] as const,
      split: { ratios: [1, 0, 0] as [number, number, number], seed: 'fixed' },
      lastModified: new Date('2026-01-01T00:00:00Z'),
    };
    const exported = async (document: AnnotationDocument) =>
      unzip(
        await exportDataset([{ stack: small, document, schema }], {
          ...options,
          formats: [...options.formats],
        }),
      );
    const [a, b] = [await exported(vol), await exported(flat)];
    const labelName = [...a.keys()].find((n) => /labelsTr\/.*\.nii\.gz$/.test(n))!;
    const la = await readNiftiGz(a.get(labelName)!);
    const lb = await readNiftiGz(b.get(labelName)!);
    expect(Array.from(la.data)).to.deep.equal(Array.from(lb.data));
    expect(Array.from(la.data).filter((v) => v === 1).length).to.equal(14);
    expect(la.data[3 * 192 + 7 * 16 + 2]).to.equal(1);
    const cocoName = [...a.keys()].find((n) => n.endsWith('.json') && n.includes('coco'))!;
    const coco = jsonOf(a.get(cocoName)) as { annotations: { track_id?: string }[] };
    expect(coco.annotations.map((x) => x.track_id)).to.deep.equal(['organ', 'organ']);
  });
});
