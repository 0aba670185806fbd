/**
 * Lines and angles in the formats: COCO keypoints (read back exactly, and by pycocotools when installed),
 * voxmark JSON losslessly, and left out of DICOM SEG and NIfTI with a report of what was left out and why.
 */
import { expect } from '@open-wc/testing';
import { createAnnotationDocument } from '../../../src/core/annotation/document.js';
import { readCoco, toCoco } from '../../../src/core/formats/coco.js';
import type { SkippedAnnotation } from '../../../src/core/formats/common.js';
import { parseDocument, serializeDocument } from '../../../src/core/formats/document.js';
import { toNifti } from '../../../src/core/formats/nifti.js';
import { toDicomSeg } from '../../../src/core/formats/seg.js';
import type { LabelSchema } from '../../../src/core/schema/types.js';
import { checkWithTool } from '../../helpers/check-tool.js';
import { blobMask, testStack } from './helpers.js';

const schema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'liver', name: 'Liver', color: '#aa3300', kinds: ['box', 'polygon', 'mask'] },
    { id: 'axis', name: 'Long axis', color: '#ffcc00', kinds: ['line'] },
    { id: 'cobb', name: 'Cobb angle', color: '#00ccff', kinds: ['angle'] },
    { id: 'measure', name: 'Measure', color: '#ffffff', kinds: ['line', 'angle'] },
  ],
};
const W = 64;
const H = 48;
const stack = () => testStack({ width: W, height: H, depth: 3 });

function doc() {
  let n = 0;
  const d = createAnnotationDocument({ width: W, height: H, depth: 3, createId: () => `a${++n}` });
  d.add([
    { label: 'liver', kind: 'mask', slice: 0, mask: { data: blobMask(W, H, 5, 5, 20, 12) } },
    { label: 'liver', kind: 'box', slice: 1, box: { x: 2, y: 3, width: 10, height: 8 } },
    {
      label: 'liver',
      kind: 'polygon',
      slice: 1,
      points: [
        [20, 20],
        [30, 20],
        [25, 30],
      ],
    },
    {
      label: 'axis',
      kind: 'line',
      slice: 0,
      points: [
        [10.5, 12.25],
        [40, 30],
      ],
    },
    {
      label: 'cobb',
      kind: 'angle',
      slice: 2,
      points: [
        [5, 40],
        [20, 10],
        [50, 35.5],
      ],
    },
    {
      label: 'measure',
      kind: 'line',
      slice: 2,
      points: [
        [1, 1],
        [60, 1],
      ],
      attributes: { note: 'ruler' },
    },
    {
      label: 'measure',
      kind: 'angle',
      slice: 1,
      points: [
        [30, 40],
        [30, 5],
        [60, 5],
      ],
    },
  ]);
  return d;
}

describe('lines and angles in COCO', () => {
  it('write keypoints with their category: names, skeleton, num_keypoints, visibility 2', () => {
    const coco = toCoco(doc(), stack(), schema);
    const cat = (name: string) => coco.categories.find((c) => c.name === name)!;
    expect(cat('Liver')).to.not.have.property('keypoints');
    expect(cat('Long axis')).to.deep.include({ keypoints: ['start', 'end'], skeleton: [[1, 2]] });
    expect(cat('Cobb angle')).to.deep.include({
      keypoints: ['arm_end_1', 'vertex', 'arm_end_2'],
      skeleton: [
        [1, 2],
        [2, 3],
      ],
    });
    expect(cat('Measure').keypoints).to.deep.equal(['point_1', 'point_2', 'point_3']);
    const ann = (id: string) => coco.annotations.find((a) => a.voxmark_id === id)!;
    expect(ann('a4')).to.deep.include({
      category_id: 2,
      keypoints: [10.5, 12.25, 2, 40, 30, 2],
      num_keypoints: 2,
      bbox: [10.5, 12.25, 29.5, 17.75],
      area: 29.5 * 17.75,
      segmentation: [],
      iscrowd: 0,
      voxmark_kind: 'line',
    });
    expect(ann('a5')).to.deep.include({ keypoints: [5, 40, 2, 20, 10, 2, 50, 35.5, 2], num_keypoints: 3 });
    // A line in a category with three keypoints: the third is absent (0, 0, 0).
    expect(ann('a6')).to.deep.include({ keypoints: [1, 1, 2, 60, 1, 2, 0, 0, 0], num_keypoints: 2 });
    expect(ann('a6').attributes).to.deep.equal({ note: 'ruler' });
    for (const a of coco.annotations.filter((x) => x.keypoints))
      expect(a.keypoints!.length, a.voxmark_id).to.equal(
        3 * coco.categories[a.category_id - 1]!.keypoints!.length,
      );
  });

  it('read back as the same lines and angles, with their ids and attributes', () => {
    const d = doc();
    const { document: back, report } = readCoco(toCoco(d, stack(), schema), { schema, stack: stack() });
    expect(report.skipped).to.deep.equal([]);
    const pick = (a: { id: string; kind: string; label: string; slice: number; points?: unknown }) => [
      a.id,
      a.kind,
      a.label,
      a.slice,
      a.points,
    ];
    const measures = (x: typeof d) =>
      x.annotations.filter((a) => a.kind === 'line' || a.kind === 'angle').map(pick);
    expect(measures(back)).to.deep.equal(measures(d));
    expect(back.get('a6')!.attributes).to.deep.equal({ note: 'ruler' });
  });

  it('are read by pycocotools as keypoints that match themselves exactly (AP 1.0)', async function () {
    const coco = toCoco(doc(), stack(), schema);
    const report = await checkWithTool('pycocotools', new TextEncoder().encode(JSON.stringify(coco)));
    if (!report.available) this.skip(); // pycocotools is not installed here
    expect(report.exitCode, report.stderr).to.equal(0);
    const out = JSON.parse(report.stdout) as Record<
      string,
      { keypoints: string[]; annotations: number; ap: number }
    >;
    expect(out['Long axis']).to.deep.include({ keypoints: ['start', 'end'], annotations: 1 });
    expect(out['Cobb angle']!.annotations).to.equal(1);
    expect(out['Measure']!.annotations).to.equal(2);
    for (const name of ['Long axis', 'Cobb angle', 'Measure'])
      expect(out[name]!.ap, name).to.be.closeTo(1, 1e-9);
    expect(out).to.not.have.property('Liver');
  });
});

