/**
 * The import rules of `.dependency-cruiser.cjs` (no file cycles; the src/core folder ladder), checked in
 * two steps: first on test/imports/fixture, which breaks each rule once on purpose and must be reported
 * exactly so (a rule that catches nothing fails here), then on src/, which must be clean.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

function cruise(cwd) {
  let out;
  try {
    out = execFileSync(bin, ['src', '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // violations make depcruise exit non-zero; the JSON report is still on stdout
    if (!out) throw e;
  }
  return JSON.parse(out).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

const expected = [
  'core-ladder:mask: src/core/mask/outline.ts → src/core/annotation/model.ts',
  'no-cycle: src/core/formats/a.ts → src/core/formats/b.ts',
];
const proof = cruise(path.join(root, 'test', 'imports', 'fixture')).sort();
if (JSON.stringify(proof) !== JSON.stringify(expected)) {
  console.error('The import rules do not catch what test/imports/fixture breaks on purpose.');
  console.error(`expected:\n  ${expected.join('\n  ')}\ngot:\n  ${proof.join('\n  ') || '(nothing)'}`);
  process.exit(1);
}

const found = cruise(root);
if (found.length) {
  console.error(`Import rule violations in src/ (see .dependency-cruiser.cjs):\n  ${found.join('\n  ')}`);
  process.exit(1);
}
console.log('imports: no cycles, core ladder kept (and the rules catch the fixture breaches)');
