/**
 * The layers of lib/, from the edge down (docs/architecture.md draws them). A folder may import
 * its own files and the folders of any layer below its own; never a folder above it, nor
 * another folder of its own layer. `npm test` checks it with dependency-cruiser.
 */
const LAYERS = [
  ['functions'],
  ['lib/handler'],
  ['lib/triggers'],
  ['lib/batch'],
  ['lib/request'],
  ['lib/mirror'],
  ['lib/feishu', 'lib/storage'],
  ['lib/clients'],
  ['lib/image', 'lib/settings'],
  ['lib/metrics'],
  ['lib/endpoints', 'lib/errors', 'lib/runtime'],
];

const escapeRegExp = (folder) => folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** For each folder: no import of a folder of its own layer or of any layer above. */
const forbidden = LAYERS.flatMap((layer, rank) =>
  layer.map((folder) => {
    const notBelow = LAYERS.slice(0, rank + 1)
      .flat()
      .filter((other) => other !== folder);
    return {
      name: `layers: ${folder}`,
      comment: `${folder} may import only the layers below it: ${
        LAYERS.slice(rank + 1)
          .map((l) => l.join(', '))
          .join(' → ') || 'none'
      }`,
      severity: 'error',
      from: { path: `^${escapeRegExp(folder)}/` },
      to: { path: `^(${notBelow.map(escapeRegExp).join('|')})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    ...forbidden,
    {
      name: 'no-circular',
      comment:
        'modules that import each other at run time, even within one folder, cannot be read or tested alone ' +
        '(a circle of type imports only is erased at compile time)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(tests|bench|stack)/' },
  },
};
