// Arbitraries of the offline loader properties: byte strings biased towards RESP-significant bytes,
// and scripts of writes as an AOF holds them (SET/DEL/INCR, SELECT, #TS: lines, MULTI blocks) over
// a few awkward keys. The property suites in properties/ share them (properties/loader-arbitraries.ts).

import fc from 'fast-check';

/** A byte string (one char per byte), biased towards RESP-significant bytes. */
export const bytesArb = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
        { weight: 1, arbitrary: fc.constantFrom(0x0d, 0x0a, 0x00, 0x2a, 0x24, 0x23, 0xff) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
      ),
      { maxLength },
    )
    .map((codes) => String.fromCharCode(...codes));

export type ScriptOp =
  | { op: 'set'; key: string; value: string }
  | { op: 'del'; key: string }
  | { op: 'incr'; key: string }
  | { op: 'select'; db: number }
  | { op: 'ts' }
  | { op: 'multi'; body: ({ op: 'set'; key: string; value: string } | { op: 'incr'; key: string } | { op: 'del'; key: string })[] };

const keyArb = fc.constantFrom('a', 'b', 'c', 'n', 'k\r\n', '*1');
const simpleOp = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: keyArb, value: fc.oneof(bytesArb(12), fc.constantFrom('1', '41')) }),
  fc.record({ op: fc.constant('del' as const), key: keyArb }),
  fc.record({ op: fc.constant('incr' as const), key: keyArb }),
);

/** A script of writes as an AOF would hold them: SET/DEL/INCR, SELECT, #TS: lines, MULTI blocks. */
export const scriptArb: fc.Arbitrary<ScriptOp[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: simpleOp },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('select' as const), db: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 1, arbitrary: fc.constant({ op: 'ts' as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('multi' as const), body: fc.array(simpleOp, { maxLength: 4 }) }) },
  ),
  { maxLength: 25 },
);
