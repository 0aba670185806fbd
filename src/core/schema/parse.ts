/**
 * Label schema parsing: the published JSON Schema (docs/schemas/label-schema.json, compiled ahead of time
 * into a standalone validator) plus the checks a JSON Schema cannot express.
 */
import { ErrorCode, VoxmarkError } from '../errors.js';
import type { AttributeDef, LabelDef, LabelSchema } from './types.js';
import { validateLabelSchemaJson } from './validators.generated.js';

/** One problem found in a schema or a document. `path` is a JSON Pointer into the checked value. */
export interface Problem {
  /** Stable problem code, e.g. 'unknown-label', 'missing-attribute', 'schema'. */
  code: ProblemCode;
  /** JSON Pointer to the offending value, e.g. '/labels/2/attributes/0/default' or '/annotations/4/label'. */
  path: string;
  message: string;
  /** The annotation the problem is about (document problems only). */
  annotationId?: string;
}

export const ProblemCode = {
  /** The value breaks the JSON Schema (type, required field, pattern, ...). */
  Schema: 'schema',
  DuplicateId: 'duplicate-id',
  UnknownParent: 'unknown-parent',
  ParentCycle: 'parent-cycle',
  InvalidDefault: 'invalid-default',
  InvalidRange: 'invalid-range',
  UnknownLabel: 'unknown-label',
  KindNotAllowed: 'kind-not-allowed',
  MissingGeometry: 'missing-geometry',
  MissingAttribute: 'missing-attribute',
  UnknownAttribute: 'unknown-attribute',
  WrongType: 'wrong-type',
  OutOfRange: 'out-of-range',
  EmptyMask: 'empty-mask',
  EmptyGeometry: 'empty-geometry',
  SliceOutOfRange: 'slice-out-of-range',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns Ajv errors into problems: one per error, paths as JSON Pointers, if/then noise dropped. */
export function ajvProblems(errors: readonly AjvError[] | null | undefined, prefix = ''): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === 'if') continue; // the failing `then` is reported on its own
    let path = prefix + e.instancePath;
    let message = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') {
      path += `/${escapePointer(String(e.params['additionalProperty']))}`;
      message = 'is not allowed here';
    } else if (e.keyword === 'required') {
      path += `/${escapePointer(String(e.params['missingProperty']))}`;
      message = 'is required';
    } else if (e.keyword === 'enum') {
      message += `: ${JSON.stringify(e.params['allowedValues'])}`;
    } else if (e.keyword === 'const') {
      message += `: ${JSON.stringify(e.params['allowedValue'])}`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: ProblemCode.Schema, path: path || '/', message });
  }
  return out;
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Validates a label schema and returns a clean copy of it. Throws VoxmarkError('invalid-schema') whose
 * `details` is the full list of problems (`Problem[]`), each with its JSON path: structural problems from the
 * JSON Schema and semantic ones (duplicate ids, unknown or cyclic parents, defaults outside their type or range).
 */
