import { expect } from '@open-wc/testing';
import { decode as decodePng } from 'fast-png';
import type { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { rasterizePolygon } from '../../../src/core/formats/rasterize.js';
import { serializeDocument } from '../../../src/core/formats/document.js';
import { exportDataset, exportDatasetBlob } from '../../../src/core/dataset/export.js';
import type { DatasetItem, ExportDatasetOptions } from '../../../src/core/dataset/types.js';
import { greyOf } from '../../../src/core/image/voi.js';
import { checkWithTool } from '../../helpers/check-tool.js';
import { voxmarkRejection } from '../../helpers/rejection.js';
import {
  annotated,
  jsonOf,
  readNiftiGz,
  rectMask,
  schema,
  series,
  storedValue,
  text,
  unzip,
} from './fixtures.js';

/** Six series of four patients (two patients have two series each). */
function items(): DatasetItem[] {
  const patients = ['ANON-A', 'ANON-A', 'ANON-B', 'ANON-C', 'ANON-C', 'ANON-D'];
  return patients.map((patientId, i) => {
    const stack = series({ seed: i + 1, patientId });
    return { stack, document: annotated(stack, i % 3), schema };
  });
}

const base: Omit<ExportDatasetOptions, 'formats'> = {
  split: { ratios: [0.5, 0.25, 0.25], seed: 'fixed' },
  lastModified: new Date('2026-01-01T00:00:00Z'),
};

describe('exportDataset', () => {
  it('writes nnU-Net v2: every image has its label with the same shape and affine, stored values and rescale', async () => {
    const input = items();
    const files = await unzip(await exportDataset(input, { ...base, formats: ['nnunet'], name: 'Liver CT' }));
    const root = 'nnUNet_raw/Dataset001_Liver-CT';
    const dataset = jsonOf(files.get(`${root}/dataset.json`));
    expect(dataset['channel_names']).to.deep.equal({ '0': 'CT' });
    expect(dataset['labels']).to.deep.equal({ background: 0, Liver: 1, Lesion: 2 });
    expect(dataset['file_ending']).to.equal('.nii.gz');
    const images = [...files.keys()].filter((n) => /\/images(Tr|Ts)\/.*_0000\.nii\.gz$/.test(n));
    expect(images).to.have.length(6);
    expect(dataset['numTraining']).to.equal(images.filter((n) => n.includes('imagesTr')).length);
    for (const name of images) {
      const caseId = name
        .split('/')
        .pop()!
        .replace(/_0000\.nii\.gz$/, '');
      const labelName = name.replace('/images', '/labels').replace('_0000.nii.gz', '.nii.gz');
      expect(files.has(labelName), labelName).to.equal(true);
      const image = await readNiftiGz(files.get(name)!);
      const label = await readNiftiGz(files.get(labelName)!);
      expect(image.dims).to.deep.equal([16, 12, 3]);
      expect(label.dims).to.deep.equal(image.dims);
      expect(image.srow).to.deep.equal(label.srow);
      expect([image.sformCode, image.qformCode]).to.deep.equal([label.sformCode, label.qformCode]);
      expect(image.datatype).to.equal(4); // int16
      expect(image.bitpix).to.equal(16);
      expect([image.slope, image.intercept]).to.deep.equal([1, -1024]);
      // Case ids follow input order, so the seed of the series is its number.
      const seed = Number(caseId.replace('case_', '')) + 1;
      for (const [x, y, z] of [
        [0, 0, 0],
        [15, 11, 2],
        [7, 5, 1],
      ] as const)
        expect(image.data[z * 16 * 12 + y * 16 + x]).to.equal(storedValue(x, y, z, seed));
      // Mask on slice 0 → value 1; polygon on slice 2 → value 1; the box (slice 1) is not burned in by default.
      const shift = (seed - 1) % 3;
      const mask = rectMask(16, 12, 2 + shift, 3);
      const poly = rasterizePolygon(
        [
          [1, 1],
          [9, 1],
          [9, 7],
          [1, 7],
        ],
        16,
        12,
      );
      for (let i = 0; i < 16 * 12; i++) {
        expect(label.data[i]).to.equal(mask[i] ? 1 : 0);
        expect(label.data[16 * 12 + i]).to.equal(0);
        expect(label.data[2 * 16 * 12 + i]).to.equal(poly[i] ? 1 : 0);
      }
    }
    const folds = JSON.parse(text(files.get(`${root}/splits_final.json`))) as {
      train: string[];
      val: string[];
    }[];
    expect(folds).to.have.length(1);
    expect(folds[0]!.train.length + folds[0]!.val.length).to.equal(dataset['numTraining']);
  });

  it('splits by patient, reproducibly from the seed, with the leakage check in the data card', async () => {
    const layout = async (seed: string) => {
      const files = await unzip(
        await exportDataset(items(), { ...base, split: { ...base.split, seed }, formats: ['voxmark'] }),
      );
      return [...files.keys()].filter((n) => n.startsWith('voxmark/') && n !== 'voxmark/schema.json').sort();
    };
    const a = await layout('fixed');
    expect(await layout('fixed')).to.deep.equal(a);
    const patientOf = ['A', 'A', 'B', 'C', 'C', 'D'];
    const splitOf = new Map(a.map((n) => [Number(n.match(/case_(\d+)/)![1]), n.split('/')[1]]));
    expect(splitOf.size).to.equal(6);
    for (const p of new Set(patientOf)) {
      const sets = new Set(patientOf.flatMap((q, i) => (q === p ? [splitOf.get(i)] : [])));
      expect(sets.size, `patient ${p}`).to.equal(1);
    }
    const files = await unzip(await exportDataset(items(), { ...base, formats: ['voxmark'] }));
    const card = jsonOf(files.get('datacard.json'));
    expect(card['leakage']).to.deep.equal({ checked: true, patientsInSeveralSplits: 0 });
    const split = card['split'] as Record<string, Record<string, number>>;
    expect(split['seed']).to.equal('fixed');
    expect(Object.values(split['patients']!).reduce((s, n) => s + n, 0)).to.equal(4);
    expect(Object.values(split['cases']!).reduce((s, n) => s + n, 0)).to.equal(6);
  });

  it('writes COCO per split with every file_name beside it, at the stated size, png16 exact and png8 windowed', async () => {
    for (const mode of ['png16', 'png8-window'] as const) {
      const files = await unzip(
        await exportDataset(items(), { ...base, formats: ['coco'], images: { coco: mode } }),
      );
      const jsons = [...files.keys()].filter((n) => n.endsWith('annotations.json'));
      expect(jsons.length).to.be.greaterThan(1);
      let checked = 0;
      for (const name of jsons) {
        const dir = name.slice(0, name.lastIndexOf('/') + 1);
        const coco = jsonOf(files.get(name)) as unknown as {
          images: {
            id: number;
            file_name: string;
            width: number;
            height: number;
            voxmark_slice: number;
            voxmark_case: string;
            voxmark_rescale?: { slope: number; intercept: number };
          }[];
          annotations: { image_id: number; category_id: number; bbox: number[] }[];
          categories: { id: number; name: string }[];
        };
        expect(coco.categories.map((c) => c.name)).to.deep.equal(['Liver', 'Lesion']);
        expect(new Set(coco.images.map((i) => i.id)).size).to.equal(coco.images.length);
        for (const a of coco.annotations) expect(coco.images.some((i) => i.id === a.image_id)).to.equal(true);
        for (const img of coco.images) {
          const bytes = files.get(dir + img.file_name);
          expect(bytes, dir + img.file_name).to.not.equal(undefined);
          const png = decodePng(bytes!);
          expect([png.width, png.height]).to.deep.equal([img.width, img.height]);
          const bitmap = await createImageBitmap(
            new Blob([bytes! as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
          );
          expect([bitmap.width, bitmap.height]).to.deep.equal([16, 12]);
          const seed = Number(img.voxmark_case.replace('case_', '')) + 1;
          const z = img.voxmark_slice;
          for (let i = 0; i < 16 * 12; i++) {
            const stored = storedValue(i % 16, Math.floor(i / 16), z, seed);
            if (mode === 'png16') {
              expect(png.depth).to.equal(16);
              const r = img.voxmark_rescale!;
              expect(png.data[i]! * r.slope + r.intercept).to.equal(stored - 1024);
            } else {
              expect(png.depth).to.equal(8);
              const grey = greyOf(stored, {
                center: 40,
                width: 400,
                fn: 'LINEAR',
                invert: false,
                slope: 1,
                intercept: -1024,
              });
              expect(png.data[i]).to.equal(grey);
            }
          }
          checked++;
        }
      }
      expect(checked).to.equal(18); // every slice of six series
    }
  });

  it('writes YOLO boxes that reproduce the document within half a pixel, and data.yaml', async () => {
    const input = items();
    const files = await unzip(await exportDataset(input, { ...base, formats: ['yolo'] }));
    const yaml = text(files.get('yolo/data.yaml'));
    expect(yaml).to.match(/^train: images\/train$/m);
    expect(yaml).to.match(/^val: images\/val$/m);
    expect(yaml).to.match(/^nc: 2$/m);
    expect(yaml).to.match(/^ {2}0: "Liver"$/m);
    expect(yaml).to.match(/^ {2}1: "Lesion"$/m);
    let boxes = 0;
    for (const [name, bytes] of files) {
      const m = name.match(/^yolo\/labels\/(train|val|test)\/case_(\d+)_(\d+)\.txt$/);
      if (!m) continue;
      expect(files.has(name.replace('/labels/', '/images/').replace(/\.txt$/, '.png'))).to.equal(true);
      const doc = input[Number(m[2])]!.document;
      const slice = Number(m[3]);
      const expected = doc.annotations.filter((a) => a.slice === slice);
      const lines = text(bytes).split('\n').filter(Boolean);
      expect(lines).to.have.length(expected.length);
      lines.forEach((line, k) => {
        const [cls, cx, cy, w, h] = line.split(' ').map(Number) as [number, number, number, number, number];
        const a = expected[k]!;
        expect(cls).to.equal(a.label === 'liver' ? 0 : 1);
        const [x0, y0, x1, y1] =
          a.kind === 'box'
            ? [a.box!.x, a.box!.y, a.box!.x + a.box!.width, a.box!.y + a.box!.height]
            : a.kind === 'mask'
              ? [
                  a.mask!.bbox[0],
                  a.mask!.bbox[1],
                  a.mask!.bbox[0] + a.mask!.bbox[2],
                  a.mask!.bbox[1] + a.mask!.bbox[3],
                ]
              : [1, 1, 9, 7];
        expect(Math.abs((cx - w / 2) * 16 - x0)).to.be.at.most(0.5);
        expect(Math.abs((cx + w / 2) * 16 - x1)).to.be.at.most(0.5);
        expect(Math.abs((cy - h / 2) * 12 - y0)).to.be.at.most(0.5);
        expect(Math.abs((cy + h / 2) * 12 - y1)).to.be.at.most(0.5);
        boxes++;
      });
    }
    expect(boxes).to.equal(18);
  });

  it('writes the MSD dataset.json lists, and the data card counts, problems and de-identification', async () => {
    const input = items();
    // A lesion box without its required grade: reported, exported anyway.
    (input[0]!.document as AnnotationDocument).add({
      label: 'lesion',
      kind: 'box',
      slice: 2,
      box: { x: 1, y: 1, width: 2, height: 2 },
    });
    const files = await unzip(
      await exportDataset(input, { ...base, formats: ['msd'], datasetId: 7, name: 'liver' }),
    );
    const root = 'msd/Task07_liver';
    const dataset = jsonOf(files.get(`${root}/dataset.json`)) as Record<string, unknown> & {
      training: { image: string; label: string }[];
      validation: { image: string; label: string }[];
      test: string[];
    };
    expect(dataset['modality']).to.deep.equal({ '0': 'CT' });
    expect(dataset['labels']).to.deep.equal({ '0': 'background', '1': 'Liver', '2': 'Lesion' });
    expect(dataset.training.length + dataset.validation.length + dataset.test.length).to.equal(6);
    expect(dataset['numTraining']).to.equal(dataset.training.length);
    for (const e of [...dataset.training, ...dataset.validation]) {
      expect(files.has(`${root}/${e.image.slice(2)}`), e.image).to.equal(true);
      expect(files.has(`${root}/${e.label.slice(2)}`), e.label).to.equal(true);
    }
    for (const t of dataset.test) expect(files.has(`${root}/${t.slice(2)}`)).to.equal(true);

    const card = jsonOf(files.get('datacard.json')) as Record<string, unknown> & {
      counts: Record<
        string,
        Record<string, { instances: number; slices: number; pixels: number; voxels: number }>
      >;
      cases: { caseId: string; deidentification: string }[];
      problems: { caseId: string; code: string }[];
      schema: { version: number };
      generator: { version: string };
    };
    const sum = (label: string, key: 'instances' | 'slices' | 'pixels' | 'voxels') =>
      Object.values(card.counts[label]!).reduce((s, c) => s + c[key], 0);
    expect(sum('liver', 'instances')).to.equal(12);
    expect(sum('lesion', 'instances')).to.equal(7);
    expect(sum('liver', 'slices')).to.equal(12);
    expect(sum('liver', 'voxels')).to.equal(6 * (12 + 48)); // 4×3 mask + the 8×6 polygon per series
    expect(sum('lesion', 'voxels')).to.equal(0); // boxes are not burned in by default
    expect(card.problems).to.have.length(1);
    expect(card.problems[0]).to.include({ caseId: 'case_0000', code: 'missing-attribute' });
    expect(card.cases.map((c) => c.deidentification)).to.deep.equal(
      Array(6).fill('patient-identity-removed'),
    );
    expect(card.schema.version).to.equal(1);
    expect(card.generator.version).to.be.a('string');
    const readme = text(files.get('README.md'));
    expect(readme).to.contain('no patient in two splits');
    expect(readme).to.contain('missing');
  });

  it('refuses stacks that are not de-identified, naming the first, unless allowIdentified', async () => {
    const input = items();
    input[3] = { ...input[3]!, stack: series({ seed: 4, metadata: { patientIdentityRemoved: 'NO' } }) };
    input[4] = { ...input[4]!, stack: series({ seed: 5, metadata: { patientIdentityRemoved: undefined } }) };
    const before = input.map((i) =>
      JSON.stringify(serializeDocument(i.document, { schema, stack: i.stack })),
    );
    const error = await voxmarkRejection(exportDataset(input, { ...base, formats: ['nnunet'] }));
    expect(error.code).to.equal('not-deidentified');
    expect(error.message).to.contain('Item 4 (case_0003)');
    const after = input.map((i) => JSON.stringify(serializeDocument(i.document, { schema, stack: i.stack })));
    expect(after).to.deep.equal(before);
    const files = await unzip(
      await exportDatasetBlob(input, { ...base, formats: ['voxmark'], allowIdentified: true }),
    );
    const card = jsonOf(files.get('datacard.json')) as {
      cases: { caseId: string; deidentification: string }[];
    };
    expect(card.cases.find((c) => c.caseId === 'case_0003')!.deidentification).to.equal('not-deidentified');
  });

  it('accepts an async iterable, and an aborted export errors the stream and leaves the documents untouched', async () => {
    const input = items();
    const before = input.map((i) =>
      JSON.stringify(serializeDocument(i.document, { schema, stack: i.stack })),
    );
    const controller = new AbortController();
    async function* gen() {
      yield* input;
    }
    const stream = await exportDataset(gen(), {
      ...base,
      formats: ['nnunet', 'coco'],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'series' && p.done === 2) controller.abort();
      },
    });
    const reader = stream.getReader();
    const readAll = async () => {
      while (!(await reader.read()).done);
    };
    expect((await voxmarkRejection(readAll())).code).to.equal('aborted');
    const after = input.map((i) => JSON.stringify(serializeDocument(i.document, { schema, stack: i.stack })));
    expect(after).to.deep.equal(before);
    const aborted = new AbortController();
    aborted.abort();
    const blob = exportDatasetBlob(input, { ...base, formats: ['coco'], signal: aborted.signal });
    expect((await voxmarkRejection(blob)).code).to.equal('aborted');
  });

  it('rejects bad options with invalid-argument', async () => {
    for (const options of [{ formats: [] }, { formats: ['pascal'] }] as unknown as ExportDatasetOptions[]) {
      expect((await voxmarkRejection(exportDataset(items(), options))).code).to.equal('invalid-argument');
    }
  });

  it('writes NIfTI volumes nibabel reads back with the right voxel values and affines', async function () {
    const input = items().slice(0, 1);
    const files = await unzip(
      await exportDataset(input, { ...base, formats: ['nnunet'], split: { ratios: [1, 0, 0] } }),
    );
    const root = 'nnUNet_raw/Dataset001_voxmark';
    const image = files.get(`${root}/imagesTr/case_0000_0000.nii.gz`)!;
    const label = files.get(`${root}/labelsTr/case_0000.nii.gz`)!;
    const img = await checkWithTool('nibabel', image);
    if (!img.available) {
      this.skip(); // python3-nibabel is not installed here
      return;
    }
    const lab = await checkWithTool('nibabel', label);
    const a = JSON.parse(img.stdout) as {
      shape: number[];
      dtype: string;
      affine: number[][];
      sum: number;
      scl_slope: number;
      scl_inter: number;
    };
    const b = JSON.parse(lab.stdout) as {
      shape: number[];
      affine: number[][];
      values: Record<string, number>;
    };
    expect(a.shape).to.deep.equal([16, 12, 3]);
    expect(b.shape).to.deep.equal(a.shape);
    expect(a.dtype).to.equal('int16');
    // nibabel moves the scaling into its data object (the header reads NaN): the sum below checks it.
    expect(a.affine).to.deep.equal(b.affine);
    // DICOM LPS → RAS: x and y negated; spacing 0.75, 0.8, 2.5 mm; origin (−100, −80, 20).
    const ras = [
      [-0.75, 0, 0, 100],
      [0, -0.8, 0, 80],
      [0, 0, 2.5, 20],
      [0, 0, 0, 1],
    ];
    ras.forEach((row, r) => row.forEach((v, c) => expect(a.affine[r]![c]).to.be.closeTo(v, 1e-5)));
    let expected = 0;
    for (let z = 0; z < 3; z++)
      for (let y = 0; y < 12; y++) for (let x = 0; x < 16; x++) expected += storedValue(x, y, z, 1) - 1024;
    expect(a.sum).to.equal(expected);
    expect(b.values).to.deep.equal({ '0': 16 * 12 * 3 - 60, '1': 60 });
  });
});
