/**
 * TIFF de-identification: descriptive tags that can hold identity, private tags and EXIF/GPS directories go
 * (their bytes zeroed), OME and ImageJ structural descriptions stay cleaned, pixels and layout are untouched.
 */
import { expect } from '@open-wc/testing';
import { cleanDescription, cleanOmeXml, deidentifyTiff } from '../../../src/core/deid/tiff.js';
import { VoxmarkError, loadImageStack } from '../../../src/core/index.js';
import { buildTiff } from '../../helpers/tiff-builder.js';
import { corpusBytes } from '../../helpers/corpus.js';

function latin1(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode(...u8.subarray(i, i + 8192));
  return s;
}

/** Tags of every IFD in the main chain of a classic little-endian TIFF. */
function ifdTags(bytes: ArrayBuffer): number[][] {
  const v = new DataView(bytes);
  const out: number[][] = [];
  let ifd = v.getUint32(4, true);
  while (ifd !== 0 && out.length < 100) {
    const n = v.getUint16(ifd, true);
    const tags: number[] = [];
    for (let i = 0; i < n; i++) tags.push(v.getUint16(ifd + 2 + i * 12, true));
    out.push(tags);
    ifd = v.getUint32(ifd + 2 + n * 12, true);
  }
  return out;
}

/** Appends an EXIF IFD (DateTimeOriginal, a maker note) and points tag 34665 of the first IFD at it. */
function withExif(bytes: Uint8Array): Uint8Array {
  const date = 'PHI-EXIF-DATE\0';
  const note = 'PHI-MAKER-NOTE-0123456789';
  const exifAt = bytes.length + (bytes.length & 1);
  const entries = 2;
  const valuesAt = exifAt + 2 + entries * 12 + 4;
  const out = new Uint8Array(valuesAt + date.length + note.length + 2);
  out.set(bytes);
  const v = new DataView(out.buffer);
  v.setUint16(exifAt, entries, true);
  const entry = (i: number, tag: number, type: number, count: number, at: number) => {
    const p = exifAt + 2 + i * 12;
    v.setUint16(p, tag, true);
    v.setUint16(p + 2, type, true);
    v.setUint32(p + 4, count, true);
    v.setUint32(p + 8, at, true);
  };
  entry(0, 36867, 2, date.length, valuesAt);
  entry(1, 37500, 7, note.length, valuesAt + date.length);
  for (let i = 0; i < date.length; i++) out[valuesAt + i] = date.charCodeAt(i);
  for (let i = 0; i < note.length; i++) out[valuesAt + date.length + i] = note.charCodeAt(i);
  // Patch the placeholder pointer in IFD 0.
  const ifd = v.getUint32(4, true);
  const n = v.getUint16(ifd, true);
  for (let i = 0; i < n; i++) {
    const p = ifd + 2 + i * 12;
    if (v.getUint16(p, true) === 34665) v.setUint32(p + 8, exifAt, true);
  }
  return out;
}

const PHI = [
  'PHI-DESCRIPTION Jane Doe',
  'PHI-ARTIST',
  'PHI-HOST',
  '2024:01:02 03:04:05',
  'PHI-DOCUMENT',
  'PHI-PAGE',
  'PHI-SOFTWARE',
  'PHI-COPYRIGHT',
  'PHI-PRIVATE-TAG',
  'PHI-EXIF-DATE',
  'PHI-MAKER-NOTE',
];

async function phiTiff(): Promise<{ bytes: Uint8Array; data: Uint16Array }> {
  const data = new Uint16Array(12 * 9).map((_, i) => i * 211);
  const page = (k: number) => ({
    width: 12,
    height: 9,
    bits: 16,
    data,
    rowsPerStrip: 4,
    description: PHI[0]!,
    extraTags: [
      { tag: 269, type: 2, values: PHI[4]! },
      { tag: 285, type: 2, values: `${PHI[5]}-${k}` },
      { tag: 305, type: 2, values: PHI[6]! },
      { tag: 306, type: 2, values: PHI[3]! },
      { tag: 315, type: 2, values: PHI[1]! },
      { tag: 316, type: 2, values: PHI[2]! },
      { tag: 33432, type: 2, values: PHI[7]! },
      { tag: 33550, type: 12, values: [0.5, 0.5, 0] },
      { tag: 40000, type: 2, values: PHI[8]! },
      ...(k === 0 ? [{ tag: 34665, type: 4, values: [0] }] : []),
    ],
  });
  return { bytes: withExif(await buildTiff([page(0), page(1)])), data };
}

