// Property: parseInfo (src/aof/info.ts), the reader the tests and drivers use on INFO replies from
// aofsim and from real servers, gives back exactly the `name:value` fields an INFO text was built
// from, whatever else the text holds. INFO's format (redis: server.c genRedisInfoString): sections
// open with a `# Name` header and are separated by blank lines, every other line is `name:value`
// with CRLF ends; a value may hold ':' itself (`db0:keys=1,expires=0`, `errorstat_ERR:count=1`,
// `executable:/usr/bin/redis-server`). Lines that are none of these (no colon, or nothing before
// the colon) carry no field and are skipped, as clients (redis-cli --stat, redis-py parse_info) do.
// The model is the list of fields the text was generated from; a repeated name keeps its last value.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInfo } from '../src/aof/info.ts';
import { testSeed } from '../sim/campaign/suite-options.ts';
import { fcParams } from './loader-arbitraries.ts';

type Line = { kind: 'field'; name: string; value: string } | { kind: 'other'; text: string };

const nameArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
/** Any printable value, colons and '#' included, without a line end. */
const valueArb = fc.stringMatching(/^[ -~]{0,16}$/);
const lineArb: fc.Arbitrary<Line> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(nameArb, valueArb).map(([name, value]): Line => ({ kind: 'field', name, value })) },
  { weight: 1, arbitrary: fc.constantFrom('Server', 'Persistence', 'Stats', 'Keyspace').map((s): Line => ({ kind: 'other', text: `# ${s}` })) },
  { weight: 1, arbitrary: fc.constant<Line>({ kind: 'other', text: '' }) },
  // A line without a field: no colon at all, or nothing before the first colon.
  { weight: 2, arbitrary: fc.stringMatching(/^[ -9;-~]{1,16}$/).map((text): Line => ({ kind: 'other', text })) },
  { weight: 2, arbitrary: valueArb.map((v): Line => ({ kind: 'other', text: `:${v}` })) },
);

describe('parseInfo', () => {
  it('reads back the fields an INFO text was built from, and nothing from the other lines', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), (lines) => {
        const text = lines.map((l) => (l.kind === 'field' ? `${l.name}:${l.value}` : l.text) + '\r\n').join('');
        const expected = new Map<string, string>();
        for (const l of lines) if (l.kind === 'field') expected.set(l.name, l.value);
        expect([...parseInfo(text)]).toEqual([...expected]);
      }),
      // The suite seed (AOFSIM_SEED, else fixed): every npm test draws the same texts.
      { ...fcParams(200), seed: testSeed(process.env) },
    );
  });
});
