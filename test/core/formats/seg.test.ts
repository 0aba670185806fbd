import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { fromDicomSeg, rgbToDicomLab, toDicomSeg } from '../../../src/core/formats/seg.js';
import { parseDicomBytes } from '../../../src/core/image/dicom/parse.js';
import type { DataSet } from '../../../src/core/dicom/dicom-parser.js';
import { loadImageStack } from '../../../src/core/load.js';
import type { ImageStack } from '../../../src/core/image/types.js';
import { corpusBytes } from '../../helpers/corpus.js';
import { hierarchical } from '../schema/fixtures.js';
import { blobMask, testStack } from './helpers.js';

// Segmentation IOD (PS3.3 A.51): type 1 attributes must be present with a value, type 2 present (may be empty).
const TOP_TYPE1 = [
  'x00080016', // SOP Class UID
  'x00080018', // SOP Instance UID
  'x00080008', // Image Type
  'x00080060', // Modality = SEG
  'x00080070', // Manufacturer (Enhanced General Equipment: type 1)
  'x00081090', // Manufacturer's Model Name
  'x00181000', // Device Serial Number
  'x00181020', // Software Versions
  'x0020000d', // Study Instance UID
  'x0020000e', // Series Instance UID
  'x00200011', // Series Number (Segmentation Series: type 1)
  'x00200013', // Instance Number
  'x00080023', // Content Date
  'x00080033', // Content Time
  'x00200052', // Frame of Reference UID
  'x00209221', // Dimension Organization Sequence
  'x00209222', // Dimension Index Sequence
  'x00280002', // Samples per Pixel
  'x00280004', // Photometric Interpretation
  'x00280008', // Number of Frames
  'x00280010', // Rows
  'x00280011', // Columns
  'x00280100', // Bits Allocated
  'x00280101', // Bits Stored
  'x00280102', // High Bit
  'x00280103', // Pixel Representation
  'x00282110', // Lossy Image Compression
  'x00620001', // Segmentation Type
  'x00620002', // Segment Sequence
  'x00700080', // Content Label
  'x52009229', // Shared Functional Groups Sequence
  'x52009230', // Per-frame Functional Groups Sequence
  'x7fe00010', // Pixel Data
  'x00081115', // Referenced Series Sequence (Common Instance Reference)
];
const TOP_TYPE2 = [
  'x00100010', // Patient's Name
  'x00100020', // Patient ID
  'x00100030', // Patient's Birth Date
  'x00100040', // Patient's Sex
  'x00080020', // Study Date
  'x00080030', // Study Time
  'x00080090', // Referring Physician's Name
  'x00200010', // Study ID
  'x00080050', // Accession Number
  'x00201040', // Position Reference Indicator
  'x00700081', // Content Description
  'x00700084', // Content Creator's Name
];

function seq(ds: DataSet | undefined, t: string): DataSet[] {
  return (ds?.elements[t]?.items ?? []).map((i) => i.dataSet!);
}

/** Every missing or empty required attribute of a binary SEG, as readable strings. */
function segIodProblems(ds: DataSet): string[] {
  const problems: string[] = [];
  const has1 = (d: DataSet | undefined, t: string, where: string) => {
    const e = d?.elements[t];
    if (!e || (e.length === 0 && !e.items?.length)) problems.push(`${where} ${t} (type 1) missing or empty`);
  };
  for (const t of TOP_TYPE1) has1(ds, t, '/');
  for (const t of TOP_TYPE2) if (!ds.elements[t]) problems.push(`/ ${t} (type 2) missing`);
  if (ds.string('x00080016') !== '1.2.840.10008.5.1.4.1.1.66.4') problems.push('wrong SOP class');
  if (ds.string('x00080060') !== 'SEG') problems.push('modality is not SEG');
  if (ds.uint16('x00280100') !== 1 || ds.uint16('x00280101') !== 1 || ds.uint16('x00280102') !== 0)
    problems.push('not 1-bit');
  if (ds.string('x00280004') !== 'MONOCHROME2') problems.push('photometric');
  seq(ds, 'x00620002').forEach((s, i) => {
    for (const t of ['x00620004', 'x00620005', 'x00620008', 'x00620003', 'x0062000f'])
      has1(s, t, `segment ${i}`);
    for (const c of [...seq(s, 'x00620003'), ...seq(s, 'x0062000f')])
      for (const t of ['x00080100', 'x00080102', 'x00080104']) has1(c, t, `segment ${i} code`);
  });
  const shared = seq(ds, 'x52009229')[0];
  has1(seq(shared, 'x00289110')[0], 'x00280030', 'shared PixelMeasures');
  has1(seq(shared, 'x00209116')[0], 'x00200037', 'shared PlaneOrientation');
  const perFrame = seq(ds, 'x52009230');
  if (perFrame.length !== Number(ds.string('x00280008'))) problems.push('per-frame items ≠ frames');
  perFrame.forEach((f, i) => {
    has1(seq(f, 'x00209111')[0], 'x00209157', `frame ${i} FrameContent`);
    has1(seq(f, 'x0062000a')[0], 'x0062000b', `frame ${i} SegmentIdentification`);
    has1(seq(f, 'x00209113')[0], 'x00200032', `frame ${i} PlanePosition`);
    const src = seq(seq(f, 'x00089124')[0], 'x00082112')[0];
    has1(src, 'x00081150', `frame ${i} SourceImage`);
    has1(src, 'x00081155', `frame ${i} SourceImage`);
    has1(seq(f, 'x00089124')[0], 'x00089215', `frame ${i} DerivationCode`);
  });
  return problems;
}

