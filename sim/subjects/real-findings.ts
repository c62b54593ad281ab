// Findings of `aofsim validate redis-server` (real-campaign.ts failures grouped by
// sim/campaign/findings.ts): each failure's signature (property, crash model or fault, the step
// where the state went wrong, the symptom with the server's own log line) and the known Redis
// behaviour it matches, so a report says "two known behaviours, N states each" instead of
// repeating one finding hundreds of times.
//
// Known behaviours are matched on the signature only (property, crash model, log line), each with
// its source in the spec or a scenario under scenarios/real/; a failure that matches none stays
// unknown and leads the report.

import { groupFindings, normaliseSymptom, type FailureInstance, type Finding } from '../campaign/findings.ts';

/** The fields of a campaign failure the signature needs (real-campaign.ts CampaignFailure). */
export interface RealFailureLike {
  fault: string;
  property: string;
  /** Where the state went wrong: the traced syscall the crash followed, or the fault. */
  step: string;
  detail: string;
  /** The server's log lines that explain it (refusal reason). */
  log: readonly string[];
  /** Trace operations before the crash (ALICE), or the workload size. */
  size: number;
  sizeUnit: string;
  replay: string;
  where: string;
  /** The run's timeline (its `crash state: ...` line names the files the crash left). */
  timeline?: readonly string[];
}

interface KnownBehaviour {
  name: string;
  matches(f: RealFailureLike, model: string | null, logLine: string): boolean;
}

const KNOWN: readonly KnownBehaviour[] = [
  {
    name: 'known Redis behaviour: a power loss leaves a zero-filled or reordered AOF tail that the loader calls a format error; aof-load-truncated does not help (docs/redis-bugs.md#bug-8, redis/redis#5177)',
    matches: (f, _m, log) => f.property === 'server-starts' && /Bad file format|Unrecoverable error/i.test(log),
  },
  {
    name: 'known Redis behaviour: the load truncates only the partial record inside a MULTI block, later acknowledged writes land in the open transaction and vanish (docs/redis-bugs.md#bug-22, valkey-io/valkey#4342)',
    matches: (f) => f.property === 'writes-after-recovery-survive',
  },
  {
    // Seen on 4.0.14: flushAppendOnlyFile ignores aof_fsync()'s result, so EIO is acknowledged.
    name: 'known Redis behaviour (before 6.2, e.g. 4.0.14): under appendfsync always an fsync error is ignored and the write is acknowledged (docs/redis-bugs.md#bug-1, redis/redis#8111)',
    matches: (f) => f.property === 'always-exits-on-fsync-error' && /kept running after the fsync error/.test(f.detail),
  },
  {
    // Seen on 4.0.14: the crash state still holds the temp-rewriteaof file and the old
    // appendonly.aof, so the rename of the rewrite (and the fsynced writes after it) were lost.
    name: 'known Redis behaviour (4.0, and 7.0 before the manifest): the rewritten AOF is renamed over the old one without fsyncing the directory, so a power loss brings the old file back and loses writes acknowledged after the rename (docs/redis-bugs.md#bug-4, redis/redis#3487)',
    matches: (f, model) =>
      f.property === 'acked-writes-survive' &&
      model !== 'process-kill' &&
      (f.timeline ?? []).some((l) => l.startsWith('crash state:') && /files: .*\btemp-rewriteaof-/.test(l)),
  },
  {
    name: 'known Redis behaviour: a torn non-last INCR after a rewrite switch refuses the start (docs/redis-bugs.md#bug-10, docs/redis-bugs.md#bug-3; scenarios/real/redis-7.0-everysec-rewrite-start-torn-nonlast-incr-refuses-start)',
    matches: (f, _m, log) => f.property === 'server-starts' && /not the last file/i.test(log),
  },
];

/** The crash model of a campaign fault: 'power-loss torn' -> torn; SIGKILL faults -> process-kill. */
export function faultCrashModel(fault: string): string {
  if (fault.startsWith('power-loss ')) return fault.slice('power-loss '.length);
  if (fault === 'sigkill' || fault === 'sigkill-rewrite' || fault === 'slow-fsync') return 'process-kill';
  return fault;
}

/**
 * The log line that says why (a refusal reason), normalised; '' when none. A decisive line wins over
 * an earlier warning: a torn non-last INCR logs "!!! Truncating the AOF ..." before "Fatal error: the
 * truncated file is not the last file" (redis 7.0 loadSingleAppendOnlyFile, then
 * loadAppendOnlyFiles), and the second is the reason.
 */
export function keyLogLine(log: readonly string[]): string {
  const line = log.find((l) => /Bad file format|not the last file|Unrecoverable|Fatal/i.test(l)) ?? log.find((l) => /error|truncat/i.test(l)) ?? '';
  const i = line.indexOf(' # ');
  return i >= 0 ? line.slice(i + 3) : line;
}

export function realFailureInstance(f: RealFailureLike): FailureInstance {
  const model = faultCrashModel(f.fault);
  const logLine = keyLogLine(f.log);
  const known = KNOWN.find((k) => k.matches(f, model, logLine))?.name ?? null;
  return {
    property: f.property,
    crashModel: model,
    step: normaliseSymptom(f.step),
    symptom: normaliseSymptom(f.detail) + (logLine ? ` [log: ${normaliseSymptom(logLine)}]` : ''),
    size: f.size,
    sizeUnit: f.sizeUnit,
    replay: f.replay,
    where: f.where,
    detail: f.detail,
    known,
  };
}

/** The findings of a validate campaign; crash classes label what can produce each. */
export function realFindings(failures: readonly RealFailureLike[]): Finding[] {
  return groupFindings(failures.map(realFailureInstance));
}

