/**
 * Loads the Konva side of the viewer (`src/render/stage-modules.ts`: Konva, the stage, the annotation renderer)
 * once per page, on the first `<vx-viewer>`: one `import()` shared by every viewer. Once it is loaded, later
 * viewers make their stage synchronously, in their constructor.
 * @module
 */
import type * as StageModulesNamespace from '../../render/stage-modules.js';
import type { ViewerStage } from '../../render/viewer-stage.js';
import { lazyModule } from '../../core/util/lazy.js';

/** What the lazily loaded module exports. */
export type StageModules = typeof StageModulesNamespace;

let loaded: StageModules | undefined;

/** The stage modules, loading them on the first call; every later call shares the same promise. */
export const loadStageModules = lazyModule(() =>
  import('../../render/stage-modules.js').then((m) => (loaded = m)),
);

/** The stage modules when already loaded (then a viewer makes its stage synchronously), else undefined. */
export function stageModules(): StageModules | undefined {
  return loaded;
}

/**
 * Elements inside a viewer that ask it for `viewerHostContext` but never touch its stage (the built-in layers
 * and linked controls): the viewer answers them at once. Other consumers (host-written layers, which may call
 * `createLayer()` in their context callback) are answered once the stage exists.
 */
export const stageFreeConsumers = new WeakSet<Element>();

/** A viewer's stage, once made, and what waits for it. */
export class StageSlot {
  stage: ViewerStage | undefined;
  #waiting: ((stage: ViewerStage, modules: StageModules) => void)[] = [];

  /** Calls `use` with the stage now if it exists, else right after it is made (before `updateComplete`). */
  when(use: (stage: ViewerStage, modules: StageModules) => void): void {
    if (this.stage && loaded) use(this.stage, loaded);
    else this.#waiting.push(use);
  }

  /** The stage is made: runs everything that waited for it, in order. */
  fill(stage: ViewerStage, modules: StageModules): void {
    this.stage = stage;
    for (const use of this.#waiting.splice(0)) use(stage, modules);
  }
}
