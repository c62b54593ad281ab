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
//   SET-ACTIVE-EXPIRE 0|1.
// 4.0 profile: LOADAOF keeps aofsim's earlier rule (only while AOF is on).
//
// Invariant: DEBUG never feeds the AOF (LOADAOF loads with AOF feeding off, as Redis's loading does).

import type { Bytes } from './keyspace/types.ts';
import type { CommandContext } from './commands/context.ts';
import type { Reply } from './commands/reply.ts';
import { OK, array, error, status } from './commands/reply.ts';
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
  if (sub === 'set-active-expire' && argv.length === 3) {
    server.activeExpire = argv[2] !== '0';
    return OK;
  }
  return error(`ERR unknown subcommand '${argv[1]}'. Try DEBUG HELP.`);
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
