/**
 * Konva and the renderers load with the first viewer (one shared `import()`): the first viewer of the page is
 * made without a stage, and everything done to it before Konva arrives (a stack and its view, layers, a host
 * layer that draws in its context callback) must be on screen once `updateComplete` resolves.
 * This file's first test must stay first: it needs a page where no viewer has loaded Konva yet.
 */
import { expect, oneEvent } from '@open-wc/testing';
import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { createImageStack } from '../../src/core/image/stack.js';
import { VoxmarkError } from '../../src/core/errors.js';
import '../../src/define.js';
import { loadStageModules, stageModules } from '../../src/elements/viewer/stage-loader.js';
import { viewerHostContext, type StageLayer } from '../../src/elements/viewer-host.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';

/** A host layer that makes its Konva layer as soon as it gets the viewer. */
class EagerLayer extends LitElement {
  layer: StageLayer | undefined;
  constructor() {
    super();
    new ContextConsumer(this, {
      context: viewerHostContext,
      callback: (host) => {
        if (host) this.layer = host.createLayer('eager', { zIndex: 30 });
      },
    });
  }
}
customElements.define('eager-test-layer', EagerLayer);

/** 64 × 48, two slices, a bright right half. */
function brightStack() {
  const frames = [0, 1].map(() => Int16Array.from({ length: 64 * 48 }, (_, i) => (i % 64 >= 32 ? 1000 : 0)));
  return createImageStack({ width: 64, height: 48, frames, dataType: 'int16', spacing: [1, 1, 1] });
}

/** The brightest red value on the image canvas. */
function brightest(el: VxViewer): number {
  const canvas = el.imageLayer.getNativeCanvasElement();
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let max = 0;
  for (let i = 0; i < data.length; i += 4) max = Math.max(max, data[i]);
  return max;
}

describe('vx-viewer: Konva loads with the first viewer', () => {
  it('queues what is done before the stage exists, and updateComplete waits for the stage', async () => {
    expect(stageModules(), 'no viewer has loaded Konva yet on this page').to.equal(undefined);
    const el = document.createElement('vx-viewer');
    expect(() => el.stage).to.throw(VoxmarkError);
    el.style.cssText = 'display:block;width:320px;height:240px';
    el.innerHTML = '<vx-box-layer></vx-box-layer><eager-test-layer></eager-test-layer>';
    document.body.append(el);
    try {
      // Built-in layers join at once (their tools work before Konva); a host layer waits for the stage.
      expect([...el.layerKinds]).to.deep.equal(['box']);
      const eager = el.querySelector<EagerLayer>('eager-test-layer')!;
      expect(eager.layer).to.equal(undefined);
      const loaded = oneEvent(el, 'vx-load');
      el.stack = brightStack();
      await el.updateComplete;
      expect(el.stage.width()).to.equal(320);
      expect(eager.layer?.getStage()).to.equal(el.stage);
      expect(el.annotationRenderer).to.not.equal(undefined);
      await loaded;
      await el.renderComplete;
      expect(brightest(el)).to.be.greaterThan(200);
    } finally {
      el.remove();
    }
  });

  it('later viewers make their stage in their constructor, from the one shared import', async () => {
    expect(loadStageModules()).to.equal(loadStageModules());
    await loadStageModules();
    const el = document.createElement('vx-viewer');
    expect(el.stage.getLayers().length).to.equal(3);
    expect(el.createLayer('now').getStage()).to.equal(el.stage);
  });
});
