// Turns a failure of the ALICE search (real-alice.ts) into a real-binary scenario file
// (real-scenario.ts), so `aofsim replay FILE` reproduces it on the binary with one command.
// The scenario's `files` are the crash state; its expectations state what the binary was
// OBSERVED to do (the convention of the `-bug` scenarios: replay passes while the bug is there);
// the description says what the property required instead.
//
// Invariant: the scenario depends only on the failure and the search options (deterministic).

import type { AliceFailure, AliceOptions } from './real-alice.ts';
import { PROBE_KEY } from './real-alice.ts';
import type { RealScenario } from './real-scenario.ts';

const SPEC: Record<string, string> = {
  'server-starts': 'docs/redis-bugs.md#bug-8 (redis/redis#5177, valkey-io/valkey#1148, redis/redis#3733): a power loss leaves a tail the loader calls a format error, and aof-load-truncated does not help',
  'writes-after-recovery-survive': 'docs/redis-bugs.md#bug-22 (valkey-io/valkey#4342): the load truncates only the partial record inside a MULTI block, later acknowledged writes land inside the open transaction and vanish at the next restart',
  'acked-writes-survive': 'ARCHITECTURE.md#the-oracle oracle: acknowledged writes under the fsync policy must survive',
  'prefix-state': 'ARCHITECTURE.md#the-oracle oracle: the recovered state must be a prefix state of the live run',
};

/** The log message after Redis's `pid:role date # ` prefix. */
function logMessage(line: string): string {
  const i = line.indexOf(' # ');
  return i >= 0 ? line.slice(i + 3) : line;
}

export function scenarioName(f: AliceFailure, opts: Pick<AliceOptions, 'seed' | 'appendfsync'>, bin = 'redis-server'): string {
  const b = bin.split('/').pop() ?? bin;
  return `${b}-${f.property}-${f.model}-${opts.appendfsync}-seed${opts.seed}-op${f.opIndex}`;
}

export function scenarioFromFailure(f: AliceFailure, opts: Pick<AliceOptions, 'seed' | 'appendfsync' | 'config' | 'units'>, bin = 'redis-server'): RealScenario {
  const files: Record<string, string> = {};
  for (const [rel, data] of Object.entries(f.files)) files[rel] = data.toString('latin1');
  const config: Record<string, string> = { appendonly: 'yes', appendfsync: opts.appendfsync, 'aof-load-truncated': 'yes', ...(opts.config ?? {}) };
  const where = `crash after trace op ${f.opIndex} (${f.syscall}), ${f.decision}; workload seed ${opts.seed}, ${opts.units} units, appendfsync ${opts.appendfsync}`;
  const base = {
    name: scenarioName(f, opts, bin),
    source: `found by aofsim's ALICE search on ${bin}; ${SPEC[f.property] ?? f.property}`,
    subject: 'redis-server' as const,
    config,
    files,
  };
  if (f.property === 'server-starts') {
    const fatal = f.log.filter((l) => !/Memory overcommit|oO0OoO0OoO0Oo|Redis version|Configuration loaded|Server initialized/.test(l)).map(logMessage);
    const last = fatal[fatal.length - 1] ?? '';
    const key = last.split(':')[0];
    return {
      ...base,
      description: `Power-loss state: ${where}. The binary refuses to start on it (observed: "${last}"); the property requires that it start and recover a prefix of the acknowledged writes.`,
      steps: [],
      expect: { load: 'exited', process: 'exited', exited: { code: 1 }, ...(key !== '' ? { log: [key] } : {}) },
    };
  }
  if (f.property === 'writes-after-recovery-survive') {
    return {
      ...base,
      description:
        `Power-loss state: ${where}. The first start truncates the torn tail and loads; SET ${PROBE_KEY} is acknowledged; after a SIGKILL ` +
        `(the page cache survives) and a restart the key is gone (observed). The property requires it to survive.`,
      steps: [
        { expect: { load: 'ok', log: ['Truncating the AOF'] } },
        { commands: [['SET', PROBE_KEY, '1']], replies: ['OK'] },
        { crash: { model: 'process-kill' } },
        { restart: { load: 'ok' } },
      ],
      expect: { keys: { [PROBE_KEY]: null } },
    };
  }
  return {
    ...base,
    description: `Power-loss state: ${where}. ${f.message}`,
    steps: [],
    expect: { load: 'ok' },
  };
}
