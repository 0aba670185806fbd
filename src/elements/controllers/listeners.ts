/**
 * DOM listeners that a controller keeps on its element while the element is connected.
 * @module
 */

/** Event type → listener, with options for the few that need them (a non-passive wheel). */
export type Listeners = Record<string, EventListener | [EventListener, AddEventListenerOptions]>;

/** Adds `listeners` to `target`; returns the function that removes them again. */
export function listen(target: EventTarget, listeners: Listeners): () => void {
  const entries = Object.entries(listeners).map(
    ([type, l]): [string, EventListener, AddEventListenerOptions?] =>
      Array.isArray(l) ? [type, l[0], l[1]] : [type, l],
  );
  for (const [type, listener, options] of entries) target.addEventListener(type, listener, options);
  return () => {
    for (const [type, listener, options] of entries) target.removeEventListener(type, listener, options);
  };
}
