// The words of a Node system error about a path the user gave: strerror(3)'s ("No such file or
// directory"), after the path when the error names one, not Node's "ENOENT: no such file or
// directory, open 'x'".

import { strerror, type FsErrorCode } from '../src/ports/fs.ts';

export function systemMessage(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const words = typeof code === 'string' ? strerror(code as FsErrorCode) : undefined;
  const path = (e as { path?: unknown } | null)?.path;
  if (words === undefined) return (e as Error).message ?? String(e);
  return typeof path === 'string' ? `${path}: ${words}` : words;
}
