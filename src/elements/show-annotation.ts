/**
 * "Show me": brings an annotation into view in a viewer, for the controls that point at one (the label
 * picker's missing attributes, the export panel's validation warning).
 * @module
 */
import type { LinkedViewer } from './controllers/linked-viewer.js';

/**
 * Goes to the slice of annotation `id` in `viewer` and selects it alone. Returns false (and does nothing)
 * when the viewer's document has no such annotation.
 */
export function showAnnotation(viewer: LinkedViewer | undefined, id: string): boolean {
  const v = viewer as (LinkedViewer & { slice: number }) | undefined;
  const a = v?.document?.get(id);
  if (!v || !a) return false;
  if (v.slice !== a.slice) v.slice = a.slice;
  v.editor.selection.set([id]);
  return true;
}
