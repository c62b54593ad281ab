// Where JSON text stops being JSON, for the one-line message about a hand-edited scenario file:
//   x.scenario.json: $: not valid JSON at 0x0000002a (line 3, column 12): expected ',' or '}', got '"'
// V8's JSON.parse message gives no position for some errors and quotes the text around the error
// with its line breaks (a message of several lines), and its wording changes between Node versions:
// this scanner walks the RFC 8259 grammar itself and stops at the first byte that cannot continue a
// JSON text. It only locates the error; JSON.parse still does the parsing. Offsets are in bytes of
// the UTF-8 file, lines and columns count from 1 (columns in characters).

export interface JsonSyntaxError {
  /** Byte offset in the UTF-8 text. */
  offset: number;
  line: number;
  column: number;
  expected: string;
  /** What is there instead: a quoted character or 'the end of the file'. */
  got: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly expected: string,
  ) {}
}

/** The first syntax error of `text`, or null when it is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`'${word}'`);
      i++;
    }
  };
  const digits = (what: string): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail(what);
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits('a digit');
    if (text[i] === '.') {
      i++;
      digits('a digit after the decimal point');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits('a digit in the exponent');
    }
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail(`'"' closing the string`);
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < ' ') fail(`'"' or a character of the string (a control character must be escaped)`);
      if (ch === '\\') {
        i++;
        const e = text[i] ?? '';
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('4 hex digits after \\u');
          }
        } else if (!'"\\/bfnrt'.includes(e) || e === '') fail(`an escape: one of " \\ / b f n r t u`);
      }
      i++;
    }
  };
  /** The items of an object or array after its opening byte, separated by ',' up to `close`. */
  const items = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`',' or '${close}'`);
    }
  };
  const field = (): void => {
    ws();
    if (text[i] !== '"') fail(`'"' starting a field name`);
    string();
    ws();
    if (text[i] !== ':') fail(`':' after the field name`);
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') return items('}', field);
    if (ch === '[') return items(']', value);
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || /[0-9]/.test(ch ?? '')) return number();
    fail('a value (object, array, string, number, true, false or null)');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the file after the value');
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return locate(text, e.at, e.expected);
  }
}

function locate(text: string, at: number, expected: string): JsonSyntaxError {
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  const ch = text.codePointAt(at);
  const got = ch === undefined ? 'the end of the file' : ch < 0x20 || ch === 0x7f ? `byte 0x${ch.toString(16).padStart(2, '0')}` : `'${String.fromCodePoint(ch)}'`;
  return {
    offset: new TextEncoder().encode(before).length,
    line: before.split('\n').length,
    column: [...text.slice(lineStart, at)].length + 1,
    expected,
    got,
  };
}

/** The one-line description: `at 0x0000002a (line 3, column 12): expected ',' or '}', got '"'`. */
export function describeJsonSyntaxError(e: JsonSyntaxError): string {
  return `at 0x${e.offset.toString(16).padStart(8, '0')} (line ${e.line}, column ${e.column}): expected ${e.expected}, got ${e.got}`;
}
