import type { ViewerHost } from '../viewer-host.js';

/**
 * How many animation frames a toolbar, label picker or export panel keeps looking for a viewer that is not on
 * the page yet (about five seconds): frameworks often render the controls before the viewer they point at.
 */
export const VIEWER_LOOKUP_FRAMES = 300;

/**
 * The viewer an element works with: the element with id `forId` in the same document or shadow root, or the
 * enclosing `<vx-viewer>` when `forId` is empty. Undefined when there is none yet, or the element with that id
 * is not a viewer.
 */
export function findLinkedViewer<T extends ViewerHost & HTMLElement>(
  host: HTMLElement,
  forId: string | undefined,
): T | undefined {
  const root = host.getRootNode() as Document | ShadowRoot;
  const el = forId ? root.getElementById?.(forId) : host.closest('vx-viewer');
  const candidate = el as unknown as Partial<ViewerHost> | null | undefined;
  return candidate &&
    typeof candidate.subscribe === 'function' &&
    typeof candidate.registerTool === 'function'
    ? (el as unknown as T)
    : undefined;
}
