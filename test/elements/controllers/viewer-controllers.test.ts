import { expect, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createImageStack } from '../../../src/core/image/stack.js';
import { KEY_PRECEDENCE } from '../../../src/elements/controllers/keyboard-controller.js';
import { blankStack, mount } from '../helpers.js';

const viewer = (size = 200) =>
  html`<vx-viewer style="width:${size}px;height:${size}px;display:block"></vx-viewer>`;

describe('viewport controller: fit and manual are one mode', () => {
  it('a fitted image follows resizes; a zoomed one keeps its zoom and centre', async () => {
    const { viewer: el } = await mount(viewer(240), { stack: blankStack() });
    const fitted = el.zoom;
    el.style.width = '480px';
    el.style.height = '360px';
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(el.zoom).to.be.greaterThan(fitted);
    el.setView({ zoom: 3, centerX: 20, centerY: 30 });
    el.style.width = '300px';
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect([el.view.zoom, el.view.centerX, el.view.centerY]).to.deep.equal([3, 20, 30]);
    el.fit();
    expect(el.zoom).to.not.equal(3);
  });
});

describe('stack controller: one load phase', () => {
  it('goes empty → loading → ready, and error for a file that is not an image', async () => {
    const { viewer: el } = await mount(viewer());
    expect(el.phase).to.equal('empty');
    const loaded = oneEvent(el, 'vx-load');
    el.stack = blankStack(3);
    expect(['loading', 'ready']).to.include(el.phase);
    await loaded;
    expect(el.phase).to.equal('ready');
    const failed = oneEvent(el, 'vx-error');
    void el.open(new Uint8Array([1, 2, 3, 4]));
    expect(el.phase).to.equal('loading');
    await failed;
    expect(el.phase).to.equal('error');
  });

  it('a second open aborts the first: only the last load is shown', async () => {
    const { viewer: el } = await mount(viewer());
    const a = createImageStack({ width: 8, height: 8, frames: [new Int16Array(64)], dataType: 'int16' });
    const loads: number[] = [];
    el.addEventListener('vx-load', (e) => loads.push(e.detail.stack.width));
    const first = el.open(new Uint8Array([9, 9, 9, 9]));
    el.stack = a;
    await first;
    await el.renderComplete;
    expect(el.stack).to.equal(a);
    expect(el.error).to.equal(undefined);
    expect(loads).to.deep.equal([8]);
  });
});

describe('keyboard controller: one precedence table', () => {
  it('the active tool, then the editor (registered actions), then the viewer', async () => {
    expect([...KEY_PRECEDENCE]).to.deep.equal(['tool', 'editor', 'viewer']);
    const { viewer: el } = await mount(viewer(), { stack: blankStack(20) });
    const seen: string[] = [];
    el.registerTool('probe', {
      onKeyDown: (e) => (seen.push(`tool ${e.key}`), e.key === 'ArrowUp'),
    });
    el.tool = 'probe';
    const off = el.registerAction('slice-next', () => (seen.push('editor slice-next'), false));
    el.slice = 5;
    el.focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(el.slice).to.equal(5);
    await sendKeys({ press: 'ArrowDown' });
    expect(el.slice).to.equal(6);
    off();
    el.registerAction('slice-next', () => (seen.push('editor takes it'), true));
    await sendKeys({ press: 'ArrowDown' });
    expect(el.slice).to.equal(6);
    expect(seen).to.deep.equal([
      'tool ArrowUp',
      'tool ArrowDown',
      'editor slice-next',
      'tool ArrowDown',
      'editor takes it',
    ]);
  });
});
