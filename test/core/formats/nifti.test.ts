import { expect } from '@open-wc/testing';
import { AnnotationDocument } from '../../../src/core/annotation/document.js';
import { niftiSidecar, toNifti } from '../../../src/core/formats/nifti.js';
import { hierarchical } from '../schema/fixtures.js';
import { blobMask, testStack } from './helpers.js';

/** A minimal NIfTI-1 reader, written from the NIfTI-1 header layout (nifti1.h), for checking the writer. */
async function readNifti(buffer: ArrayBuffer) {
  let bytes = new Uint8Array(buffer);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = new Uint8Array(
      await new Response(
        new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')),
      ).arrayBuffer(),
    );
  }
  const v = new DataView(bytes.buffer);
  const f = (o: number) => v.getFloat32(o, true);
  const s = (o: number) => v.getInt16(o, true);
  const dim = Array.from({ length: 8 }, (_, i) => s(40 + 2 * i));
  const pixdim = Array.from({ length: 8 }, (_, i) => f(76 + 4 * i));
  const srow = [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f(280 + 16 * r + 4 * c)));
  const [b, c, d] = [f(256), f(260), f(264)];
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const R = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const qfac = pixdim[0]! < 0 ? -1 : 1;
  const qoff = [f(268), f(272), f(276)];
  const qform = [0, 1, 2].map((r) => [
    R[r]![0]! * pixdim[1]!,
    R[r]![1]! * pixdim[2]!,
    R[r]![2]! * pixdim[3]! * qfac,
    qoff[r]!,
  ]);
  const voxOffset = f(108);
  const datatype = s(70);
  const n = dim[1]! * dim[2]! * dim[3]!;
  const data =
    datatype === 2
      ? bytes.slice(voxOffset, voxOffset + n)
      : new Uint16Array(bytes.buffer.slice(voxOffset, voxOffset + 2 * n));
  return {
    sizeofHdr: v.getInt32(0, true),
    magic: String.fromCharCode(...bytes.slice(344, 347)),
    dim,
    pixdim,
    datatype,
    bitpix: s(72),
    intent: s(68),
    units: bytes[123],
    qformCode: s(252),
    sformCode: s(254),
    srow,
    qform,
    data,
    length: bytes.length,
  };
}

function close(a: number[][], b: number[][]) {
  a.forEach((row, r) => row.forEach((x, c) => expect(x).to.be.closeTo(b[r]![c]!, 1e-4)));
}

const W = 24;
const H = 18;
const D = 5;

function makeDoc() {
  const doc = new AnnotationDocument({ width: W, height: H, depth: D });
  doc.add({ label: 'organ', kind: 'box', slice: 0, box: { x: 2, y: 3, width: 4, height: 2 } });
  doc.add({ label: 'tumour', kind: 'mask', slice: 1, mask: { data: blobMask(W, H, 3, 4, 10, 8) } });
  // Overlaps the tumour on slice 1: later in document order, so it wins.
  doc.add({ label: 'lesion', kind: 'mask', slice: 1, mask: { data: blobMask(W, H, 8, 8, 6, 6, 2) } });
  doc.add({ label: 'lesion', kind: 'mask', slice: 4, mask: { data: blobMask(W, H, 0, 0, W, H, 3) } });
  return doc;
}

function expectedVolume(rasterize: boolean): Uint8Array {
  const vol = new Uint8Array(W * H * D);
  const put = (k: number, m: Uint8Array, v: number) => m.forEach((x, i) => x && (vol[k * W * H + i] = v));
  if (rasterize) for (let y = 3; y < 5; y++) for (let x = 2; x < 6; x++) vol[y * W + x] = 3;
  put(1, blobMask(W, H, 3, 4, 10, 8), 2);
  put(1, blobMask(W, H, 8, 8, 6, 6, 2), 1);
  put(4, blobMask(W, H, 0, 0, W, H, 3), 1);
  return vol;
}

