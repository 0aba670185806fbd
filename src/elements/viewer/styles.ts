/**
 * Styles of `<vx-viewer>`: the view, the corner overlay, the decode indicator, the error and the drop zone.
 * Every colour and font is a CSS custom property documented on the element.
 * @module
 */
import { css } from 'lit';

export const viewerStyles = css`
  :host {
    display: block;
    position: relative;
    width: 100%;
    height: 400px;
    min-height: 64px;
    overflow: hidden;
    contain: strict;
    background: var(--vx-viewer-background, #000);
    color: var(--vx-overlay-color, #e8e8e8);
    user-select: none;
    -webkit-user-select: none;
    touch-action: none;
  }
  .view {
    position: absolute;
    inset: 0;
    outline: none;
  }
  .view:focus-visible {
    outline: var(--vx-focus-ring, 2px solid #4c9ffe);
    outline-offset: -2px;
  }
  .stage,
  .stage > div {
    position: absolute;
    inset: 0;
  }
  .overlay {
    position: absolute;
    inset: 0;
    pointer-events: none;
    font: var(--vx-overlay-font, 12px/1.35 system-ui, sans-serif);
    text-shadow: var(--vx-overlay-shadow, 0 0 3px #000, 0 0 2px #000, 0 1px 1px #000);
    white-space: pre;
  }
  .overlay > div {
    position: absolute;
    margin: 4px;
    padding: 2px 6px;
    border-radius: 3px;
  }
  /* A backdrop keeps the text legible over bright anatomy (contrast ≥ 4.5:1 even over white). */
  .overlay > div:not(:empty) {
    background: var(--vx-overlay-backdrop, rgb(0 0 0 / 0.65));
  }
  .tl {
    top: 0;
    left: 0;
  }
  .tr {
    top: 0;
    right: 0;
    text-align: right;
  }
  .bl {
    bottom: 0;
    left: 0;
  }
  .br {
    bottom: 0;
    right: 0;
    text-align: right;
  }
  /* Patient-direction letters at the middle of each edge. */
  .edge-left,
  .edge-right {
    top: 50%;
    transform: translateY(-50%);
  }
  .edge-left {
    left: 0;
  }
  .edge-right {
    right: 0;
  }
  .edge-top,
  .edge-bottom {
    left: 50%;
    transform: translateX(-50%);
  }
  .edge-top {
    top: 0;
  }
  .edge-bottom {
    bottom: 0;
  }
  .progress {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 0;
    height: 2px;
    overflow: hidden;
    pointer-events: none;
  }
  .progress::after {
    content: '';
    position: absolute;
    top: 0;
    bottom: 0;
    width: 30%;
    background: var(--vx-progress-color, #4c9ffe);
    animation: vx-progress 1s linear infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .progress::after {
      animation: none;
      left: 0;
      width: 100%;
      opacity: 0.6;
    }
  }
  @keyframes vx-progress {
    from {
      left: -30%;
    }
    to {
      left: 100%;
    }
  }
  .error,
  .empty {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 8px;
    padding: 16px;
    text-align: center;
    font:
      14px/1.4 system-ui,
      sans-serif;
  }
  .error {
    color: var(--vx-error-color, #ffb4a9);
    background: rgb(0 0 0 / 0.6);
  }
  .error details {
    color: var(--vx-overlay-color, #e8e8e8);
    max-width: 60ch;
    overflow-wrap: anywhere;
    font-size: 0.85em;
  }
  .empty {
    border: 2px dashed transparent;
  }
  .empty .error {
    position: static;
    padding: 0;
    background: none;
  }
  :host([data-drag-over]) .empty,
  :host([data-drag-over]) .view {
    border-color: var(--vx-progress-color, #4c9ffe);
    outline: 2px dashed var(--vx-progress-color, #4c9ffe);
    outline-offset: -6px;
  }
  .empty label {
    cursor: pointer;
    padding: 6px 12px;
    border: 1px solid currentColor;
    border-radius: 4px;
  }
  .empty input {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
  }
  .empty label:focus-within {
    outline: var(--vx-focus-ring, 2px solid #4c9ffe);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [hidden] {
    display: none !important;
  }
`;
