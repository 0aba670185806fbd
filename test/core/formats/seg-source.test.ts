/**
 * A SEG belongs to its source's patient and study: it carries their Patient and General Study attributes as
 * the source has them (names in the source's character set, de-identified values when the source was
 * de-identified), so an archive that receives the SEG first files the study under the right main tags.
 */
import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { deidentify } from '../../../src/core/deid/index.js';
import { tag } from '../../../src/core/dicom/tags.js';
import { writeDicomFile, type DicomDataset } from '../../../src/core/dicom/writer.js';
import { toDicomSeg } from '../../../src/core/formats/seg.js';
import { parseDicomBytes } from '../../../src/core/image/dicom/parse.js';
import { decodedText, encodingOf } from '../../../src/core/image/dicom/text.js';
import { loadImageStack } from '../../../src/core/load.js';
import type { ImageStack } from '../../../src/core/image/types.js';
import { checkWithTool, dicom3toolsErrors } from '../../helpers/check-tool.js';
import { corpusBytes } from '../../helpers/corpus.js';
import { hierarchical } from '../schema/fixtures.js';

/** Patient and General Study attributes the SEG copies, by tag. */
const COPIED = {
  x00100010: "Patient's Name",
  x00100020: 'Patient ID',
  x00100030: "Patient's Birth Date",
  x00100040: "Patient's Sex",
  x00080020: 'Study Date',
  x00080030: 'Study Time',
  x00200010: 'Study ID',
  x00080050: 'Accession Number',
  x00080090: "Referring Physician's Name",
  x00081030: 'Study Description',
} as const;

