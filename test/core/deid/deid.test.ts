/**
 * De-identification to PS3.15 Annex E: no PHI survives anywhere in the output bytes, UIDs stay consistent
 * and references resolve, options do what the table says, the profile's own attributes are written, pixels
 * are unchanged unless blanked, and burned-in text is refused or blanked.
 */
import { expect } from '@open-wc/testing';
import dicomParser from '../../../src/core/dicom/dicom-parser.js';
import type { DataSet } from '../../../src/core/dicom/dicom-parser.js';
import { deidentify, RULE_COUNT, type DeidentifyOptions } from '../../../src/core/deid/index.js';
import { activeColumns, basicAction, resolveAction, ruleFor } from '../../../src/core/deid/rules.js';
import { shiftDate, shiftDateTime } from '../../../src/core/deid/dates.js';
import { tag, writeDicomFile } from '../../../src/core/dicom/index.js';
import { ErrorCode, VoxmarkError, loadImageStack } from '../../../src/core/index.js';
import { ctSlice, phiDataset, segReferencing } from './fixtures.js';

const SALT = 'project-7f3a';

function latin1(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode(...u8.subarray(i, i + 8192));
  return s;
}

function parse(bytes: ArrayBuffer): DataSet {
  return dicomParser.parseDicom(new Uint8Array(bytes)) as DataSet;
}

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('deidentify: no PHI survives', () => {
  it('removes a distinct PHI value from every table attribute, nested sequences and private tags', async () => {
    const { dataset, phi, sopInstanceUID } = phiDataset();
    const input = writeDicomFile(dataset, { mediaStorageSOPInstanceUID: sopInstanceUID });
    const inputText = latin1(input);
    // The fixture really carries every value it claims to.
    for (const v of phi.values) expect(inputText.includes(v), `fixture has ${v}`).to.equal(true);
    expect(phi.values.length).to.be.greaterThan(500);

    const { bytes, report } = await deidentify(input, { salt: SALT });
    const out = latin1(bytes);
    const utf8 = new TextDecoder().decode(bytes);
    const leaks = phi.values.filter((v) => out.includes(v) || utf8.includes(v));
    expect(leaks, 'PHI values left in the output').to.deep.equal([]);
    expect(out.includes('PHI'), 'no PHI marker anywhere').to.equal(false);
    const reportText = JSON.stringify(report);
    expect(phi.values.filter((v) => reportText.includes(v))).to.deep.equal([]);

    const ds = parse(bytes);
    expect(ds.string('x00120062')).to.equal('YES');
    expect(ds.elements.x00090010).to.equal(undefined);
    expect(ds.elements.x60003000).to.equal(undefined);
    expect(ds.elements.x60000010, 'overlay plane removed with its data').to.equal(undefined);
    expect(ds.elements.x50000022).to.equal(undefined);
    // The pixels were not touched.
    const px = ds.elements.x7fe00010!;
    expect([...new Uint16Array(ds.byteArray.slice(px.dataOffset, px.dataOffset + 32).buffer)]).to.deep.equal(
      Array.from({ length: 16 }, (_, i) => i * 100),
    );
    // Every action is reported, and nothing twice at one path.
    const paths = report.entries.map((e) => e.path);
    expect(new Set(paths).size).to.equal(paths.length);
    expect(report.counts.X).to.be.greaterThan(300);
    expect(report.counts.U).to.be.greaterThan(40);
  });

  it('reports every attribute it touched with tag, name, action and changed', async () => {
    const input = ctSlice({ sopInstanceUID: '1.2.3.4', instanceNumber: 1, z: 0 });
    const { report } = await deidentify(input, { salt: SALT });
    const byTag = new Map(report.entries.map((e) => [e.tag, e]));
    expect(byTag.get('(0010,0010)')).to.deep.include({ name: "Patient's Name", action: 'Z', changed: true });
    expect(byTag.get('(0010,0020)')).to.deep.include({ name: 'Patient ID', action: 'D', changed: true });
    expect(byTag.get('(0008,0018)')).to.deep.include({ action: 'U', changed: true });
    expect(byTag.get('(0010,0030)')).to.deep.include({ name: "Patient's Birth Date", action: 'Z' });
    expect(byTag.get('(0008,1030)')).to.deep.include({ name: 'Study Description', action: 'X' });
    expect(byTag.get('(0012,0062)')).to.deep.include({ action: 'add' });
    expect(JSON.stringify(report)).to.not.include('Doe');
    expect(JSON.stringify(report)).to.not.include('MRN-12345');
  });
});

