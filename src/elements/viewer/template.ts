/**
 * The shadow DOM of `<vx-viewer>`, as a function of what it shows.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { VoxmarkError } from '../../core/errors.js';
import type { ImageStack } from '../../core/image/types.js';
import { describeError, type OverlayText } from './overlay.js';

/** The viewer's properties the template shows. */
export interface ViewerView {
  /** The stack as shown (the plane on screen). */
  readonly plane: ImageStack | undefined;
  readonly label: string;
  readonly hideOverlays: boolean;
}

/** Where loading stands (the stack controller). */
export interface LoadView {
  readonly error: VoxmarkError | undefined;
  /** Files are being read. */
  readonly reading: boolean;
  /** The current slice has been decoding for a noticeable time. */
  readonly decoding: boolean;
  /** Text for screen readers (where scrolling stopped). */
  readonly live: string;
}

function errorTemplate(error: VoxmarkError | undefined): TemplateResult | typeof nothing {
  return error
    ? html`<div class="error" part="error" role="alert">
        <span>${describeError(error)}</span>
        <details part="error-detail">
          <summary>Details</summary>
          ${error.detail ?? error.message} (${error.code})
        </details>
      </div>`
    : nothing;
}

function description(stack: ImageStack | undefined): string {
  return stack
    ? `${stack.width} by ${stack.height} pixels, ${stack.depth} slice${stack.depth === 1 ? '' : 's'}. ` +
        'Mouse wheel or arrow keys scroll slices; right-drag changes the window; Ctrl+wheel zooms; middle-drag pans.'
    : 'No image loaded. Drop DICOM or TIFF files here or choose files.';
}

/** The view, the corner overlay, the decode indicator, the error, the drop zone and the layers' slot. */
export function viewerTemplate(
  v: ViewerView,
  container: HTMLElement,
  o: OverlayText,
  load: LoadView,
): TemplateResult {
  const stack = v.plane;
  const errorView = errorTemplate(load.error);
  return html`
    <div
      class="view"
      part="view"
      tabindex="0"
      role="application"
      aria-roledescription="image viewer"
      aria-label=${v.label}
      aria-describedby="description"
    >
      ${container}
    </div>
    <div class="overlay" part="overlay" ?hidden=${v.hideOverlays || !stack} aria-hidden="true">
      <div class="tl" part="overlay-top-left">${o.tl}</div>
      <div class="tr" part="overlay-top-right">${o.tr}</div>
      <div class="bl" part="overlay-bottom-left">${o.bl}</div>
      <div class="br" part="overlay-bottom-right">${o.br}</div>
      ${
        o.edges
          ? html`<div class="edge-left" part="overlay-edge overlay-edge-left">${o.edges.left}</div>
              <div class="edge-right" part="overlay-edge overlay-edge-right">${o.edges.right}</div>
              <div class="edge-top" part="overlay-edge overlay-edge-top">${o.edges.top}</div>
              <div class="edge-bottom" part="overlay-edge overlay-edge-bottom">${o.edges.bottom}</div>`
          : nothing
      }
    </div>
    ${
      load.decoding || load.reading
        ? html`<div class="progress" part="progress" role="progressbar" aria-label="Loading image"></div>`
        : nothing
    }
    ${stack ? errorView : nothing}
    <div class="empty" part="empty" ?hidden=${!!stack || load.reading}>
      ${
        // With nothing loaded, the error sits above the drop zone and the chooser, so the user can pick
        // other files right away.
        stack ? nothing : errorView
      }
      <span>Drop DICOM or TIFF files here</span>
      <slot name="file-input">
        <label>Choose files<input type="file" multiple aria-label="Choose image files" /></label>
      </slot>
    </div>
    <div id="description" hidden>${description(stack)}</div>
    <div class="sr-only" aria-live="polite">${load.live}</div>
    <slot></slot>
  `;
}
