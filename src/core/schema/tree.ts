/**
 * The order labels are listed and numbered in (label picker, keys 1–9).
 * @module
 */
import type { LabelDef, LabelSchema } from './types.js';
/** A label as listed: its depth in the hierarchy and its parent's name. */
export interface LabelRow {
  label: LabelDef;
  depth: number;
  parentName?: string;
}

/**
 * Labels in tree order (children right under their parent), with their depth: the order the label picker
 * shows, and the order keys 1–9 (`label-1`…`label-9`) follow. Labels in a parent cycle come last.
 */
export function treeRows(schema: LabelSchema | undefined): LabelRow[] {
  if (!schema) return [];
  const ids = new Set(schema.labels.map((l) => l.id));
  const children = new Map<string | undefined, LabelDef[]>();
  for (const l of schema.labels) {
    const p = l.parent !== undefined && ids.has(l.parent) ? l.parent : undefined;
    const list = children.get(p) ?? [];
    list.push(l);
    children.set(p, list);
  }
  const rows: LabelRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: LabelDef | undefined, depth: number) => {
    for (const l of children.get(parent?.id) ?? []) {
      if (seen.has(l.id)) continue;
      seen.add(l.id);
      rows.push({ label: l, depth, ...(parent ? { parentName: parent.name } : {}) });
      walk(l, depth + 1);
    }
  };
  walk(undefined, 0);
  for (const l of schema.labels) if (!seen.has(l.id)) rows.push({ label: l, depth: 0 });
  return rows;
}
