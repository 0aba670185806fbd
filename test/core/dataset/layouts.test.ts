import { expect } from '@open-wc/testing';
import { decode as decodePng } from 'fast-png';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { deidentificationStatus } from '../../../src/core/dataset/deid-status.js';
import { exportDataset, exportDatasetBlob } from '../../../src/core/dataset/export.js';
import { maskOutlines, yoloLines } from '../../../src/core/dataset/yolo.js';
import { rasterizePolygon } from '../../../src/core/formats/rasterize.js';
import { loadImageStack } from '../../../src/core/load.js';
import { createImageStack } from '../../../src/core/image/stack.js';
import { phantomDicomSeries } from '../../../stories/data/phantom.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import { annotated, jsonOf, readNiftiGz, schema, series, text, unzip } from './fixtures.js';

describe('dataset layouts', () => {
  it('traces mask outlines that rasterize back to the same mask, one polygon per part', () => {
    const W = 20;
    const H = 14;
    const mask = new Uint8Array(W * H);
    // An L shape, a lone pixel, and a ring (its hole is not traced: the outline covers it).
    for (let y = 1; y < 8; y++) for (let x = 1; x < 4; x++) mask[y * W + x] = 1;
    for (let y = 5; y < 8; y++) for (let x = 4; x < 9; x++) mask[y * W + x] = 1;
    mask[2 * W + 12] = 1;
    for (let y = 9; y < 13; y++) for (let x = 12; x < 17; x++) mask[y * W + x] = y === 10 && x === 14 ? 0 : 1;
    const polys = maskOutlines(mask, W, H);
    expect(polys).to.have.length(3);
    expect(polys[2]).to.deep.equal([
      [12, 2],
      [13, 2],
      [13, 3],
      [12, 3],
    ]);
    const back = new Uint8Array(W * H);
    for (const p of polys) {
      const part = rasterizePolygon(p, W, H);
      for (let i = 0; i < part.length; i++) back[i]! |= part[i]!;
    }
    const filled = mask.slice();
    filled[10 * W + 14] = 1;
    expect([...back]).to.deep.equal([...filled]);
  });

  it('writes YOLO segmentation lines: box corners, polygon vertices, mask outlines, normalised', () => {
    const stack = series();
    const doc = annotated(stack);
    const [mask, box, poly] = doc.annotations;
    expect(yoloLines([mask!], schema, 16, 12, { segments: true })).to.deep.equal([
      '0 0.125 0.25 0.375 0.25 0.375 0.5 0.125 0.5',
    ]);
    expect(yoloLines([box!], schema, 16, 12, { segments: true })).to.deep.equal([
      '1 0.203125 0.208333 0.546875 0.208333 0.546875 0.541667 0.203125 0.541667',
    ]);
    expect(yoloLines([poly!], schema, 16, 12, { segments: true })).to.deep.equal([
      '0 0.0625 0.083333 0.5625 0.083333 0.5625 0.583333 0.0625 0.583333',
    ]);
  });

  it('burns boxes into label maps when asked, and counts their voxels', async () => {
    const stack = series();
    const files = await unzip(
      await exportDataset([{ stack, document: annotated(stack) }], {
        formats: ['nnunet'],
        schema,
        split: { ratios: [1, 0, 0] },
        rasterize: { boxes: true, polygons: false },
      }),
    );
    const label = await readNiftiGz(files.get('nnUNet_raw/Dataset001_voxmark/labelsTr/case_0000.nii.gz')!);
    const values = (z: number) => Array.from(label.data).slice(z * 192, (z + 1) * 192);
    expect(values(0).filter((v) => v === 1)).to.have.length(12); // the mask
    // Box x 3.25…8.75, y 2.5…6.5: pixel centres 4…8 × 3…6 (5 × 4), or by rounding its edges 3…8 × 3…6.
    expect(values(1).filter((v) => v === 2).length).to.be.within(20, 24);
    expect(values(2).every((v) => v === 0)).to.equal(true); // polygons left out
    const card = jsonOf(files.get('datacard.json')) as {
      counts: Record<string, { train: { voxels: number } }>;
    };
    expect(card.counts['lesion']!.train.voxels).to.equal(values(1).filter((v) => v === 2).length);
  });

  it('exports RGB as three nnU-Net channels and RGB PNGs', async () => {
    const W = 8;
    const H = 6;
    const frames = [0, 1].map((z) => {
      const f = new Uint8Array(W * H * 3);
      for (let i = 0; i < W * H; i++) [f[3 * i], f[3 * i + 1], f[3 * i + 2]] = [i, 100 + z, 200 - i];
      return f;
    });
    const stack = createImageStack({
      width: W,
      height: H,
      frames,
      dataType: 'uint8',
      samplesPerPixel: 3,
      format: 'tiff',
      metadata: { deidentified: true },
    });
    const document = new AnnotationDocument({ width: W, height: H, depth: 2 });
    document.add({ label: 'lesion', kind: 'box', slice: 1, box: { x: 1, y: 1, width: 2, height: 2 } });
    const files = await unzip(
      await exportDataset([{ stack, document }], {
        formats: ['nnunet', 'coco'],
        schema,
        split: { ratios: [1, 0, 0] },
      }),
    );
    const root = 'nnUNet_raw/Dataset001_voxmark';
    expect(jsonOf(files.get(`${root}/dataset.json`))['channel_names']).to.deep.equal({
      '0': 'R',
      '1': 'G',
      '2': 'B',
    });
    for (let ch = 0; ch < 3; ch++) {
      const v = await readNiftiGz(files.get(`${root}/imagesTr/case_0000_000${ch}.nii.gz`)!);
      expect(v.dims).to.deep.equal([W, H, 2]);
      expect(v.data[W * H + 5]).to.equal(frames[1]![3 * 5 + ch]);
    }
    const png = decodePng(files.get('coco/train/case_0000_0001.png')!);
    expect([png.width, png.height, png.channels, png.depth]).to.deep.equal([W, H, 3, 8]);
    expect([...png.data]).to.deep.equal([...frames[1]!]);
    const card = jsonOf(files.get('datacard.json')) as { cases: { deidentification: string }[] };
    expect(card.cases[0]!.deidentification).to.equal('deidentified-on-load');
  });

  it('writes images of annotated slices only when asked, and stratifies by label', async () => {
    const input = [1, 2, 3, 4].map((seed) => {
      const stack = series({ seed, depth: 4, patientId: `P${seed}` });
      return { stack, document: annotated(stack), schema };
    });
    const files = await unzip(
      await exportDataset(input, {
        formats: ['coco', 'yolo'],
        images: { slices: 'annotated' },
        split: { ratios: [0.5, 0.25, 0.25], seed: 3, stratifyBy: 'label' },
      }),
    );
    const pngs = [...files.keys()].filter((n) => n.startsWith('coco/') && n.endsWith('.png'));
    expect(pngs).to.have.length(12); // slices 0, 1, 2 of each series; slice 3 has nothing
    expect(pngs.some((n) => n.endsWith('_0003.png'))).to.equal(false);
    expect([...files.keys()].filter((n) => n.startsWith('yolo/labels/'))).to.have.length(12);
    const card = jsonOf(files.get('datacard.json')) as {
      split: { stratified: boolean; cases: Record<string, number> };
    };
    expect(card.split.stratified).to.equal(true);
    expect(card.split.cases).to.deep.equal({ train: 2, validation: 1, test: 1 });
  });

  it('writes the same bytes twice for the same items, seed and lastModified', async () => {
    const input = [1, 2, 3].map((seed) => {
      const stack = series({ seed, patientId: `P${seed}` });
      return { stack, document: annotated(stack), schema };
    });
    const options = {
      formats: ['nnunet', 'msd', 'coco', 'yolo', 'voxmark'] as const,
      split: { seed: 9 },
      lastModified: new Date('2026-03-01T12:00:00Z'),
    };
    const once = new Uint8Array(
      await (await exportDatasetBlob(input, { ...options, formats: [...options.formats] })).arrayBuffer(),
    );
    const twice = new Uint8Array(
      await (await exportDatasetBlob(input, { ...options, formats: [...options.formats] })).arrayBuffer(),
    );
    expect(twice.length).to.equal(once.length);
    expect(twice.every((b, i) => b === once[i])).to.equal(true);
  });

  it('knows real DICOM de-identified on load, and real DICOM that is not', async () => {
    const options = { size: 16, depth: 2 };
    const plain = await loadImageStack(phantomDicomSeries(options));
    expect(deidentificationStatus(plain)).to.equal('not-deidentified');
    const clean = await loadImageStack(phantomDicomSeries(options), { deidentify: true });
    expect(clean.metadata['patientIdentityRemoved']).to.equal('YES');
    expect(deidentificationStatus(clean)).to.equal('deidentified-on-load');
    const document = new AnnotationDocument({ width: 16, height: 16, depth: 2 });
    const refused = exportDataset([{ stack: plain, document, schema }], { formats: ['coco'] });
    expect((await voxmarkRejection(refused)).code).to.equal('not-deidentified');
    const files = await unzip(
      await exportDataset([{ stack: clean, document, schema }], {
        formats: ['coco'],
        split: { ratios: [1, 0, 0] },
      }),
    );
    expect(text(files.get('README.md'))).to.contain('deidentified-on-load');
    const card = jsonOf(files.get('datacard.json')) as { cases: { deidentificationMethod?: string }[] };
    expect(card.cases[0]!.deidentificationMethod).to.be.a('string').and.not.equal('');
  });
});