describe('deidentifyTiff', () => {
  it('removes identifying tags, private tags and EXIF, and zeroes their bytes', async () => {
    const { bytes, data } = await phiTiff();
    const text = latin1(bytes);
    for (const p of PHI) expect(text.includes(p), `fixture has ${p}`).to.equal(true);
    const copy = bytes.slice();
    const { bytes: out, report } = deidentifyTiff(bytes);
    expect(latin1(bytes)).to.equal(latin1(copy)); // input untouched
    const outText = latin1(out);
    expect(PHI.filter((p) => outText.includes(p))).to.deep.equal([]);
    expect(outText.includes('PHI')).to.equal(false);
    expect(out.byteLength).to.equal(bytes.byteLength);
    const tags = ifdTags(out);
    expect(tags).to.have.length(2);
    for (const t of tags) {
      for (const removed of [269, 270, 285, 305, 306, 315, 316, 33432, 34665, 40000])
        expect(t).to.not.include(removed);
      expect(t).to.include(33550); // GeoTIFF pixel scale is kept
      expect(t).to.include(273);
    }
    const removed = report.entries.filter((e) => e.ifd === 0).map((e) => e.name);
    expect(removed).to.include.members([
      'ImageDescription',
      'Artist',
      'HostComputer',
      'DateTime',
      'DocumentName',
      'PageName',
      'Software',
      'Copyright',
      'ExifIFD',
      'Private tag 40000',
    ]);
    expect(report.entries.every((e) => e.action === 'X' && e.changed)).to.equal(true);
    expect(JSON.stringify(report)).to.not.include('PHI');
    // Pixels are untouched and the file still loads.
    const stack = await loadImageStack(out);
    expect(stack.depth).to.equal(2);
    for (let i = 0; i < 2; i++) expect([...(await stack.getFrame(i)).data]).to.deep.equal([...data]);
  });

  it('keeps OME-XML as cleaned structural metadata, and the OME z-stack loads the same', async () => {
    const input = await corpusBytes('tiff/mr_zstack.ome.tif');
    const { bytes, report } = deidentifyTiff(input);
    const before = await loadImageStack(input);
    const after = await loadImageStack(bytes);
    expect(after.depth).to.equal(before.depth);
    expect(after.spacing).to.deep.equal(before.spacing);
    for (let i = 0; i < before.depth; i++) {
      expect([...(await after.getFrame(i)).data]).to.deep.equal([...(await before.getFrame(i)).data]);
    }
    const description = report.entries.find((e) => e.tag === 270 && e.ifd === 0);
    expect(description?.action).to.equal('C');
    expect(latin1(bytes)).to.include('<OME');
  });

  it('cleans OME-XML and ImageJ descriptions, and drops free text', () => {
    const ome =
      '<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">' +
      '<Experimenter ID="Experimenter:0" FirstName="Jane" LastName="Doe" Email="jane@example.org"/>' +
      '<Image ID="Image:0" Name="Doe_Jane_MRN123.tif"><AcquisitionDate>2024-01-02T03:04:05</AcquisitionDate>' +
      '<ExperimenterRef ID="Experimenter:0"/><Description>Patient Jane Doe</Description>' +
      '<Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="4" SizeY="4" SizeZ="2" SizeC="1" SizeT="1" PhysicalSizeX="0.5">' +
      '<TiffData/></Pixels></Image></OME>';
    const cleaned = cleanOmeXml(ome);
    for (const p of ['Jane', 'Doe', 'MRN123', '2024-01-02', 'example.org']) expect(cleaned).to.not.include(p);
    expect(cleaned).to.include('<Pixels ID="Pixels:0" DimensionOrder="XYZCT"');
    expect(cleaned).to.include('PhysicalSizeX="0.5"');
    expect(cleanDescription(ome)).to.equal(cleaned);
    expect(
      cleanDescription('ImageJ=1.53\nimages=4\nslices=4\nspacing=2.5\ninfo=Jane Doe\nunit=mm\n'),
    ).to.equal('ImageJ=1.53\nimages=4\nslices=4\nspacing=2.5\nunit=mm\n');
    expect(cleanDescription('Scan of Jane Doe')).to.equal(undefined);
  });

  it('handles BigTIFF and refuses what is not TIFF', async () => {
    const input = await corpusBytes('tiff/bigtiff16.tif');
    const { bytes } = deidentifyTiff(input);
    const before = await loadImageStack(input);
    const after = await loadImageStack(bytes);
    expect([...(await after.getFrame(0)).data]).to.deep.equal([...(await before.getFrame(0)).data]);
    expect(() => deidentifyTiff(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).to.throw(VoxmarkError);
    const loop = new Uint8Array([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0, 8, 0, 0, 0]);
    expect(() => deidentifyTiff(loop)).to.throw(VoxmarkError);
    const truncated = new Uint8Array([0x49, 0x49, 42, 0, 200, 0, 0, 0]);
    expect(() => deidentifyTiff(truncated)).to.throw(VoxmarkError);
  });
});

describe('loadImageStack({ deidentify }) on TIFF', () => {
  it('strips identifying tags before the stack or its metadata see them, and keeps the pixels', async () => {
    const { bytes, data } = await phiTiff();
    const plain = await loadImageStack(bytes.slice());
    expect(JSON.stringify(plain.metadata)).to.contain('PHI-'); // the reader does expose them without deid
    const stack = await loadImageStack(bytes.slice(), { deidentify: true });
    expect(JSON.stringify(stack.metadata)).to.not.contain('PHI-');
    expect(stack.depth).to.equal(2);
    const frame = await stack.getFrame(1);
    expect(Array.from(frame.data)).to.deep.equal(Array.from(data));
  });
});
