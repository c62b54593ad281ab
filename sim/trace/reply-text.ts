// Replies as one line of text, the way redis-cli shows them, for traces and scenario expectations:
// status `OK`, error `(error) MISCONF ...`, integer `(integer) 1`, bulk `"hello"` (bytes escaped),
// nil `(nil)`, arrays `[...]` with their elements comma separated, empty/nil arrays `(empty array)`.
// Invariant: two replies format to the same text iff they are the same reply.

import type { Reply } from '../../src/commands/reply.ts';

export function formatReply(r: Reply): string {
  switch (r.kind) {
    case 'status':
      return r.value;
    case 'error':
      return `(error) ${r.value}`;
    case 'integer':
      return `(integer) ${String(r.value)}`;
    case 'bulk':
      return r.value === null ? '(nil)' : quoteBytes(r.value);
    case 'array':
      if (r.value === null) return '(nil array)';
      if (r.value.length === 0) return '(empty array)';
      return `[${r.value.map(formatReply).join(', ')}]`;
  }
}

/** A byte string as a JSON-style quoted string with bytes >= 0x7f escaped as \xNN. */
export function quoteBytes(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u00ff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
