// The oracle of the offline loader properties: a script of writes (loader-arbitraries.ts ScriptOp)
// as the AOF records Redis would append for it, and the state and cut that loading any prefix of
// those records must give (docs/redis-behaviour.md#load-byte-rules). It interprets the script directly, never through the loader.
//
// Rules it encodes: a record counts once it is complete; a MULTI block counts only when its EXEC
// is complete; a cut inside a '#' annotation line (7.0) is skipped like a complete one; a prefix
// that ends inside a record or inside an open MULTI is short ("not clean") and must be cut back to
// the end of the last complete command outside an open MULTI (before that MULTI).
//
// Invariants: pure functions of their arguments; every file of a multi-part set starts in db 0
// (redis: createAOFClient per file), so files are independent scripts over shared dbs.

import fc from 'fast-check';
import { encodeCommand } from '../../../src/resp/encode.ts';
import type { ScriptOp } from './script-arbitrary.ts';

type Simple = Exclude<ScriptOp, { op: 'select' } | { op: 'ts' } | { op: 'multi' }>;

export interface Rec {
  text: string;
  kind: 'cmd' | 'ts' | 'multi' | 'exec' | 'queued';
  /** Applies the record's effect (for 'exec': the whole block). */
  apply?: (st: OracleState) => void;
}

export interface OracleState {
  db: number;
  dbs: Map<string, string>[];
}

/** The non-empty dbs as plain objects, keys sorted (MapExecutor.snapshot's shape). */
export type StateSnapshot = Record<number, Record<string, string>>;

function argvOf(op: Simple): string[] {
  if (op.op === 'set') return ['SET', op.key, op.value];
  if (op.op === 'del') return ['DEL', op.key];
  return ['INCR', op.key];
}

function applySimple(st: OracleState, op: Simple): void {
  const m = st.dbs[st.db];
  if (op.op === 'set') m.set(op.key, op.value);
  else if (op.op === 'del') m.delete(op.key);
  else {
    const cur = m.get(op.key) ?? '0';
    if (/^-?(0|[1-9][0-9]{0,17})$/.test(cur)) m.set(op.key, String(Number(cur) + 1));
  }
}

export function newOracleState(): OracleState {
  return { db: 0, dbs: Array.from({ length: 16 }, () => new Map()) };
}

/** The AOF records of a script, in order. */
export function records(script: ScriptOp[]): Rec[] {
  const out: Rec[] = [];
  for (const op of script) {
    if (op.op === 'ts') out.push({ text: '#TS:1700000000\r\n', kind: 'ts' });
    else if (op.op === 'select') out.push({ text: encodeCommand(['SELECT', String(op.db)]), kind: 'cmd', apply: (st) => (st.db = op.db) });
    else if (op.op === 'multi') {
      out.push({ text: encodeCommand(['MULTI']), kind: 'multi' });
      for (const b of op.body) out.push({ text: encodeCommand(argvOf(b)), kind: 'queued' });
      out.push({ text: encodeCommand(['EXEC']), kind: 'exec', apply: (st) => op.body.forEach((b) => applySimple(st, b)) });
    } else out.push({ text: encodeCommand(argvOf(op)), kind: 'cmd', apply: (st) => applySimple(st, op) });
  }
  return out;
}

/** The file a script's records make. */
export function scriptText(script: ScriptOp[]): string {
  return records(script)
    .map((r) => r.text)
    .join('');
}

export function snapshotOf(st: OracleState): StateSnapshot {
  const state: StateSnapshot = {};
  st.dbs.forEach((m, i) => {
    if (m.size > 0) state[i] = Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
  return state;
}

/** Applies the complete records of the first `limit` bytes (an unfinished MULTI block applies nothing). */
export function applyPrefix(st: OracleState, recs: Rec[], limit: number): void {
  let off = 0;
  for (const r of recs) {
    const end = off + r.text.length;
    if (end > limit) break;
    r.apply?.(st);
    off = end;
  }
}

export interface PrefixVerdict {
  state: StateSnapshot;
  /** The prefix loads with 'ok' (or is empty) and must not be modified. */
  clean: boolean;
  /** Where a short prefix must be cut back to. */
  toSize: number;
}

/** The oracle for the records cut at byte `cut`. */
export function prefixOracle(recs: Rec[], cut: number): PrefixVerdict {
  const st = newOracleState();
  let off = 0;
  let lastCmdEnd = 0;
  let beforeMulti = 0;
  let inMulti = false;
  let clean = cut === 0;
  for (const r of recs) {
    const end = off + r.text.length;
    if (r.kind === 'ts' && cut > off && cut < end) clean = !inMulti; // a partial '#' line is skipped
    if (end > cut) break;
    if (end === cut) clean = true;
    if (r.kind === 'multi') {
      beforeMulti = lastCmdEnd;
      inMulti = true;
    }
    if (r.kind === 'exec') inMulti = false;
    r.apply?.(st);
    if (r.kind !== 'ts') lastCmdEnd = end;
    off = end;
  }
  if (inMulti) clean = false;
  return { state: snapshotOf(st), clean, toSize: inMulti ? beforeMulti : lastCmdEnd };
}

/**
 * A cut offset in [0, total length], biased: uniform (mostly inside a record), a record boundary
 * (where an open MULTI is the only reason a prefix is short), or strictly inside a record (a short
 * read). Weights are [any, boundary, inside].
 */
export function cutArb(recs: Rec[], weights: readonly [number, number, number] = [1, 1, 0]): fc.Arbitrary<number> {
  const ends: number[] = [];
  let off = 0;
  for (const r of recs) {
    off += r.text.length;
    ends.push(off);
  }
  if (off === 0) return fc.constant(0);
  const arbs: fc.WeightedArbitrary<number>[] = [];
  if (weights[0] > 0) arbs.push({ weight: weights[0], arbitrary: fc.integer({ min: 0, max: off }) });
  if (weights[1] > 0) arbs.push({ weight: weights[1], arbitrary: fc.constantFrom(0, ...ends) });
  if (weights[2] > 0) {
    // Every record is at least 3 bytes ('*1\r\n...', '#TS:...'), so each has an inside.
    const inside = fc.nat({ max: recs.length - 1 }).chain((i) => {
      const start = i === 0 ? 0 : ends[i - 1];
      return fc.integer({ min: start + 1, max: ends[i] - 1 });
    });
    arbs.push({ weight: weights[2], arbitrary: inside });
  }
  return fc.oneof(...arbs);
}

export const sameState = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
