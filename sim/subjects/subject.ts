// The subject interface (DESIGN section 6): a system under test behind one interface, so the same
// campaign drives this project's implementation in the simulator (`ts`), a real binary
// (`redis-server`, `valkey-server`, `keydb-server`) or files produced elsewhere (`files`).
//
// Invariants: every method is async (real processes); `supports` says which fault families the
// subject can take, and a campaign never asks a subject for a fault it does not list; `stop()` is
// idempotent and always releases what `start()` acquired (processes, sockets, temp dirs).

export type SubjectCapability = 'power-loss' | 'process-kill' | 'fault-injection' | 'offline-files';

export type SubjectKind = 'ts' | 'redis-server' | 'files';

/** A reply in redis-cli's words: `OK`, `(integer) 1`, `"v"`, `(nil)`, `(error) ...`, or null: no reply. */
export type SubjectReply = string | null;

/** How the last start went: the server runs ('ok') or it exited while loading ('exited'). */
export interface SubjectStart {
  outcome: 'ok' | 'exited';
  exitCode: number | null;
  /** The server's log (or the loader's lines) around the start, for reports. */
  log: string[];
}

/** The logical data set as `key -> canonical value text` per db (see sim/subjects/real-dump.ts). */
export type SubjectDump = Record<string, Record<string, string>>;

export interface Subject {
  readonly kind: SubjectKind;
  readonly supports: readonly SubjectCapability[];
  /** Starts (loads the data directory). */
  start(): Promise<SubjectStart>;
  /** Runs one command and waits for its reply; null when the connection dropped (process gone). */
  exec(argv: string[]): Promise<SubjectReply>;
  /** Crashes the subject: 'process-kill' (SIGKILL; page cache survives). */
  crash(kind: 'process-kill'): Promise<void>;
  /** Starts again on what the crash left. */
  restart(): Promise<SubjectStart>;
  /** The live data set. */
  dump(): Promise<SubjectDump>;
  /** Releases everything (idempotent). */
  stop(): Promise<void>;
}
