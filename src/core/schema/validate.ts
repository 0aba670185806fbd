import type { Annotation, AnnotationFields } from '../annotation/types.js';
import { regionRleArea } from '../mask/rle.js';
import { isVolumeRle } from '../mask/volume-handle.js';
import { VoxmarkError } from '../errors.js';
import { attributeValueProblem, escapePointer, ProblemCode, type Problem } from './parse.js';
import type { LabelDef, LabelSchema } from './types.js';

/** What validateDocument reads: an AnnotationDocument, a parsed document, or any object with `annotations`. */
export interface AnnotationsLike {
  readonly annotations: readonly (Annotation | AnnotationFields)[];
}

export interface ValidateOptions {
  /** Number of slices of the stack: annotations on other slices are reported. */
  depth?: number;
}

/**
 * Checks every annotation of a document against a label schema and returns every problem found (an empty
 * list when the document is valid): unknown labels, kinds the label does not allow, missing geometry,
 * missing required attributes, attributes the label does not define, values of the wrong type or outside
 * their range or options, empty masks, zero-size boxes, polygons with fewer than three points, duplicate
 * annotation ids. Each problem carries a JSON Pointer (`/annotations/<index>/...`) and the annotation id.
 */
export function validateDocument(
  doc: AnnotationsLike,
  schema: LabelSchema,
  options: ValidateOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  const labels = new Map<string, LabelDef>(schema.labels.map((l) => [l.id, l]));
  const ids = new Set<string>();
  doc.annotations.forEach((a, i) => {
    const base = `/annotations/${i}`;
    const add = (code: ProblemCode, path: string, message: string) =>
      problems.push({ code, path: base + path, message, annotationId: a.id });
    if (ids.has(a.id)) add(ProblemCode.DuplicateId, '/id', `annotation id '${a.id}' is used twice`);
    ids.add(a.id);
    if (
      options.depth !== undefined &&
      !(Number.isInteger(a.slice) && a.slice >= 0 && a.slice < options.depth)
    ) {
      add(ProblemCode.SliceOutOfRange, '/slice', `slice ${a.slice} is outside 0…${options.depth - 1}`);
    }
    geometryProblems(a, add);
    const label = labels.get(a.label);
    if (!label) {
      add(ProblemCode.UnknownLabel, '/label', `label '${a.label}' is not in the schema`);
      return;
    }
    if (!label.kinds.includes(a.kind)) {
      add(
        ProblemCode.KindNotAllowed,
        '/kind',
        `label '${label.name}' does not allow ${a.kind} annotations (allowed: ${label.kinds.join(', ')})`,
      );
    }
    const defs = new Map((label.attributes ?? []).map((d) => [d.id, d]));
    const values = a.attributes ?? {};
    for (const def of defs.values()) {
      const v = values[def.id];
      const path = `/attributes/${escapePointer(def.id)}`;
      if (v === undefined || v === '') {
        if (def.required)
          add(ProblemCode.MissingAttribute, path, `required attribute '${def.name}' is missing`);
        continue;
      }
      const p = attributeValueProblem(def, v);
      if (p) add(p.code, path, `'${def.name}' ${p.message}`);
    }
    for (const key of Object.keys(values)) {
      if (!defs.has(key)) {
        add(
          ProblemCode.UnknownAttribute,
          `/attributes/${escapePointer(key)}`,
          `label '${label.name}' has no attribute '${key}'`,
        );
      }
    }
  });
  return problems;
}

function geometryProblems(
  a: AnnotationFields,
  add: (code: ProblemCode, path: string, message: string) => void,
): void {
  switch (a.kind) {
    case 'box':
      if (!a.box) add(ProblemCode.MissingGeometry, '/box', 'a box annotation needs a box');
      else if (!(a.box.width > 0 && a.box.height > 0))
        add(ProblemCode.EmptyGeometry, '/box', 'the box has no area');
      break;
    case 'polygon':
      if (!a.points) add(ProblemCode.MissingGeometry, '/points', 'a polygon annotation needs points');
      else if (a.points.length < 3)
        add(ProblemCode.EmptyGeometry, '/points', 'a polygon needs at least 3 points');
      break;
    case 'mask':
    case 'volume': {
      // A volume is one instance: it is checked (and counted) once, over all its slices.
      if (!a.mask) {
        add(ProblemCode.MissingGeometry, '/mask', `a ${a.kind} annotation needs a mask`);
        break;
      }
      let area = 0;
      try {
        const parts = isVolumeRle(a.mask) ? a.mask.slices : [a.mask];
        for (const m of parts) area += m.bbox[2] > 0 && m.bbox[3] > 0 ? regionRleArea(m) : 0;
      } catch (e) {
        add(
          ProblemCode.EmptyMask,
          a.kind === 'mask' ? '/mask/rle' : '/mask/slices',
          `the ${a.kind} cannot be decoded: ${VoxmarkError.is(e) ? e.message : String(e)}`,
        );
        break;
      }
      if (area === 0) add(ProblemCode.EmptyMask, '/mask', `the ${a.kind} is empty`);
      break;
    }
    default:
      add(ProblemCode.Schema, '/kind', `unknown kind '${String(a.kind)}'`);
  }
}
