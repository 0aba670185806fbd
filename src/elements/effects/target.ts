/**
 * What `<vx-segment-effects>` applies an effect to, and how a result goes back into the document as one undo
 * step: the selected volume instance, or the per-slice masks of the selected mask's label, which the result
 * replaces with one volume instance.
 * @module
 */
import type { AnnotationDocument } from '../../core/annotation/document.js';
import type { Annotation } from '../../core/annotation/types.js';
import { createVolume, type Volume } from '../../core/mask/volume.js';

/** The selected volume instance, or every mask annotation of the selected mask's label as one volume. */
export type EffectTarget =
  | { type: 'volume'; id: string; label: string; volume: Volume }
  | { type: 'masks'; ids: string[]; label: string; volume: Volume };

/** The effect's target for the selection (the first volume or mask selected), or undefined. */
export function resolveTarget(
  doc: AnnotationDocument | undefined,
  selected: Iterable<string>,
  depth: number,
): EffectTarget | undefined {
  if (!doc) return undefined;
  for (const id of selected) {
    const a = doc.get(id);
    if (a?.kind === 'volume') {
      const volume = doc.getVolume(id);
      if (volume) return { type: 'volume', id, label: a.label, volume };
    }
    if (a?.kind === 'mask') return masksOfLabel(doc, a.label, depth);
  }
  return undefined;
}

/** Every mask annotation of `label`, painted into one volume (a slice's masks are joined). */
export function masksOfLabel(doc: AnnotationDocument, label: string, depth: number): EffectTarget {
  const volume = createVolume(doc.width, doc.height, depth);
  const area = doc.width * doc.height;
  const ids: string[] = [];
  for (const a of doc.annotations) {
    if (a.kind !== 'mask' || a.label !== label || a.slice >= depth) continue;
    ids.push(a.id);
    const full = doc.getSparseMask(a.id)?.toFull();
    if (!full) continue;
    const base = a.slice * area;
    for (let i = 0; i < area; i++) if (full[i]) volume.data[base + i] = 1;
  }
  return { type: 'masks', ids, label, volume };
}

/**
 * Writes `result` into the target as one undo step: the volume instance's voxels are replaced, or the masks
 * are replaced by a new volume instance of their label. Returns the id of the volume that holds the result.
 */
export function applyResult(doc: AnnotationDocument, target: EffectTarget, result: Volume): string {
  if (target.type === 'volume') {
    doc.update(target.id, { mask: { data: result.data } });
    return target.id;
  }
  return doc.transact(() => {
    const added = doc.add({ kind: 'volume', label: target.label, mask: { data: result.data } }) as Annotation;
    if (target.ids.length) doc.remove(target.ids);
    return added.id;
  });
}

/**
 * Writes islands into the document as one undo step: the first replaces the target, each other becomes a new
 * volume instance of the same label. Returns the ids, the target's first.
 */
export function applySplit(doc: AnnotationDocument, target: EffectTarget, parts: Volume[]): string[] {
  if (parts.length === 0) return [];
  return doc.transact(() => {
    const first = applyResult(doc, target, parts[0]!);
    const rest = parts
      .slice(1)
      .map(
        (p) => (doc.add({ kind: 'volume', label: target.label, mask: { data: p.data } }) as Annotation).id,
      );
    return [first, ...rest];
  });
}

/** The volume instances of a document other than `except`, for the logical operations' second operand. */
export function otherVolumes(doc: AnnotationDocument | undefined, except: string | undefined): Annotation[] {
  return doc ? doc.annotations.filter((a) => a.kind === 'volume' && a.id !== except) : [];
}
