/**
 * The key a draft is stored under: a SHA-256 hash of the stack's identity (Study, Series and SOP Instance
 * UIDs for DICOM; the pixel content of the first, middle and last frame otherwise) and of the host's own
 * key, so the same series opened again finds its draft while the stored key reveals none of the UIDs.
 * @module
 */
import type { ImageStack } from '../../core/image/types.js';

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What identifies a DICOM stack, or undefined when its slices carry no SOP Instance UIDs. */
function dicomIdentity(stack: ImageStack): string | undefined {
  if (!stack.slices.every((s) => s.sopInstanceUID)) return undefined;
  const m = stack.metadata;
  const parts = [
    'dicom',
    typeof m['studyInstanceUID'] === 'string' ? m['studyInstanceUID'] : '',
    typeof m['seriesInstanceUID'] === 'string' ? m['seriesInstanceUID'] : '',
    ...stack.slices.map((s) => `${s.sopInstanceUID}#${s.frameNumber ?? ''}`),
  ];
  return parts.join('\n');
}

/** Bytes of the first, middle and last frame, with the stack's size and type. */
async function contentIdentity(stack: ImageStack, signal?: AbortSignal): Promise<Uint8Array[]> {
  const head = encoder.encode(
    [
      'content',
      stack.format,
      stack.width,
      stack.height,
      stack.depth,
      stack.samplesPerPixel,
      stack.dataType,
    ].join('\n'),
  );
  const picks = [...new Set([0, Math.floor(stack.depth / 2), stack.depth - 1])];
  const frames = await Promise.all(picks.map((i) => stack.getFrame(i, { signal })));
  return [head, ...frames.map((f) => new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength))];
}

/**
 * The draft key of `stack`, optionally qualified by the host's own key (a task id, a user): `vx1-` and 64 hex
 * digits. Decodes up to three frames for stacks without SOP Instance UIDs (TIFF, files without UIDs).
 */
export async function draftKey(stack: ImageStack, hostKey = '', signal?: AbortSignal): Promise<string> {
  const identity = dicomIdentity(stack);
  const parts = identity !== undefined ? [encoder.encode(identity)] : await contentIdentity(stack, signal);
  parts.push(encoder.encode(`\nhost:${hostKey}`));
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return `vx1-${hex(await crypto.subtle.digest('SHA-256', all))}`;
}
