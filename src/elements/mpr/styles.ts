/**
 * Styles of `<vx-mpr>`: the 1×3 and 2×2 grids, the crosshair lines over each view, and the aside cell.
 * @module
 */
import { css } from 'lit';

export const mprStyles = css`
  :host {
    display: grid;
    gap: var(--vx-mpr-gap, 2px);
    width: 100%;
    height: 480px;
    background: var(--vx-mpr-background, #222);
    grid-template-columns: repeat(3, minmax(0, 1fr));
    grid-template-rows: minmax(0, 1fr);
  }
  :host([layout='2x2']) {
    grid-template-columns: repeat(2, minmax(0, 1fr));
    grid-template-rows: repeat(2, minmax(0, 1fr));
  }
  :host([hidden]) {
    display: none;
  }
  .cell {
    position: relative;
    min-width: 0;
    min-height: 0;
  }
  vx-viewer {
    height: 100%;
  }
  .crosshair {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
    overflow: hidden;
  }
  .crosshair line {
    stroke-width: var(--vx-crosshair-width, 1px);
    opacity: var(--vx-crosshair-opacity, 0.85);
  }
  .aside {
    overflow: auto;
    background: var(--vx-mpr-aside-background, #111);
    color: var(--vx-mpr-aside-color, #e8e8e8);
  }
  :host(:not([layout='2x2'])) .aside {
    display: none;
  }
`;
