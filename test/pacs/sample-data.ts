/**
 * The studies the test PACS (and `npm run pacs`) holds: the CT phantom of the stories as one uncompressed
 * series, and the same slices again as a JPEG-LS lossless series of the same study, so frames reach the
 * client compressed. Deterministic: the same options give the same bytes, UIDs included, so a test can
 * rebuild the exact files the archive holds and compare `loadImageStack` on them with `loadDicomWeb`.
 *
 * DOM-free: `scripts/orthanc.mjs` bundles it for Node, the bench runs it in Chromium. JPEG-LS encoding is
 * passed in (CharLS in both places), so this module needs no codec of its own.
 * @module
 */
import { phantomDicomSeries } from '../../stories/data/phantom.js';
import { parseDicomBytes } from '../../src/core/image/dicom/parse.js';
import { elementsFromDataSet, writeDicomFile, tag, type DicomDataset } from '../../src/core/dicom/index.js';

/** Encodes one 16-bit greyscale frame (little-endian samples) as a lossless JPEG-LS codestream. */
export type EncodeJpegLs = (
  info: { width: number; height: number; bitsPerSample: number; componentCount: number },
  samples: Uint16Array,
) => Promise<Uint8Array>;

export interface SampleSeriesOptions {
  /** Columns and rows. Default 64. */
  size?: number;
  /** Slices. Default 5. */
  depth?: number;
  /** Phantom seed; also part of every UID. Default 7. */
  seed?: number;
  /** Series descriptions start with this. Default 'Phantom CT'. */
  name?: string;
  /** Patient ID and name. Default the phantom's own. */
  patient?: { id: string; name: string };
  /** Study Date (YYYYMMDD). Default 20240312. */
  studyDate?: string;
}

export interface SampleSeries {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  description: string;
  transferSyntaxUID: string;
  /** Part 10 files, one per slice, in the shuffled order they are uploaded in. */
  files: Uint8Array[];
}

export const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

const SERIES_UID = tag(0x0020, 0x000e);
const SOP_UID = tag(0x0008, 0x0018);
const DESCRIPTION = tag(0x0008, 0x103e);
const PIXEL_DATA = tag(0x7fe0, 0x0010);
const SERIES_NUMBER = tag(0x0020, 0x0011);
const ACCESSION = tag(0x0008, 0x0050);
const STUDY_DATE = tag(0x0008, 0x0020);
const PATIENT_ID = tag(0x0010, 0x0020);
const PATIENT_NAME = tag(0x0010, 0x0010);

/**
 * A second, small study that tests store into (STOW-RS), so what they store never changes the phantom
 * study the other tests read.
 */
export const SCRATCH_STUDY: SampleSeriesOptions = {
  size: 32,
  depth: 2,
  seed: 9,
  name: 'Scratch',
  patient: { id: 'SCRATCH-0001', name: 'Scratch^Store' },
  studyDate: '20200101',
};

/**
 * The phantom study: an uncompressed CT series and, with `encodeJpegLs`, a JPEG-LS copy of it (new series
 * and SOP Instance UIDs, the same pixels).
 */
export async function buildSampleStudy(
  options: SampleSeriesOptions = {},
  encodeJpegLs?: EncodeJpegLs,
): Promise<SampleSeries[]> {
  const size = options.size ?? 64;
  const depth = options.depth ?? 5;
  const seed = options.seed ?? 7;
  const raw = phantomDicomSeries({ size, depth, seed, noise: 8 });
  const uncompressed: SampleSeries = {
    studyInstanceUID: '',
    seriesInstanceUID: '',
    description: `${options.name ?? 'Phantom CT'} (uncompressed)`,
    transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    files: [],
  };
  const compressed: SampleSeries = {
    ...uncompressed,
    description: `${options.name ?? 'Phantom CT'} (JPEG-LS)`,
    transferSyntaxUID: JPEG_LS_LOSSLESS,
    files: [],
  };
  for (const file of raw) {
    const parsed = await parseDicomBytes(file);
    const elements = elementsFromDataSet(parsed.dataSet, { transferSyntaxUID: parsed.transferSyntaxUID });
    const text = (t: number) => new TextDecoder().decode(valueBytes(elements, t)).replace(/[\0 ]+$/, '');
    const series = text(SERIES_UID);
    const sop = text(SOP_UID);
    uncompressed.studyInstanceUID = compressed.studyInstanceUID = parsed.dataSet.string('x0020000d') ?? '';
    uncompressed.seriesInstanceUID = series;
    compressed.seriesInstanceUID = `${series}.2`;
    const common: DicomDataset = [
      { tag: DESCRIPTION, vr: 'LO', value: uncompressed.description },
      { tag: SERIES_NUMBER, vr: 'IS', value: '1' },
      { tag: ACCESSION, vr: 'SH', value: `VX${seed}` },
      { tag: STUDY_DATE, vr: 'DA', value: options.studyDate ?? '20240312' },
      ...(options.patient
        ? [
            { tag: PATIENT_ID, vr: 'LO' as const, value: options.patient.id },
            { tag: PATIENT_NAME, vr: 'PN' as const, value: options.patient.name },
          ]
        : []),
    ];
    uncompressed.files.push(writeDicomFile(replace(elements, common)));
    if (!encodeJpegLs) continue;
    const pixels = valueBytes(elements, PIXEL_DATA);
    const samples = new Uint16Array(pixels.slice().buffer);
    const codestream = await encodeJpegLs(
      { width: size, height: size, bitsPerSample: 16, componentCount: 1 },
      samples,
    );
    const jls = replace(elements, [
      ...common,
      { tag: DESCRIPTION, vr: 'LO', value: compressed.description },
      { tag: SERIES_NUMBER, vr: 'IS', value: '2' },
      { tag: SERIES_UID, vr: 'UI', value: compressed.seriesInstanceUID },
      { tag: SOP_UID, vr: 'UI', value: `${sop}.2` },
      { tag: PIXEL_DATA, vr: 'OB', value: { fragments: [codestream] } },
    ]);
    compressed.files.push(writeDicomFile(jls, { transferSyntaxUID: JPEG_LS_LOSSLESS }));
  }
  return encodeJpegLs ? [uncompressed, compressed] : [uncompressed];
}

function valueBytes(dataset: DicomDataset, t: number): Uint8Array {
  const value = dataset.find((e) => e.tag === t)?.value;
  if (!ArrayBuffer.isView(value)) throw new Error(`sample data: no bytes for ${t.toString(16)}`);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function replace(dataset: DicomDataset, changes: DicomDataset): DicomDataset {
  const byTag = new Map(dataset.map((e) => [e.tag, e]));
  for (const change of changes) byTag.set(change.tag, change);
  return [...byTag.values()];
}
