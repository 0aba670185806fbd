/**
 * Keyboard bindings as plain data: which key combos trigger which action. DOM-free, so hosts can
 * build, store and validate keymaps anywhere.
 *
 * A keymap maps an action name to the list of combos that trigger it:
 *
 * ```ts
 * { 'slice-next': ['ArrowDown'], 'undo': ['Ctrl+z', 'Meta+z'], 'label-1': [] }
 * ```
 *
 * A combo is `Modifier+…+Key`, modifiers `Ctrl`, `Shift`, `Alt`, `Meta` and `Mod` (Ctrl or Meta,
 * whichever the platform uses). The key is a `KeyboardEvent.key` value (`'ArrowUp'`, `'PageDown'`,
 * `'Escape'`, `'z'`, `'1'`, `'['`), or `Space`. Letters match either case; digits and letters also
 * match by physical key (`KeyboardEvent.code`), so `Shift+1` works on any layout. Modifiers must
 * match exactly: `'z'` does not fire for Ctrl+Z. An empty list disables an action.
 *
 * **Collisions.** One combo may be bound to several actions. The viewer resolves them in this order:
 * 1. the active tool's `onKeyDown` sees the key first (e.g. Backspace removes the last polygon vertex);
 * 2. then the handlers that layers registered for the matching actions, in keymap order (object
 *    insertion order); a handler returns false when it has nothing to act on (nudge with no selection);
 * 3. then the viewer's own actions, in keymap order.
 * The first that reports the key as consumed wins. So Shift+ArrowUp nudges a selected box (and does
 * nothing without a selection), while ArrowUp, PageUp and PageDown always change the slice.
 *
 * By default digits 1–5 apply window presets and the label actions `label-1`…`label-9` are unbound.
 * To choose labels with digits instead, bind `label-N` to the digit and unbind `window-preset-N`:
 * `viewer.keymap = { ...viewer.keymap, 'window-preset-1': [], 'label-1': ['1'] }`.
 *
 * @module
 */

/** Action name → key combos. */
export type Keymap = Record<string, readonly string[]>;

/** The fields of a KeyboardEvent that matching reads. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

/** A parsed combo. `mod` accepts either Ctrl or Meta. */
export interface KeyCombo {
  key: string;
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  mod: boolean;
}

/** Viewer navigation actions (PACS habits). */
export const VIEWER_KEYMAP = {
  'slice-previous': ['ArrowUp'],
  'slice-next': ['ArrowDown'],
  'slice-previous-page': ['PageUp'],
  'slice-next-page': ['PageDown'],
  'slice-first': ['Home'],
  'slice-last': ['End'],
  'window-preset-1': ['1'],
  'window-preset-2': ['2'],
  'window-preset-3': ['3'],
  'window-preset-4': ['4'],
  'window-preset-5': ['5'],
  /** Window from the keyboard, one drag pixel's worth ×10 per press (Shift: ×50). */
  'window-wider': ['Ctrl+ArrowRight', 'Ctrl+Shift+ArrowRight'],
  'window-narrower': ['Ctrl+ArrowLeft', 'Ctrl+Shift+ArrowLeft'],
  'level-up': ['Ctrl+ArrowUp', 'Ctrl+Shift+ArrowUp'],
  'level-down': ['Ctrl+ArrowDown', 'Ctrl+Shift+ArrowDown'],
  'view-reset': ['r'],
  'invert-toggle': ['i'],
  'view-fit': ['f'],
  'cine-toggle': ['c'],
  'zoom-in': ['+', '=', 'Shift+='],
  'zoom-out': ['-'],
  /** Held down: left-drag pans whatever the tool. */
  'pan-hold': ['Space'],
  /** Cancels the gesture in progress (or stops cine). */
  cancel: ['Escape'],
  /** Completes the gesture in progress (e.g. closes a polygon). */
  complete: ['Enter'],
  /** Shows the keys in effect (`<vx-hotkeys>`); `?` or Esc closes it again. */
  hotkeys: ['?'],
  // Mouse bindings: pointer combos (see POINTER_KEYS), remappable like keys.
  /** Drag: horizontal changes the window width, vertical the centre. */
  'window-drag': ['RightDrag'],
  'pan-drag': ['MiddleDrag'],
  /** Drag up to zoom in about the point where the drag started. */
  'zoom-drag': [],
  /** Drag down/up to scroll slices. */
  'slice-drag': [],
  'slice-wheel': ['Wheel'],
  /** Zoom at the cursor. Chromium reports trackpad pinch as Ctrl+wheel. */
  'zoom-wheel': ['Ctrl+Wheel', 'Meta+Wheel'],
} as const satisfies Keymap;

/**
 * Pointer "keys" a combo may name instead of a keyboard key: a drag with a mouse button, or the wheel,
 * with exact modifiers like any combo (`'Shift+LeftDrag'`, `'Alt+Wheel'`). A left-button binding takes
 * the left button from the active tool for that modifier combination only.
 */
