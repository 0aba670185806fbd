/**
 * Import rules for src/, checked by `npm run lint` (`npm run lint:imports`).
 *
 * 1. No import cycles between files. Type-only imports count; a lazy `import()` does not, since it is the
 *    way a lower module reaches a higher one at run time without a load-order cycle.
 * 2. The folders of src/core form a ladder: a folder imports only folders on lower rungs (again, a lazy
 *    `import()` may reach up). With dicom and mask at the bottom, no chain of imports can lead back.
 *
 * Proof that the rules bite: test/imports/ holds a cycle and a ladder breach, and scripts/check-imports.mjs
 * checks that dependency-cruiser reports both before it checks src/.
 */

/** The rungs of src/core, bottom first. A folder (or top-level file) may import only lower rungs. */
const LADDER = [
  ['errors.ts', 'util'],
  ['dicom', 'mask'],
  ['image', 'annotation'],
  ['deid', 'schema'],
  ['load.ts', 'formats'],
  // Built on the formats and the loader: dataset export, segment-editor effects, the DICOMweb client.
  ['dataset', 'effects', 'dicomweb'],
  ['keymap.ts'],
  // Tool state machines and the editing session (selection, visibility, editor) lean on each other.
  ['tools|session'],
  ['index.ts'],
];

const escapeDots = (name) => name.replace(/\./g, '\\.');
const pathOf = (names) => `^src/core/(${names.map(escapeDots).join('|')})(/|$)`;

const ladderRules = LADDER.flatMap((rung, level) => {
  const higher = LADDER.slice(level + 1).flat();
  return rung.flatMap((name) => {
    const siblings = rung.filter((other) => other !== name && !other.includes('|') && !name.includes('|'));
    const forbidden = [...higher, ...siblings];
    if (!forbidden.length) return [];
    return [
      {
        name: `core-ladder:${name}`,
        comment: `src/core/${name} sits on rung ${level} of the core ladder: it imports only lower rungs (a lazy import() may reach up).`,
        severity: 'error',
        from: { path: pathOf([name]) },
        to: { path: pathOf(forbidden), dependencyTypesNot: ['dynamic-import'] },
      },
    ];
  });
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Files must not import each other, directly or through others (lazy import() excepted).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } },
    },
    ...ladderRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'browser', 'default'] },
  },
};
