// Lint rules that enforce STYLE.md's determinism rules: in src/ and sim/ no ambient time, randomness,
// timers or real I/O, except where code faces the real world on purpose (node adapters, subjects that
// drive real processes). cli/ (budgets, progress, real files and sockets) is outside these rules.
// src/ never imports sim/.
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
const noSim = { group: ['**/sim/**', '../sim', '../../sim'], message: 'src/ never imports sim/ (properties -> sim -> src).' };
const noCli = { group: ['**/cli/**', '../cli', '../../cli'], message: 'src/ and sim/ never import cli/ (cli -> sim -> src).' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'blob-report/**', '.vitest-reports/**'] },
  { files: ['**/*.ts'], extends: [tseslint.configs.base] },
  {
    files: ['sim/**/*.ts'],
    ignores: [...realWorld, ...tests],
    rules: {
      'no-restricted-globals': ambientGlobals,
      'no-restricted-properties': ambientProperties,
      'no-restricted-imports': ['error', { paths: realIo, patterns: [noCli] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: [...realWorld, ...tests],
    rules: {
      'no-restricted-globals': ambientGlobals,
      'no-restricted-properties': ambientProperties,
      'no-restricted-imports': ['error', { paths: realIo, patterns: [noSim, noCli] }],
    },
  },
  {
    files: ['src/adapters/node/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSim, noCli] }] },
  },
  {
    // The real-world parts of sim/ still never import the command line (tests may drive it).
    files: ['sim/subjects/real*/**/*.ts', 'sim/subjects/real*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noCli] }] },
  },
);
