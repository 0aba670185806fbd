/**
 * Custom elements manifest (`npm run analyze`): every voxmark element with its tag, attributes, properties,
 * events, slots, CSS parts and custom properties, read from the elements' JSDoc. Storybook reads it for its
 * autodocs and controls.
 */

/**
 * Events come from the `@fires` tags. The analyzer also guesses events from `dispatchEvent(new X(a, b))`, and
 * takes the first constructor argument for the event's name: voxmark's event classes take their detail there
 * (`new VxLoadEvent(stack)`), which invented events called `stack`, `name` and `id`. Only `vx-*` names are events.
 */
function onlyDocumentedEvents() {
  return {
    name: 'voxmark-only-documented-events',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.events) continue;
          const seen = new Set();
          decl.events = decl.events.filter((e) => {
            if (!e.name?.startsWith('vx-') || seen.has(e.name)) return false;
            seen.add(e.name);
            return true;
          });
        }
      }
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  outdir: '.',
  litelement: true,
  plugins: [onlyDocumentedEvents()],
};
