import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { createImageStack } from '../../src/core/image/stack.js';
import '../../src/define.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { viewerHostContext, type ViewerChange, type ViewerHost } from '../../src/elements/viewer-host.js';
import { Line } from 'konva/lib/shapes/Line';
import { sendMouse, resetMouse } from '@web/test-runner-commands';

/** The crosshair layer from docs/viewer.md, verbatim apart from the import paths. */
class CrosshairLayer extends LitElement {
  #cleanup: (() => void)[] = [];
  #marks = new Map<number, [number, number]>(); // slice → image point
  lines: Line[] = [];

  constructor() {
    super();
    new ContextConsumer(this, {
      context: viewerHostContext,
      callback: (host) => host && this.#attach(host),
    });
  }

  #attach(host: ViewerHost) {
    const layer = host.createLayer('crosshair', { zIndex: 20 });
    const h = new Line({ stroke: '#0f0', strokeWidth: 1, strokeScaleEnabled: false });
    const v = h.clone();
    this.lines = [h, v];
    layer.add(h, v);
    const draw = () => {
      const p = this.#marks.get(host.slice);
      h.visible(!!p);
      v.visible(!!p);
      if (p) {
        h.points([p[0] - 5, p[1], p[0] + 5, p[1]]);
        v.points([p[0], p[1] - 5, p[0], p[1] + 5]);
      }
      host.requestDraw(layer);
    };
    this.#cleanup.push(
      () => layer.destroy(),
      host.subscribe((c) => c.slice && draw()),
      host.registerTool('crosshair', {
        cursor: 'crosshair',
        onPointerDown: (e) => {
          this.#marks.set(e.slice, [e.x, e.y]);
          draw();
        },
      }),
    );
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#cleanup.forEach((f) => f());
    this.#cleanup = [];
  }
}
customElements.define('crosshair-layer', CrosshairLayer);

/** A minimal layer element, written the way annotation layers find their host. */
class TestLayer extends LitElement {
  host: ViewerHost | undefined;
  consumer = new ContextConsumer(this, {
    context: viewerHostContext,
    subscribe: true,
    callback: (value) => {
      this.host = value;
    },
  });
}
customElements.define('test-viewer-layer', TestLayer);

function stack(depth = 5) {
  return createImageStack({
    width: 40,
    height: 20,
    frames: Array.from({ length: depth }, (_, z) => new Uint8Array(800).fill(z * 10)),
    dataType: 'uint8',
    spacing: [1, 2, 1],
  });
}

describe('ViewerHost contract', () => {
  it('reaches child layers through context and through closest()', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:200px;height:200px"><test-viewer-layer></test-viewer-layer></vx-viewer>`,
    );
    const layer = el.querySelector<TestLayer>('test-viewer-layer')!;
    expect(layer.host).to.equal(el);
    expect(layer.closest('vx-viewer')).to.equal(el);
    // The stage exists before any stack.
    expect(el.stage.getLayers().length).to.be.greaterThan(1);
  });

  it('notifies subscribers of what changed, and stops after unsubscribe', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
    const changes: ViewerChange[] = [];
    const off = el.subscribe((c) => changes.push(c));
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack();
    await loaded;
    expect(changes.some((c) => c.stack && c.document)).to.equal(true);
    expect(changes.some((c) => c.frame)).to.equal(true);
    changes.length = 0;
    el.slice = 2;
    el.zoom = 3;
    el.windowWidth = 30;
    el.tool = 'pan';
    el.labelSchema = { version: 1, labels: [{ id: 'a', name: 'A', color: '#ff0000', kinds: ['box'] }] };
    expect(changes.some((c) => c.slice)).to.equal(true);
    expect(changes.some((c) => c.view)).to.equal(true);
    expect(changes.some((c) => c.window)).to.equal(true);
    expect(changes.some((c) => c.tool)).to.equal(true);
    expect(changes.some((c) => c.labelSchema && c.activeLabel)).to.equal(true);
    expect(el.activeLabel).to.equal('a');
    off();
    changes.length = 0;
    el.slice = 3;
    expect(changes).to.have.length(0);
  });

  it('keeps a created layer in image coordinates through zoom, pan and aspect', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:200px;height:200px"></vx-viewer>`);
    const layer = el.createLayer('contract', { zIndex: 3 });
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack();
    await loaded;
    el.setView({ zoom: 2.5, centerX: 12, centerY: 7 });
    // Image point (10, 5) → stage point through the layer transform = imageToClient minus the element origin.
    const t = layer.getAbsoluteTransform().point({ x: 10, y: 5 });
    const [cx, cy] = el.imageToClient(10, 5);
    const r = el.getBoundingClientRect();
    expect(t.x).to.be.closeTo(cx - r.left, 1e-9);
    expect(t.y).to.be.closeTo(cy - r.top, 1e-9);
    expect(layer.scaleY()).to.equal(2.5 * 2);
    // Layers stack above the image in zIndex order.
    expect(layer.zIndex()).to.be.greaterThan(el.imageLayer.zIndex());
    expect(el.view.scaleY).to.equal(5);
  });

  it('batches requestDraw into one draw per frame', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:100px;height:100px"></vx-viewer>`);
    const layer = el.createLayer('batched');
    // Let the first size report settle (a stage resize redraws every layer at once, by Konva's design).
    await new Promise((r) => setTimeout(r, 100));
    await el.renderComplete;
    let draws = 0;
    const draw = layer.draw.bind(layer);
    layer.draw = () => {
      draws++;
      return draw();
    };
    for (let i = 0; i < 20; i++) el.requestDraw(layer);
    layer.x(5); // Konva's own auto-draw goes through the same scheduler
    await el.renderComplete;
    expect(draws).to.equal(1);
  });

  it('draws each layer once when the viewer is resized', async () => {
    const el = await fixture<VxViewer>(html`<vx-viewer style="width:100px;height:100px"></vx-viewer>`);
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack();
    await loaded;
    const layer = el.createLayer('resized');
    await new Promise((r) => setTimeout(r, 100));
    await el.renderComplete;
    let draws = 0;
    const draw = layer.draw.bind(layer);
    layer.draw = () => {
      draws++;
      return draw();
    };
    el.style.width = '160px';
    await new Promise((r) => setTimeout(r, 100));
    await el.renderComplete;
    expect(el.stage.width()).to.equal(160);
    expect(draws).to.equal(1);
  });

  it('runs the layer example from the docs', async () => {
    const el = await fixture<VxViewer>(
      html`<vx-viewer style="width:200px;height:200px" tool="crosshair"
        ><crosshair-layer></crosshair-layer
      ></vx-viewer>`,
    );
    const loaded = oneEvent(el, 'vx-load');
    el.stack = stack();
    await loaded;
    const layer = el.querySelector<CrosshairLayer>('crosshair-layer')!;
    const [x, y] = el.imageToClient(20.5, 10.5);
    await sendMouse({ type: 'click', position: [Math.round(x), Math.round(y)] });
    await resetMouse();
    const [ix, iy] = el.clientToImage(Math.round(x), Math.round(y));
    expect(layer.lines[0]!.visible()).to.equal(true);
    expect(layer.lines[0]!.points()).to.deep.equal([ix - 5, iy, ix + 5, iy]);
    el.slice = 1;
    expect(layer.lines[0]!.visible()).to.equal(false);
    el.slice = 0;
    expect(layer.lines[0]!.visible()).to.equal(true);
    layer.remove();
    expect(el.stage.getLayers().some((l) => l.name() === 'crosshair')).to.equal(false);
  });
});