async function parse(buffer: ArrayBuffer) {
  return (await parseDicomBytes(new Uint8Array(buffer))).dataSet;
}

/** The union mask per (label, slice) of a document. */
function masksOf(doc: AnnotationDocument): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of doc.annotations) {
    const key = `${a.label}@${a.slice}`;
    const m = doc.getMask(a.id)!.data;
    const cur = out.get(key) ?? new Array<number>(m.length).fill(0);
    m.forEach((v, i) => v && (cur[i] = 1));
    out.set(key, cur);
  }
  return out;
}

describe('DICOM SEG', () => {
  it('reads the corpus SEG written by another tool, matching its ground truth pixels', async () => {
    const seg = await fromDicomSeg(await corpusBytes('dicom/liver_1frame.dcm'));
    expect([seg.rows, seg.columns, seg.frames.length, seg.segmentationType]).to.deep.equal([
      512,
      512,
      1,
      'BINARY',
    ]);
    expect(seg.segments.length).to.be.greaterThan(0);
    expect(seg.segments[0]!.label).to.be.a('string').and.not.equal('');
    const r = await fetch('/corpus/expected/liver_1frame.dcm.f0.raw');
    const truth = new Uint8Array(await r.arrayBuffer());
    expect(truth.length).to.equal(512 * 512);
    expect(seg.frames[0]!.data.every((v, i) => v === truth[i])).to.equal(true);
  });

  it('writes a synthetic multi-slice series and reads it back identically, with every required attribute', async () => {
    const W = 13; // odd sizes: frames are not byte aligned in the packed pixel data
    const H = 7;
    const stack = testStack({ width: W, height: H, depth: 4 });
    const doc = new AnnotationDocument({ width: W, height: H, depth: 4 });
    doc.add({
      label: 'tumour',
      kind: 'mask',
      slice: 0,
      mask: { data: blobMask(W, H, 1, 1, 5, 4) },
      attributes: { grade: 'G1' },
    });
    doc.add({ label: 'tumour', kind: 'mask', slice: 2, mask: { data: blobMask(W, H, 4, 0, 9, 7, 2) } });
    doc.add({ label: 'lesion', kind: 'mask', slice: 2, mask: { data: blobMask(W, H, 0, 2, 6, 5, 3) } });
    doc.add({ label: 'lesion', kind: 'mask', slice: 3, mask: { data: blobMask(W, H, 0, 0, W, H, 4) } });
    const before = JSON.stringify(doc.toJSON());
    const bytes = await toDicomSeg(doc, stack, hierarchical);
    expect(JSON.stringify(doc.toJSON())).to.equal(before);

    const ds = await parse(bytes);
    expect(segIodProblems(ds)).to.deep.equal([]);
    expect(ds.string('x00280008')).to.equal('4');
    expect(ds.string('x0020000d')).to.equal(stack.metadata['studyInstanceUID']);
    expect(ds.string('x00200052')).to.equal(stack.metadata['frameOfReferenceUID']);
    const segs = seq(ds, 'x00620002');
    expect(segs.map((s) => s.string('x00620005'))).to.deep.equal(['Lesion', 'Tumour']);
    // Tumour declares its own codes; Lesion falls back to the default.
    const tumourType = seq(segs[1], 'x0062000f')[0]!;
    expect([tumourType.string('x00080100'), tumourType.string('x00080102')]).to.deep.equal([
      '108369006',
      'SCT',
    ]);
    const frame0 = seq(ds, 'x52009230')[0]!;
    const src = seq(seq(frame0, 'x00089124')[0], 'x00082112')[0]!;
    expect(src.string('x00081155')).to.equal(stack.slices[2]!.sopInstanceUID);
    expect(seq(frame0, 'x00209113')[0]!.string('x00200032')!.split('\\').map(Number)).to.deep.equal(
      stack.slices[2]!.position,
    );

    const back = await fromDicomSeg(bytes, { stack, schema: hierarchical });
    expect(back.report).to.deep.equal({ unmappedSegments: [], unmappedFrames: [], imported: 4 });
    expect(masksOf(back.document!)).to.deep.equal(masksOf(doc));
  });

  it('writes a SEG on the corpus CT and reads it back onto the same slice', async () => {
    const stack: ImageStack = await loadImageStack(await corpusBytes('dicom/CT_small.dcm'));
    const doc = new AnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
    doc.add({
      label: 'tumour',
      kind: 'mask',
      slice: 0,
      mask: { data: blobMask(stack.width, stack.height, 30, 40, 50, 33) },
    });
    doc.add({ label: 'organ', kind: 'box', slice: 0, box: { x: 5, y: 6, width: 10, height: 12 } });
    const bytes = await toDicomSeg(doc, stack, hierarchical, { rasterize: true, seriesDescription: 'test' });
    const ds = await parse(bytes);
    expect(segIodProblems(ds)).to.deep.equal([]);
    const back = await fromDicomSeg(bytes, { stack, schema: hierarchical });
    expect(back.frames.map((f) => f.sopInstanceUID)).to.deep.equal([
      stack.slices[0]!.sopInstanceUID,
      stack.slices[0]!.sopInstanceUID,
    ]);
    const masks = masksOf(back.document!);
    expect(masks.get('tumour@0')).to.deep.equal(
      Array.from(blobMask(stack.width, stack.height, 30, 40, 50, 33)),
    );
    expect(masks.get('organ@0')!.reduce((s, v) => s + v, 0)).to.equal(120);
  });

  it('references frames of a multi-frame source and maps them back by frame number', async () => {
    const W = 10;
    const H = 9;
    const base = testStack({ width: W, height: H, depth: 3 });
    const stack: ImageStack = {
      ...base,
      getFrame: base.getFrame.bind(base),
      slices: base.slices.map((s, k) => ({ ...s, sopInstanceUID: '1.2.3.999', frameNumber: k + 1 })),
    };
    const doc = new AnnotationDocument({ width: W, height: H, depth: 3 });
    doc.add({ label: 'lesion', kind: 'mask', slice: 2, mask: { data: blobMask(W, H, 1, 1, 6, 5) } });
    doc.add({ label: 'lesion', kind: 'mask', slice: 1, mask: { data: blobMask(W, H, 2, 3, 7, 5, 3) } });
    const bytes = await toDicomSeg(doc, stack, hierarchical);
    const ds = await parse(bytes);
    expect(segIodProblems(ds)).to.deep.equal([]);
    const frameNumbers = seq(ds, 'x52009230').map((f) =>
      seq(seq(f, 'x00089124')[0], 'x00082112')[0]!.string('x00081160'),
    );
    expect(frameNumbers).to.deep.equal(['2', '3']);
    const back = await fromDicomSeg(bytes, { stack, schema: hierarchical });
    expect(masksOf(back.document!)).to.deep.equal(masksOf(doc));
  });

  it('refuses TIFF stacks, empty documents and non-SEG files with stable codes', async () => {
    const doc = new AnnotationDocument({ width: 4, height: 4 });
    const tiff = testStack({ width: 4, height: 4, depth: 1, format: 'tiff' });
    let e: unknown;
    await toDicomSeg(doc, tiff, hierarchical).catch((x) => (e = x));
    expect(e).to.have.property('code', 'unsupported');
    await toDicomSeg(doc, testStack({ width: 4, height: 4, depth: 1 }), hierarchical).catch((x) => (e = x));
    expect(e).to.have.property('code', 'export-failed');
    await fromDicomSeg(await corpusBytes('dicom/CT_small.dcm')).catch((x) => (e = x));
    expect(e).to.have.property('code', 'unsupported');
  });

  it('converts colours to DICOM CIELab', () => {
    expect(rgbToDicomLab('#ffffff')).to.deep.equal([65535, 32896, 32896]);
    expect(rgbToDicomLab('#000000')).to.deep.equal([0, 32896, 32896]);
  });
});