describe('NIfTI export', () => {
  it('writes an axial DICOM series with the RAS affine as sform and qform, and the label values', async () => {
    const stack = testStack({ width: W, height: H, depth: D });
    const nii = await readNifti(await toNifti(makeDoc(), stack, hierarchical));
    expect(nii.sizeofHdr).to.equal(348);
    expect(nii.magic).to.equal('n+1');
    expect(nii.dim.slice(0, 4)).to.deep.equal([3, W, H, D]);
    expect(nii.datatype).to.equal(2);
    expect(nii.bitpix).to.equal(8);
    expect(nii.intent).to.equal(1002);
    expect(nii.units).to.equal(2);
    expect([nii.qformCode, nii.sformCode]).to.deep.equal([1, 1]);
    // LPS origin (-100, -120, 30), spacing 0.7 × 0.8, slice step +2.5 along z → RAS flips x and y.
    const expected = [
      [-0.7, 0, 0, 100],
      [0, -0.8, 0, 120],
      [0, 0, 2.5, 30],
    ];
    close(nii.srow, expected);
    close(nii.qform, expected);
    expect(nii.length).to.equal(352 + W * H * D);
    expect(Array.from(nii.data)).to.deep.equal(Array.from(expectedVolume(false)));
  });

  it('burns boxes and polygons in on request', async () => {
    const stack = testStack({ width: W, height: H, depth: D });
    const nii = await readNifti(await toNifti(makeDoc(), stack, hierarchical, { rasterize: true }));
    expect(Array.from(nii.data)).to.deep.equal(Array.from(expectedVolume(true)));
  });

  it('handles an oblique sagittal orientation (qfac and quaternion agree with the sform)', async () => {
    const stack = testStack({
      width: W,
      height: H,
      depth: D,
      iop: [0, 1, 0, 0, 0, -1],
      origin: [10, 20, 30],
    });
    const nii = await readNifti(await toNifti(makeDoc(), stack, hierarchical));
    // LPS columns: i → (0, 0.7, 0), j → (0, 0, -0.8), k → normal (-1, 0, 0) × 2.5; then x, y negated.
    const expected = [
      [0, 0, 2.5, -10],
      [-0.7, 0, 0, -20],
      [0, -0.8, 0, 30],
    ];
    close(nii.srow, expected);
    close(nii.qform, expected);
  });

  it('writes .nii.gz with the same content', async () => {
    const stack = testStack({ width: W, height: H, depth: D });
    const gz = await toNifti(makeDoc(), stack, hierarchical, { gzip: true });
    expect(new Uint8Array(gz)[0]).to.equal(0x1f);
    const plain = await toNifti(makeDoc(), stack, hierarchical);
    const nii = await readNifti(gz);
    expect(nii.length).to.equal(plain.byteLength);
    expect(Array.from(nii.data)).to.deep.equal(Array.from(expectedVolume(false)));
  });

  it('uses the pixel size for TIFF, in the TIFF unit', async () => {
    const stack = testStack({
      width: W,
      height: H,
      depth: D,
      format: 'tiff',
      spacing: [0.5, 0.25, 2],
      metadata: { spacingUnit: 'µm' },
    });
    const nii = await readNifti(await toNifti(makeDoc(), stack, hierarchical));
    expect(nii.units).to.equal(3);
    expect([nii.qformCode, nii.sformCode]).to.deep.equal([2, 2]);
    const expected = [
      [0.5, 0, 0, 0],
      [0, 0.25, 0, 0],
      [0, 0, 2, 0],
    ];
    close(nii.srow, expected);
    close(nii.qform, expected);
  });

  it('writes the sidecar with label values, names and colours', () => {
    const side = niftiSidecar(hierarchical, testStack({ width: W, height: H, depth: D }));
    expect(side.labels).to.deep.equal([
      { value: 1, id: 'lesion', name: 'Lesion', color: '#ff0000' },
      { value: 2, id: 'tumour', name: 'Tumour', color: '#00ff00', parent: 'lesion', parentName: 'Lesion' },
      { value: 3, id: 'organ', name: 'Organ', color: '#0000ff' },
    ]);
    expect(side.source!['seriesInstanceUID']).to.equal('1.2.826.0.1.3680043.10.3');
  });

  it('reports progress and never changes the document, even when aborted', async () => {
    const doc = makeDoc();
    const before = JSON.stringify(doc.toJSON());
    const stack = testStack({ width: W, height: H, depth: D });
    const seen: number[] = [];
    await toNifti(doc, stack, hierarchical, {
      gzip: true,
      rasterize: true,
      onProgress: (p) => seen.push(p.done),
    });
    expect(seen.at(-1)).to.equal(D);
    const ac = new AbortController();
    ac.abort();
    let err: unknown;
    await toNifti(doc, stack, hierarchical, { gzip: true, signal: ac.signal }).catch((e) => (err = e));
    expect(err).to.have.property('code', 'aborted');
    expect(JSON.stringify(doc.toJSON())).to.equal(before);
  });
});
