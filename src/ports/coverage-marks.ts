// Coverage marks: the names of branches the AOF code reports through Log.mark, so a test or a
// scenario (`expect.marks`) can prove it drove a given branch (TigerBeetle's coverage marks). The
// list is closed: a mark the code does not emit cannot be spelt, and a scenario naming an unknown
// mark is rejected when parsed. Marks are for coverage only; what a simulator acts on (crash points,
// the oracle's facts) travels as typed events (./events.ts).
//
// Invariant: every name here is emitted by exactly the branch its name describes; a bug switch's
// own branch carries `bug` in its name (bench/detect ignores those when it compares runs).

export const COVERAGE_MARKS = [
  // writer (redis: aof.c flushAppendOnlyFile, aof_background_fsync, bio.c)
  'aof.flush.postponed',
  'aof.flush.delayed-fsync',
  'aof.flush.tail-fsync',
  'aof.flush.write-error',
  'aof.flush.short-write',
  'aof.flush.short-write.kept',
  'aof.flush.short-write.ftruncate',
  'aof.flush.short-write.ftruncate-failed',
  'aof.flush.always-exit',
  'aof.flush.write-error-solved',
  'aof.flush.no-fsync-on-rewrite',
  'aof.flush.always-fsync-exit',
  'aof.flush.always-fsync-error-ignored',
  'aof.bio-fsync.submit',
  'aof.bio-fsync.error',
  'aof.bio-fsync.error-ignored',
  // startAppendOnly / stopAppendOnly
  'aof.start.bug-fork-failure-keeps-temp-incr',
  'aof.start.write-error-sticky',
  'aof.stop.bug-aof-buf-kept-after-stop',
  // server (redis: server.c processCommand, activeExpireCycle)
  'server.misconf',
  'expire.active-deleted',
  // loader (redis: aof.c loadAppendOnlyFiles, loadSingleAppendOnlyFile)
  'loader.legacy-upgrade',
  'loader.read-error',
  'loader.format-error',
  'loader.command-error',
  'loader.unreproduced-command',
  'loader.rdb-failed',
  'loader.truncated',
  'loader.truncate-failed',
  'loader.multi.revert-at-eof',
  'loader.multi.revert-inside-record',
  'loader.bug.incomplete-multi-applied',
  'loader.bug.multi-tail-truncate',
  'loader.bug.truncated-rdb-as-short-read',
  // manifest (redis: aof.c persistAofManifest)
  'manifest.persist.write-error',
  'manifest.persist.bug-no-dir-fsync',
  // rewrite, both generations (redis: aof.c rewriteAppendOnlyFile)
  'rewrite.child.write-error',
  'rewrite.child.autosync',
  // serverCron: the AOF grew past auto-aof-rewrite-min-size and -percentage (redis: server.c)
  'rewrite.auto-started',
  // rewrite, redis 4.0 (fork child + rewrite buffer + diff pipe)
  'rewrite.redis40.fork-failed',
  'rewrite.redis40.child-error',
  'rewrite.redis40.killed',
  'rewrite.redis40.killed-sigusr1',
  'rewrite.redis40.bug-buffer-not-reset',
  'rewrite.redis40.residual-write-error',
  'rewrite.redis40.diff-appended',
  'rewrite.redis40.buffer-block-opened',
  'rewrite.redis40.diff-pipe-full',
  'rewrite.redis40.renamed',
  'rewrite.redis40.switch-fsync-error',
  'rewrite.redis40.write-error-dropped',
  'rewrite.redis40.switched',
  'rewrite.redis40.child.diff-quiet',
  'rewrite.redis40.child.diff-1s-limit',
  'rewrite.redis40.child.ack-timeout',
  'rewrite.redis40.child.werr',
  // rewrite, redis 7.0 (INCR + BASE + manifest)
  'rewrite.redis70.limited',
  'rewrite.redis70.bug-temp-incr-in-manifest',
  'rewrite.redis70.bug-incr-without-append',
  'rewrite.redis70.incr-opened',
  'rewrite.redis70.incr-manifest-persisted',
  'rewrite.redis70.bug-old-incr-not-fsynced',
  'rewrite.redis70.bug-rewrite-after-short-write',
  'rewrite.redis70.skip-after-short-write',
  'rewrite.redis70.open-new-incr-failed',
  'rewrite.redis70.fork-failed',
  'rewrite.redis70.history-unlink',
  'rewrite.redis70.child-error',
  'rewrite.redis70.killed',
  'rewrite.redis70.killed-sigusr1',
  'rewrite.redis70.wait-rewrite-error-dropped',
  'rewrite.redis70.base-renamed',
  'rewrite.redis70.persist-failed-rollback',
  'rewrite.redis70.bug-done-handler-fsync-reset',
  'rewrite.redis70.switched',
  // RDB snapshots (redis: rdb.c rdbSave, rdbSaveBackground, backgroundSaveDoneHandler, rdbLoad)
  'rdb.save.write-error',
  'rdb.save.rename-error',
  'rdb.save.dir-fsync-error',
  'rdb.bgsave.fork-failed',
  'rdb.bgsave.success',
  'rdb.bgsave.child-error',
  'rdb.bgsave.killed',
  'rdb.load.expired-skipped',
  'rdb.load.failed',
] as const;

export type CoverageMark = (typeof COVERAGE_MARKS)[number];

const KNOWN: ReadonlySet<string> = new Set(COVERAGE_MARKS);

/** Whether `name` is a coverage mark the code emits (scenario files name marks as strings). */
export function isCoverageMark(name: string): name is CoverageMark {
  return KNOWN.has(name);
}
