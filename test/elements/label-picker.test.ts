import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { AnnotationDocument } from '../../src/core/annotation/document.js';
import type { LabelSchema } from '../../src/core/schema/types.js';
import '../../src/define.js';
import type { VxLabelPicker } from '../../src/elements/vx-label-picker.js';
import type { VxViewer } from '../../src/elements/vx-viewer.js';
import { VxSelectionChangeEvent } from '../../src/elements/events.js';
import { hierarchical } from '../core/schema/fixtures.js';

function radios(el: VxLabelPicker): HTMLButtonElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="radio"]')];
}

async function clickOn(target: Element) {
  target.scrollIntoView({ block: 'center' });
  const r = target.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)],
  });
}

function makeDoc() {
  const doc = new AnnotationDocument({ width: 8, height: 8 });
  const a = doc.add({
    label: 'tumour',
    kind: 'polygon',
    slice: 0,
    points: [
      [0, 0],
      [4, 0],
      [4, 4],
    ] as [number, number][],
    attributes: { size: 12 },
  });
  return { doc, id: a.id };
}

describe('<vx-label-picker>', () => {
  it('shows the labels as a hierarchy with colours and key hints', async () => {
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical}></vx-label-picker>`,
    );
    const rows = radios(el);
    expect(rows.map((r) => r.querySelector('[part~="name"]')!.textContent)).to.deep.equal([
      'Lesion',
      'Tumour',
      'Organ',
    ]);
    // Tumour is a child of Lesion: indented and announced with its parent.
    expect(rows[1]!.style.paddingLeft).to.contain('1 *');
    expect(rows[1]!.textContent).to.contain('in Lesion');
    expect(getComputedStyle(rows[1]!.querySelector('[part~="swatch"]')!).backgroundColor).to.equal(
      'rgb(0, 255, 0)',
    );
    expect(rows.map((r) => r.querySelector('kbd')!.textContent)).to.deep.equal(['1', '2', '3']);
  });

  it('sets the active label on click and fires vx-active-label-change', async () => {
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical} active="lesion"></vx-label-picker>`,
    );
    const event = oneEvent(el, 'vx-active-label-change');
    await clickOn(radios(el)[2]!);
    const e = await event;
    expect(e.detail).to.deep.equal({ label: 'organ', previous: 'lesion' });
    expect(el.active).to.equal('organ');
    await el.updateComplete;
    expect(radios(el).map((r) => r.getAttribute('aria-checked'))).to.deep.equal(['false', 'false', 'true']);
  });

  it('sets the active label with keys 1–9 and arrow keys', async () => {
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical} active="lesion"></vx-label-picker>`,
    );
    radios(el)[0]!.focus();
    await sendKeys({ press: '2' });
    expect(el.active).to.equal('tumour');
    await sendKeys({ press: '3' });
    expect(el.active).to.equal('organ');
    await sendKeys({ press: '9' }); // no ninth label: nothing happens
    expect(el.active).to.equal('organ');
    await el.updateComplete;
    radios(el)[2]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(el.active).to.equal('lesion');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(radios(el)[0]);
  });

  it('renders names, options and values as text and runs nothing', async () => {
    const evil = '<img src=x onerror="window.__vxPwned=1">';
    const schema: LabelSchema = {
      version: 1,
      labels: [
        {
          id: 'x',
          name: evil,
          color: '#123456',
          kinds: ['box'],
          attributes: [
            { id: 'a', name: `<b>${evil}</b>`, type: 'enum', options: [evil, 'ok'] },
            { id: 't', name: 'Note', type: 'text' },
          ],
        },
      ],
    };
    const doc = new AnnotationDocument({ width: 4, height: 4 });
    const a = doc.add({
      label: 'x',
      kind: 'box',
      slice: 0,
      box: { x: 0, y: 0, width: 1, height: 1 },
      attributes: { a: evil, t: evil },
    });
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${schema} .document=${doc} selected=${a.id}></vx-label-picker>`,
    );
    await new Promise((r) => setTimeout(r, 50));
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('img, b').length).to.equal(0);
    expect(root.querySelector('[part~="name"]')!.textContent).to.equal(evil);
    expect(root.querySelector('h3')!.textContent).to.equal(evil);
    expect(root.querySelector('label[for="attr-a"]')!.textContent).to.contain(`<b>${evil}</b>`);
    expect([...root.querySelectorAll('option')].map((o) => o.textContent)).to.include(evil);
    expect((root.querySelector('#attr-t') as HTMLInputElement).value).to.equal(evil);
    expect((window as { __vxPwned?: number }).__vxPwned).to.equal(undefined);
  });

  it('edits the selected annotation with the right input per type, one undoable edit each', async () => {
    const { doc, id } = makeDoc();
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical} .document=${doc} selected=${id}></vx-label-picker>`,
    );
    const root = el.shadowRoot!;
    const grade = root.querySelector<HTMLSelectElement>('#attr-grade')!;
    expect(grade.tagName).to.equal('SELECT');
    expect(root.querySelector<HTMLInputElement>('#attr-size')!.type).to.equal('number');
    expect(root.querySelector<HTMLInputElement>('#attr-confirmed')!.type).to.equal('checkbox');
    expect(root.querySelector<HTMLInputElement>('#attr-note')!.type).to.equal('text');
    expect(root.querySelectorAll('fieldset[part~="field"] input[type="checkbox"]').length).to.equal(3); // tags: multiple enum

    grade.value = 'G2';
    grade.dispatchEvent(new Event('change'));
    expect(doc.get(id)!.attributes).to.deep.equal({ size: 12, grade: 'G2' });

    const tags = root.querySelectorAll<HTMLInputElement>('fieldset[part~="field"] input[type="checkbox"]');
    tags[2]!.click();
    tags[0]!.click();
    expect(doc.get(id)!.attributes!['tags']).to.equal('a|c');

    await el.updateComplete;
    const confirmed = root.querySelector<HTMLInputElement>('#attr-confirmed')!;
    await clickOn(confirmed);
    expect(doc.get(id)!.attributes!['confirmed']).to.equal(true);

    const note = root.querySelector<HTMLInputElement>('#attr-note')!;
    note.focus();
    await sendKeys({ type: 'hi' });
    expect(doc.get(id)!.attributes!['note']).to.equal(undefined); // committed on change, not per key
    note.blur();
    expect(doc.get(id)!.attributes!['note']).to.equal('hi');

    doc.undo();
    expect(doc.get(id)!.attributes!['note']).to.equal(undefined);
    await el.updateComplete;
    expect(root.querySelector<HTMLInputElement>('#attr-note')!.value).to.equal('');
  });

  it('marks required fields and shows validation problems', async () => {
    const { doc, id } = makeDoc();
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical} .document=${doc} selected=${id}></vx-label-picker>`,
    );
    const root = el.shadowRoot!;
    const grade = root.querySelector<HTMLSelectElement>('#attr-grade')!;
    expect(grade.getAttribute('aria-required')).to.equal('true');
    expect(root.querySelector('label[for="attr-grade"] [part~="required"]')).to.not.equal(null);
    expect(grade.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('#attr-grade-error')!.textContent).to.contain('required');
    expect([...el.attributeProblems.keys()]).to.deep.equal(['grade']);

    const size = root.querySelector<HTMLInputElement>('#attr-size')!;
    size.value = '500';
    size.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(root.querySelector('#attr-size-error')!.textContent).to.contain('above the maximum 300');
    expect(size.getAttribute('aria-invalid')).to.equal('true');
  });

  it('moves the selected annotation to another label that allows its kind', async () => {
    const { doc, id } = makeDoc();
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical} .document=${doc} selected=${id}></vx-label-picker>`,
    );
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#relabel')!;
    // A polygon: Organ allows boxes only, so it is not offered.
    expect([...select.options].map((o) => o.value)).to.deep.equal(['lesion', 'tumour']);
    expect(select.value).to.equal('tumour');
    select.value = 'lesion';
    select.dispatchEvent(new Event('change'));
    expect(doc.get(id)!.label).to.equal('lesion');
    doc.undo();
    expect(doc.get(id)!.label).to.equal('tumour');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('#relabel')!.value).to.equal('tumour');
  });

  it('is accessible', async () => {
    const { doc, id } = makeDoc();
    const el = await fixture<VxLabelPicker>(
      html`<vx-label-picker .schema=${hierarchical} .document=${doc} selected=${id}></vx-label-picker>`,
    );
    await expect(el).to.be.accessible();
  });

  it('binds to a viewer: schema, active label, selection and label-N actions', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <vx-viewer id="v" style="width:200px;height:150px"></vx-viewer>
        <vx-label-picker for="v"></vx-label-picker>
      </div>`,
    );
    const viewer = wrap.querySelector<VxViewer>('vx-viewer')!;
    const picker = wrap.querySelector<VxLabelPicker>('vx-label-picker')!;
    viewer.labelSchema = hierarchical;
    await new Promise((r) => setTimeout(r, 20));
    await picker.updateComplete;
    expect(radios(picker).length).to.equal(3);
    await clickOn(radios(picker)[1]!);
    expect(viewer.activeLabel).to.equal('tumour');
    // The host (or a viewer key) changes the viewer's active label: the picker follows.
    viewer.activeLabel = 'organ';
    await new Promise((r) => setTimeout(r, 20));
    await picker.updateComplete;
    expect(picker.active).to.equal('organ');
    expect(radios(picker).map((r) => r.getAttribute('aria-checked'))).to.deep.equal([
      'false',
      'false',
      'true',
    ]);
    const { doc, id } = makeDoc();
    picker.document = doc;
    viewer.dispatchEvent(new VxSelectionChangeEvent([id]));
    await picker.updateComplete;
    expect(picker.selected).to.equal(id);
    expect(picker.shadowRoot!.querySelector('#attr-grade')).to.not.equal(null);
  });
});
