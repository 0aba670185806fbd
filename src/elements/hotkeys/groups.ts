/**
 * The hotkey overlay's content as plain data: the live keymap grouped for people, each action with its keys
 * and whether the host changed them. No DOM.
 * @module
 */
import { DEFAULT_KEYMAP, formatCombo, type Keymap } from '../../core/keymap.js';

/** The groups of the overlay, in the order shown. */
export const HOTKEY_GROUPS = ['Navigation', 'Tools', 'Labels', 'Editing'] as const;
export type HotkeyGroupName = (typeof HOTKEY_GROUPS)[number];

/** One action as the overlay lists it. */
export interface HotkeyRow {
  action: string;
  description: string;
  /** The combos in effect, formatted ('Ctrl/⌘+Z', 'Right-drag'). */
  keys: string[];
  /** The keymap binds it otherwise than the default keymap. */
  remapped: boolean;
}

export interface HotkeyGroup {
  name: HotkeyGroupName;
  rows: HotkeyRow[];
}

/** What the actions do, in the words of the overlay; an action not named here reads as its name. */
const DESCRIPTIONS: Record<string, string> = {
  'slice-previous': 'Previous slice',
  'slice-next': 'Next slice',
  'slice-previous-page': '10 slices back',
  'slice-next-page': '10 slices on',
  'slice-first': 'First slice',
  'slice-last': 'Last slice',
  'slice-wheel': 'Scroll slices',
  'slice-drag': 'Drag to scroll slices',
  'window-wider': 'Wider window',
  'window-narrower': 'Narrower window',
  'level-up': 'Level up',
  'level-down': 'Level down',
  'window-drag': 'Drag to window (width and level)',
  'view-reset': 'Reset zoom, pan and window',
  'view-fit': 'Fit the image',
  'invert-toggle': 'Invert the greys',
  'cine-toggle': 'Play or stop cine',
  'zoom-in': 'Zoom in',
  'zoom-out': 'Zoom out',
  'zoom-wheel': 'Zoom at the cursor',
  'zoom-drag': 'Drag to zoom',
  'pan-hold': 'Hold and drag to pan',
  'pan-drag': 'Drag to pan',
  cancel: 'Cancel the gesture, stop cine',
  complete: 'Finish the gesture (close a polygon)',
  hotkeys: 'Show or hide these keys',
  undo: 'Undo',
  redo: 'Redo',
  delete: 'Delete the selection',
  copy: 'Copy the selection',
  paste: 'Paste onto this slice',
  'copy-to-next-slice': 'Copy the selection to the next slice',
  'copy-to-previous-slice': 'Copy the selection to the previous slice',
  'select-all': 'Select everything on this slice',
  'hide-toggle': 'Hide the selection or the active label',
  'lock-toggle': 'Lock the selection or the active label',
  'brush-smaller': 'Smaller brush',
  'brush-larger': 'Larger brush',
  'brush-fill-toggle': 'Brush fills holes',
  'mask-opacity-down': 'Masks more transparent',
  'mask-opacity-up': 'Masks more opaque',
  'mask-outline-toggle': 'Masks as outlines',
  'polygon-remove-vertex': 'Remove the last polygon vertex',
};

function groupOf(action: string): HotkeyGroupName {
  if (action.startsWith('label-')) return 'Labels';
  if (action.startsWith('tool-') || /^(brush|mask|polygon)-/.test(action)) return 'Tools';
  if (/^(slice|window|level|view|zoom|pan|invert|cine)-/.test(action)) return 'Navigation';
  return 'Editing';
}

function describe(action: string, labelName: (n: number) => string | undefined): string {
  const label = /^label-(\d+)$/.exec(action);
  if (label)
    return `Label ${label[1]}${labelName(Number(label[1])) ? `: ${labelName(Number(label[1]))}` : ''}`;
  const preset = /^window-preset-(\d+)$/.exec(action);
  if (preset) return `Window preset ${preset[1]}`;
  if (action.startsWith('tool-')) return `${cap(action.slice(5))} tool`;
  const nudge = /^nudge-(left|right|up|down)(-10)?$/.exec(action);
  if (nudge) return `Move the selection ${nudge[1]} ${nudge[2] ? '10 px' : '1 px'}`;
  return DESCRIPTIONS[action] ?? cap(action.replace(/-/g, ' '));
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const ARROWS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' };

/** A combo as the overlay shows it: 'Ctrl/⌘+Z', 'Shift+↑', 'Right-drag', 'Wheel'. */
export function keyText(combo: string): string {
  return formatCombo(combo)
    .replace(/(Left|Middle|Right)Drag/, '$1-drag')
    .replace(/Arrow(Up|Down|Left|Right)/, (m) => ARROWS[m] ?? m);
}

function sameCombos(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return !!a && a.length === b.length && a.every((c, i) => c === b[i]);
}

/**
 * The keymap in effect, grouped: every bound action (unbound ones are left out) with its keys, marked
 * `remapped` where they differ from the default keymap. Actions of other tools and hosts are listed too, by
 * their names. `labelName(n)` names the n-th label, for the label keys.
 */
export function hotkeyGroups(
  keymap: Keymap,
  labelName: (n: number) => string | undefined = () => undefined,
): HotkeyGroup[] {
  const groups = new Map<HotkeyGroupName, HotkeyRow[]>(HOTKEY_GROUPS.map((g) => [g, []]));
  for (const [action, combos] of Object.entries(keymap)) {
    if (!combos?.length) continue;
    const defaults = (DEFAULT_KEYMAP as Record<string, readonly string[] | undefined>)[action];
    groups.get(groupOf(action))!.push({
      action,
      description: describe(action, labelName),
      keys: combos.map(keyText),
      remapped: defaults !== undefined && !sameCombos(defaults, combos),
    });
  }
  return HOTKEY_GROUPS.map((name) => ({ name, rows: groups.get(name)! }));
}
