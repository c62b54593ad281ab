// A function library's code: the shebang line `#!lua name=<lib>` and the Lua body after it.
// redis: functions.c functionExtractLibMetaData (7.0.15). The body keeps the shebang's line as an
// empty comment so Lua's line numbers match the code as sent.

import type { Bytes } from './types.ts';

export function parseLibraryCode(code: Bytes): { name: Bytes; body: Bytes } | { error: string } {
  if (!code.startsWith('#!')) return { error: 'ERR Missing library metadata' };
  const nl = code.indexOf('\n');
  const line = nl < 0 ? code.slice(2) : code.slice(2, nl);
  const parts = line.split(' ').filter((p) => p !== '');
  const engine = parts.shift() ?? '';
  if (engine.toLowerCase() !== 'lua') return { error: `ERR Engine '${engine}' not found` };
  let name: Bytes | null = null;
  for (const p of parts) {
    if (p.startsWith('name=')) {
      if (name !== null) return { error: 'ERR Invalid metadata value, name argument was given multiple times' };
      name = p.slice(5);
    } else {
      return { error: `ERR Invalid metadata value given: ${p}` };
    }
  }
  if (name === null) return { error: 'ERR Library name was not given' };
  if (!/^[A-Za-z0-9_]+$/.test(name)) return { error: 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long' };
  return { name, body: '--' + (nl < 0 ? '' : code.slice(nl)) };
}
