// The RDB branch of startup: appendonly no -> load dbfilename. redis 7.0.15 server.c
// loadDataFromDisk (4.0.14 alike): rdbLoad; success -> "DB loaded from disk: %.3f seconds"; a
// missing file -> start empty; any other failure -> "Fatal error loading the DB: %s. Exiting." and
// exit(1) (a corrupt file already ended the process inside the loader, after its own lines).

import { ProcessExit } from '../base/process-exit.ts';
import { rdbLoad } from './rdb-load.ts';
import type { RdbHost } from './rdb-host.ts';

/** redis: loadDataFromDisk (appendonly no). Throws ProcessExit(1) when the file cannot be loaded. */
export function loadDataFromDiskRdb(host: RdbHost): void {
  const startMs = host.clock.nowMs();
  const r = rdbLoad(host);
  const log = host.log;
  if (r.status === 'ok') {
    log.log('notice', `DB loaded from disk: ${((host.clock.nowMs() - startMs) / 1000).toFixed(3)} seconds`);
    return;
  }
  if (r.status === 'not-exist') return;
  if (r.status === 'open-err') {
    log.log('warning', `Fatal error loading the DB: ${r.strerror}. Exiting.`);
    throw new ProcessExit(1, `cannot open ${host.rdbConfig.dbfilename}: ${r.strerror}`);
  }
  host.events?.({ kind: 'load-failed', status: 'failed', errorCode: r.error.code });
  if (!r.aborts) log.log('warning', 'Fatal error loading the DB: Invalid argument. Exiting.');
  throw new ProcessExit(1, r.error.message);
}
