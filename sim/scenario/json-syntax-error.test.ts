// findJsonSyntaxError: the typos a hand-edited scenario file gets, each located at its byte with
// one line of text; and, over generated JSON with one byte changed, dropped or the text cut, it
// calls a text invalid exactly when JSON.parse does (a locator that disagrees would point at the
// wrong byte or invent an error). The scenario parser's message is one line with that offset.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, findJsonSyntaxError } from './json-syntax-error.ts';
import { parseScenario } from './parse-scenario.ts';
import { testSeed } from '../campaign/suite-options.ts';

const at = (text: string): string | null => {
  const e = findJsonSyntaxError(text);
  return e === null ? null : describeJsonSyntaxError(e);
};

describe('findJsonSyntaxError', () => {
  it('locates the usual typos of a hand-edited file', () => {
    expect(at('{"name": "x",\n "seed" 2}')).toBe(`at 0x00000016 (line 2, column 9): expected ':' after the field name, got '2'`);
    expect(at('{"a": 1\n "b": 2}')).toBe(`at 0x00000009 (line 2, column 2): expected ',' or '}', got '"'`);
    expect(at('{"a": [1, 2,]}')).toBe(`at 0x0000000c (line 1, column 13): expected a value (object, array, string, number, true, false or null), got ']'`);
    expect(at('{"a": 1,}')).toBe(`at 0x00000008 (line 1, column 9): expected '"' starting a field name, got '}'`);
    expect(at("{'a': 1}")).toBe(`at 0x00000001 (line 1, column 2): expected '"' starting a field name, got '''`);
    expect(at('{"name": ')).toBe(`at 0x00000009 (line 1, column 10): expected a value (object, array, string, number, true, false or null), got the end of the file`);
    expect(at('{"a": tru }')).toBe(`at 0x00000009 (line 1, column 10): expected 'true', got ' '`);
    expect(at('{"a": "x\ny"}')).toBe(`at 0x00000008 (line 1, column 9): expected '"' or a character of the string (a control character must be escaped), got byte 0x0a`);
    expect(at('{"a": 1} x')).toBe(`at 0x00000009 (line 1, column 10): expected the end of the file after the value, got 'x'`);
    expect(at('# aofsim\n\ntext')).toBe(`at 0x00000000 (line 1, column 1): expected a value (object, array, string, number, true, false or null), got '#'`);
    expect(at('{"a": 01}')).toBe(`at 0x00000007 (line 1, column 8): expected ',' or '}', got '1'`);
    expect(at('{"a": "\\x"}')).toBe(`at 0x00000008 (line 1, column 9): expected an escape: one of " \\ / b f n r t u, got 'x'`);
  });

  it('counts the offset in bytes of the UTF-8 file and the column in characters', () => {
    expect(at('{"é": 1 2}')).toBe(`at 0x00000009 (line 1, column 9): expected ',' or '}', got '2'`);
  });

  it('finds nothing wrong in valid JSON, whitespace and escapes included', () => {
    for (const t of ['{}', ' [ ] ', '{"a": [1, -2.5e+3, 0, true, false, null, "\\u00e9\\n\\"", {}]}\n', '"x"', '-0.0E-1']) expect(at(t), t).toBeNull();
  });

  it('calls a text invalid exactly when JSON.parse does, on generated JSON with one change', () => {
    const edited = fc
      .tuple(fc.json({ depthSize: 'small' }), fc.nat(), fc.constantFrom('cut', 'drop', 'insert'), fc.constantFrom(...'{}[],:"\\ 0-.eE\nx'))
      .map(([text, n, how, ch]) => {
        const i = n % (text.length + 1);
        return how === 'cut' ? text.slice(0, i) : how === 'drop' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + ch + text.slice(i);
      });
    fc.assert(
      fc.property(edited, (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(findJsonSyntaxError(text) === null, text).toBe(parses);
      }),
      { seed: testSeed(process.env), numRuns: 2000 },
    );
  });
});

describe('parseScenario on text that is not JSON', () => {
  it('says so in one line with the file, the offset and what it expected', () => {
    expect(() => parseScenario('# aofsim\n\nnot json\n', 'README.md')).toThrow(
      /^README\.md: \$: not valid JSON at 0x00000000 \(line 1, column 1\): expected a value \(object, array, string, number, true, false or null\), got '#'$/,
    );
    expect(() => parseScenario('{\n  "name": "x"\n  "seed": 1\n}\n', 'typo.scenario.json')).toThrow(
      /^typo\.scenario\.json: \$: not valid JSON at 0x00000012 \(line 3, column 3\): expected ',' or '}', got '"'$/,
    );
  });
});
