/**
 * DICOMweb over loopback: a 512×512×300 CT series (the phantom), uncompressed and JPEG-LS, stored in the
 * test Orthanc (started by the bench server) and loaded with `loadDicomWeb`: time to the first slice
 * (metadata, then one frame), time to every slice, and the bytes that crossed the wire. Baseline: the same
 * files loaded from memory with `loadImageStack`. The series is built and stored on the first run and kept
 * for the life of that Orthanc.
 */
import {
  loadDicomWeb,
  searchSeries,
  storeInstances,
  type DicomWebImageStack,
} from '../src/core/dicomweb/index.js';
import { loadImageStack } from '../src/core/load.js';
import type { ImageStack } from '../src/core/image/types.js';
import { buildSampleStudy, type SampleSeries } from '../test/pacs/sample-data.js';
import { encodeJpegLs } from '../test/helpers/encoders.js';
import { mib, time, type Report } from './harness.js';

const SIZE = 512;
const SLICES = 300;
const URL = '/dicom-web';
const STORE_BATCH = 25;

async function allFrames(stack: ImageStack): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < stack.depth; i++) pending.push(stack.getFrame(i));
  await Promise.all(pending);
}

/** Counts the body bytes of every answer (Content-Length, which Orthanc always sends). */
function countingFetch(): { fetch: typeof fetch; bytes: () => number } {
  let bytes = 0;
  return {
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      bytes += Number(res.headers.get('Content-Length') ?? 0);
      return res;
    },
    bytes: () => bytes,
  };
}

async function ensureStored(series: SampleSeries[]): Promise<void> {
  for (const s of series) {
    const found = await searchSeries({ url: URL, studyInstanceUID: s.studyInstanceUID });
    if (found.some((f) => f.seriesInstanceUID === s.seriesInstanceUID && f.numberOfInstances === SLICES))
      continue;
    for (let i = 0; i < s.files.length; i += STORE_BATCH) {
      const result = await storeInstances(URL, s.files.slice(i, i + STORE_BATCH));
      if (result.status === 'failed')
        throw new Error(`Orthanc refused the bench series: ${result.failed[0]?.reasonText}`);
    }
  }
}

export default async function run(report: Report): Promise<void> {
  const status = (await (await fetch('/__pacs__/status')).json()) as { available: boolean; reason?: string };
  if (!status.available) {
    report({ group: 'dicomweb', name: `skipped: ${status.reason}`, value: NaN, unit: '' });
    return;
  }
  const series = await buildSampleStudy(
    { size: SIZE, depth: SLICES, seed: 11, name: 'Bench CT' },
    (info, samples) => encodeJpegLs(info, samples),
  );
  await ensureStored(series);

  for (const s of series) {
    const label = s.transferSyntaxUID.endsWith('.80') ? 'JPEG-LS' : 'uncompressed';
    const group = `dicomweb ${label}`;
    const fileBytes = s.files.reduce((sum, f) => sum + f.byteLength, 0);
    const load = (counter?: ReturnType<typeof countingFetch>) =>
      loadDicomWeb({
        url: URL,
        studyInstanceUID: s.studyInstanceUID,
        seriesInstanceUID: s.seriesInstanceUID,
        ...(counter ? { fetch: counter.fetch } : {}),
      });

    const memFirst = await time(async () => (await loadImageStack(s.files)).getFrame(0), { iterations: 3 });
    const webFirst = await time(
      async () => {
        const stack = await load();
        await stack.getFrame(0);
        stack.dispose();
      },
      { iterations: 3 },
    );
    report({
      group,
      name: `${SIZE}×${SIZE}×${SLICES}: metadata + first slice`,
      value: webFirst.median,
      unit: 'ms',
      baseline: memFirst.median,
      note: 'baseline: loadImageStack on the same files in memory',
    });

    const memAll = await time(async () => allFrames(await loadImageStack(s.files)), { iterations: 2 });
    let stats: DicomWebImageStack['stats'] | undefined;
    let wire = 0;
    const webAll = await time(
      async () => {
        const counter = countingFetch();
        const stack = await load(counter);
        await allFrames(stack);
        stats = stack.stats;
        wire = counter.bytes();
        stack.dispose();
      },
      { iterations: 2 },
    );
    report({
      group,
      name: `${SIZE}×${SIZE}×${SLICES}: every slice`,
      value: webAll.median,
      unit: 'ms',
      baseline: memAll.median,
    });
    report({
      group,
      name: 'bytes over the wire (all answers)',
      value: mib(wire),
      unit: 'MiB',
      baseline: mib(fileBytes),
      note: 'baseline: the files',
    });
    report({ group, name: 'frame bytes received', value: mib(stats?.bytes ?? 0), unit: 'MiB' });
    report({ group, name: 'frames received', value: stats?.frames ?? 0, unit: '' });
  }
}