describe('deidentify: output', () => {
  it('writes the profile attributes and a correct meta header', async () => {
    const input = ctSlice({ sopInstanceUID: '1.2.3.4', instanceNumber: 1, z: 0 });
    const { bytes, report } = await deidentify(input, { salt: SALT });
    const ds = parse(bytes);
    expect(ds.string('x00120062')).to.equal('YES');
    expect(ds.string('x00120063')).to.equal('Basic Application Confidentiality Profile');
    const codes = ds.elements.x00120064!.items!.map((i) => [
      i.dataSet!.string('x00080100'),
      i.dataSet!.string('x00080102'),
      i.dataSet!.string('x00080104'),
    ]);
    expect(codes).to.deep.equal([['113100', 'DCM', 'Basic Application Confidentiality Profile']]);
    expect(ds.string('x00280303')).to.equal('REMOVED');
    expect(report.methodCodes).to.deep.equal(['113100']);
    const sop = ds.string('x00080018')!;
    expect(sop).to.match(/^2\.25\.\d{1,39}$/);
    expect(BigInt(sop.slice(5)) < 2n ** 128n).to.equal(true);
    expect(ds.string('x00020002')).to.equal(ds.string('x00080016'));
    expect(ds.string('x00020003')).to.equal(sop);
    expect(ds.string('x00020010')).to.equal('1.2.840.10008.1.2.1');
    expect(ds.string('x00020012')).to.match(/^2\.25\./);
    // Basic profile: patient name emptied, ID pseudonymised, study date emptied (Z), sex emptied (Z).
    expect(ds.elements.x00100010!.length).to.equal(0);
    expect(ds.string('x00100020')).to.match(/^VX[0-9A-F]{16}$/);
    expect(ds.elements.x00080020!.length).to.equal(0);
  });

  it('uses the host pseudonyms for Patient ID and Patient Name', async () => {
    const input = ctSlice({ sopInstanceUID: '1.2.3.4', instanceNumber: 1, z: 0 });
    const { bytes } = await deidentify(input, {
      salt: SALT,
      patientId: 'STUDY-007',
      patientName: 'Subject^007',
    });
    const ds = parse(bytes);
    expect(ds.string('x00100020')).to.equal('STUDY-007');
    expect(ds.string('x00100010')).to.equal('Subject^007');
  });

  it('never modifies its input', async () => {
    const input = ctSlice({ sopInstanceUID: '1.2.3.4', instanceNumber: 1, z: 0 });
    const copy = input.slice();
    await deidentify(input, {
      salt: SALT,
      pixelRegions: [{ columns: 8, rows: 6, regions: [{ x: 0, y: 0, width: 2, height: 2 }] }],
    });
    expect(latin1(input)).to.equal(latin1(copy));
  });

  it('rejects bad options and non-DICOM bytes with VoxmarkErrors', async () => {
    const input = ctSlice({ sopInstanceUID: '1.2.3.4', instanceNumber: 1, z: 0 });
    const bad = [
      { salt: 5 },
      { retainLongitudinalTemporalInformation: 'yes' },
      { patientId: 'x'.repeat(65) },
      { retainSafePrivate: [{ creator: 'A', group: 0x0008 }] },
      { pixelRegions: [{ columns: 'a', rows: 1, regions: [] }] },
    ] as unknown as DeidentifyOptions[];
    for (const options of bad) {
      const e = await rejects(deidentify(input, options));
      expect(VoxmarkError.is(e, ErrorCode.InvalidArgument), JSON.stringify(options)).to.equal(true);
    }
    const e = await rejects(deidentify(new Uint8Array([1, 2, 3, 4]), {}));
    expect(e).to.be.instanceOf(VoxmarkError);
  });
});

