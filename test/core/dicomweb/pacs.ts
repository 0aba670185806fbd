/**
 * The test PACS from the browser's side: asks the test server (scripts/orthanc-plugin.mjs) to start
 * Orthanc, and tells a suite to skip (or, in CI, fail) when it cannot.
 */
import type { ImageStack } from '../../../src/core/image/types.js';

export interface PacsSeries {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  description: string;
  transferSyntaxUID: string;
  /** URLs of the uploaded files, byte for byte. */
  files: string[];
}

export interface PacsStatus {
  available: boolean;
  reason?: string;
  ci: boolean;
  series: PacsSeries[];
}

/** DICOMweb root of the test PACS, proxied by the test server. */
export const DICOMWEB = '/dicom-web';

/** The same root through a fault of the test server: '401', 'truncate', 'drop', 'stall', … */
export function faultUrl(mode: string): string {
  return `/__pacs_fault__/${mode}/dicom-web`;
}

let status: Promise<PacsStatus> | undefined;

export function pacsStatus(): Promise<PacsStatus> {
  status ??= fetch('/__pacs__/status')
    .then((r) => r.json())
    .then((s: { available: boolean; reason?: string; ci: boolean; manifest?: { series: PacsSeries[] } }) => ({
      available: s.available,
      ci: s.ci,
      ...(s.reason ? { reason: s.reason } : {}),
      series: (s.manifest?.series ?? []).map((x) => ({
        ...x,
        files: x.files.map((f) => `/__pacs__/files/${f}`),
      })),
    }));
  return status;
}

/**
 * For a suite's `before`: resolves with the PACS, skips the suite with the reason when Orthanc cannot run
 * here, and fails it in CI, where Orthanc must run.
 */
export async function requirePacs(context: Mocha.Context): Promise<PacsStatus> {
  const s = await pacsStatus();
  if (!s.available) {
    if (s.ci) throw new Error(`The DICOMweb tests need Orthanc in CI: ${s.reason}`);
    console.warn(`Skipping DICOMweb tests: ${s.reason}`);
    context.skip();
  }
  return s;
}

export function seriesByDescription(s: PacsStatus, text: string): PacsSeries {
  const found = s.series.find((x) => x.description.includes(text));
  if (!found) throw new Error(`The test PACS holds no series "${text}"`);
  return found;
}

/** Every frame of a stack, in order. */
export async function allFrames(stack: ImageStack): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < stack.depth; i++) out.push(Array.from((await stack.getFrame(i)).data));
  return out;
}
