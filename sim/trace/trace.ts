// The trace of a simulated run: every syscall with its arguments and result, fsyncs, bio jobs,
// forks, commands and replies, faults, crashes, restarts and load outcomes, each with the virtual
// time (ms since the world started) and the actor that caused it.
//
// Two forms: a readable timeline (one line per event, `aofsim replay --timeline`) and JSON (one
// object per event). The hash is SHA-256 over the JSON lines, so equal hashes mean byte-identical
// traces. Invariants: events are appended in execution order; nothing in an event depends on the
// host (no real time, no fds, no object identities). Recording can be switched off for benchmarks.

import { createHash } from 'node:crypto';

export type TraceKind =
  | 'syscall'
  | 'bio'
  | 'fork'
  | 'child-exit'
  | 'command'
  | 'reply'
  | 'log'
  | 'mark'
  | 'fault'
  | 'crash'
  | 'exit'
  | 'restart'
  | 'load'
  | 'step'
  | 'tick'
  | 'clock';

export interface TraceEvent {
  /** Virtual ms since the world started. */
  t: number;
  actor: string;
  kind: TraceKind;
  /** The event in a few words, e.g. `write appendonly.aof 54 -> 54`. */
  text: string;
}

export class Trace {
  readonly events: TraceEvent[] = [];
  /** When false, record() does nothing (benchmarks). */
  enabled: boolean;
  /** Log lines and marks are recorded only when set (they are also kept by the world's log). */
  constructor(enabled = true) {
    this.enabled = enabled;
  }

  record(t: number, actor: string, kind: TraceKind, text: string): void {
    if (this.enabled) this.events.push({ t, actor, kind, text });
  }

  /** Readable timeline: `   12.000 main     syscall  write appendonly.aof 54 -> 54`. */
  timeline(): string {
    let out = '';
    for (const e of this.events) out += formatLine(e) + '\n';
    return out;
  }

  /** One JSON object per line. */
  jsonLines(): string {
    let out = '';
    for (const e of this.events) out += JSON.stringify(e) + '\n';
    return out;
  }

  hash(): string {
    return createHash('sha256').update(this.jsonLines()).digest('hex');
  }
}

export function formatLine(e: TraceEvent): string {
  const secs = (e.t / 1000).toFixed(3).padStart(10);
  return `${secs}s ${e.actor.padEnd(10)} ${e.kind.padEnd(10)} ${e.text}`;
}

/** Printable form of bytes for trace lines: short, escaped, with the length when cut. */
export function showBytes(s: string, max = 48): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const esc = JSON.stringify(cut).slice(1, -1).replace(/[\u007f-\u00ff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return s.length > max ? `"${esc}"...(${s.length} bytes)` : `"${esc}"`;
}
