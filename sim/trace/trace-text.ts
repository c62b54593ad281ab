// The text of trace events: how a syscall, a client command and its reply, an injected fault, a
// finished bio job and a child's exit read in the timeline (`aofsim replay --timeline`). The world
// decides WHEN to record and with which actor and kind; this module only decides the words.
//
// Invariants: every function is pure and depends only on its arguments (no host state, no object
// identities), so the same run gives the same text byte for byte; changing a wording here changes
// every trace hash, which the same-seed property and the scenario expectations would show.

import type { Reply } from '../../src/commands/reply.ts';
import type { BioJob, ChildExit } from '../../src/ports/tasks.ts';
import type { InjectedFault } from '../faults/fault-injector.ts';
import type { SyscallEvent } from '../fs/syscall.ts';
import { formatReply } from './reply-text.ts';
import { showBytes } from './trace.ts';

/** `#12 rename /d/temp.aof -> /d/a.aof = ok [rename EIO] (+5ms)`: index, call, paths, args, result or errno, faults, cost. */
export function syscallText(e: SyscallEvent): string {
  let text = `#${e.opIndex} ${e.name} ${e.path}`;
  if (e.path2 !== undefined) text += ` -> ${e.path2}`;
  if (e.args) text += ` ${e.args}`;
  text += e.error !== undefined ? ` = ${e.error}` : ` = ${e.result ?? ''}`;
  if (e.faults) text += ` [${e.faults.join('; ')}]`;
  if (e.costMs) text += ` (+${e.costMs}ms)`;
  return text;
}

/** `c0 #3 "SET" "k" "v"`: the client, the request's sequence number, its arguments (cut at 24 bytes each). */
export function commandText(client: number, seq: number, argv: readonly string[]): string {
  return `c${client} #${seq} ${argv.map((a) => showBytes(a, 24)).join(' ')}`;
}

/** `c0 #3 OK`: the reply in redis-cli's wording (sim/trace/reply-text.ts). */
export function replyText(client: number, seq: number, reply: Reply): string {
  return `c${client} #${seq} ${formatReply(reply)}`;
}

/** `short write: 5 of 10 bytes (/d/appendonly.aof) [op 7]`. */
export function faultText(f: InjectedFault): string {
  return `${f.detail}${f.path ? ` (${f.path})` : ''} [op ${f.opIndex}]`;
}

/** `fsync /d/appendonly.aof done EIO`: a bio job finished, with its errno if it failed. */
export function bioDoneText(job: BioJob, error: string | null): string {
  return `${job.kind} ${'handle' in job ? job.handle.path : job.path} done${error ? ` ${error}` : ''}`;
}

/** `pid 2 code 0` or `pid 2 code 1 signal SIGKILL`. */
export function childExitText(exit: ChildExit): string {
  return `pid ${exit.pid} code ${exit.exitCode}${exit.signal ? ` signal ${exit.signal}` : ''}`;
}

/** `ok (loader: truncated)` or `exited 1 (loader: failed): Bad file format reading the append only file`. */
export function loadText(o: { outcome: 'ok' | 'exited'; status: string | null; exitCode: number | null; reason: string | null }): string {
  const st = o.status ? ` (loader: ${o.status})` : '';
  return o.outcome === 'ok' ? `ok${st}` : `exited ${o.exitCode}${st}: ${o.reason}`;
}

/** `armed: crash at op 12` or `armed: crash at manifest-renamed #2`. */
export function armedCrashText(trigger: { atOp: number } | { point: string; nth?: number }): string {
  return `armed: crash at ${'atOp' in trigger ? `op ${trigger.atOp}` : `${trigger.point} #${trigger.nth ?? 1}`}`;
}

/** `wall clock -2000ms (wall = virtual -2000ms)`: a step of the server's wall clock and the offset it leaves. */
export function clockJumpText(deltaMs: number, offsetMs: number): string {
  return `wall clock ${deltaMs >= 0 ? '+' : ''}${deltaMs}ms (wall = virtual ${offsetMs >= 0 ? '+' : ''}${offsetMs}ms)`;
}

/** `plan: {...} {...}`: the fault plan, logged before the run. */
export function faultPlanText(faults: readonly unknown[]): string {
  return `plan: ${faults.map((f) => JSON.stringify(f)).join(' ')}`;
}
