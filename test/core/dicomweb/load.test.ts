import { expect } from '@open-wc/testing';
import { loadDicomWeb } from '../../../src/core/dicomweb/index.js';
import { loadImageStack } from '../../../src/core/load.js';
import type { ImageStack } from '../../../src/core/image/types.js';
import {
  DICOMWEB,
  allFrames,
  faultUrl,
  requirePacs,
  seriesByDescription,
  type PacsSeries,
  type PacsStatus,
} from './pacs.js';

const JPEG_LS = '1.2.840.10008.1.2.4.80';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** What must be identical between two stacks, apart from the frames. */
function shape(stack: ImageStack) {
  return {
    format: stack.format,
    width: stack.width,
    height: stack.height,
    depth: stack.depth,
    samplesPerPixel: stack.samplesPerPixel,
    dataType: stack.dataType,
    spacing: stack.spacing,
    windowPresets: stack.windowPresets,
    slices: stack.slices,
    metadata: stack.metadata,
  };
}

async function expectSameAsFiles(series: PacsSeries, url = DICOMWEB) {
  const fromFiles = await loadImageStack(series.files);
  const progress: { loaded: number; total: number }[] = [];
  const fromWeb = await loadDicomWeb({
    url,
    studyInstanceUID: series.studyInstanceUID,
    seriesInstanceUID: series.seriesInstanceUID,
    onProgress: (p) => progress.push(p),
  });
  expect(progress.at(-1)).to.deep.equal({ loaded: series.files.length, total: series.files.length });
  const framesWeb = await allFrames(fromWeb);
  const framesFiles = await allFrames(fromFiles);
  expect(framesWeb).to.deep.equal(framesFiles);
  const first = await fromWeb.getFrame(0);
  const reference = await fromFiles.getFrame(0);
  expect([first.rescaleSlope, first.rescaleIntercept]).to.deep.equal([
    reference.rescaleSlope,
    reference.rescaleIntercept,
  ]);
  expect(shape(fromWeb)).to.deep.equal(shape(fromFiles));
  return fromWeb;
}

describe('loadDicomWeb against Orthanc', function () {
  let pacs: PacsStatus;
  before(async function () {
    pacs = await requirePacs(this);
  });

  it('gives the stack loadImageStack gives for the same uncompressed files: geometry, order, metadata, frames', async () => {
    const stack = await expectSameAsFiles(seriesByDescription(pacs, 'uncompressed'));
    expect(stack.stats.transferSyntaxes).to.deep.equal({ [EXPLICIT_LE]: 5 });
    expect(stack.metadata.transferSyntaxUID).to.equal(EXPLICIT_LE);
  });

  it('receives the JPEG-LS series compressed and decodes it to the same values as the files', async () => {
    const stack = await expectSameAsFiles(seriesByDescription(pacs, 'JPEG-LS'));
    expect(stack.stats.transferSyntaxes).to.deep.equal({ [JPEG_LS]: 5 });
    expect(stack.stats.mode).to.equal('frames');
  });

  it('gives the same stack as the file for a real third-party MR instance', async () => {
    const mr = await loadImageStack('/corpus/dicom/MR_small.dcm');
    const web = await loadDicomWeb({
      url: DICOMWEB,
      studyInstanceUID: mr.metadata.studyInstanceUID as string,
      seriesInstanceUID: mr.metadata.seriesInstanceUID as string,
    });
    expect(await allFrames(web)).to.deep.equal(await allFrames(mr));
    expect(shape(web)).to.deep.equal(shape(mr));
  });

  it('falls back to whole instances when the server has no frame retrieval, with the same frames', async () => {
    const stack = await expectSameAsFiles(seriesByDescription(pacs, 'JPEG-LS'), faultUrl('no-frames'));
    expect(stack.stats.mode).to.equal('instance');
  });

  it('asks for the metadata of instances the search lists but a capped series metadata answer left out', async () => {
    const series = seriesByDescription(pacs, 'uncompressed');
    const requests: string[] = [];
    const stack = await loadDicomWeb({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      seriesInstanceUID: series.seriesInstanceUID,
      prefetch: false,
      fetch: async (input, init) => {
        const url = String(input);
        requests.push(url.replace(/^.*\/instances\/[0-9.]+\/metadata$/, 'instance metadata'));
        const res = await fetch(input, init);
        if (!url.endsWith(`${series.seriesInstanceUID}/metadata`)) return res;
        const capped = ((await res.json()) as unknown[]).slice(0, 2);
        return new Response(JSON.stringify(capped), {
          headers: { 'Content-Type': 'application/dicom+json' },
        });
      },
    });
    expect(requests.filter((r) => r === 'instance metadata')).to.have.length(3);
    const files = await loadImageStack(series.files);
    expect(shape(stack).slices).to.deep.equal(shape(files).slices);
  });

  it('prefetches the neighbours of the slice asked for, each frame fetched once', async () => {
    const series = seriesByDescription(pacs, 'uncompressed');
    const stack = await loadDicomWeb({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      seriesInstanceUID: series.seriesInstanceUID,
      prefetch: { radius: 1 },
      concurrency: 2,
    });
    await stack.getFrame(2);
    // Frames 1 and 3 were prefetched: asking for them joins those requests.
    await Promise.all([stack.getFrame(1), stack.getFrame(3)]);
    const after = stack.stats.frames;
    expect(after).to.be.within(3, 5); // 1, 2, 3 and possibly the neighbours of 1 and 3 (0 and 4)
    await allFrames(stack);
    expect(stack.stats.frames).to.equal(5);
    stack.dispose();
  });

  it('sends the host headers (from a function, for token refresh) and uses the host fetch', async () => {
    const series = seriesByDescription(pacs, 'uncompressed');
    const seen: string[] = [];
    let calls = 0;
    const stack = await loadDicomWeb({
      url: DICOMWEB,
      studyInstanceUID: series.studyInstanceUID,
      seriesInstanceUID: series.seriesInstanceUID,
      prefetch: false,
      headers: () => ({ Authorization: `Bearer token-${++calls}` }),
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('Authorization') ?? '');
        return fetch(input, init);
      },
    });
    await stack.getFrame(0);
    expect(seen).to.deep.equal(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
  });
});
