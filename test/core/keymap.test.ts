import { expect } from '@open-wc/testing';
import {
  DEFAULT_KEYMAP,
  VIEWER_KEYMAP,
  defaultKeymap,
  findCollisions,
  formatCombo,
  matchActions,
  matchCombo,
  mergeKeymap,
  parseCombo,
  matchPointerActions,
} from '../../src/core/keymap.js';

describe('keymap', () => {
  it('parses combos with modifiers, Space and the plus key', () => {
    expect(parseCombo('Ctrl+Shift+z')).to.deep.equal({
      key: 'z',
      ctrl: true,
      shift: true,
      alt: false,
      meta: false,
      mod: false,
    });
    expect(parseCombo('Space').key).to.equal(' ');
    expect(parseCombo('Ctrl++')).to.include({ key: '+', ctrl: true });
    expect(parseCombo('+')).to.include({ key: '+', ctrl: false });
    expect(parseCombo('Mod+z')).to.include({ key: 'z', mod: true, ctrl: false });
    expect(parseCombo('ArrowUp').key).to.equal('ArrowUp');
  });

  it('matches modifiers exactly', () => {
    expect(matchCombo({ key: 'z' }, 'z')).to.equal(true);
    expect(matchCombo({ key: 'z', ctrlKey: true }, 'z')).to.equal(false);
    expect(matchCombo({ key: 'z', ctrlKey: true }, 'Ctrl+z')).to.equal(true);
    expect(matchCombo({ key: 'Z', ctrlKey: true, shiftKey: true }, 'Ctrl+Shift+z')).to.equal(true);
    expect(matchCombo({ key: 'Z', ctrlKey: true, shiftKey: true }, 'Ctrl+z')).to.equal(false);
    expect(matchCombo({ key: 'ArrowUp', shiftKey: true }, 'ArrowUp')).to.equal(false);
    expect(matchCombo({ key: 'ArrowUp', shiftKey: true }, 'Shift+ArrowUp')).to.equal(true);
    expect(matchCombo({ key: 'z', metaKey: true }, 'Mod+z')).to.equal(true);
    expect(matchCombo({ key: 'z', ctrlKey: true }, 'Mod+z')).to.equal(true);
    expect(matchCombo({ key: 'z' }, 'Mod+z')).to.equal(false);
  });

  it('matches by physical key, so Shift+digit and other layouts work', () => {
    expect(matchCombo({ key: '!', code: 'Digit1', shiftKey: true }, 'Shift+1')).to.equal(true);
    expect(matchCombo({ key: 'я', code: 'KeyZ', ctrlKey: true }, 'Ctrl+z')).to.equal(true);
    expect(matchCombo({ key: ' ', code: 'Space' }, 'Space')).to.equal(true);
  });

  it('accepts Shift for shifted symbols named by themselves', () => {
    expect(matchCombo({ key: '+', code: 'Equal', shiftKey: true }, '+')).to.equal(true);
    expect(matchCombo({ key: 'A', shiftKey: true }, 'a')).to.equal(false);
  });

  it('lists every matching action in keymap order', () => {
    const km = { b: ['1'], a: ['1', '2'], c: [] };
    expect(matchActions(km, { key: '1' })).to.deep.equal(['b', 'a']);
    expect(matchActions(km, { key: '2' })).to.deep.equal(['a']);
    expect(matchActions(km, { key: '3' })).to.deep.equal([]);
  });

  it('has PACS defaults: arrows, pages, Home/End, presets on digits, labels unbound', () => {
    expect(matchActions(DEFAULT_KEYMAP, { key: 'ArrowDown' })[0]).to.equal('slice-next');
    expect(matchActions(DEFAULT_KEYMAP, { key: 'PageUp' })).to.deep.equal(['slice-previous-page']);
    expect(matchActions(DEFAULT_KEYMAP, { key: 'End' })).to.deep.equal(['slice-last']);
    expect(matchActions(DEFAULT_KEYMAP, { key: '3', code: 'Digit3' })).to.deep.equal(['window-preset-3']);
    expect(matchActions(DEFAULT_KEYMAP, { key: 'c', code: 'KeyC' })).to.deep.equal(['cine-toggle']);
    expect(DEFAULT_KEYMAP['label-1']).to.deep.equal([]);
    expect(findCollisions(VIEWER_KEYMAP)).to.deep.equal([]);
  });

  it('merges overrides and reports collisions', () => {
    const km = mergeKeymap(DEFAULT_KEYMAP, { 'label-1': ['1'] });
    expect(matchActions(km, { key: '1' })).to.deep.equal(['window-preset-1', 'label-1']);
    expect(findCollisions(km).filter((c) => c.actions.includes('label-1'))).to.have.length(1);
    const fixed = mergeKeymap(km, { 'window-preset-1': [] });
    expect(matchActions(fixed, { key: '1' })).to.deep.equal(['label-1']);
    // The default is untouched, and defaultKeymap() returns fresh copies.
    expect(DEFAULT_KEYMAP['label-1']).to.deep.equal([]);
    const copy = defaultKeymap();
    copy['slice-next']!.push('j');
    expect(DEFAULT_KEYMAP['slice-next']).to.deep.equal(['ArrowDown']);
  });

  it('matches pointer gestures: drags by button and the wheel, with exact modifiers', () => {
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 2 })).to.deep.equal(['window-drag']);
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 1 })).to.deep.equal(['pan-drag']);
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 0 })).to.deep.equal([]);
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 2, shiftKey: true })).to.deep.equal([]);
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 'wheel' })).to.deep.equal(['slice-wheel']);
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 'wheel', ctrlKey: true })).to.deep.equal([
      'zoom-wheel',
    ]);
    expect(matchPointerActions(DEFAULT_KEYMAP, { button: 3 })).to.deep.equal([]);
    // A keyboard event never matches a pointer binding.
    expect(matchActions(DEFAULT_KEYMAP, { key: 'w' }).some((a) => a.endsWith('-wheel'))).to.equal(false);
  });

  it('formats combos for people', () => {
    expect(formatCombo('Ctrl+Shift+z')).to.equal('Ctrl+Shift+Z');
    expect(formatCombo('Space')).to.equal('Space');
  });
});
