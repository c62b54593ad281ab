// The child process of `aofsim serve`: a background rewrite (and any other ChildJob kind) run as a
// real OS process, as redis-server forks one (redis: redisFork's child branch, the child side of
// rewriteAppendOnlyFileBackground). Started by src/adapters/node/os-children.ts with an IPC channel;
// built into dist/child.js (from the source: cli/child-dev.mjs).
//
// Life: one start message (kind, params, fork-time snapshot as RDB bytes, where to log) -> decode
// the snapshot -> run the same program the simulator steps (src/child/child-jobs.ts) on the real
// disk, in slices so signals are handled -> exit with its exit code. After each key: the progress
// report every 1024 keys at most once a second (redis: sendChildInfo CHILD_INFO_TYPE_CURRENT_INFO)
// and rdb-key-save-delay (redis: debugDelay, a blocking usleep; negative n: 1 µs with probability 1/-n).
// Signals as in a redis child: SIGUSR1 exits with 255 (redis: sigKillChildHandler,
// SERVER_CHILD_NOERROR_RETVAL); SIGTERM and SIGINT are only logged (redis: sigShutdownHandler sets
// shutdown_asap, which no child reads), so only SIGKILL stops it from outside.
// DIVERGENCE(redis): a child whose parent is gone (IPC closed) exits 1 at its next slice instead of
// finishing a file nobody will rename.

import { createNodeFs } from '../src/adapters/node/node-fs.ts';
import { nodeClock } from '../src/adapters/node/node-clock.ts';
import { CHILD_NOERROR_RETVAL, type ChildReport, type ChildStartMessage } from '../src/adapters/node/os-children.ts';
import { childProgramOf } from '../src/child/child-jobs.ts';
import { decodeSnapshot } from '../src/child/snapshot.ts';
import { DEFAULT_NUM_DBS } from '../src/keyspace/keyspace.ts';
import type { Log, LogLevel } from '../src/ports/log.ts';
import type { Profile } from '../src/base/profile.ts';
import type { ChildYield } from '../src/ports/tasks.ts';
import { RedisLog, consoleLog } from './commands/serve-redis.ts';

/** What serve puts in ChildStartMessage.setup. */
export interface ChildSetup {
  [name: string]: unknown;
  /** Started with redis-server's command line: Redis's log format (to `logfile` or stdout). */
  redisForm: boolean;
  /** Which Redis's log format (4.0.14's timestamps have no year). */
  profile: Profile;
  logfile: string | null;
  loglevel: LogLevel;
  quiet: boolean;
}

/** How long the child runs before it lets its event loop handle signals and IPC (ms). */
const SLICE_MS = 10;
const REPORT_EVERY_KEYS = 1024;
const REPORT_MIN_INTERVAL_MS = 1000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function childLog(setup: ChildSetup): Log {
  if (!setup.redisForm) return consoleLog(setup.quiet, setup.loglevel, 'C');
  const log = new RedisLog(setup.logfile, setup.loglevel, process.pid, setup.profile);
  log.role = 'C';
  return log;
}

/** redis: debugDelay. */
function debugDelay(us: number): void {
  const sleepUs = us < 0 ? (Math.floor(Math.random() * -us) === 0 ? 1 : 0) : us;
  if (sleepUs > 0) Atomics.wait(sleeper, 0, 0, sleepUs / 1000);
}

function run(m: ChildStartMessage): void {
  const setup = m.setup as ChildSetup;
  const log = childLog(setup);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => log.log('warning', `Received ${sig} scheduling shutdown...`));
  const delayUs = Number(m.params.rdbKeySaveDelayUs ?? 0);
  let keys = 0;
  let reportedAtMs = Date.now();
  const onKey = (): void => {
    // redis: `if ((key_count++ & 1023) == 0)` then at most one report a second.
    if ((keys++ & (REPORT_EVERY_KEYS - 1)) === 0) {
      const now = Date.now();
      if (now - reportedAtMs >= REPORT_MIN_INTERVAL_MS && process.connected) {
        const report: ChildReport = { type: 'progress', keysProcessed: keys };
        process.send?.(report);
        reportedAtMs = now;
      }
    }
    if (delayUs !== 0) debugDelay(delayUs);
  };
  let gen: Generator<ChildYield, number, void>;
  try {
    const numDbs = typeof m.params.numDbs === 'number' ? m.params.numDbs : DEFAULT_NUM_DBS;
    const snapshot = decodeSnapshot(m.snapshot, numDbs);
    gen = childProgramOf(m.kind, m.params, snapshot, { fs: createNodeFs(), log, clock: nodeClock, onKey })(process.pid);
  } catch (e) {
    log.log('warning', `Child process could not start its job: ${(e as Error).message}`);
    end(1);
    return;
  }
  const step = (): void => {
    if (!process.connected) {
      end(1);
      return;
    }
    const sliceEnd = Date.now() + SLICE_MS;
    for (;;) {
      let r: IteratorResult<ChildYield, number>;
      try {
        r = gen.next();
      } catch (e) {
        // FAULT: the program crashed; the parent sees exit code 1 ("terminated with error").
        log.log('warning', `Child process crashed: ${(e as Error).message}`);
        end(1);
        return;
      }
      if (r.done) {
        end(r.value);
        return;
      }
      if (r.value.kind === 'sleep') {
        setTimeout(step, Math.max(0, r.value.ms));
        return;
      }
      if (Date.now() >= sliceEnd) {
        setImmediate(step);
        return;
      }
    }
  };
  step();
}

/** Exits once stdout is flushed (a log line on a pipe must not be lost). */
function end(code: number): void {
  process.exitCode = code;
  if (process.connected) process.disconnect();
  process.stdout.write('', () => process.exit(code));
}

process.on('SIGUSR1', () => process.exit(CHILD_NOERROR_RETVAL));
process.once('message', (m: ChildStartMessage) => run(m));
const ready: ChildReport = { type: 'ready' };
process.send?.(ready);
