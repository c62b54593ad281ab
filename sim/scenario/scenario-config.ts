// A scenario's `config` (redis.conf names and values, as a user would write them in redis.conf or
// CONFIG SET) turned into the server's AofConfig for the scenario's profile and bug switches.
// Scenarios run in `dir` /data unless they say otherwise. Unknown keys are rejected with the JSON
// path, so a misspelt option cannot silently leave the default in place.

import { resolveAofConfig, type AofConfig } from '../../src/aof/config.ts';
import type { Profile } from '../../src/base/profile.ts';
import { ScenarioError } from './parse-scenario.ts';

export const SCENARIO_DEFAULT_DIR = '/data';

type Kind = 'bool' | 'int' | 'bytes' | 'string' | 'fsync';

const KEYS: Record<string, [keyof AofConfig, Kind]> = {
  appendonly: ['appendonly', 'bool'],
  appendfsync: ['appendfsync', 'fsync'],
  appendfilename: ['appendfilename', 'string'],
  appenddirname: ['appenddirname', 'string'],
  'aof-use-rdb-preamble': ['aofUseRdbPreamble', 'bool'],
  'aof-load-truncated': ['aofLoadTruncated', 'bool'],
  'aof-timestamp-enabled': ['aofTimestampEnabled', 'bool'],
  'auto-aof-rewrite-percentage': ['autoAofRewritePercentage', 'int'],
  'auto-aof-rewrite-min-size': ['autoAofRewriteMinSizeBytes', 'bytes'],
  'aof-rewrite-incremental-fsync': ['aofRewriteIncrementalFsync', 'bool'],
  'no-appendfsync-on-rewrite': ['noAppendfsyncOnRewrite', 'bool'],
  'aof-disable-auto-gc': ['aofDisableAutoGc', 'bool'],
  dir: ['dir', 'string'],
  hz: ['hz', 'int'],
};

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1000_000, mb: 1024 * 1024, g: 1000_000_000, gb: 1024 * 1024 * 1024 };

export function scenarioConfig(
  config: Record<string, string | number | boolean>,
  profile: Profile,
  bugs: readonly string[],
  file: string,
): AofConfig {
  const partial: Record<string, unknown> = { profile, dir: SCENARIO_DEFAULT_DIR, bugs: new Set(bugs) };
  for (const [key, value] of Object.entries(config)) {
    const path = `$.config.${JSON.stringify(key).slice(1, -1)}`;
    const spec = KEYS[key.toLowerCase()];
    if (!spec) throw new ScenarioError(file, path, `unknown config option; expected one of ${Object.keys(KEYS).join(', ')}`);
    const [field, kind] = spec;
    const text = String(value).toLowerCase();
    let v: unknown;
    switch (kind) {
      case 'bool':
        if (value === true || text === 'yes') v = true;
        else if (value === false || text === 'no') v = false;
        else throw new ScenarioError(file, path, `expected yes or no; got ${JSON.stringify(value)}`);
        break;
      case 'fsync':
        if (!['always', 'everysec', 'no'].includes(text)) throw new ScenarioError(file, path, `expected always, everysec or no; got ${JSON.stringify(value)}`);
        v = text;
        break;
      case 'int':
        if (!/^\d+$/.test(text)) throw new ScenarioError(file, path, `expected a non-negative integer; got ${JSON.stringify(value)}`);
        v = Number(text);
        break;
      case 'bytes': {
        const m = /^(\d+)([a-z]*)$/.exec(text);
        if (!m || !(m[2] in UNITS)) throw new ScenarioError(file, path, `expected a size such as 64mb; got ${JSON.stringify(value)}`);
        v = Number(m[1]) * UNITS[m[2]];
        break;
      }
      case 'string':
        v = String(value);
        break;
    }
    partial[field] = v;
  }
  try {
    return resolveAofConfig(partial as Partial<AofConfig>);
  } catch (e) {
    throw new ScenarioError(file, '$.config', (e as Error).message);
  }
}
