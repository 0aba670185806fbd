import { expect } from '@open-wc/testing';
import {
  createNavigationTools,
  type NavigationContext,
  type NavigationTool,
  type NavigationView,
  type ScreenPointerEvent,
} from '../../../src/core/tools/navigation.js';

/** A navigation context that records what the tools change, at zoom 2 with square pixels. */
function rig() {
  const calls: string[] = [];
  const state = {
    view: { zoom: 2, centerX: 50, centerY: 40, scaleX: 2, scaleY: 2 } as NavigationView,
    window: { center: 40, width: 400, step: 4, minWidth: 1 } as NavigationContext['window'],
    slice: 10,
  };
  const ctx: NavigationContext = {
    get view() {
      return state.view;
    },
    get window() {
      return state.window;
    },
    get slice() {
      return state.slice;
    },
    setCenter: (x, y) => {
      state.view = { ...state.view, centerX: x, centerY: y };
      calls.push(`center ${x} ${y}`);
    },
    zoomFrom: (start, zoom, x, y) => calls.push(`zoom ${start.zoom}→${zoom.toFixed(3)} at ${x},${y}`),
    setWindow: (c, w) => calls.push(`window ${c} ${w}`),
    goToSlice: (s) => calls.push(`slice ${s}`),
  };
  return { tools: createNavigationTools(ctx), calls, state };
}

const at = (clientX: number, clientY: number): ScreenPointerEvent => ({
  x: 0,
  y: 0,
  clientX,
  clientY,
  viewX: clientX - 100,
  viewY: clientY - 100,
});

function drag(t: NavigationTool<unknown>, from: [number, number], to: [number, number], steps = 2) {
  t.onPointerDown(at(...from));
  for (let i = 1; i <= steps; i++)
    t.onPointerMove(at(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps));
  t.onPointerUp(at(...to));
}

describe('navigation tools', () => {
  it('window: right is wider, down is a higher level, by the drag sensitivity per screen pixel', () => {
    const { tools, calls } = rig();
    drag(tools.window, [200, 200], [210, 205]);
    expect(calls).to.deep.equal(['window 50 420', 'window 60 440']);
    expect(tools.window.state).to.equal('idle');
  });

  it('window: never narrower than the minimum, and nothing for a colour image', () => {
    const r = rig();
    drag(r.tools.window, [200, 200], [0, 200], 1);
    expect(r.calls).to.deep.equal(['window 40 1']);
    r.state.window = undefined;
    drag(r.tools.window, [200, 200], [260, 260], 1);
    expect(r.calls).to.have.length(1);
  });

  it('pan: the image follows the pointer (screen pixels over the scale)', () => {
    const { tools, calls } = rig();
    drag(tools.pan, [100, 100], [120, 90], 1);
    expect(calls).to.deep.equal(['center 40 45']);
  });

  it('pan: shows the grabbing hand while dragging', () => {
    const { tools } = rig();
    expect(tools.pan.cursor).to.equal('grab');
    tools.pan.onPointerDown(at(1, 1));
    expect(tools.pan.cursor).to.equal('grabbing');
    tools.pan.cancel();
    expect(tools.pan.state).to.equal('idle');
  });

  it('zoom: up zooms in about the view point where the drag started', () => {
    const { tools, calls } = rig();
    drag(tools.zoom, [150, 130], [150, 130 - 150], 1);
    expect(calls).to.deep.equal([`zoom 2→${(2 * Math.E).toFixed(3)} at 50,30`]);
  });

  it('scroll: one slice per 6 screen pixels, from the slice where the drag started', () => {
    const { tools, calls } = rig();
    drag(tools.scroll, [0, 0], [0, 13], 1);
    drag(tools.scroll, [0, 0], [0, -6], 1);
    expect(calls).to.deep.equal(['slice 12', 'slice 9']);
  });

  it('cancel, complete and interrupt end a drag: later moves change nothing', () => {
    const { tools, calls } = rig();
    for (const end of ['cancel', 'complete', 'interrupt'] as const) {
      tools.scroll.onPointerDown(at(0, 0));
      tools.scroll[end]();
      tools.scroll.onPointerMove(at(0, 60));
    }
    expect(calls).to.deep.equal([]);
  });
});
