// DEBUG, the subcommands persistence tests use. redis 7.0.15: debug.c debugCommand —
//   DIGEST / DIGEST-VALUE key...   the dataset / value digests (src/keyspace/digest.ts);
//   LOADAOF                        flush the AOF if on, empty the data set, re-read the manifest
//                                  from disk, delete history files and load, whatever appendonly
//                                  says; any result but OK or EMPTY ends the process (exit 1);
//   RELOAD [MERGE] [NOFLUSH] [NOSAVE]  rdbSave (unless NOSAVE), empty the data set (unless NOFLUSH),
//                                  rdbLoad (MERGE: the file's keys replace equal names); a corrupt
//                                  file ends the process as at startup (src/persistence);
//   SLEEP seconds                  block the server (real clocks; a simulated one does not move);
//   AOF-FLUSH-SLEEP microseconds   sleep before each non-empty AOF write;
//   SET-ACTIVE-EXPIRE 0|1;
//   POPULATE count [prefix] [size]  add keys prefix:0.. (default "key") with values value:0..
//                                  (padded with NUL bytes or cut to `size`), skipping names that
//                                  exist; nothing is propagated. 4.0.14 reads size per key, after
//                                  building the name, so a bad size with count <= 0 is never read.
// 4.0 profile: LOADAOF keeps aofsim's earlier rule (only while AOF is on).
//
// Invariant: DEBUG never feeds the AOF (LOADAOF loads with AOF feeding off, as Redis's loading does).

import type { Bytes } from './keyspace/types.ts';
import type { CommandContext } from './commands/context.ts';
import type { Reply } from './commands/reply.ts';
import { OK, array, error, status, unreproducedError } from './commands/reply.ts';
import { ERR_NOT_INTEGER, ERR_NOT_POSITIVE, parseInteger } from './commands/args.ts';
import { cString } from './aof/config-keys.ts';
import { datasetDigest, valueDigest } from './keyspace/digest.ts';
import { flushAppendOnlyFile } from './aof/writer/flush-append-only-file.ts';
import { loadAppendOnlyFiles } from './aof/loader/index.ts';
import { loaderConfigOf } from './aof/startup/server-start.ts';
import { aofDelHistoryFiles } from './aof/rewrite/index.ts';
import { ProcessExit } from './server-types.ts';
import { rdbSaveSync } from './persistence/rdb-background.ts';
import { rdbLoad } from './persistence/rdb-load.ts';
import type { Server } from './server.ts';

/** redis: debugCommand (the subcommands above). */
export function debugCommand(server: Server, ctx: CommandContext, argv: Bytes[]): Reply {
  const sub = argv[1].toLowerCase();
  if (sub === 'digest' && argv.length === 2) return status(datasetDigest(server.keyspace));
  if (sub === 'digest-value') return array(argv.slice(2).map((k) => status(valueDigest(ctx.db, k))));
  if (sub === 'loadaof') return loadAof(server);
  if (sub === 'reload') return reload(server, argv.slice(2));
  if (sub === 'sleep' && argv.length === 3) {
    // redis: strtod, so junk reads as 0.
    const secs = Number.parseFloat(argv[2]);
    if (secs > 0) server.deps.clock.sleepMs?.(secs * 1000);
    return OK;
  }
  if (sub === 'aof-flush-sleep' && argv.length === 3) {
    server.state.aofFlushSleepUs = Math.max(0, Number.parseInt(argv[2], 10) || 0);
    return OK;
  }
  if (sub === 'populate' && argv.length >= 3 && argv.length <= 5) return populate(server, ctx, argv);
  if (sub === 'set-active-expire' && argv.length === 3) {
    server.activeExpire = argv[2] !== '0';
    return OK;
  }
  return error(`ERR unknown subcommand '${argv[1]}'. Try DEBUG HELP.`);
}

/** Sizes past 256 MiB per key (a V8 string holds at most ~512 MiB): refused, never faked. */
const POPULATE_MAX_SIZE = 1 << 28;

