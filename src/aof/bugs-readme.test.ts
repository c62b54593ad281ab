// README.md's table of bug switches ("Historical bugs on purpose") lists every switch of
// BUG_SWITCHES with its profiles, and nothing else: the table is what users read before
// `aofsim run --list-bugs`, and it had fallen two switches behind.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUG_SWITCHES } from './bugs.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe("README's bug-switch table", () => {
  it('has one row per switch, with the profiles the switch applies to', () => {
    const table = README.slice(README.indexOf('| switch | profiles |'));
    const rows = table
      .split('\n')
      .slice(2)
      .filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('|')))
      .map((l) => l.split('|').map((c) => c.trim()));
    const inReadme = Object.fromEntries(rows.map((c) => [c[1].replaceAll('`', ''), c[2]]));
    const expected = Object.fromEntries(BUG_SWITCHES.map((b) => [b.name, b.profiles.map((p) => p.replace('redis-', '')).join(', ')]));
    expect(inReadme).toEqual(expected);
  });
});
