// Named points where a plan can crash the world or kill the rewrite child (CrashFault.point,
// ChildKilledFault.point, the world's crashAt, a scenario's crashAt step). One closed vocabulary,
// CrashPointName, shared by the producer (src reports every AofEvent kind as a point), the campaign
// generator (sim/campaign/model-run.ts) and the world's trigger matching: a misspelt point is a
// compile error in code and a validation error in a scenario or fault plan.
//
// Three families:
// - AOF points: the kind of every event the server emits (src/ports/events.ts), at the place it
//   names (e.g. 'rewrite-renamed': the 4.0 done handler renamed the new file over appendonly.aof);
// - world points: what only the world sees (a rewrite child's rename, a child's exit before the
//   parent reaps it, the manifest rename and the directory fsync that follows it);
// - `after:<syscall>:<basename>`: right after a successful syscall on a file of that name (for
//   rename, the target), e.g. 'after:rename:appendonly.aof'.
// The spec's crash points (spec section 5 "Crash points", issue 5) are among the first two.

import type { Profile } from '../../src/base/profile.ts';
import type { AofEventKind } from '../../src/ports/events.ts';
import type { SyscallName } from '../fs/syscall.ts';

/** Points the server reports (one per AofEvent kind), with what has happened when each is reached. */
export const AOF_POINTS = {
  'server-starting': 'Server.start() entered; nothing loaded yet',
  'server-started': 'the data is loaded and the AOF open; the event loop has not run',
  'process-exiting': 'the process decided to exit (ProcessExit); nothing after it runs',
  'command-executed': 'a command ran and fed aof_buf; its reply is held until beforeSleep',
  'before-sleep': 'beforeSleep flushed aof_buf; the held replies are about to go out',
  'active-expired': 'serverCron deleted expired keys and fed their DELs',
  'aof-enabled': 'startAppendOnly turned the AOF on (WAIT_REWRITE) and is about to forget write errors',
  'loader-truncated': 'the loader truncated a short AOF tail (not fsynced)',
  'load-failed': 'the load failed; the process is about to exit',
  'flush-postponed': 'everysec postponed a flush behind a running bio fsync',
  'flush-write-error': 'write() of aof_buf failed; nothing of it reached the file',
  'flush-short-write': 'write() of aof_buf was short; the partial record is in the file, not yet truncated',
  'ftruncate-failed': 'the ftruncate removing a short write failed: the partial record stays',
  'bio-fsync-submitted': 'an fsync of the AOF was handed to the bio thread, which has not run it',
  'bio-fsync-error': 'the main thread learnt that a bio fsync failed',
  // redis-4.0 (redis: aof.c backgroundRewriteDoneHandler)
  'rewrite-diff-appended': 'the parent wrote the rewrite buffer to the temp file, before renaming it over appendonly.aof',
  'rewrite-renamed': 'the parent renamed the rewritten file over appendonly.aof, before its done handler finished',
  // redis-7.0 (redis: aof.c rewriteAppendOnlyFileBackground, backgroundRewriteDoneHandler)
  'rewrite-incr-opened': 'a new INCR file was opened at rewrite start, before the manifest naming it was persisted',
  'rewrite-incr-manifest-persisted': 'the manifest naming the new INCR was persisted, before the child finished',
  'rewrite-base-renamed': 'the parent renamed the temp BASE into appendonlydir, before persisting the manifest',
  'history-unlink': 'the manifest was switched; HISTORY files are about to be unlinked',
  'rewrite-switched': 'the done handler switched the rewritten files in and is about to log success',
  // RDB snapshots (redis: rdb.c rdbSave, rdbSaveBackground, backgroundSaveDoneHandler)
  'bgsave-forked': 'a BGSAVE child was forked on the current dataset and has not written anything',
  'rdb-temp-written': 'rdbSave fsynced and closed temp-<pid>.rdb, before renaming it to dbfilename',
  'rdb-renamed': 'rdbSave renamed its temp file to dbfilename, before fsyncing the directory (7.0)',
  'rdb-saved': 'rdbSave finished ("DB saved on disk"): 7.0 fsynced the directory',
  'bgsave-done': 'the parent ran the BGSAVE done handler',
  'rdb-loaded': 'dbfilename was loaded at startup or by DEBUG RELOAD',
} as const satisfies Record<AofEventKind, string>;

/** Points only the world sees (from syscalls and child exits). */
export const WORLD_POINTS = {
  'rewrite-child-renamed': 'the rewrite child renamed its temp file (4.0: to temp-rewriteaof-bg-<pid>.aof; 7.0: its temp BASE) and has not exited',
  'rewrite-child-exited': 'the rewrite child exited; the parent has not run its done handler',
  'manifest-renamed': 'the temp manifest was renamed over the manifest, before the directory fsync',
  'manifest-dir-fsynced': 'the directory holding the manifest was fsynced after the rename',
} as const satisfies Record<string, string>;

export type WorldPoint = keyof typeof WORLD_POINTS;
export type AfterSyscallPoint = `after:${SyscallName}:${string}`;
export type CrashPointName = AofEventKind | WorldPoint | AfterSyscallPoint;

/** Every named point with its description (the `after:` family is a pattern, not listed). */
export const CRASH_POINTS: Readonly<Record<AofEventKind | WorldPoint, string>> = { ...AOF_POINTS, ...WORLD_POINTS };

const SYSCALLS = {
  open: true,
  write: true,
  read: true,
  fsync: true,
  fdatasync: true,
  ftruncate: true,
  fstat: true,
  close: true,
  rename: true,
  unlink: true,
  truncate: true,
  stat: true,
  readdir: true,
  mkdir: true,
  fsyncDir: true,
  readFile: true,
} as const satisfies Record<SyscallName, true>;

/** What a crash point may be, for messages about a wrong one: every name, then the syscall form. */
export function crashPointNames(): string {
  return `${Object.keys(CRASH_POINTS).join(', ')}, or after:<syscall>:<file> (syscall one of ${Object.keys(SYSCALLS).join(', ')})`;
}

/** Whether `name` is a point some code can reach (scenario files and fault plans give strings). */
export function isCrashPointName(name: string): name is CrashPointName {
  if (Object.hasOwn(CRASH_POINTS, name)) return true;
  const m = /^after:([A-Za-z]+):([^/]+)$/.exec(name);
  return m !== null && Object.hasOwn(SYSCALLS, m[1]);
}

/**
 * The named points of a background rewrite that each profile's code reaches: what the campaign
 * arms crashes at (sim/campaign/model-run.ts), in a fixed order (fast-check picks by index).
 */
export const REWRITE_POINTS: Readonly<Record<Profile, readonly CrashPointName[]>> = {
  'redis-4.0': [
    'rewrite-diff-appended',
    'rewrite-renamed',
    'rewrite-switched',
    'rewrite-child-exited',
    'after:rename:appendonly.aof',
    'flush-short-write',
    'bio-fsync-submitted',
  ],
  'redis-7.0': [
    'rewrite-incr-opened',
    'rewrite-incr-manifest-persisted',
    'rewrite-base-renamed',
    'rewrite-switched',
    'history-unlink',
    'rewrite-child-exited',
    'manifest-renamed',
    'after:fsyncDir:appendonlydir',
    'flush-short-write',
    'bio-fsync-submitted',
  ],
};