/** redis 7.0.15 / 4.0.14 debug.c DEBUG POPULATE. */
function populate(server: Server, ctx: CommandContext, argv: Bytes[]): Reply {
  const v7 = server.config.profile === 'redis-7.0';
  // 7.0's getPositiveLongFromObjectOrReply passes its message down: junk is "must be positive" too.
  const keys = parseInteger(argv[2]);
  if (v7 && (keys === null || keys < 0)) return error(ERR_NOT_POSITIVE);
  if (keys === null) return error(ERR_NOT_INTEGER);
  // 7.0 reads the size before the loop; 4.0.14 inside it, once per key (the same answer each time),
  // so with no key to add it never reads it.
  let size = 0;
  if (argv.length === 5 && (v7 || keys > 0)) {
    const n = parseInteger(argv[4]);
    if (v7 && (n === null || n < 0)) return error(ERR_NOT_POSITIVE);
    if (n === null) return error(ERR_NOT_INTEGER);
    if (n < 0 || n > POPULATE_MAX_SIZE) {
      return unreproducedError(`ERR aofsim cannot reproduce DEBUG POPULATE with size ${n}: Redis allocates (size_t)size bytes per key`);
    }
    size = n;
  }
  // snprintf into a 128-byte buffer: the name is cut at 127 bytes; the prefix is a C string.
  const prefix = argv.length === 3 ? 'key' : cString(argv[3]);
  for (let j = 0; j < keys; j++) {
    const key = `${prefix}:${j}`.slice(0, 127);
    if (ctx.lookupWrite(key) !== undefined) continue;
    const text = `value:${j}`;
    const value = size === 0 ? text : size <= text.length ? text.slice(0, size) : text + '\0'.repeat(size - text.length);
    ctx.addKey(key, { type: 'string', value });
  }
  return OK;
}

/** redis 7.0.15 debug.c DEBUG RELOAD. */
function reload(server: Server, opts: readonly Bytes[]): Reply {
  let flush = true;
  let save = true;
  let merge = false;
  for (const o of opts) {
    const w = o.toLowerCase();
    if (w === 'merge') merge = true;
    else if (w === 'noflush') flush = false;
    else if (w === 'nosave') save = false;
    else return error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  if (save && rdbSaveSync(server.host) !== 'ok') return error('ERR');
  if (flush) emptyData(server);
  const res = rdbLoad(server.host, { merge });
  if (res.status === 'failed' && res.aborts) throw new ProcessExit(1, res.error.message);
  if (res.status !== 'ok') return error('ERR Error trying to load the RDB dump');
  server.deps.log.log('warning', 'DB reloaded by DEBUG RELOAD');
  return OK;
}

/** redis: emptyData(-1, EMPTYDB_NO_FLAGS): every db and the function libraries. */
function emptyData(server: Server): void {
  for (const db of server.keyspace.dbs) {
    db.dict.clear();
    db.expires.clear();
  }
  server.keyspace.functions.clear();
}

function loadAof(server: Server): Reply {
  const v7 = server.config.profile === 'redis-7.0';
  const st = server.state;
  if (!v7 && st.aofState !== 'on') return error('ERR AOF is not enabled');
  if (st.aofState !== 'off') flushAppendOnlyFile(server.host, true);
  emptyData(server);
  const saved = st.aofState;
  // The loader runs with AOF off so EXEC does not re-feed (docs/redis-behaviour.md#load-byte-rules).
  st.aofState = 'off';
  try {
    const res = loadAppendOnlyFiles(
      {
        fs: server.deps.fs,
        log: server.deps.log,
        ...server.loaders(),
        modify: true,
        clock: server.deps.clock,
        bugs: server.config.bugs,
      },
      loaderConfigOf(server.host),
    );
    if (v7) {
      // redis 7.0: aofLoadManifestFromDisk + aofDelHistoryFiles, then exit(1) unless OK or EMPTY
      // (a truncated tail or a missing manifest ends the process here, unlike at startup).
      st.manifest = res.manifest;
      st.aofState = saved;
      aofDelHistoryFiles(server.host);
      if (res.status !== 'ok' && res.status !== 'empty') throw new ProcessExit(1, `DEBUG LOADAOF: load result ${res.status}`);
    } else if (res.status === 'failed' || res.status === 'open-err') {
      throw new ProcessExit(1, res.error?.message ?? 'DEBUG LOADAOF failed');
    }
  } finally {
    st.aofState = saved;
  }
  server.deps.log.log('warning', 'Append Only File loaded by DEBUG LOADAOF');
  return OK;
}
