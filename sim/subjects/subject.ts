// The words a real subject (sim/subjects/real-redis-server.ts: redis-server, valkey-server) reports
// in: a reply as redis-cli prints it, how a start went, and the data set as canonical text. The
// simulated server and files on disk are checked through their own paths (sim/campaign,
// cli validate), not through a common subject interface.

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