export function parseLabelSchema(json: unknown): LabelSchema {
  const problems = labelSchemaProblems(json);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path}: ${p.message}`);
    const shown = list.slice(0, 5).join('; ') + (list.length > 5 ? `; and ${list.length - 5} more` : '');
    throw new VoxmarkError(ErrorCode.InvalidSchema, `Invalid label schema: ${shown}`, { details: problems });
  }
  return structuredClone(json) as LabelSchema;
}

/** Every problem in a label schema, or [] when it is valid. Never throws. */
export function labelSchemaProblems(json: unknown): Problem[] {
  if (!validateLabelSchemaJson(json)) {
    return ajvProblems((validateLabelSchemaJson as { errors?: AjvError[] }).errors);
  }
  return semanticProblems(json as LabelSchema);
}

function semanticProblems(schema: LabelSchema): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, number>();
  schema.labels.forEach((label, i) => {
    if (byId.has(label.id)) {
      problems.push({
        code: ProblemCode.DuplicateId,
        path: `/labels/${i}/id`,
        message: `label id '${label.id}' is already used by /labels/${byId.get(label.id)}`,
      });
    } else byId.set(label.id, i);
  });
  schema.labels.forEach((label, i) => {
    if (label.parent === undefined) return;
    if (!byId.has(label.parent)) {
      problems.push({
        code: ProblemCode.UnknownParent,
        path: `/labels/${i}/parent`,
        message: `parent '${label.parent}' is not a label id`,
      });
      return;
    }
    // Walk up: a cycle brings us back to a label already visited.
    const visited = new Set<string>([label.id]);
    let cur: LabelDef | undefined = label;
    while (cur?.parent !== undefined) {
      if (visited.has(cur.parent)) {
        problems.push({
          code: ProblemCode.ParentCycle,
          path: `/labels/${i}/parent`,
          message: `parents of '${label.id}' form a cycle through '${cur.parent}'`,
        });
        break;
      }
      visited.add(cur.parent);
      const idx = byId.get(cur.parent);
      cur = idx === undefined ? undefined : schema.labels[idx];
    }
  });
  schema.labels.forEach((label, i) => {
    const ids = new Map<string, number>();
    (label.attributes ?? []).forEach((attr, j) => {
      const path = `/labels/${i}/attributes/${j}`;
      if (ids.has(attr.id)) {
        problems.push({
          code: ProblemCode.DuplicateId,
          path: `${path}/id`,
          message: `attribute id '${attr.id}' is already used in this label`,
        });
      } else ids.set(attr.id, j);
      problems.push(...attributeDefProblems(attr, path));
    });
  });
  return problems;
}

function attributeDefProblems(attr: AttributeDef, path: string): Problem[] {
  const out: Problem[] = [];
  if (attr.type === 'number') {
    if (attr.min !== undefined && attr.max !== undefined && attr.min > attr.max) {
      out.push({
        code: ProblemCode.InvalidRange,
        path: `${path}/min`,
        message: `min ${attr.min} is above max ${attr.max}`,
      });
    }
  }
  if (attr.default !== undefined) {
    const msg = attributeValueProblem(attr, attr.default);
    if (msg)
      out.push({
        code: ProblemCode.InvalidDefault,
        path: `${path}/default`,
        message: `default ${msg.message}`,
      });
  }
  return out;
}

/**
 * Why `value` is not a valid value of attribute `attr`, or undefined when it is. Enum values with
 * `multiple` are option names joined by '|'.
 */
export function attributeValueProblem(
  attr: AttributeDef,
  value: unknown,
): { code: ProblemCode; message: string } | undefined {
  switch (attr.type) {
    case 'boolean':
      return typeof value === 'boolean'
        ? undefined
        : { code: ProblemCode.WrongType, message: 'must be a boolean' };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { code: ProblemCode.WrongType, message: 'must be a finite number' };
      if (attr.min !== undefined && value < attr.min)
        return { code: ProblemCode.OutOfRange, message: `${value} is below the minimum ${attr.min}` };
      if (attr.max !== undefined && value > attr.max)
        return { code: ProblemCode.OutOfRange, message: `${value} is above the maximum ${attr.max}` };
      return undefined;
    case 'text':
      if (typeof value !== 'string') return { code: ProblemCode.WrongType, message: 'must be a string' };
      if (attr.maxLength !== undefined && [...value].length > attr.maxLength)
        return { code: ProblemCode.OutOfRange, message: `is longer than ${attr.maxLength} characters` };
      return undefined;
    case 'enum': {
      if (typeof value !== 'string') return { code: ProblemCode.WrongType, message: 'must be a string' };
      const values = attr.multiple ? (value === '' ? [] : value.split('|')) : [value];
      const bad = values.filter((v) => !attr.options.includes(v));
      if (bad.length > 0)
        return {
          code: ProblemCode.OutOfRange,
          message: `${bad.map((b) => JSON.stringify(b)).join(', ')} is not one of ${JSON.stringify(attr.options)}`,
        };
      if (attr.multiple && new Set(values).size !== values.length)
        return { code: ProblemCode.OutOfRange, message: 'lists an option twice' };
      return undefined;
    }
  }
}

/** The label with id `id`, or undefined. */
export function findLabel(schema: LabelSchema, id: string): LabelDef | undefined {
  return schema.labels.find((l) => l.id === id);
}

/** The label's ancestors, nearest first (parent, grandparent, ...). Stops at a cycle. */
export function labelAncestors(schema: LabelSchema, id: string): LabelDef[] {
  const out: LabelDef[] = [];
  const seen = new Set<string>([id]);
  let cur = findLabel(schema, id);
  while (cur?.parent !== undefined && !seen.has(cur.parent)) {
    seen.add(cur.parent);
    cur = findLabel(schema, cur.parent);
    if (cur) out.push(cur);
  }
  return out;
}

/** The labelmap value of a label: its 1-based position in the schema (0 is background). 0 when unknown. */
export function labelValue(schema: LabelSchema, id: string): number {
  return schema.labels.findIndex((l) => l.id === id) + 1;
}

/** The default attribute values of a label: every attribute that declares a default. */
export function defaultAttributes(label: LabelDef): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of label.attributes ?? []) if (a.default !== undefined) out[a.id] = a.default;
  return out;
}
