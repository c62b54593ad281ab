// Property: decode(encode(x)) == x for any argv list and any chunking of the bytes, under the AOF
// loader's rules (src/resp/loader-decoder.ts), with '#' annotation lines anywhere between records;
// offsets and protocol line numbers come out as the encoding defines them.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { encodeCommand } from '../src/resp/encode.ts';
import { LoaderDecoder } from '../src/resp/loader-decoder.ts';
import { argvArb, chunkingArb, fcParams, splitAt } from './loader-arbitraries.ts';

interface Item {
  argv: string[];
  annotationBefore: boolean;
}

const itemsArb: fc.Arbitrary<Item[]> = fc.array(fc.record({ argv: argvArb, annotationBefore: fc.boolean() }), {
  minLength: 1,
  maxLength: 8,
});

describe('RESP roundtrip (loader rules)', () => {
  it('decode(encode(argv)) == argv for any chunking, with offsets and lines', () => {
    const arb = itemsArb.chain((items) => {
      let text = '';
      for (const it of items) text += (it.annotationBefore ? '#TS:1700000000\r\n' : '') + encodeCommand(it.argv);
      return fc.tuple(fc.constant(items), fc.constant(text), chunkingArb(text.length));
    });
    fc.assert(
      fc.property(arb, ([items, text, cuts]) => {
        const d = new LoaderDecoder();
        const got: { argv: string[]; offset: number; next: number; line: number }[] = [];
        const drain = (): string => {
          for (;;) {
            const st = d.next();
            if (st === 'command') got.push({ argv: d.argv, offset: d.recordOffset, next: d.nextOffset, line: d.line });
            else if (st !== 'annotation') return st;
          }
        };
        for (const chunk of splitAt(text, cuts)) {
          d.push(Buffer.from(chunk, 'latin1'));
          const st = drain();
          if (st !== 'need-more') throw new Error(`unexpected ${st} before finish()`);
        }
        d.finish();
        const end = drain();
        if (end !== 'eof') throw new Error(`expected eof, got ${end}`);
        // Expected values straight from the encoding.
        let offset = 0;
        let line = 1;
        if (got.length !== items.length) throw new Error(`decoded ${got.length} commands, encoded ${items.length}`);
        items.forEach((it, i) => {
          if (it.annotationBefore) {
            offset += '#TS:1700000000\r\n'.length;
            line += 1;
          }
          const enc = encodeCommand(it.argv);
          const g = got[i];
          if (JSON.stringify(g.argv) !== JSON.stringify(it.argv)) throw new Error(`argv ${i} differs`);
          if (g.offset !== offset || g.next !== offset + enc.length) throw new Error(`offsets of ${i} differ`);
          if (g.line !== line) throw new Error(`line of ${i}: ${g.line} != ${line}`);
          offset += enc.length;
          line += 1 + 2 * it.argv.length;
        });
      }),
      fcParams(300), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
