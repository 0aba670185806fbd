/**
 * axe over stories: renders each story of a CSF module into the page as Storybook would (meta and story args,
 * loaders, the story's render or the meta's), waits for it to settle (viewers loaded, elements updated, the
 * DOM still), and checks it with axe-core. Each story is its own test, so none nears the per-test timeout.
 */
import { expect } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import '../../../src/define.js';

type Args = Record<string, unknown>;
interface StoryLike {
  name?: string;
  args?: Args;
  loaders?: ((ctx: { args: Args }) => Promise<Record<string, unknown>>)[];
  render?: (args: Args, ctx: { args: Args; loaded: Record<string, unknown> }) => unknown;
}
interface CsfModule {
  default: StoryLike & { excludeStories?: string[] | RegExp; title?: string };
  [name: string]: unknown;
}

/** The stories of a CSF module: its named exports less `excludeStories`, in source order. */
export function storiesOf(mod: CsfModule): [string, StoryLike][] {
  const exclude = mod.default.excludeStories;
  return Object.entries(mod).filter(
    ([name, value]) =>
      name !== 'default' &&
      !!value &&
      typeof value === 'object' &&
      !(Array.isArray(exclude) ? exclude.includes(name) : exclude?.test(name)),
  ) as [string, StoryLike][];
}

async function loaded(meta: StoryLike, story: StoryLike, args: Args): Promise<Record<string, unknown>> {
  const parts = await Promise.all(
    [...(meta.loaders ?? []), ...(story.loaders ?? [])].map((l) => l({ args })),
  );
  return Object.assign({}, ...parts);
}

/** Renders a story into a fresh element in the page. */
export async function renderStory(meta: StoryLike, story: StoryLike): Promise<HTMLElement> {
  const args = { ...meta.args, ...story.args };
  const out = (story.render ?? meta.render)!(args, { args, loaded: await loaded(meta, story, args) });
  const host = document.createElement('main');
  host.style.cssText = 'padding: 16px; width: 1100px';
  document.body.append(host);
  if (out instanceof Node) host.append(out);
  else render(out as TemplateResult, host);
  return host;
}

/** Every element under `root`, through open shadow roots. */
function deepElements(root: Element | ShadowRoot, out: Element[] = []): Element[] {
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) deepElements(el.shadowRoot, out);
  }
  return out;
}

/**
 * Waits until the story is still: every viewer showing its image or its error (a viewer may stay empty, as in
 * the empty-viewer story, for `emptyMs`), every Lit element updated, and the same DOM (through shadow roots)
 * on two looks 150 ms apart; at most `ms`.
 */
export async function settle(host: HTMLElement, ms = 10000, emptyMs = 3000): Promise<void> {
  const start = performance.now();
  const end = start + ms;
  let last = '';
  for (;;) {
    const els = deepElements(host);
    await Promise.all(els.map((e) => (e as Partial<{ updateComplete: Promise<unknown> }>).updateComplete));
    const waitEmpty = performance.now() - start < emptyMs;
    const loading = els.some((e) => {
      const phase = e.localName === 'vx-viewer' ? (e as { phase?: string }).phase : undefined;
      return phase === 'loading' || (phase === 'empty' && waitEmpty);
    });
    const shape = `${els.length}|${els.map((e) => e.localName + (e.getAttribute('part') ?? '')).join()}`;
    if (!loading && shape === last) return;
    last = shape;
    if (performance.now() > end) return;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** One test per story of `mod`: rendered, settled, and no axe violation. */
export function axeEveryStory(mod: CsfModule, skip: Record<string, string> = {}): void {
  describe(`axe: ${mod.default.title ?? 'stories'}`, () => {
    let host: HTMLElement | undefined;
    afterEach(() => {
      if (host) render(null, host);
      host?.remove();
      host = undefined;
    });
    for (const [name, story] of storiesOf(mod)) {
      const why = skip[name];
      (why ? it.skip : it)(`${story.name ?? name}${why ? ` (${why})` : ''}`, async () => {
        host = await renderStory(mod.default, story);
        await settle(host);
        await expect(host).to.be.accessible();
      });
    }
  });
}
