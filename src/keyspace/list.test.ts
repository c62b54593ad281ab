// The ring-buffer list against a plain array model: every operation keeps the same elements in the
// same order, across wrap-around, growth and shrinking.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { List } from './list.ts';

const seed = Number(process.env.AOFSIM_SEED ?? 1414);

type Op =
  | { op: 'pushHead' | 'pushTail'; v: string }
  | { op: 'popHead' | 'popTail' }
  | { op: 'insertAt' | 'set'; at: number; v: string }
  | { op: 'removeAt'; at: number }
  | { op: 'removeEqual'; v: string; limit: number; fromTail: boolean }
  | { op: 'trim'; n: number; t: number };

const elem = fc.constantFrom('a', 'b', 'c', '');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('pushHead' as const, 'pushTail' as const), v: elem }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('popHead' as const, 'popTail' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('insertAt' as const, 'set' as const), at: fc.nat(40), v: elem }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('removeAt' as const), at: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeEqual' as const), v: elem, limit: fc.integer({ min: 1, max: 5 }), fromTail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('trim' as const), n: fc.nat(5), t: fc.nat(5) }) },
);

function apply(l: List, model: string[], o: Op): void {
  switch (o.op) {
    case 'pushHead':
      l.pushHead(o.v);
      model.unshift(o.v);
      return;
    case 'pushTail':
      l.pushTail(o.v);
      model.push(o.v);
      return;
    case 'popHead':
      expect(l.popHead()).toBe(model.shift());
      return;
    case 'popTail':
      expect(l.popTail()).toBe(model.pop());
      return;
    case 'insertAt': {
      const i = o.at % (model.length + 1);
      l.insertAt(i, o.v);
      model.splice(i, 0, o.v);
      return;
    }
    case 'set':
      if (model.length === 0) return;
      l.set(o.at % model.length, o.v);
      model[o.at % model.length] = o.v;
      return;
    case 'removeAt':
      if (model.length === 0) return;
      expect(l.removeAt(o.at % model.length)).toBe(model.splice(o.at % model.length, 1)[0]);
      return;
    case 'removeEqual': {
      // lremCommand's walk on an array, as the list family did before the ring buffer.
      let removed = 0;
      if (!o.fromTail) {
        for (let i = 0; i < model.length && removed < o.limit; ) {
          if (model[i] === o.v) {
            model.splice(i, 1);
            removed++;
          } else i++;
        }
      } else {
        for (let i = model.length - 1; i >= 0 && removed < o.limit; i--) {
          if (model[i] === o.v) {
            model.splice(i, 1);
            removed++;
          }
        }
      }
      expect(l.removeEqual(o.v, o.limit, o.fromTail)).toBe(removed);
      return;
    }
    case 'trim': {
      const n = Math.min(o.n, model.length);
      const t = Math.min(o.t, model.length - n);
      l.trim(n, t);
      model.splice(model.length - t, t);
      model.splice(0, n);
      return;
    }
  }
}

describe('List (ring buffer)', () => {
  it('matches an array model under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(elem, { maxLength: 20 }), fc.array(opArb, { maxLength: 200 }), (init, ops) => {
        const l = List.from(init);
        const model = init.slice();
        for (const o of ops) {
          apply(l, model, o);
          expect(l.length).toBe(model.length);
        }
        expect(l.toArray()).toEqual(model);
        expect([...l]).toEqual(model);
        expect(l.clone().toArray()).toEqual(model);
        for (let i = -1; i <= model.length; i++) expect(l.get(i)).toBe(model[i]);
        expect(l.indexOf('a')).toBe(model.indexOf('a'));
        expect(l.slice(1, 3)).toEqual(model.slice(1, 3));
      }),
      { numRuns: 300, seed },
    );
  });

  it('pushes and pops at both ends without moving the other elements (100k each way)', () => {
    const l = new List();
    for (let i = 0; i < 100_000; i++) {
      l.pushHead(`h${i}`);
      l.pushTail(`t${i}`);
    }
    expect(l.length).toBe(200_000);
    expect(l.get(0)).toBe('h99999');
    expect(l.get(199_999)).toBe('t99999');
    const wrong: string[] = [];
    for (let i = 99_999; i >= 0; i--) {
      const h = l.popHead();
      const t = l.popTail();
      if (h !== `h${i}` || t !== `t${i}`) wrong.push(`${i}: ${h} ${t}`);
    }
    expect(wrong).toEqual([]);
    expect(l.length).toBe(0);
    expect(l.popHead()).toBeUndefined();
  });
});
