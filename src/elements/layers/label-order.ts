/**
 * Viewers with a bound label picker.
 * @module
 */
/**
 * Viewers with a bound label picker, by count: the picker then handles keys 1–9 itself (so it fires
 * `vx-active-label-change`), and the annotation layers' fallback handlers step aside.
 */
export const labelKeyOwners = new WeakMap<object, number>();
