/**
 * A CT phantom viewer with a label schema, for the stories of the elements that live inside or beside it.
 */
import { html, type TemplateResult } from 'lit';
import type { ImageStack } from '../../src/core/image/types.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import { createPhantomStack } from './phantom.js';

export const storySchema: LabelSchema = {
  version: 1,
  labels: [
    { id: 'lesion', name: 'Lesion', color: '#ff4040', kinds: ['box', 'polygon', 'mask'] },
    { id: 'liver', name: 'Liver', color: '#40d070', kinds: ['polygon', 'mask'] },
  ],
};

let phantom: ImageStack | undefined;

/** A `<vx-viewer id=…>` on the phantom with `layers` inside, and a toolbar above it. */
export function annotatedViewer(
  id: string,
  tool: string,
  layers: unknown,
  above?: TemplateResult,
): TemplateResult {
  return html`<div style="display:grid; gap:6px; max-width:640px">
    ${above ?? html`<vx-toolbar for=${id}></vx-toolbar>`}
    <vx-viewer
      id=${id}
      style="height:360px"
      .stack=${(phantom ??= createPhantomStack())}
      .labelSchema=${storySchema}
      .tool=${tool}
      >${layers}</vx-viewer
    >
  </div>`;
}
