// The AOF lines of `INFO persistence` (redis: server.c genRedisInfoString, "Persistence" section,
// 4.0 and 7.0). Lines are `name:value` joined with CRLF, as Redis sends them.
//
// Always: aof_enabled, aof_rewrite_in_progress, aof_rewrite_scheduled, aof_last_rewrite_time_sec,
// aof_current_rewrite_time_sec, aof_last_bgrewrite_status, aof_rewrites (7.0),
// aof_rewrites_consecutive_failures (7.0), aof_last_write_status (7.0: also 'err' while the last bio
// fsync failed). When AOF is on: aof_current_size, aof_base_size, aof_pending_rewrite,
// aof_buffer_length, aof_rewrite_buffer_length, aof_pending_bio_fsync, aof_delayed_fsync.
// DIVERGENCE(redis): aof_rewrite_buffer_length is 4.0-only in Redis (7.0 has no rewrite buffer);
// aofsim prints it (as 0) for redis-7.0 too, so one parser serves both profiles.

import { aofRewriteBufferSize, type AofContext } from './state.ts';

/** `name:value` pairs of the AOF part of INFO persistence, in Redis's order. */
export function aofInfoFields(ctx: AofContext): [string, string | number][] {
  const st = ctx.state;
  const v7 = ctx.config.profile === 'redis-7.0';
  const nowMs = ctx.clock.nowMs();
  const lastWriteOk = st.aofLastWriteStatus === 'ok' && (!v7 || st.aofBioFsyncStatus === 'ok' || ctx.config.bugs.has('fsync-error-ignored'));
  const fields: [string, string | number][] = [
    ['aof_enabled', st.aofState !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', st.aofChildPid !== -1 ? 1 : 0],
    ['aof_rewrite_scheduled', st.aofRewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', st.aofRewriteTimeLastMs < 0 ? -1 : Math.floor(st.aofRewriteTimeLastMs / 1000)],
    [
      'aof_current_rewrite_time_sec',
      st.aofChildPid !== -1 && st.aofRewriteTimeStartMs >= 0 ? Math.floor((nowMs - st.aofRewriteTimeStartMs) / 1000) : -1,
    ],
    ['aof_last_bgrewrite_status', st.aofLastBgrewriteStatus],
  ];
  if (v7) {
    fields.push(['aof_rewrites', st.statAofRewrites]);
    fields.push(['aof_rewrites_consecutive_failures', st.statAofrwConsecutiveFailures]);
  }
  fields.push(['aof_last_write_status', lastWriteOk ? 'ok' : 'err']);
  fields.push(['aof_last_cow_size', 0]);
  if (st.aofState !== 'off') {
    fields.push(['aof_current_size', st.aofCurrentSize]);
    fields.push(['aof_base_size', st.aofRewriteBaseSize]);
    fields.push(['aof_pending_rewrite', st.aofRewriteScheduled ? 1 : 0]);
    fields.push(['aof_buffer_length', st.aofBuf.length]);
    fields.push(['aof_rewrite_buffer_length', aofRewriteBufferSize(st)]);
    fields.push(['aof_pending_bio_fsync', ctx.tasks.pendingBio('fsync')]);
    fields.push(['aof_delayed_fsync', st.aofDelayedFsync]);
  }
  return fields;
}

/**
 * 7.0's lines about the running child, after `loading` (redis: genRedisInfoString's fork_perc from
 * stat_current_save_keys_processed, which the child reports, over stat_current_save_keys_total,
 * taken at fork). Copy-on-write is not measured: those lines are 0.
 */
export function childInfoFields(ctx: AofContext): [string, string | number][] {
  const st = ctx.state;
  const pid = st.aofChildPid !== -1 ? st.aofChildPid : st.rdbChildPid;
  const total = pid === -1 ? 0 : st.statCurrentSaveKeysTotal;
  const processed = pid === -1 ? 0 : (ctx.tasks.childProgress?.(pid)?.keysProcessed ?? 0);
  return [
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', (total === 0 ? 0 : (processed / total) * 100).toFixed(2)],
    ['current_save_keys_processed', processed],
    ['current_save_keys_total', total],
  ];
}

/**
 * The `# Persistence` section text: loading, (7.0) the running child's progress, the RDB fields
 * (src/persistence/rdb-info.ts), then the AOF's.
 */
export function infoPersistenceSection(ctx: AofContext, loading: boolean, rdbFields: readonly [string, string | number][]): string {
  let out = '# Persistence\r\n';
  out += `loading:${loading ? 1 : 0}\r\n`;
  if (ctx.config.profile === 'redis-7.0') for (const [k, v] of childInfoFields(ctx)) out += `${k}:${v}\r\n`;
  for (const [k, v] of rdbFields) out += `${k}:${v}\r\n`;
  for (const [k, v] of aofInfoFields(ctx)) out += `${k}:${v}\r\n`;
  return out;
}

/** Parses INFO text into a map (for tests and drivers). */
export function parseInfo(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}
