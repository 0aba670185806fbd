#!/usr/bin/env node
// Checks the custom elements manifest (`npm run lint:manifest`): builds it afresh (custom-elements.json, as
// `npm run analyze` does) and fails unless every tag that src/define.ts registers is declared with its tag
// name, and every `vx-*` event class an element file dispatches (`new VxFooEvent(`) is listed among that
// element's events. Storybook's autodocs and a host's tooling read the manifest: an element missing there is
// invisible.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
const declared = new Map();
for (const mod of manifest.modules ?? [])
  for (const d of mod.declarations ?? []) if (d.tagName) declared.set(d.tagName, { ...d, path: mod.path });

const define = readFileSync(join(root, 'src/define.ts'), 'utf8');
const tags = [...define.matchAll(/\['(vx-[a-z-]+)',\s*(\w+)\]/g)].map((m) => m[1]);
const events = readFileSync(join(root, 'src/elements/events.ts'), 'utf8');
const problems = [];
if (tags.length === 0)
  problems.push('src/define.ts registers no tag (the pattern in this script is out of date)');
for (const tag of tags) {
  const d = declared.get(tag);
  if (!d) {
    problems.push(`${tag}: not in the manifest (its class needs a JSDoc @tag)`);
    continue;
  }
  const listed = new Set((d.events ?? []).map((e) => e.name));
  const source = readFileSync(join(root, d.path), 'utf8');
  for (const [, cls] of source.matchAll(/new (Vx\w+Event)\(/g)) {
    const type = new RegExp(`class ${cls} [\\s\\S]*?static readonly type = '([a-z-]+)'`).exec(
      events + source,
    )?.[1];
    if (type && !listed.has(type))
      problems.push(`${tag}: dispatches ${type} but its JSDoc has no @fires for it`);
  }
}
if (problems.length) {
  console.error(`custom elements manifest:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`manifest: ${tags.length} elements, each with its tag and the events it dispatches`);
