// Generated CONFIG GET patterns for the differential suites (redis: util.c stringmatchlen, the
// matcher configGetCommand uses in 4.0.14 and 7.0.15): a name with each byte kept or replaced by a
// piece of glob syntax that still matches it (a class, a negated class of another byte, a range
// either way round, an escape, an unterminated class) or by one that may not (`?`, `*`, a dropped
// byte, a class that excludes it).

import fc from 'fast-check';

/** A glob in place of one byte `c` of a name, or the byte as it is; an unknown op is used as it is. */
export function globFor(op: string, c: string): string {
  const near = (d: number): string => String.fromCharCode(c.charCodeAt(0) + d);
  switch (op) {
    case 'upper':
      return c.toUpperCase();
    case 'class':
      return `[x${c.toUpperCase()}]`;
    case 'not':
      return `[^${c === 'q' ? 'x' : 'q'}]`;
    case 'not-self':
      return `[^${c}]`;
    case 'range':
      return `[${near(-1)}-${near(1)}]`;
    case 'range-down':
      return `[${near(1).toUpperCase()}-${near(-1).toUpperCase()}]`;
    case 'escape':
      return `\\${c}`;
    case 'escape-in-class':
      return `[\\${c}]`;
    case 'escape-upper-in-class':
      return `[\\${c.toUpperCase()}]`;
    case 'open-class':
      return `[${c}`;
    case 'drop':
      return '';
    case 'keep':
      return c;
    default:
      return op;
  }
}

/** One of `names` with an op of `ops` applied to each of its bytes (repeat 'keep' to weight it). */
export function globbedName(names: readonly string[], ops: readonly string[]): fc.Arbitrary<string> {
  return fc
    .constantFrom(...names)
    .chain((name) => fc.array(fc.constantFrom(...ops), { minLength: name.length, maxLength: name.length }).map((chosen) => chosen.map((op, i) => globFor(op, name[i]!)).join('')));
}
