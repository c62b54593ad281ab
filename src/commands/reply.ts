// RESP2 replies as values. Errors carry their full text without the leading '-'
// (e.g. "WRONGTYPE Operation against a key holding the wrong kind of value").

import type { Bytes } from '../keyspace/types.ts';

export type Reply =
  | { kind: 'status'; value: string }
  | { kind: 'error'; value: string; unreproduced?: true }
  | { kind: 'integer'; value: number | bigint }
  | { kind: 'bulk'; value: Bytes | null }
  | { kind: 'array'; value: Reply[] | null };

export const OK: Reply = Object.freeze({ kind: 'status', value: 'OK' }) as Reply;
export const QUEUED: Reply = Object.freeze({ kind: 'status', value: 'QUEUED' }) as Reply;
export const NIL: Reply = Object.freeze({ kind: 'bulk', value: null }) as Reply;
export const NIL_ARRAY: Reply = Object.freeze({ kind: 'array', value: null }) as Reply;

export const status = (value: string): Reply => ({ kind: 'status', value });
export const error = (value: string): Reply => ({ kind: 'error', value });
/**
 * An error Redis would not give: aofsim cannot reproduce what the command does (an unsupported
 * command, a script feature the embedded VM lacks). The AOF loader reports every such reply as a
 * load aofsim cannot reproduce, never as one of the data errors Redis logs and skips.
 */
export const unreproducedError = (value: string): Reply => ({ kind: 'error', value, unreproduced: true });
export const integer = (value: number | bigint): Reply => ({ kind: 'integer', value });
export const bulk = (value: Bytes | null): Reply => ({ kind: 'bulk', value });
export const array = (value: Reply[] | null): Reply => ({ kind: 'array', value });

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
