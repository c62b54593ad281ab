// The event port: typed facts the server reports as it runs, for whoever drives it (the simulator's
// world and oracle). They replace reading meaning out of log text or coverage marks: a consumer
// switches on `kind`, and a misspelt kind is a compile error on both sides.
//
// Every event kind is also a named point of the code: a simulator may crash the world exactly where
// an event is emitted (sim/faults/crash-points.ts adds the points only the world can see, such as
// a syscall on a given file). So an event is emitted at the place it names, after the state change
// it reports (the listener may read the server's state) and, where the same branch has a coverage
// mark, after the mark.
//
// Delivery is an optional callback in the server's dependencies (ServerDeps.events); without one
// nothing is built (call sites use `events?.({...})`, which evaluates nothing when it is absent).
//
// Invariant: emitting never changes what the server does; a listener must not call back into it.

export type AofEvent =
  // ---- the process (src/server.ts) ----
  /** Server.start() entered: nothing loaded, no file opened yet. */
  | { kind: 'server-starting' }
  /** Server.start() returned: data loaded, the AOF opened (redis: main, before aeMain). */
  | { kind: 'server-started' }
  /** The process calls exit() (ProcessExit thrown): `always` + write error, a fatal load, SHUTDOWN. */
  | { kind: 'process-exiting'; exitCode: number; reason: string }
  /** One client command ran (processCommand + call); `fedAofBuf`: it appended to aof_buf. */
  | { kind: 'command-executed'; fedAofBuf: boolean }
  /** beforeSleep finished: the held replies of the iteration may go out. */
  | { kind: 'before-sleep' }
  /** serverCron's active expiry deleted keys (each a propagated DEL: a write of its own). */
  | { kind: 'active-expired' }
  /** startAppendOnly left OFF (CONFIG SET appendonly yes); it then forgets write errors, unless a bug switch says otherwise. */
  | { kind: 'aof-enabled' }
  // ---- loading (src/aof/loader, src/aof/startup) ----
  /** The loader truncated a short tail (aof-load-truncated yes); not fsynced, as in Redis. */
  | { kind: 'loader-truncated' }
  /** The load failed and the process is about to exit; `errorCode` is the AofError code, if any. */
  | { kind: 'load-failed'; status: 'failed' | 'open-err'; errorCode: string | null }
  // ---- the writer (redis: aof.c flushAppendOnlyFile, bio.c) ----
  /** everysec: a flush was postponed because a bio fsync is still running (each time it is). */
  | { kind: 'flush-postponed' }
  /** write() of aof_buf failed outright. */
  | { kind: 'flush-write-error' }
  /** write() of aof_buf wrote only part of it. */
  | { kind: 'flush-short-write' }
  /** The ftruncate that removes a short write's partial record failed: the partial bytes stay. */
  | { kind: 'ftruncate-failed' }
  /** A background fsync of the AOF was handed to the bio thread. */
  | { kind: 'bio-fsync-submitted' }
  /** A bio fsync failed: writes are refused (MISCONF) until one succeeds. */
  | { kind: 'bio-fsync-error' }
  // ---- background rewrite, redis 4.0 (single appendonly.aof) ----
  /** The parent wrote the rewrite buffer to the temp file, before renaming it over appendonly.aof. */
  | { kind: 'rewrite-diff-appended' }
  /** The parent renamed the rewritten file over appendonly.aof, before its done handler finished. */
  | { kind: 'rewrite-renamed' }
  // ---- background rewrite, redis 7.0 (appendonlydir + manifest) ----
  /** A new INCR was opened at rewrite start, before the manifest naming it was persisted. */
  | { kind: 'rewrite-incr-opened' }
  /** The manifest naming the new INCR was persisted, before the child finished. */
  | { kind: 'rewrite-incr-manifest-persisted' }
  /** The done handler renamed the temp BASE into appendonlydir, before persisting the manifest. */
  | { kind: 'rewrite-base-renamed' }
  /** The manifest was switched; HISTORY files are about to be unlinked. */
  | { kind: 'history-unlink' }
  // ---- background rewrite, both ----
  /**
   * The done handler switched the rewritten files in (4.0: fd swapped to the renamed file; 7.0:
   * manifest persisted; an enabling rewrite still in WAIT_REWRITE, set ON right after).
   */
  | { kind: 'rewrite-switched'; generation: 'redis-4.0' | 'redis-7.0' }
  // ---- RDB snapshots (src/persistence: redis rdb.c rdbSave, rdbSaveBackground) ----
  /** A BGSAVE child was forked: it saves the dataset as it is now (the parent's state at this event). */
  | { kind: 'bgsave-forked'; pid: number }
  /** rdbSave wrote, fsynced and closed temp-<pid>.rdb, before renaming it to dbfilename. */
  | { kind: 'rdb-temp-written' }
  /** rdbSave renamed its temp file to dbfilename, before the directory fsync (7.0) / its success log. */
  | { kind: 'rdb-renamed' }
  /** rdbSave finished: 7.0 fsynced the directory; "DB saved on disk". */
  | { kind: 'rdb-saved' }
  /** The parent ran the BGSAVE done handler (`ok`: the child exited 0). */
  | { kind: 'bgsave-done'; ok: boolean }
  /** Startup or DEBUG RELOAD loaded dbfilename (appendonly no). */
  | { kind: 'rdb-loaded' };

export type AofEventKind = AofEvent['kind'];

/** The callback a driver passes in ServerDeps.events. */
export type AofEventListener = (e: AofEvent) => void;
