// Lint rules that enforce STYLE.md's determinism rules: in src/ and sim/ no ambient time, randomness,
// timers or real I/O, except where code faces the real world on purpose (node adapters, subjects that
// drive real processes). cli/ (budgets, progress, real files and sockets) is outside these rules.
//
// Folder layers (ARCHITECTURE.md): each folder imports only its own layer and the ones below it,
//   base <- ports <- keyspace <- resp, rdb <- commands + scripting <- aof <- server (src/server*.ts, adapters)
//   <- sim <- cli,
// and no production file imports the test helpers in testing/. Tests (*.test.ts) are exempt: they
// may reach up to build their fixtures.
import tseslint from 'typescript-eslint';

const realWorld = ['src/adapters/node/**', 'sim/subjects/real*/**', 'sim/subjects/real*.ts'];
const tests = ['**/*.test.ts'];

const ambientGlobals = [
  'error',
  { name: 'Date', message: 'Use the Clock port (determinism).' },
  { name: 'setTimeout', message: 'Use the Clock/Tasks ports (determinism).' },
  { name: 'setInterval', message: 'Use the Clock/Tasks ports (determinism).' },
  { name: 'setImmediate', message: 'Use the Tasks port (determinism).' },
  { name: 'performance', message: 'Use the Clock port (determinism).' },
  { name: 'queueMicrotask', message: 'Use the Tasks port (determinism).' },
];
const ambientProperties = [
  'error',
  { object: 'Math', property: 'random', message: 'Use the seeded PRNG (sim/prng).' },
  { object: 'process', property: 'hrtime', message: 'Use the Clock port.' },
  { object: 'Date', property: 'now', message: 'Use the Clock port.' },
];
const realIo = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'timers', 'node:timers', 'node:timers/promises',
  'child_process', 'node:child_process', 'net', 'node:net'].map((name) => ({
  name,
  message: 'Real I/O, timers and processes only in src/adapters/node, cli/ and sim/subjects/real*.',
}));
// Lowest first. `folders` are what an import specifier names as a path segment (`names`: a regex
// for the layer's loose files);
// `files` are the layer's own files; `realWorld` those of its files allowed real I/O.
const layers = [
  { files: ['src/base/**/*.ts'], folders: ['base'] },
  { files: ['src/ports/**/*.ts'], folders: ['ports'] },
  { files: ['src/keyspace/**/*.ts'], folders: ['keyspace'] },
  { files: ['src/resp/**/*.ts', 'src/rdb/**/*.ts'], folders: ['resp', 'rdb'] },
  // scripting runs redis.call through the executor and the executor owns the scripting runtime:
  // one layer, as in Redis (script_lua.c calls call() and server.c calls evalCommand).
  { files: ['src/commands/**/*.ts', 'src/scripting/**/*.ts'], folders: ['commands', 'scripting'] },
  // the AOF, RDB snapshots and the children both fork (their programs as data): one layer, as the
  // rewrite ships its snapshot through src/child and the BGSAVE code writes through the AOF's helpers
  { files: ['src/aof/**/*.ts', 'src/persistence/**/*.ts', 'src/child/**/*.ts'], folders: ['aof', 'persistence', 'child'] },
  {
    files: ['src/*.ts', 'src/adapters/**/*.ts'],
    folders: ['adapters'],
    names: '^(\\.\\./)+server(-types)?\\.ts$',
    realWorld: ['src/adapters/node/**'],
  },
  { files: ['sim/**/*.ts'], folders: ['sim'], realWorld: ['sim/subjects/real*/**', 'sim/subjects/real*.ts'] },
  { files: ['cli/**/*.ts'], folders: ['cli'], realWorld: ['cli/**'] },
];
const noTesting = { group: ['**/testing/**'], message: 'Test helpers (testing/) are for tests only.' };

/** The import patterns a file of layer i may not use: every higher layer, and testing/. */
function layerPatterns(i) {
  const above = layers.slice(i + 1);
  const message = `${layers[i].folders.join('/')} imports only its own layer and lower ones (ARCHITECTURE.md).`;
  const patterns = [noTesting];
  if (above.length > 0) patterns.push({ group: above.flatMap((l) => l.folders.map((f) => `**/${f}/**`)), message });
  for (const l of above) if (l.names) patterns.push({ regex: l.names, message });
  return patterns;
}

/** Per layer: its deterministic files also get the real-I/O ban; its real-world files only the layer rule. */
function layerConfigs() {
  return layers.flatMap((l, i) => {
    const patterns = layerPatterns(i);
    const realWorldFiles = l.realWorld ?? [];
    const configs = [
      { files: l.files, ignores: [...realWorldFiles, ...tests], rules: { 'no-restricted-imports': ['error', { paths: realIo, patterns }] } },
    ];
    if (realWorldFiles.length > 0) {
      configs.push({ files: realWorldFiles, ignores: tests, rules: { 'no-restricted-imports': ['error', { patterns }] } });
    }
    return configs;
  });
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'blob-report/**', '.vitest-reports/**', '.stryker-tmp/**'] },
  { files: ['**/*.ts'], extends: [tseslint.configs.base] },
  {
    files: ['sim/**/*.ts', 'src/**/*.ts'],
    ignores: [...realWorld, ...tests],
    rules: {
      'no-restricted-globals': ambientGlobals,
      'no-restricted-properties': ambientProperties,
    },
  },
  ...layerConfigs(),
);
