import { expect } from '@open-wc/testing';
import { render } from 'lit';
import * as annotation from '../../../stories/annotation.stories.js';
import * as annotationList from '../../../stories/annotation-list.stories.js';
import * as boxLayer from '../../../stories/box-layer.stories.js';
import * as intro from '../../../stories/intro.stories.js';
import * as maskLayer from '../../../stories/mask-layer.stories.js';
import * as polygonLayer from '../../../stories/polygon-layer.stories.js';
import * as toolbar from '../../../stories/toolbar.stories.js';
import type { VxHotkeys } from '../../../src/elements/vx-hotkeys.js';
import type { VxViewer } from '../../../src/elements/vx-viewer.js';
import { axeEveryStory, renderStory, settle } from './run-stories.js';

/** axe over every story of the annotation layers, the toolbar, the object list and the workbench. */
for (const mod of [annotation, annotationList, boxLayer, maskLayer, polygonLayer, toolbar, intro])
  axeEveryStory(mod as never);

describe('axe: the workbench as an annotator sees it', () => {
  it('the object list holds the phantom annotations, and the hotkey overlay opened over it passes too', async () => {
    const host = await renderStory(intro.default as never, intro.Workbench as never);
    try {
      await settle(host);
      const viewer = host.querySelector('vx-viewer') as VxViewer;
      expect(viewer.phase).to.equal('ready');
      expect(viewer.autosave).to.equal('workbench');
      const list = host.querySelector('vx-annotation-list')!;
      expect(list.shadowRoot!.querySelectorAll('[part~="row"]').length).to.be.greaterThan(3);
      const overlay = host.querySelector('vx-hotkeys') as VxHotkeys;
      overlay.open = true;
      await overlay.updateComplete;
      expect(overlay.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
      await expect(host).to.be.accessible();
    } finally {
      render(null, host);
      host.remove();
    }
  });
});
