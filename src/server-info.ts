// INFO's server, clients, memory and stats sections (redis 7.0.15: server.c genRedisInfoString),
// with the fields persistence tests read. Counters come from the server (ServerStats), the
// executor (expired keys, keyspace hits and misses) and the AOF state (forks).
//
// DIVERGENCE(redis): memory figures are estimates of the dataset (no allocator to ask), the network
// byte counters and instantaneous rates are 0, os/gcc fields are fixed. The persistence section
// lives in src/aof/info.ts.
//
// Invariants: run_id is 40 hex digits drawn once from the server's Random (so the simulator stays
// deterministic); uptime comes only from the Clock port.

import type { Random } from './ports/random.ts';

/** Counters the server keeps for INFO stats (redis: server.stat_*). */
export interface ServerStats {
  startMs: number;
  runId: string;
  pid: number;
  /** redis: stat_numcommands. */
  commandsProcessed: number;
  /** redis: stat_total_error_replies. */
  errorReplies: number;
}

export function newServerStats(nowMs: number, pid: number, random: Random): ServerStats {
  return { startMs: nowMs, runId: hexRunId(random), pid, commandsProcessed: 0, errorReplies: 0 };
}

/** Character codes of the hex digits, lower case (redis: getRandomHexChars). */
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/**
 * 40 hex digits from five 32-bit draws, most significant nibble first. By hand rather than with
 * toString(16).padStart(8, '0'): V8's radix conversion costs microseconds per call, and every
 * simulated start builds a Server (it was a few percent of a crash-restart cycle).
 */
function hexRunId(random: Random): string {
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const x = random.nextUint32();
    for (let shift = 28; shift >= 0; shift -= 4) codes.push(HEX_CODES[(x >>> shift) & 15]);
  }
  return String.fromCharCode(...codes);
}

/** What the sections show beyond ServerStats. */
export interface InfoInputs {
  nowMs: number;
  version: string;
  profile: string;
  hz: number;
  tcpPort: number;
  executable: string;
  configFile: string;
  connectedClients: number;
  blockedClients: number;
  totalConnections: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalForks: number;
  /** An estimate of the dataset in bytes. */
  usedMemoryBytes: number;
}

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)}K`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)}M`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)}G`;
}

const lines = (title: string, fields: [string, string | number][]): string =>
  `# ${title}\r\n` + fields.map(([k, v]) => `${k}:${v}\r\n`).join('');

export function infoServerSection(s: ServerStats, i: InfoInputs): string {
  const uptimeS = Math.floor((i.nowMs - s.startMs) / 1000);
  return lines('Server', [
    ['redis_version', i.version],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_mode', 'standalone'],
    ['arch_bits', 64],
    ['process_id', s.pid],
    ['process_supervised', 'no'],
    ['run_id', s.runId],
    ['tcp_port', i.tcpPort],
    ['server_time_usec', Math.floor(i.nowMs * 1000)],
    ['uptime_in_seconds', uptimeS],
    ['uptime_in_days', Math.floor(uptimeS / 86400)],
    ['hz', i.hz],
    ['configured_hz', i.hz],
    ['executable', i.executable],
    ['config_file', i.configFile],
    ['aofsim_profile', i.profile],
  ]);
}

export function infoClientsSection(i: InfoInputs): string {
  return lines('Clients', [
    ['connected_clients', i.connectedClients],
    ['cluster_connections', 0],
    ['maxclients', 10000],
    ['blocked_clients', i.blockedClients],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', i.blockedClients],
  ]);
}

export function infoMemorySection(i: InfoInputs): string {
  return lines('Memory', [
    ['used_memory', i.usedMemoryBytes],
    ['used_memory_human', human(i.usedMemoryBytes)],
    ['used_memory_peak', i.usedMemoryBytes],
    ['used_memory_peak_human', human(i.usedMemoryBytes)],
    ['maxmemory', 0],
    ['maxmemory_human', '0B'],
    ['maxmemory_policy', 'noeviction'],
    ['mem_allocator', 'libc'],
  ]);
}

export function infoStatsSection(s: ServerStats, i: InfoInputs): string {
  return lines('Stats', [
    ['total_connections_received', i.totalConnections],
    ['total_commands_processed', s.commandsProcessed],
    ['instantaneous_ops_per_sec', 0],
    ['total_net_input_bytes', 0],
    ['total_net_output_bytes', 0],
    ['rejected_connections', 0],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', i.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['evicted_keys', 0],
    ['evicted_clients', 0],
    ['keyspace_hits', i.keyspaceHits],
    ['keyspace_misses', i.keyspaceMisses],
    ['pubsub_channels', 0],
    ['pubsub_patterns', 0],
    ['latest_fork_usec', 0],
    ['total_forks', i.totalForks],
    ['migrate_cached_sockets', 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', s.errorReplies],
    ['dump_payload_sanitizations', 0],
  ]);
}
