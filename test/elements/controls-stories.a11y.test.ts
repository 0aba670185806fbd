import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../src/define.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import type { VxToolbar } from '../../src/elements/vx-toolbar.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import * as labels from '../../stories/labels.stories.js';

/** axe over the label picker's and the toolbar's stories, in the states an annotator meets: hidden, locked, selected. */

function render(story: unknown): TemplateResult {
  return (story as { render: () => TemplateResult }).render();
}

async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(ok(), what).to.equal(true);
}

describe('axe over the picker and toolbar stories', () => {
  it('hide and lock per label: a hidden label, a locked label, then a selected annotation', async () => {
    const root = await fixture<HTMLDivElement>(html`<div>${render(labels.HideAndLockPerLabel)}</div>`);
    const viewer = root.querySelector('vx-viewer') as VxViewer;
    const picker = root.querySelector('vx-label-picker') as VxLabelPicker;
    const toolbar = root.querySelector('vx-toolbar') as VxToolbar;
    const row = (id: string) => picker.shadowRoot!.querySelector(`[part~='row'][data-id='${id}']`);
    await until(
      () =>
        !!row('liver')?.getAttribute('part')?.includes('hidden') &&
        !!row('nodule')?.getAttribute('part')?.includes('locked'),
      'the story hid Liver and locked Lung nodule',
    );
    await toolbar.updateComplete;
    await expect(picker).to.be.accessible();
    await expect(toolbar).to.be.accessible();
    // The hidden label's name reads at ≥ 4.5:1 (axe checks it too; this says which colour).
    expect(getComputedStyle(row('liver')!.querySelector('[part~="name"]')!).color).to.equal(
      'rgb(171, 171, 171)',
    );
    // The active label is Lung nodule; select an annotation of another label (and its attributes show).
    const doc = viewer.document!;
    const other = doc.annotations.find((a) => a.label === 'metastasis')!;
    viewer.editor.selection.set([other.id]);
    await until(
      () => !!picker.shadowRoot!.querySelector('[part~="selected-label"]'),
      'the selected label is marked',
    );
    await toolbar.updateComplete;
    await expect(picker).to.be.accessible();
    await expect(toolbar).to.be.accessible();
    // A tool the active label forbids (Bone metastasis: boxes and masks, no polygons).
    viewer.activeLabel = 'metastasis';
    await until(
      () =>
        toolbar.shadowRoot!.querySelector('[part~="tool-polygon"]')?.getAttribute('aria-disabled') === 'true',
      'polygon is disabled for Bone metastasis',
    );
    await expect(toolbar).to.be.accessible();
  });

  it('hierarchy and required attributes: a standalone picker with a selected, invalid annotation', async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div>${render(labels.HierarchyAndRequiredAttributes)}</div>`,
    );
    const picker = root.querySelector('vx-label-picker') as VxLabelPicker;
    await picker.updateComplete;
    expect(picker.shadowRoot!.querySelector('[part~="missing"]')).to.not.equal(null);
    await expect(picker).to.be.accessible();
  });
});
