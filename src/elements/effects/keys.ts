/**
 * The keys and the event of `<vx-segment-effects>`.
 * @module
 */
import type { Keymap } from '../../core/keymap.js';

/**
 * Keymap actions of the effects panel and their default keys: Shift + a letter, which no viewer or
 * annotation action uses. The panel adds the actions a viewer's keymap lacks; a host remaps them like any
 * other (`viewer.keymap = { ...viewer.keymap, 'effect-smooth': ['Alt+s'] }`). Enter accepts a preview
 * (the viewer's `complete`), Escape cancels it (`cancel`).
 */
export const EFFECTS_KEYMAP = {
  /** Fill between slices: shows the preview; Enter accepts it. */
  'effect-fill-between': ['Shift+f'],
  /** Islands: keep the largest. */
  'effect-keep-largest': ['Shift+k'],
  /** Fill holes, in the panel's mode (3D by default). */
  'effect-fill-holes': ['Shift+h'],
  /** Smoothing with the panel's method and kernel. */
  'effect-smooth': ['Shift+s'],
  /** Margin by the panel's millimetres (negative shrinks). */
  'effect-margin': ['Shift+m'],
  /** Threshold with the panel's range: shows the preview; Enter accepts it. */
  'effect-threshold': ['Shift+t'],
  /** Grow from seeds: runs (or updates) the preview; Enter accepts it. */
  'effect-grow-from-seeds': ['Shift+g'],
} as const satisfies Keymap;

export type EffectAction = keyof typeof EFFECTS_KEYMAP;

/** The effects the panel applies, as `vx-effect-apply` names them. */
export type EffectName =
  | 'fill-between'
  | 'keep-largest'
  | 'remove-small'
  | 'keep-clicked'
  | 'split'
  | 'fill-holes'
  | 'smooth'
  | 'margin'
  | 'logical'
  | 'threshold'
  | 'grow-from-seeds';

/** `vx-effect-apply`: an effect changed the document (one undo step); `detail.ids` holds the volumes it wrote. */
export class VxEffectApplyEvent extends CustomEvent<{ effect: EffectName; ids: string[] }> {
  static readonly type = 'vx-effect-apply';
  constructor(effect: EffectName, ids: string[]) {
    super(VxEffectApplyEvent.type, { bubbles: true, composed: true, detail: { effect, ids } });
  }
}