describe('lines and angles in voxmark JSON', () => {
  it('round-trip exactly', () => {
    const d = doc();
    const json = JSON.stringify(serializeDocument(d, { schema, stack: stack() }));
    const back = parseDocument(JSON.parse(json));
    expect(back.toJSON()).to.deep.equal(d.toJSON());
    expect(JSON.stringify(serializeDocument(back, { schema, stack: stack() }))).to.equal(json);
  });

  it('are refused with the wrong number of points', () => {
    const json = serializeDocument(doc(), { schema, stack: stack() });
    (json.annotations[3] as { points: number[][] }).points.push([1, 2]);
    expect(() => parseDocument(json)).to.throw(/annotations\/3\/points/);
  });
});

describe('what SEG and NIfTI leave out', () => {
  const codes = (list: SkippedAnnotation[]) => list.map((s) => `${s.id}:${s.kind}:${s.code}`);

  it('SEG reports lines and angles always, boxes and polygons without rasterize, and unknown labels', async () => {
    const d = doc();
    d.add({ id: 'x', label: 'spleen', kind: 'mask', slice: 0, mask: { data: blobMask(W, H, 1, 1, 4, 4) } });
    const skipped: SkippedAnnotation[] = [];
    await toDicomSeg(d, stack(), schema, { onSkip: (s) => skipped.push(s) });
    expect(codes(skipped)).to.deep.equal([
      'a2:box:needs-rasterize',
      'a3:polygon:needs-rasterize',
      'a4:line:not-a-region',
      'a5:angle:not-a-region',
      'a6:line:not-a-region',
      'a7:angle:not-a-region',
      'x:mask:unknown-label',
    ]);
    expect(skipped[2]).to.deep.include({ label: 'axis', slice: 0 });
    expect(skipped[2]!.reason).to.match(/measurement/);
    const rasterized: SkippedAnnotation[] = [];
    await toDicomSeg(d, stack(), schema, { rasterize: true, onSkip: (s) => rasterized.push(s) });
    expect(codes(rasterized)).to.deep.equal(codes(skipped).slice(2));
  });

  it('NIfTI reports the same, and writes the same bytes with or without the measurements', async () => {
    const d = doc();
    const skipped: SkippedAnnotation[] = [];
    const bytes = await toNifti(d, stack(), schema, { onSkip: (s) => skipped.push(s) });
    expect(codes(skipped)).to.deep.equal([
      'a2:box:needs-rasterize',
      'a3:polygon:needs-rasterize',
      'a4:line:not-a-region',
      'a5:angle:not-a-region',
      'a6:line:not-a-region',
      'a7:angle:not-a-region',
    ]);
    d.remove(['a4', 'a5', 'a6', 'a7']);
    const without = await toNifti(d, stack(), schema);
    expect(new Uint8Array(bytes)).to.deep.equal(new Uint8Array(without));
  });
});
