/**
 * The volume annotations of a document as one frame of a plane shows them, for the annotation renderer.
 * @module
 */
import { maskOf, type AnnotationDocument } from '../../core/annotation/document.js';
import type { Annotation } from '../../core/annotation/types.js';
import { planeMask, type VoxelReader } from '../../core/mask/paint-3d.js';
import type { SparseMask } from '../../core/mask/sparse-mask.js';
import { showsSourceSlices, type ToolPlane } from '../../core/tools/plane.js';
import type { PlaneVolume } from '../../render/annotation-renderer.js';

interface Entry {
  /** The annotation's voxels (a new handle per edit), the plane and the slice the mask was made for. */
  handle: unknown;
  plane: ToolPlane;
  slice: number;
  mask: SparseMask | undefined;
}

/**
 * Keeps the frame-sized mask of every volume annotation for the frame on screen, and makes it again only
 * for a volume that changed, another slice or another plane: on the source's own slices that is the
 * volume's slice itself (no copy), in another plane `planeMask` (about a millisecond for a liver). In another
 * plane the per-slice masks show too, each as the line its slice crosses the frame in.
 */
export class PlaneVolumes {
  readonly #cache = new Map<string, Entry>();

  /** The volumes of `doc` with voxels in frame `slice` of `plane`, in drawing order. */
  at(doc: AnnotationDocument | undefined, plane: ToolPlane | undefined, slice: number): PlaneVolume[] {
    const out: PlaneVolume[] = [];
    if (!doc || !plane) {
      this.#cache.clear();
      return out;
    }
    const seen = new Set<string>();
    const source = showsSourceSlices(plane);
    for (const annotation of doc.annotations) {
      if (annotation.kind !== 'volume' && (source || annotation.kind !== 'mask')) continue;
      seen.add(annotation.id);
      let entry = this.#cache.get(annotation.id);
      if (!entry || entry.handle !== annotation.mask || entry.plane !== plane || entry.slice !== slice) {
        const volume =
          annotation.kind === 'mask' ? sliceReader(doc, annotation) : doc.getSparseVolume(annotation.id);
        let mask = volume && (source ? volume.slice(slice) : planeMask(volume, plane, slice));
        if (mask?.isEmpty()) mask = undefined;
        entry = { handle: annotation.mask, plane, slice, mask };
        this.#cache.set(annotation.id, entry);
      }
      if (entry.mask) out.push({ annotation, mask: entry.mask });
    }
    for (const id of [...this.#cache.keys()]) if (!seen.has(id)) this.#cache.delete(id);
    return out;
  }
}

/** A per-slice mask read as a volume that is empty but for its slice. */
function sliceReader(doc: AnnotationDocument, a: Annotation): VoxelReader | undefined {
  const mask = maskOf(a);
  if (!mask || doc.depth === undefined) return undefined;
  return {
    width: doc.width,
    height: doc.height,
    depth: doc.depth,
    get: (x, y, z) => (z === a.slice ? mask.get(x, y) : 0),
    slice: (z) => (z === a.slice ? mask : undefined),
  };
}
