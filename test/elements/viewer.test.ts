import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';

function rampStack(width = 64, height = 64, depth = 5) {
  const frames: Int16Array[] = [];
  for (let z = 0; z < depth; z++) {
    const f = new Int16Array(width * height);
    for (let i = 0; i < f.length; i++) f[i] = (i % width) * 10 + z;
    frames.push(f);
  }
  return createImageStack({ width, height, frames, dataType: 'int16' });
}

describe('vx-viewer (smoke)', () => {
  it('shows a stack and fires vx-load', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
    const loaded = oneEvent(el, 'vx-load');
    el.stack = rampStack();
    await loaded;
    expect(el.frame).to.not.equal(undefined);
    expect(el.windowWidth).to.be.greaterThan(0);
  });
});
