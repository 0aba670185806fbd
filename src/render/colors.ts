/**
 * Label colours that need no drawing library: what the renderer, the object list and other controls share.
 * @module
 */

const FALLBACK = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6'];

/** A stable colour for labels the schema does not know. */
export function fallbackColor(label: string): string {
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) | 0;
  return FALLBACK[Math.abs(h) % FALLBACK.length]!;
}