/** A one-slice CT in ISO 8859-1 whose names need that character set. */
function latin1Source(): Uint8Array {
  const t = (g: number, e: number) => tag(g, e);
  const ds: DicomDataset = [
    { tag: t(0x0008, 0x0005), vr: 'CS', value: 'ISO_IR 100' },
    { tag: t(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: t(0x0008, 0x0018), vr: 'UI', value: '1.2.826.0.1.3680043.8.2.4' },
    { tag: t(0x0008, 0x0020), vr: 'DA', value: '20240229' },
    { tag: t(0x0008, 0x0030), vr: 'TM', value: '101500.25' },
    { tag: t(0x0008, 0x0050), vr: 'SH', value: 'ACC-Ø77' },
    { tag: t(0x0008, 0x0060), vr: 'CS', value: 'CT' },
    { tag: t(0x0008, 0x0090), vr: 'PN', value: 'Größe^Björn^^Dr.' },
    { tag: t(0x0008, 0x1030), vr: 'LO', value: 'Thorax nativ' },
    { tag: t(0x0010, 0x0010), vr: 'PN', value: 'Müller^Jürgen' },
    { tag: t(0x0010, 0x0020), vr: 'LO', value: 'KÖLN-042' },
    { tag: t(0x0010, 0x0030), vr: 'DA', value: '19610704' },
    { tag: t(0x0010, 0x0040), vr: 'CS', value: 'M' },
    { tag: t(0x0020, 0x000d), vr: 'UI', value: '1.2.826.0.1.3680043.8.2.1' },
    { tag: t(0x0020, 0x000e), vr: 'UI', value: '1.2.826.0.1.3680043.8.2.2' },
    { tag: t(0x0020, 0x0010), vr: 'SH', value: 'S-314' },
    { tag: t(0x0020, 0x0013), vr: 'IS', value: 1 },
    { tag: t(0x0020, 0x0032), vr: 'DS', value: [0, 0, 0] },
    { tag: t(0x0020, 0x0037), vr: 'DS', value: [1, 0, 0, 0, 1, 0] },
    { tag: t(0x0020, 0x0052), vr: 'UI', value: '1.2.826.0.1.3680043.8.2.3' },
    { tag: t(0x0028, 0x0002), vr: 'US', value: 1 },
    { tag: t(0x0028, 0x0004), vr: 'CS', value: 'MONOCHROME2' },
    { tag: t(0x0028, 0x0010), vr: 'US', value: 6 },
    { tag: t(0x0028, 0x0011), vr: 'US', value: 8 },
    { tag: t(0x0028, 0x0030), vr: 'DS', value: [0.5, 0.5] },
    { tag: t(0x0028, 0x0100), vr: 'US', value: 16 },
    { tag: t(0x0028, 0x0101), vr: 'US', value: 12 },
    { tag: t(0x0028, 0x0102), vr: 'US', value: 11 },
    { tag: t(0x0028, 0x0103), vr: 'US', value: 0 },
    { tag: t(0x7fe0, 0x0010), vr: 'OW', value: new Uint16Array(48).map((_, i) => i * 10) },
  ];
  return writeDicomFile(ds);
}

async function segOf(stack: ImageStack): Promise<Uint8Array> {
  const doc = new AnnotationDocument({ width: stack.width, height: stack.height, depth: stack.depth });
  doc.add({ label: 'lesion', kind: 'box', slice: 0, box: { x: 1, y: 1, width: 3, height: 2 } });
  return new Uint8Array(await toDicomSeg(doc, stack, hierarchical, { rasterize: true }));
}

/** The copied attributes of a file, decoded in its own character set (absent ones left out). */
async function copiedOf(bytes: Uint8Array): Promise<Record<string, string>> {
  const ds = (await parseDicomBytes(bytes)).dataSet;
  const encoding = encodingOf(ds.string('x00080005'));
  const out: Record<string, string> = {};
  for (const t of Object.keys(COPIED)) {
    const v = decodedText(ds, t, encoding);
    if (v !== undefined) out[t] = v;
  }
  return out;
}

describe('DICOM SEG patient and study attributes', () => {
  it('copies the Patient and General Study attributes of the source, in its character set', async () => {
    const source = latin1Source();
    const seg = await segOf(await loadImageStack(source));
    const expected = await copiedOf(source);
    expect(Object.keys(expected)).to.have.length(Object.keys(COPIED).length);
    expect(expected['x00100010']).to.equal('Müller^Jürgen');
    expect(await copiedOf(seg)).to.deep.equal(expected);
  });

  it('copies the de-identified values of a de-identified source', async () => {
    const options = { salt: 'project-7', patientName: 'Case^7' };
    const source = latin1Source();
    const deidentified = new Uint8Array((await deidentify(source, options)).bytes);
    const seg = await segOf(await loadImageStack(source, { deidentify: options }));
    const copied = await copiedOf(seg);
    expect(copied).to.deep.equal(await copiedOf(deidentified));
    expect(copied['x00100010']).to.equal('Case^7');
    expect(copied['x00100020']).not.to.equal('KÖLN-042');
    const ds = (await parseDicomBytes(seg)).dataSet;
    expect(ds.string('x00120062')).to.equal('YES');
    expect(ds.string('x00120063')).to.equal(
      (await parseDicomBytes(deidentified)).dataSet.string('x00120063'),
    );
  });

  for (const [name, load] of [
    ['the corpus CT', () => corpusBytes('dicom/CT_small.dcm')],
    ['an ISO 8859-1 CT', async () => latin1Source()],
  ] as const) {
    it(`adds no dciodvfy or dcentvfy error to ${name}`, async function () {
      const source = await load();
      const seg = await segOf(await loadImageStack(source));
      const iod = await checkWithTool('dciodvfy', seg);
      if (!iod.available) this.skip(); // dicom3tools (dciodvfy, dcentvfy) is not installed here
      expect(dicom3toolsErrors(iod), iod.stderr).to.deep.equal([]);
      const entities = await checkWithTool('dcentvfy', [source, seg]);
      const report = `${entities.stdout}\n${entities.stderr}`;
      expect(dicom3toolsErrors(entities), report).to.deep.equal([]);
      // An attribute empty in one file and not in the other is an entity mismatch for the copied ones.
      const copiedNames = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate'];
      copiedNames.push(
        'StudyTime',
        'StudyID',
        'AccessionNumber',
        'ReferringPhysicianName',
        'StudyDescription',
      );
      const mismatches = report
        .split('\n')
        .filter((l) => copiedNames.some((n) => l.includes(`Element=<${n}>`)));
      expect(mismatches, report).to.deep.equal([]);
    });
  }
});