export const POINTER_KEYS = ['LeftDrag', 'MiddleDrag', 'RightDrag', 'Wheel'] as const;
export type PointerKey = (typeof POINTER_KEYS)[number];

/** The actions a pointer gesture triggers: `button` 0/1/2 for drags, or 'wheel'. */
export function matchPointerActions(
  keymap: Keymap,
  gesture: {
    button: number | 'wheel';
    ctrlKey?: boolean;
    shiftKey?: boolean;
    altKey?: boolean;
    metaKey?: boolean;
  },
): string[] {
  const key = gesture.button === 'wheel' ? 'Wheel' : POINTER_KEYS[gesture.button];
  if (!key || (key === 'Wheel') !== (gesture.button === 'wheel')) return [];
  return matchActions(keymap, {
    key,
    ctrlKey: gesture.ctrlKey,
    shiftKey: gesture.shiftKey,
    altKey: gesture.altKey,
    metaKey: gesture.metaKey,
  });
}

/**
 * Annotation actions. Handled by the annotation layers; listed here so the whole keymap lives in one
 * place. `label-N` is unbound by default: digits go to window presets unless the host rebinds them.
 */
export const ANNOTATION_KEYMAP = {
  'label-1': [],
  'label-2': [],
  'label-3': [],
  'label-4': [],
  'label-5': [],
  'label-6': [],
  'label-7': [],
  'label-8': [],
  'label-9': [],
  /** Undo; during a gesture it cancels the gesture. */
  undo: ['Mod+z'],
  redo: ['Mod+Shift+z', 'Mod+y'],
  /** Deletes the selection (the host may veto through vx-annotation-delete-request). */
  delete: ['Delete', 'Backspace'],
  copy: ['Mod+c'],
  /** Pastes onto the current slice. */
  paste: ['Mod+v'],
  'copy-to-next-slice': ['Alt+ArrowDown'],
  'copy-to-previous-slice': ['Alt+ArrowUp'],
  'select-all': ['Mod+a'],
  /** Hides the selection, or shows everything hidden when nothing is selected. */
  'hide-toggle': ['h'],
  'lock-toggle': ['l'],
  /**
   * Move the selected annotations by 1 px (Alt+Shift: 10 px). Plain arrows are never nudges: ↑/↓ change
   * slices even with a selection, as in every PACS, so a stray key press cannot edit ground truth.
   */
  'nudge-left': ['Shift+ArrowLeft'],
  'nudge-right': ['Shift+ArrowRight'],
  'nudge-up': ['Shift+ArrowUp'],
  'nudge-down': ['Shift+ArrowDown'],
  'nudge-left-10': ['Alt+Shift+ArrowLeft'],
  'nudge-right-10': ['Alt+Shift+ArrowRight'],
  'nudge-up-10': ['Alt+Shift+ArrowUp'],
  'nudge-down-10': ['Alt+Shift+ArrowDown'],
  'brush-smaller': ['['],
  'brush-larger': [']'],
  /** Mask opacity down or up by a tenth (Shift+[ and Shift+] on a US layout). */
  'mask-opacity-down': ['{'],
  'mask-opacity-up': ['}'],
  /** Masks as outlines only, or filled. */
  'mask-outline-toggle': ['o'],
  /** Brush: a click fills holes instead of painting. */
  'brush-fill-toggle': ['g'],
  /** Polygon: while drawing, removes the last vertex. */
  'polygon-remove-vertex': ['Backspace'],
  'tool-select': ['v'],
  'tool-box': ['x'],
  'tool-polygon': ['p'],
  'tool-brush': ['b'],
  'tool-eraser': ['e'],
  /** Line (length) and angle measurements. */
  'tool-line': ['m'],
  'tool-angle': ['a'],
  /** The 3D brush: paints a ball of the brush's diameter (in mm) into a volume annotation. */
  'tool-brush-3d': ['d'],
} as const satisfies Keymap;

/** The default keymap: viewer navigation, then annotation actions. */
export const DEFAULT_KEYMAP: Keymap = { ...VIEWER_KEYMAP, ...ANNOTATION_KEYMAP };

/** A fresh, mutable copy of the default keymap. */
export function defaultKeymap(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [action, combos] of Object.entries(DEFAULT_KEYMAP)) out[action] = [...combos];
  return out;
}

const MODIFIERS = new Set(['ctrl', 'control', 'shift', 'alt', 'option', 'meta', 'cmd', 'command', 'mod']);

