/**
 * The outline icons the toolbar and the label picker share.
 * @module
 */
import { html } from 'lit';

/** 20×20 outline icons of the annotation UI (stroke = currentColor), as SVG path data. */
export const ICONS: Record<string, string> = {
  select: 'M5 3 L5 16 L8.5 12.5 L11 18 L13 17 L10.5 11.5 L15 11.5 Z',
  pan: 'M10 2 L10 18 M2 10 L18 10 M10 2 L7.5 4.5 M10 2 L12.5 4.5 M10 18 L7.5 15.5 M10 18 L12.5 15.5 M2 10 L4.5 7.5 M2 10 L4.5 12.5 M18 10 L15.5 7.5 M18 10 L15.5 12.5',
  window: 'M10 3 A7 7 0 1 0 10 17 Z M10 3 A7 7 0 0 1 10 17',
  box: 'M4 5 H16 V15 H4 Z',
  polygon: 'M10 3 L17 8 L14.5 16 L5.5 16 L3 8 Z',
  brush: 'M14 3 L17 6 L9 14 L6 11 Z M6 11 C3 12 3 15 2.5 17.5 C5 17 8 17 9 14',
  eraser: 'M11 3 L17 9 L10 16 L6 16 L3 13 Z M7 7 L13 13 M6 16 H17',
  'brush-3d': 'M10 3 A7 7 0 1 0 10 17 A7 7 0 1 0 10 3 M3 10 A7 2.5 0 0 0 17 10 M10 3 A2.5 7 0 0 0 10 17',
  fill: 'M4 9 L10 3 L16 9 L10 15 Z M16 12 C16 12 18 14.5 18 15.5 A2 2 0 0 1 14 15.5 C14 14.5 16 12 16 12',
  undo: 'M7 4 L3 8 L7 12 M3 8 H12 A5 5 0 0 1 12 18 H8',
  redo: 'M13 4 L17 8 L13 12 M17 8 H8 A5 5 0 0 0 8 18 H12',
  hide: 'M2 10 C5 5 15 5 18 10 C15 15 5 15 2 10 Z M10 7.5 A2.5 2.5 0 1 0 10 12.5 A2.5 2.5 0 1 0 10 7.5 M3 17 L17 3',
  show: 'M2 10 C5 5 15 5 18 10 C15 15 5 15 2 10 Z M10 7.5 A2.5 2.5 0 1 0 10 12.5 A2.5 2.5 0 1 0 10 7.5',
  lock: 'M5 9 H15 V17 H5 Z M7 9 V6 A3 3 0 0 1 13 6 V9',
  delete: 'M4 6 H16 M8 6 V4 H12 V6 M6 6 L7 17 H13 L14 6 M9 9 V14 M11 9 V14',
  'copy-previous': 'M6 8 H14 V17 H6 Z M10 2 L7 5 M10 2 L13 5 M10 2 V6',
  'copy-next': 'M6 3 H14 V12 H6 Z M10 18 L7 15 M10 18 L13 15 M10 18 V14',
  unlock: 'M5 9 H15 V17 H5 Z M7 9 V6 A3 3 0 0 1 13 5',
  line: 'M3 17 L17 3 M3 17 L3 13.5 M3 17 L6.5 17 M17 3 L13.5 3 M17 3 L17 6.5',
  angle: 'M3 17 L17 17 M3 17 L13 4 M9 17 A6 6 0 0 0 6.6 12.2',
  outline: 'M10 3 A7 7 0 1 0 10 17 A7 7 0 1 0 10 3 M10 6 A4 4 0 1 0 10 14 A4 4 0 1 0 10 6',
  'paint-empty': 'M3 3 H12 V12 H3 Z M8 12 V17 H17 V8 H12',
};

/** An `aria-hidden` SVG of icon `name`, drawn in `currentColor`. */
export function icon(name: string, size = 20) {
  return html`<svg viewBox="0 0 20 20" width=${size} height=${size} aria-hidden="true" focusable="false">
    <path
      d=${ICONS[name] ?? ''}
      fill="none"
      stroke="currentColor"
      stroke-width="1.6"
      stroke-linejoin="round"
      stroke-linecap="round"
    ></path>
  </svg>`;
}
