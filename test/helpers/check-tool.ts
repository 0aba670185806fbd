/**
 * Asks a third-party validator, run by the test server (scripts/check-tools-plugin.mjs), about bytes a
 * test produced. `available` is false where the tool is not installed; callers then skip with a reason.
 */
export interface ToolReport {
  available: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type CheckTool = 'dciodvfy' | 'dcentvfy' | 'dcmdump' | 'nibabel' | 'pydicom' | 'pycocotools';

/**
 * Runs `tool` on the bytes of one file, or of several (dcentvfy compares the entities of several files).
 */
export async function checkWithTool(
  tool: CheckTool,
  bytes: ArrayBuffer | Uint8Array | (ArrayBuffer | Uint8Array)[],
): Promise<ToolReport> {
  const parts = (Array.isArray(bytes) ? bytes : [bytes]).map((b) =>
    b instanceof Uint8Array ? b : new Uint8Array(b),
  );
  const res = await fetch(`/__voxmark_check__/${tool}`, {
    method: 'POST',
    body: new Blob(parts as BlobPart[]),
    headers: { 'x-voxmark-parts': parts.map((p) => p.length).join(',') },
  });
  if (!res.ok) throw new Error(`check endpoint answered ${res.status} for ${tool}`);
  return (await res.json()) as ToolReport;
}

/** Lines of a dicom3tools report that are errors (`Error - …`). */
export function dicom3toolsErrors(report: ToolReport): string[] {
  return `${report.stdout}\n${report.stderr}`.split('\n').filter((l) => /^Error/.test(l.trim()));
}