describe('deidentify: UIDs', () => {
  const sources = [1, 2, 3].map((i) => ({
    sop: `1.2.826.0.1.3680043.8.1.10${i}`,
    series: '1.2.826.0.1.3680043.8.1.2',
    study: '1.2.826.0.1.3680043.8.1.1',
  }));
  const slices = sources.map((s, i) => ctSlice({ sopInstanceUID: s.sop, instanceNumber: i + 1, z: i * 2.5 }));

  it('keeps a series a series: same study, series and frame of reference, distinct instances', async () => {
    const outs = await Promise.all(slices.map((b) => deidentify(b, { salt: SALT })));
    const dss = outs.map((o) => parse(o.bytes));
    const first = dss[0]!;
    for (const ds of dss) {
      expect(ds.string('x0020000d')).to.equal(first.string('x0020000d'));
      expect(ds.string('x0020000e')).to.equal(first.string('x0020000e'));
      expect(ds.string('x00200052')).to.equal(first.string('x00200052'));
      expect(ds.string('x0020000d')).to.match(/^2\.25\./);
      expect(ds.string('x00100020')).to.equal(first.string('x00100020'));
    }
    expect(new Set(dss.map((d) => d.string('x00080018'))).size).to.equal(3);
    expect(first.string('x0020000d')).to.not.equal(sources[0]!.study);
    // The de-identified files still load as one stack of three slices, with the new identifiers.
    const stack = await loadImageStack(outs.map((o) => o.bytes));
    expect(stack.depth).to.equal(3);
    expect(stack.slices.map((s) => s.sopInstanceUID)).to.deep.equal(dss.map((d) => d.string('x00080018')));
  });

  it('is deterministic for one salt and different for another', async () => {
    const a = parse((await deidentify(slices[0]!, { salt: SALT })).bytes).string('x00080018');
    const b = parse((await deidentify(slices[0]!, { salt: SALT })).bytes).string('x00080018');
    const c = parse((await deidentify(slices[0]!, { salt: 'another project' })).bytes).string('x00080018');
    expect(a).to.equal(b);
    expect(c).to.not.equal(a);
  });

  it('maps references with the same function, so a SEG still points at its sources', async () => {
    const seg = await deidentify(segReferencing(sources), { salt: SALT });
    const outs = await Promise.all(slices.map((b) => deidentify(b, { salt: SALT })));
    const newSops = outs.map((o) => parse(o.bytes).string('x00080018'));
    const ds = parse(seg.bytes);
    const series = ds.elements.x00081115!.items![0]!.dataSet!;
    expect(series.string('x0020000e')).to.equal(parse(outs[0]!.bytes).string('x0020000e'));
    const refs = series.elements.x0008114a!.items!.map((i) => i.dataSet!.string('x00081155'));
    expect(refs).to.deep.equal(newSops);
    const perFrame = ds.elements.x52009230!.items!.map((f) =>
      f.dataSet!.elements.x00089124!.items![0]!.dataSet!.elements.x00082112!.items![0]!.dataSet!.string(
        'x00081155',
      ),
    );
    expect(perFrame).to.deep.equal(newSops);
    expect(ds.string('x0020000d')).to.equal(parse(outs[0]!.bytes).string('x0020000d'));
  });

  it('de-identifies inside loadImageStack, before the stack or its metadata see the data', async () => {
    const stack = await loadImageStack(slices, { deidentify: { salt: SALT } });
    expect(stack.depth).to.equal(3);
    const direct = await Promise.all(slices.map((b) => deidentify(b, { salt: SALT })));
    const expected = direct.map((o) => parse(o.bytes).string('x00080018'));
    expect(stack.slices.map((s) => s.sopInstanceUID)).to.deep.equal(expected);
    const metadata = JSON.stringify(stack.metadata);
    for (const original of [
      ...sources.map((s) => s.sop),
      sources[0]!.study,
      sources[0]!.series,
      'MRN-12345',
      'Doe',
    ]) {
      expect(metadata).to.not.include(original);
    }
    const plain = await loadImageStack(slices, { deidentify: true });
    expect(plain.slices[0]!.sopInstanceUID).to.match(/^2\.25\./);
  });

  it('leaves UIDs the standard defines (1.2.840.10008.*) as they are', async () => {
    const bytes = writeDicomFile([
      { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.3.4.5' },
      { tag: tag(0x0020, 0x0200), vr: 'UI', value: '1.2.840.10008.15.1.1' },
    ]);
    const ds = parse((await deidentify(bytes, { salt: SALT })).bytes);
    expect(ds.string('x00200200')).to.equal('1.2.840.10008.15.1.1');
    expect(ds.string('x00080018')).to.match(/^2\.25\./);
  });

  it('keeps UIDs with retainUIDs', async () => {
    const { bytes, report } = await deidentify(slices[0]!, { salt: SALT, retainUIDs: true });
    expect(parse(bytes).string('x00080018')).to.equal(sources[0]!.sop);
    expect(report.methodCodes).to.include('113110');
  });
});

describe('deidentify: options', () => {
  const slice = (patientId: string, studyDate: string) =>
    ctSlice({ sopInstanceUID: `1.2.3.${patientId.length}`, instanceNumber: 1, z: 0, patientId, studyDate });

  it('keeps dates with full longitudinal temporal information', async () => {
    const { bytes, report } = await deidentify(slice('A', '20240229'), {
      salt: SALT,
      retainLongitudinalTemporalInformation: 'full',
    });
    const ds = parse(bytes);
    expect(ds.string('x00080020')).to.equal('20240229');
    expect(ds.string('x00280303')).to.equal('UNMODIFIED');
    expect(report.methodCodes).to.deep.equal(['113100', '113106']);
  });

  it('shifts dates by a consistent per-patient offset with modified dates', async () => {
    const opts: DeidentifyOptions = { salt: SALT, retainLongitudinalTemporalInformation: 'modified' };
    const a1 = parse((await deidentify(slice('PATIENT-A', '20240229'), opts)).bytes);
    const a2 = parse((await deidentify(slice('PATIENT-A', '20240310'), opts)).bytes);
    const d1 = a1.string('x00080020')!;
    const d2 = a2.string('x00080020')!;
    expect(d1).to.match(/^\d{8}$/);
    expect(d1).to.not.equal('20240229');
    const days = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8)) / 86_400_000;
    // Intervals between a patient's dates survive the shift.
    expect(days(d2) - days(d1)).to.equal(10);
    const shift = days(d1) - days('20240229');
    expect(shift).to.be.within(-3650, -365);
    expect(a1.string('x00280303')).to.equal('MODIFIED');
    expect(a1.string('x00080030')).to.equal('101500');
    // Table E.1-1 gives the birth date no date option: it is emptied all the same.
    expect(a1.elements.x00100030!.length).to.equal(0);
  });

  it('retains patient characteristics, device and institution identity when asked', async () => {
    const base = ctSlice({ sopInstanceUID: '1.2.3', instanceNumber: 1, z: 0 });
    const plain = parse((await deidentify(base, { salt: SALT })).bytes);
    expect(plain.elements.x00100040!.length).to.equal(0);
    const kept = await deidentify(base, { salt: SALT, retainPatientCharacteristics: true });
    expect(parse(kept.bytes).string('x00100040')).to.equal('F');
    expect(kept.report.methodCodes).to.include('113108');
  });

  it('cleans descriptors instead of removing them, without the identifying parts', async () => {
    const base = ctSlice({ sopInstanceUID: '1.2.3', instanceNumber: 1, z: 0, patientName: 'Doe^Jane' });
    const { bytes, report } = await deidentify(base, { salt: SALT, cleanDescriptors: true });
    const description = parse(bytes).string('x00081030')!;
    expect(description.startsWith('Head CT for ')).to.equal(true);
    expect(description).to.not.include('Doe');
    expect(description).to.not.include('Jane');
    expect(report.entries.find((e) => e.tag === '(0008,1030)')).to.deep.include({
      action: 'C',
      changed: true,
    });
    expect(report.methodCodes).to.include('113105');
    const hooked = await deidentify(base, { salt: SALT, cleanDescriptors: true, clean: () => 'CLEANED' });
    expect(parse(hooked.bytes).string('x00081030')).to.equal('CLEANED');
  });

  it('keeps overlays with cleanGraphics, and structured content with cleanStructuredContent', async () => {
    const bytes = writeDicomFile([
      { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.3' },
      { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Doe^Jane' },
      { tag: tag(0x6000, 0x0010), vr: 'US', value: 2 },
      { tag: tag(0x6000, 0x3000), vr: 'OB', value: new Uint8Array([0x0f, 0]) },
      { tag: tag(0x6000, 0x4000), vr: 'LT', value: 'Marked by Jane Doe' },
      {
        tag: tag(0x0040, 0xa730),
        vr: 'SQ',
        value: [
          [
            { tag: tag(0x0040, 0xa040), vr: 'CS', value: 'TEXT' },
            { tag: tag(0x0040, 0xa160), vr: 'UT', value: 'Lesion seen; patient Doe tolerated well' },
          ],
        ],
      },
    ]);
    const plain = parse((await deidentify(bytes, { salt: SALT })).bytes);
    expect(plain.elements.x60003000).to.equal(undefined);
    expect(plain.elements.x60000010).to.equal(undefined);
    const kept = await deidentify(bytes, { salt: SALT, cleanGraphics: true, cleanStructuredContent: true });
    const ds = parse(kept.bytes);
    expect(ds.uint16('x60000010')).to.equal(2);
    expect(ds.elements.x60003000!.length).to.equal(2);
    expect(ds.string('x60004000')).to.equal('Marked by **** ***');
    const item = ds.elements.x0040a730!.items![0]!.dataSet!;
    expect(item.string('x0040a040')).to.equal('TEXT');
    expect(latin1(kept.bytes)).to.not.include('Doe');
    expect(kept.report.methodCodes).to.include.members(['113103', '113104']);
  });

  it('retains device and institution identity when asked', async () => {
    const bytes = writeDicomFile([
      { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.3' },
      { tag: tag(0x0008, 0x0080), vr: 'LO', value: 'General Hospital' },
      { tag: tag(0x0018, 0x1000), vr: 'LO', value: 'SN-1234' },
    ]);
    const plain = parse((await deidentify(bytes, { salt: SALT })).bytes);
    expect(plain.string('x00080080')).to.equal('ANONYMIZED');
    expect(plain.string('x00181000')).to.equal('ANONYMIZED');
    const kept = await deidentify(bytes, {
      salt: SALT,
      retainDeviceIdentity: true,
      retainInstitutionIdentity: true,
    });
    const ds = parse(kept.bytes);
    expect(ds.string('x00080080')).to.equal('General Hospital');
    expect(ds.string('x00181000')).to.equal('SN-1234');
    expect(kept.report.methodCodes).to.deep.equal(['113100', '113109', '113112']);
  });

  it('keeps the private elements of an allow list, and removes the rest', async () => {
    const bytes = writeDicomFile([
      { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.3' },
      { tag: tag(0x0029, 0x0010), vr: 'LO', value: 'ACME SAFE' },
      { tag: tag(0x0029, 0x0011), vr: 'LO', value: 'ACME UNSAFE' },
      { tag: tag(0x0029, 0x1001), vr: 'DS', value: '2.5' },
      { tag: tag(0x0029, 0x1002), vr: 'LO', value: 'secret' },
      { tag: tag(0x0029, 0x1101), vr: 'LO', value: 'also secret' },
    ]);
    const { bytes: out, report } = await deidentify(bytes, {
      salt: SALT,
      retainSafePrivate: [{ creator: 'ACME SAFE', group: 0x0029, elements: [0x01] }],
    });
    const ds = parse(out);
    expect(ds.string('x00290010')).to.equal('ACME SAFE');
    expect(ds.string('x00291001')).to.equal('2.5');
    expect(ds.elements.x00291002).to.equal(undefined);
    expect(ds.elements.x00290011).to.equal(undefined);
    expect(ds.elements.x00291101).to.equal(undefined);
    expect(latin1(out)).to.not.include('secret');
    expect(report.methodCodes).to.include('113111');
  });
});

describe('deidentify: burned-in text', () => {
  const columns = 8;
  const rows = 6;
  const pixels = new Uint16Array(columns * rows).map((_, i) => 100 + i);
  const us = (burnedIn?: string) =>
    ctSlice({
      sopInstanceUID: '1.2.3.9',
      instanceNumber: 1,
      z: 0,
      modality: 'US',
      pixels,
      ...(burnedIn === undefined ? {} : { burnedIn }),
    });

  it('refuses by default an instance that may carry burned-in text', async () => {
    for (const input of [
      us(),
      us('YES'),
      ctSlice({ sopInstanceUID: '1', instanceNumber: 1, z: 0, burnedIn: 'YES' }),
    ]) {
      const e = await rejects(deidentify(input, { salt: SALT }));
      expect(VoxmarkError.is(e, ErrorCode.BurnedInAnnotation)).to.equal(true);
    }
    // BurnedInAnnotation NO on a US image is accepted as it is.
    const ok = await deidentify(us('NO'), { salt: SALT });
    expect(ok.report.burnedInAnnotation.flagged).to.equal(false);
  });

  it('blanks the regions given for the image size, to zero, and says BurnedInAnnotation NO', async () => {
    const region = { x: 2, y: 1, width: 3, height: 2 };
    const { bytes, report } = await deidentify(us(), {
      salt: SALT,
      pixelRegions: [
        { columns: 100, rows: 100, regions: [{ x: 0, y: 0, width: 100, height: 100 }] },
        { columns, rows, regions: [region] },
      ],
    });
    expect(report.burnedInAnnotation).to.deep.include({ flagged: true, regionsBlanked: 1, reencoded: false });
    expect(report.methodCodes).to.include('113101');
    const ds = parse(bytes);
    expect(ds.string('x00280301')).to.equal('NO');
    const stack = await loadImageStack(bytes);
    const frame = await stack.getFrame(0);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        const inside =
          x >= region.x && x < region.x + region.width && y >= region.y && y < region.y + region.height;
        expect(frame.data[y * columns + x], `${x},${y}`).to.equal(inside ? 0 : pixels[y * columns + x]);
      }
    }
  });

  it('passes a flagged instance through untouched with allowBurnedInAnnotation, still flagged', async () => {
    const { bytes, report } = await deidentify(us(), { salt: SALT, allowBurnedInAnnotation: true });
    expect(report.burnedInAnnotation.flagged).to.equal(true);
    expect(report.burnedInAnnotation.regionsBlanked).to.equal(0);
    const frame = await (await loadImageStack(bytes)).getFrame(0);
    expect([...frame.data]).to.deep.equal([...pixels]);
    expect(parse(bytes).elements.x00280301).to.equal(undefined);
  });
});

describe('deidentify: rules', () => {
  it('generated all 621 rows of Table E.1-1', () => {
    expect(RULE_COUNT).to.equal(621);
  });

  it('matches wildcard rows by mask, in even repeating groups only', () => {
    expect(ruleFor(tag(0x6000, 0x3000))?.name).to.equal('Overlay Data');
    expect(ruleFor(tag(0x601e, 0x4000))?.name).to.equal('Overlay Comments');
    expect(ruleFor(tag(0x6020, 0x3000))).to.equal(undefined);
    expect(ruleFor(tag(0x5004, 0x0110))?.name).to.equal('Curve Data');
    expect(ruleFor(tag(0x6001, 0x3000))?.tag).to.equal('private');
    expect(ruleFor(tag(0x0009, 0x1001))?.tag).to.equal('private');
    expect(ruleFor(tag(0x0028, 0x0010))).to.equal(undefined);
  });

  it('picks the least destructive conformant action, and lets options override', () => {
    expect(basicAction({ basic: 'X/Z', inStdIOD: true })).to.equal('Z');
    expect(basicAction({ basic: 'X/D', inStdIOD: true })).to.equal('D');
    expect(basicAction({ basic: 'X/Z/D', inStdIOD: true })).to.equal('D');
    expect(basicAction({ basic: 'Z/D', inStdIOD: true })).to.equal('D');
    expect(basicAction({ basic: 'X/Z/U*', inStdIOD: true })).to.equal('U');
    expect(basicAction({ basic: 'X/Z', inStdIOD: false })).to.equal('X');
    const deviceDate = ruleFor(tag(0x0018, 0x700c))!; // X/D, Retain Device Identity K, dates K/C
    expect(resolveAction(deviceDate, activeColumns({})).action).to.equal('D');
    expect(
      resolveAction(deviceDate, activeColumns({ retainLongitudinalTemporalInformation: 'modified' })).action,
    ).to.equal('C');
    expect(
      resolveAction(
        deviceDate,
        activeColumns({ retainLongitudinalTemporalInformation: 'modified', retainDeviceIdentity: true }),
      ).action,
    ).to.equal('K');
  });

  it('shifts DA and DT keeping their precision', () => {
    expect(shiftDate('20240301', -1)).to.equal('20240229');
    expect(shiftDate('2024.03.01', -1)).to.equal('20240229');
    expect(shiftDate('garbage', -1)).to.equal('');
    expect(shiftDateTime('20240301101500.123+0100', -1)).to.equal('20240229101500.123+0100');
    expect(shiftDateTime('202403', -40)).to.equal('202401');
    expect(shiftDateTime('2024', -400)).to.equal('2022');
  });
});
