/**
 * Loads the effect functions once for every panel of the page (see `effect-functions.ts`).
 * @module
 */
import type * as EffectModule from './effect-functions.js';
import { lazyModule } from '../../core/util/lazy.js';

export type EffectFunctions = typeof EffectModule;

let loaded: EffectFunctions | undefined;

/** Starts loading the effect functions (once); resolves when they are there. */
export const loadEffects = lazyModule(() => import('./effect-functions.js').then((m) => (loaded = m)));

/** The effect functions once loaded, else undefined (the panel then says it is still loading). */
export function loadedEffects(): EffectFunctions | undefined {
  return loaded;
}
