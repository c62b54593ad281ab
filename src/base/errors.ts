// AOF failures as values and errors. Every message about a bad file names the file, the hex offset,
// what was expected and what was found, and where the last valid command ends, e.g.
//   AOF_FORMAT: appendonly.aof@0x0000002a: expected '$', got '*' (last valid command ends at 0x0000001f)
// AofError is recognised by a symbol footprint (isAofError), not instanceof, so copies of the module
// (tsx, vitest) agree.
// Lives in src/base because the RDB reader, DUMP/RESTORE and the AOF loader all raise it.

export type AofErrorCode =
  | 'AOF_FORMAT'
  | 'AOF_UNEXPECTED_EOF'
  | 'AOF_UNKNOWN_COMMAND'
  | 'AOF_MANIFEST_INVALID'
  | 'AOF_NOT_LAST_FILE'
  | 'AOF_OPEN'
  | 'AOF_MISSING_FILE'
  | 'AOF_RDB_UNSUPPORTED'
  | 'AOF_RDB_CORRUPT'
  | 'AOF_CONFIG'
  | 'AOF_USAGE';

export const AOF_ERROR = Symbol.for('aofsim.AofError');

export interface AofErrorDetails {
  file?: string;
  offset?: number;
  expected?: string;
  found?: string;
  lastValidOffset?: number;
  /** 1-based line number, for line-oriented files (the manifest). */
  line?: number;
  /** The offending line as Redis echoes it (trimmed), for line-oriented files. */
  lineText?: string;
}

/** 0x0000002a: at least 8 hex digits. */
export function hexOffset(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

export class AofError extends Error {
  readonly [AOF_ERROR] = true;
  readonly code: AofErrorCode;
  readonly details: AofErrorDetails;
  /** The reason without code and location, in Redis's wording where one exists. */
  readonly reason: string;
  constructor(code: AofErrorCode, reason: string, details: AofErrorDetails = {}) {
    super(formatAofMessage(code, reason, details));
    this.name = 'AofError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

export function formatAofMessage(code: AofErrorCode, reason: string, d: AofErrorDetails): string {
  let where = '';
  if (d.file !== undefined) where = d.offset !== undefined ? `${d.file}@${hexOffset(d.offset)}: ` : `${d.file}: `;
  let what = reason;
  if (d.expected !== undefined || d.found !== undefined) {
    what += `: expected ${d.expected ?? '?'}, got ${d.found ?? '?'}`;
  }
  let tail = d.lastValidOffset !== undefined ? ` (last valid command ends at ${hexOffset(d.lastValidOffset)})` : '';
  if (d.line !== undefined) tail += ` (at line ${d.line}${d.lineText !== undefined ? `: '${d.lineText}'` : ''})`;
  return `${code}: ${where}${what}${tail}`;
}

export function isAofError(e: unknown): e is AofError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[AOF_ERROR] === true;
}
