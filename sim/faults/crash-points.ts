// Named points where a plan can crash the world or kill the rewrite child (CrashFault.point,
// ChildKilledFault.point). The set is open (a point is any name the world reports through
// FaultInjector.crashAtPoint); these are the ones the spec calls out (spec section 5 "Crash points"
// and issue 5), with what must already have happened when each is reached. Whoever drives the
// server reports them; a plan naming a point nobody reports never fires (its fault is then missing
// from FaultInjector.injected, which is how a run notices).

export const CRASH_POINTS = {
  // redis-4.0 profile (single appendonly.aof; redis: aof.c rewriteAppendOnlyFile,
  // backgroundRewriteDoneHandler)
  'rewrite-child-renamed': 'the rewrite child renamed temp-rewriteaof-<pid>.aof to temp-rewriteaof-bg-<pid>.aof and has not exited',
  'rewrite-child-exited': 'the rewrite child exited; the parent has not run its done handler',
  'rewrite-diff-appended': 'the parent wrote the rewrite buffer to the temp file, before renaming it over appendonly.aof',
  'rewrite-renamed': 'the parent renamed the rewritten file over appendonly.aof, before its done handler finished',
  // redis-7.0 profile (appendonlydir + manifest; redis: aof.c rewriteAppendOnlyFileBackground,
  // backgroundRewriteDoneHandler, persistAofManifest)
  'rewrite-incr-opened': 'a new INCR file was opened at rewrite start, before the manifest naming it was persisted',
  'rewrite-incr-manifest-persisted': 'the manifest naming the new INCR was persisted, before the child finished',
  'rewrite-base-renamed': 'the parent renamed the temp BASE into appendonlydir, before persisting the manifest',
  'manifest-renamed': 'the temp manifest was renamed over the manifest, before the directory fsync',
  'manifest-dir-fsynced': 'the directory holding the manifest was fsynced after the rename',
  'history-unlink': 'the manifest was switched; HISTORY files are about to be unlinked',
} as const satisfies Record<string, string>;

export type CrashPointName = keyof typeof CRASH_POINTS;