/** Parses `'Ctrl+Shift+z'`. A trailing `+` is the plus key (`'Ctrl++'`). */
export function parseCombo(combo: string): KeyCombo {
  const out: KeyCombo = { key: '', ctrl: false, shift: false, alt: false, meta: false, mod: false };
  let rest = combo.trim();
  if (rest === '+') {
    out.key = '+';
    return out;
  }
  if (rest.endsWith('++')) {
    out.key = '+';
    rest = rest.slice(0, -2);
  }
  const parts = rest.split('+').filter((p) => p.length > 0);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const lower = part.toLowerCase();
    const isLast = i === parts.length - 1 && out.key === '';
    if (!isLast && MODIFIERS.has(lower)) {
      if (lower === 'ctrl' || lower === 'control') out.ctrl = true;
      else if (lower === 'shift') out.shift = true;
      else if (lower === 'alt' || lower === 'option') out.alt = true;
      else if (lower === 'mod') out.mod = true;
      else out.meta = true;
    } else if (isLast) {
      out.key = normaliseKey(part);
    }
  }
  return out;
}

function normaliseKey(key: string): string {
  if (key === ' ' || key.toLowerCase() === 'space' || key.toLowerCase() === 'spacebar') return ' ';
  if (key.toLowerCase() === 'esc') return 'Escape';
  if (key.toLowerCase() === 'del') return 'Delete';
  if (key.length === 1) return key.toLowerCase();
  return key;
}

/** The character a physical key produces without modifiers: 'KeyZ' → 'z', 'Digit1' → '1'. */
function codeChar(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code.startsWith('Key') && code.length === 4) return code.slice(3).toLowerCase();
  if (code.startsWith('Digit') && code.length === 6) return code.slice(5);
  if (code === 'Space') return ' ';
  return undefined;
}

const parsedCache = new Map<string, KeyCombo>();
function parsed(combo: string): KeyCombo {
  let c = parsedCache.get(combo);
  if (!c) {
    c = parseCombo(combo);
    if (parsedCache.size > 1000) parsedCache.clear();
    parsedCache.set(combo, c);
  }
  return c;
}

/** Whether a keyboard event matches a combo. */
export function matchCombo(event: KeyLike, combo: string | KeyCombo): boolean {
  const c = typeof combo === 'string' ? parsed(combo) : combo;
  if (!c.key) return false;
  const ctrl = !!event.ctrlKey;
  const meta = !!event.metaKey;
  if (c.mod) {
    if (!(ctrl || meta)) return false;
    if (c.ctrl && !ctrl) return false;
    if (c.meta && !meta) return false;
  } else if (c.ctrl !== ctrl || c.meta !== meta) return false;
  if (c.alt !== !!event.altKey) return false;
  const key = normaliseKey(event.key);
  const shift = !!event.shiftKey;
  if (key === c.key) {
    // Shifted symbols ('+', '?') are typed with Shift: accept it when the combo names the symbol itself.
    if (c.shift === shift) return true;
    return !c.shift && shift && event.key.length === 1 && !/[a-z0-9]/i.test(event.key);
  }
  if (c.shift !== shift) return false;
  return codeChar(event.code) === c.key;
}

/** Every action in `keymap` that `event` triggers, in keymap order. */
export function matchActions(keymap: Keymap, event: KeyLike): string[] {
  const out: string[] = [];
  for (const action of Object.keys(keymap)) {
    const combos = keymap[action];
    if (!combos) continue;
    for (const combo of combos) {
      if (matchCombo(event, combo)) {
        out.push(action);
        break;
      }
    }
  }
  return out;
}

/** Returns `base` with `overrides` applied: actions in `overrides` replace their bindings; `[]` unbinds. */
export function mergeKeymap(base: Keymap, overrides: Keymap): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [action, combos] of Object.entries(base)) out[action] = [...combos];
  for (const [action, combos] of Object.entries(overrides)) out[action] = [...combos];
  return out;
}

/** Pairs of actions that share a combo, for hosts that want to warn about accidental collisions. */
export function findCollisions(keymap: Keymap): { combo: string; actions: string[] }[] {
  const byCombo = new Map<string, string[]>();
  for (const [action, combos] of Object.entries(keymap)) {
    for (const combo of combos) {
      const c = parsed(combo);
      const key = `${c.ctrl ? 'C' : ''}${c.shift ? 'S' : ''}${c.alt ? 'A' : ''}${c.meta ? 'M' : ''}${c.mod ? 'O' : ''}|${c.key}`;
      const list = byCombo.get(key) ?? [];
      list.push(action);
      byCombo.set(key, list);
    }
  }
  const out: { combo: string; actions: string[] }[] = [];
  for (const [key, actions] of byCombo) if (actions.length > 1) out.push({ combo: key, actions });
  return out;
}

/** A human-readable label for a combo, e.g. for tooltips: 'Ctrl+Shift+Z'. */
export function formatCombo(combo: string): string {
  const c = parsed(combo);
  const parts: string[] = [];
  if (c.mod) parts.push('Ctrl/⌘');
  if (c.ctrl) parts.push('Ctrl');
  if (c.alt) parts.push('Alt');
  if (c.shift) parts.push('Shift');
  if (c.meta) parts.push('⌘');
  parts.push(c.key === ' ' ? 'Space' : c.key.length === 1 ? c.key.toUpperCase() : c.key);
  return parts.join('+');
}
