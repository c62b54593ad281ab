// The directives aofsim does not model, under the redis-4.0 profile, against a running
// redis-server 4.0.14 (redis 4.0.14: config.c configGetCommand's fixed sequence of
// config_get_*_field calls and special fields, configSetCommand's else-if chain with its
// config_set_* macros and special fields; util.c memtoll, string2ll, stringmatchlen; notify.c):
// - CONFIG GET * on a default 4.0.14 (started with only --port and --dir, so with no save points:
//   its main resets them when given any argument) and on aofsim's default redis-4.0 Server (given the
//   same port): the same reply, byte for byte, in the same order. Masked:
//   dir's absolute path (each side names its own directory), and aofsim's own aofsim-profile pair
//   (absent from Redis) is taken out of aofsim's reply;
// - CONFIG GET with generated glob patterns over 4.0's names, 7.0-only names and junk: same reply;
// - generated CONFIG SET of generated names (4.0's, 7.0-only ones, aliases, junk; any case, sometimes
//   a NUL and junk after the name) and values (around every bound, memory units, words, junk, NUL,
//   CR/LF): the same reply, then the same CONFIG GET of the name as typed; after each example the
//   whole CONFIG GET * is compared again.
// - generated config files (4.0's file directives with numbers, words and junk for their atoi /
//   strtoll / memtoll / yesnotoi / enum readings, save and client-output-buffer-limit lines with any
//   count, 7.0-only directives, wrong argument counts), read by `aofsim serve FILE --aofsim-profile
//   redis-4.0` (cli/commands/serve-redis.ts parseRedisServeArgs) and by redis-server 4.0.14: the
//   same FATAL CONFIG FILE ERROR text, byte for byte, or both take the file; then the real server
//   is started with it and CONFIG GET * must be the same on aofsim's Server built from it.
// Generated values that would cut the suite's own connection to the real server or depend on the
// host are not sent (nothing is claimed for them): a non-empty requirepass (every later command
// would need AUTH), client-query-buffer-limit and proto-max-bulk-len below 64k (the next command
// would be refused and the client closed), timeout of 1..30 seconds (the client could be closed as
// idle), maxclients above 10000 (4.0.14 asks the OS for file descriptors; see
// src/server-directives-40.ts). Config files leave out what would stop the real server from
// starting here or change how the suite talks to it: any requirepass 4.0.14 takes, daemonize yes, cluster-enabled yes, bind
// other than 127.0.0.1, logfile, pidfile, unixsocket, dir, include, more than 1000 databases, an
// empty dbfilename (aofsim's startup refuses to open it, 4.0.14 starts without an RDB); and
// rename-command (aofsim does not check the command's name, see src/server-directives-40.ts).
// One real server for the file; it is put back to the state it started in before each example, aofsim's
// side is a fresh Server. Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS). Without redis-server 4.0.14
// the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { configFromPairs, memtoll40, string2ll } from '../../src/aof/config-keys.ts';
import { parseRedisServeArgs } from '../../cli/commands/serve-redis.ts';
import { FatalConfigError } from '../../cli/commands/serve-config.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { Server } from '../../src/server.ts';
import { DIRECTIVES_40 } from '../../src/server-directives-40.ts';
import { REDIS70_DIRECTIVES } from '../../src/server-directives.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { cliLine, replyString } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, require40, skip40 } from './redis40.ts';
import { globbedName } from './glob-patterns.ts';

const skip = skip40('the redis-4.0 directives differential suite (CONFIG GET * / CONFIG SET)');
const root = mkdtempSync(join(tmpdir(), 'aofsim-directives40-'));
let real: RedisServerSubject | null = null;
/** CONFIG GET * of the real server as it started (name -> value). */
const initial = new Map<string, string>();

beforeAll(async () => {
  if (skip) return;
  if (REDIS40_MISSING !== null) require40();
  // A default 4.0.14: no directive but the port and the directory.
  real = new RedisServerSubject({ command: { argv: [REDIS40_BIN, '--port', '{port}', '--dir', '{dir}'], configArgs: false } });
  const st = await real.start();
  if (st.outcome !== 'ok') throw new Error(`redis-server 4.0.14 did not start: ${st.log.slice(-3).join(' | ')}`);
  // The state every example starts from: the real server's own, as it started.
  const all = await real.client.call(['CONFIG', 'GET', '*']);
  const items = all.kind === 'array' && all.value !== null ? all.value : [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const [k, v] = [items[i]!, items[i + 1]!];
    if (k.kind === 'bulk' && v.kind === 'bulk' && k.value !== null && v.value !== null) initial.set(k.value, v.value);
  }
});
afterAll(async () => {
  await real?.stop();
  rmSync(root, { recursive: true, force: true });
});

/**
 * aofsim's redis-4.0 Server as `aofsim serve --port P --dir D --aofsim-profile redis-4.0` starts it:
 * no save points (4.0.14's main resets them whenever it is given an argument).
 */
function freshSim(): { server: Server; client: ReturnType<Server['newClient']>; dir: string } {
  const dir = mkdtempSync(join(root, 'sim-'));
  const fs = createNodeFs();
  const server = new Server(
    { fs, clock: nodeClock, tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(1) },
    { profile: 'redis-4.0', dir },
    { directives: new Map([['port', String(real!.port)]]) },
  );
  server.start();
  return { server, client: server.newClient(), dir };
}
type Sim = ReturnType<typeof freshSim>;

/** A reply as text, the pair of aofsim-profile taken out of an array (aofsim's own key). */
function text(r: Reply | null): string {
  if (r !== null && r.kind === 'array' && r.value !== null) {
    const items = r.value;
    const kept: Reply[] = [];
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i]!;
      if (k.kind === 'bulk' && k.value === 'aofsim-profile') continue;
      kept.push(...items.slice(i, i + 2));
    }
    return replyString({ kind: 'array', value: kept });
  }
  return r === null ? '(no reply)' : replyString(r);
}

async function realCall(argv: string[]): Promise<string> {
  // The real side's dir, named as aofsim's side would name its own, is fixed up by the caller.
  return text(await real!.client.call(argv));
}

function simCall(sim: Sim, argv: string[]): string {
  return text(sim.server.call(sim.client, argv));
}

/** The real reply with its working directory named as aofsim's side names its own. */
function sameDir(s: string, sim: Sim): string {
  return s.split(JSON.stringify(realpathSync(real!.dir))).join(JSON.stringify(sim.dir));
}

/** The non-AOF directives 4.0.14's CONFIG SET takes. */
const SETTABLE = DIRECTIVES_40.filter((d) => d.set !== undefined && d.set.kind !== 'aof');

/** Puts the real server back as it started (its own values, not aofsim's table). */
async function resetReal(): Promise<void> {
  for (const name of [...SETTABLE.map((d) => d.name), 'hz']) {
    const v = initial.get(name);
    expect(v, `${name} in the real server's CONFIG GET *`).toBeDefined();
    expect(await realCall(['CONFIG', 'SET', name, v!]), `reset ${name}`).toBe('+OK');
  }
}

/** `s` with each letter in upper or lower case. */
const anyCase = (s: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
/** Mostly nothing, sometimes one of `decorations`. */
const rarely = (...decorations: string[]): fc.Arbitrary<string> => fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...decorations) });

const NAMES_40 = DIRECTIVES_40.filter((d) => d.get !== 'aof').map((d) => d.name);
const NAMES_40_SET = SETTABLE.map((d) => d.name);
/** Names only 7.0 knows (and 7.0's new spellings of 4.0's names). */
const NAMES_70_ONLY = REDIS70_DIRECTIVES.flatMap((d) => [d.name, ...(d.alias !== undefined ? [d.alias] : [])]).filter((n) => !DIRECTIVES_40.some((d) => d.name === n));
const JUNK_NAMES = ['', 'x', 'appendfilename', 'aofsim-profile', 'include', 'rename-command', 'syslog-enabled', 'save2', 'slave', 'maxmemory-', 'list-max-ziplist-entries'];

const BOUNDS = [0n, 1n, 5n, 99n, 100n, 1000n, 16384n, 65535n, 1n << 31n, 1n << 32n, 1n << 53n, 1n << 63n, 1n << 64n, 10n ** 20n];
const numberArb = fc
  .tuple(fc.constantFrom(...BOUNDS), fc.integer({ min: -2, max: 2 }), fc.boolean())
  .map(([b, d, neg]) => (neg ? -(b + BigInt(d)) : b + BigInt(d)).toString());
const unitArb = fc.oneof(fc.constant(''), fc.constantFrom('b', 'k', 'kb', 'm', 'mb', 'g', 'gb', 'x', 'gib').chain(anyCase));
const numericArb = fc
  .tuple(rarely('0', '+', '-', ' ', '\t'), numberArb, unitArb, rarely(' ', '\0x', '\r\n', '.5'))
  .map(([pre, n, unit, post]) => pre + n + unit + post);
const wordArb = fc
  .tuple(
    fc.constantFrom('yes', 'no', 'true', 'noeviction', 'allkeys-lru', 'volatile-ttl', 'lru', 'debug', 'notice', 'warning', 'verbose', 'dump.rdb', 'a/b.rdb', 'x\\y', 'Ex', 'KEA', 'A', 'g$lshzxe', 'Kq', 'AK'),
    rarely('\0junk', ' ', '\r\n'),
  )
  .chain(([w, tail]) => fc.oneof(fc.constant(w), anyCase(w)).map((c) => c + tail));
const saveArb = fc
  .array(fc.oneof(numberArb, fc.constantFrom('', '+5', ' 7', '\t9', '3x', '1\0z', '60', '0')), { maxLength: 6 })
  .map((xs) => xs.join(' '));
const coblArb = fc
  .array(
    fc.tuple(fc.constantFrom('normal', 'slave', 'pubsub', 'master', 'replica', 'Normal', 'x'), fc.oneof(numericArb, fc.constant('0')), fc.oneof(numericArb, fc.constant('1mb')), fc.oneof(numberArb, fc.constant('60'))),
    { minLength: 0, maxLength: 3 },
  )
  .map((xs) => xs.flat().join(' '));
const junkArb = fc.string({ unit: fc.constantFrom('a', 'y', 'e', 's', 'n', 'o', '-', '+', '0', '9', 'k', 'M', ' ', '\0', '\r', '\n', '.', '/', '%', '\xe9', '\xff'), maxLength: 8 });
const valueArb = fc.oneof({ weight: 4, arbitrary: numericArb }, { weight: 3, arbitrary: wordArb }, saveArb, coblArb, junkArb, fc.constant('x'.repeat(513)));

const typedName = (names: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...names).chain(anyCase), rarely('\0', '\0junk')).map(([n, tail]) => n + tail);
const nameArb = fc.oneof(
  { weight: 8, arbitrary: typedName(NAMES_40_SET) },
  { weight: 2, arbitrary: typedName(NAMES_40.filter((n) => !NAMES_40_SET.includes(n))) },
  { weight: 2, arbitrary: typedName(NAMES_70_ONLY) },
  { weight: 1, arbitrary: typedName(JUNK_NAMES) },
  { weight: 1, arbitrary: typedName(['hz']) },
);

/** The pairs not sent (see the header): they would break the suite's connection or depend on the host. */
function sendable(name: string, value: string): boolean {
  const n = name.split('\0')[0]!.toLowerCase();
  const c = value.split('\0')[0]!;
  if (n === 'requirepass') return c === '';
  if (n === 'client-query-buffer-limit' || n === 'proto-max-bulk-len') {
    const v = memtoll40(value);
    return v === null || v < 0n || v >= 65536n;
  }
  if (n === 'timeout') {
    const v = string2ll(value);
    return v === null || v < 0n || BigInt.asIntN(32, v) <= 0n || BigInt.asIntN(32, v) > 30n;
  }
  if (n === 'maxclients') {
    const v = string2ll(value);
    return v === null || v <= 10000n;
  }
  return true;
}
/** A plain number near a bound, as string2ll reads it (most numeric values 4.0.14 takes look like this). */
const plainNumberArb = fc.oneof(numberArb, fc.integer({ min: -3, max: 20000 }).map(String));
const notifyArb = fc.string({ unit: fc.constantFrom('g', '$', 'l', 's', 'h', 'z', 'x', 'e', 'K', 'E', 'A', 't', 'm', 'd'), maxLength: 10 });
/** A value shaped for the directive (its kind's words, numbers, units), else anything. */
function valueFor(name: string): fc.Arbitrary<string> {
  const d = DIRECTIVES_40.find((x) => x.name === name);
  const shaped = ((): fc.Arbitrary<string> => {
    if (d === undefined) return valueArb;
    if (d.name === 'save') return saveArb;
    if (d.name === 'client-output-buffer-limit') return coblArb;
    if (d.name === 'notify-keyspace-events') return notifyArb;
    if (d.get === 'string') return fc.oneof(fc.constantFrom('', 'x.rdb', 'a/b.rdb', 'x\\y', '/abs', 'dump.rdb', '10.0.0.1', 'x\0y/z'), junkArb);
    if (d.get === 'bool') return fc.oneof(fc.constantFrom('yes', 'no').chain(anyCase), wordArb);
    if (d.get === 'enum') return fc.constantFrom(...(d.values ?? [])).chain(anyCase);
    if (d.set?.kind === 'mem' || d.name === 'repl-backlog-size') return fc.tuple(plainNumberArb, unitArb).map(([n, u]) => n + u);
    if (d.get === 'num') return plainNumberArb;
    return valueArb;
  })();
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: valueArb });
}
const pairArb = nameArb
  .chain((name) => valueFor(name.split('\0')[0]!.toLowerCase()).map((value) => [name, value] as const))
  .filter(([n, v]) => sendable(n, v));

const GLOB_OPS = ['keep', 'keep', 'keep', 'keep', 'upper', '?', '*', 'class', 'not', 'drop'];
const patternArb = fc.oneof(
  globbedName([...NAMES_40, ...NAMES_70_ONLY, 'hz', 'appendonly', 'dir', 'aofsim-profile'], GLOB_OPS),
  fc.string({ unit: fc.constantFrom('*', '?', '[', ']', '^', '-', 'a', 'e', 'l', 's', 'r', 'p', 'x', 'S', '\0'), maxLength: 6 }),
);

describe.skipIf(skip)('the directives aofsim does not model (redis-4.0 profile) vs redis-server 4.0.14', () => {
  it('CONFIG GET * on a default server: the same names, values and order, byte for byte', async () => {
    await resetReal();
    const sim = freshSim();
    const get = ['CONFIG', 'GET', '*'];
    const raw = await real!.client.call(get);
    const want = sameDir(text(raw), sim);
    // Not vacuous: the reply lists every name of 4.0.14's configGetCommand, and none that only 7.0 has.
    expect(raw !== null && raw.kind === 'array' ? raw.value?.length : 0).toBe(2 * DIRECTIVES_40.length);
    expect(want).not.toContain('appenddirname');
    expect(simCall(sim, get)).toBe(want);
  });

  it('CONFIG GET with generated glob patterns: the same reply', async () => {
    await resetReal();
    const sim = freshSim();
    await fc.assert(
      fc.asyncProperty(patternArb, async (pattern) => {
        const get = ['CONFIG', 'GET', pattern];
        expect(simCall(sim, get), cliLine(get)).toBe(sameDir(await realCall(get), sim));
      }),
      { ...fcParams(300), seed: testSeed(process.env) },
    );
  });

  it('CONFIG SET errors of their own (special fields), and the pairs the generators rarely build', async () => {
    const cases: [string, string][] = [
      ['dbfilename', 'a/b.rdb'],
      ['dbfilename', 'x\\y'],
      ['dbfilename', 'ok\0/x'],
      ['activedefrag', 'yes'],
      ['activedefrag', 'YES'],
      ['requirepass', 'x'.repeat(513)],
      ['repl-backlog-size', '1'],
      ['repl-backlog-size', '1kb'],
      ['watchdog-period', '1'],
      ['watchdog-period', '4294967296'],
      ['watchdog-period', '0'],
      ['maxclients', '0'],
      ['maxclients', '5'],
      ['maxclients', '10000'],
      ['slowlog-max-len', '4294967297'],
      ['save', ''],
      ['save', '1 0 4294967296 4294967297'],
      ['save', '0 1'],
      ['save', '5  6'],
      ['client-output-buffer-limit', ''],
      ['client-output-buffer-limit', 'pubsub 1mb 2k 4294967297'],
      ['client-output-buffer-limit', 'master 0 0 0'],
      ['notify-keyspace-events', 'KEA'],
      ['notify-keyspace-events', 'g$lshzxeK'],
      ['notify-keyspace-events', 't'],
      ['appenddirname', 'x'],
      ['replica-priority', '5'],
      ['slave-priority', '5'],
      ['port', '1'],
    ];
    await resetReal();
    const sim = freshSim();
    for (const [name, value] of cases) {
      const set = ['CONFIG', 'SET', name, value];
      const get = ['CONFIG', 'GET', name];
      expect(simCall(sim, set), cliLine(set)).toBe(await realCall(set));
      expect(simCall(sim, get), `${cliLine(set)} ; ${cliLine(get)}`).toBe(sameDir(await realCall(get), sim));
    }
    await resetReal();
  });

  it('generated CONFIG SET pairs: the same reply, the same CONFIG GET of the name as typed, then the same CONFIG GET *', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(pairArb, { minLength: 1, maxLength: 6 }), async (pairs) => {
        await resetReal();
        const sim = freshSim();
        const done: string[] = [];
        for (const [name, value] of pairs) {
          const set = ['CONFIG', 'SET', name, value];
          const get = ['CONFIG', 'GET', name];
          done.push(cliLine(set));
          const where = `after: ${done.join(' ; ')}`;
          const reply = await realCall(set);
          outcomes.add(reply.startsWith('-ERR Unsupported') ? 'unsupported' : reply.startsWith('-ERR Invalid argument') ? 'invalid' : reply === '+OK' ? 'ok' : 'other error');
          expect(simCall(sim, set), where).toBe(reply);
          expect(simCall(sim, get), `${where} ; ${cliLine(get)}`).toBe(sameDir(await realCall(get), sim));
        }
        const all = ['CONFIG', 'GET', '*'];
        expect(simCall(sim, all), `after: ${done.join(' ; ')} ; CONFIG GET *`).toBe(sameDir(await realCall(all), sim));
      }),
      { ...fcParams(200), seed: testSeed(process.env) },
    );
    await resetReal();
    // The generators reach every kind of answer.
    expect([...outcomes].sort()).toEqual(['invalid', 'ok', 'other error', 'unsupported']);
  });
});

// ---- config files -------------------------------------------------------------------------------

/** A double-quoted config-file argument (redis: sdssplitargs). */
const quoted = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** 4.0.14's file directives the generator writes (plus the AOF keys, which other suites cover in depth). */
const FILE_NAMES = [
  ...DIRECTIVES_40.map((d) => d.name).filter((n) => !['dir', 'logfile', 'pidfile', 'unixsocket', 'bind', 'appendonly'].includes(n)),
  'always-show-logo',
  'syslog-ident',
  'cluster-config-file',
  'list-max-ziplist-entries',
  'sentinel',
];
const fileValueArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(rarely(' ', '0', '+', '-'), fc.oneof(numberArb, fc.integer({ min: -3, max: 20000 }).map(String)), unitArb, rarely('abc', '.5', ' 1')).map(([a, b, c, d]) => a + b + c + d) },
  { weight: 2, arbitrary: fc.constantFrom('yes', 'no', 'notice', 'warning', 'allkeys-lru', 'upstart', 'local3', 'user', 'KEA', 'Ex', 'q', 'a/b', 'normal', 'pubsub', 'master', '').chain(anyCase) },
  fc.string({ unit: fc.constantFrom('a', 'y', '0', '7', '-', ' ', 'k', 'M', '$', '/'), maxLength: 6 }),
);
/** One line: a name and its arguments (usually one; save, client-output-buffer-limit, slaveof, sentinel take others). */
const lineArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom(...FILE_NAMES).chain((n) => fc.oneof({ weight: 5, arbitrary: fc.constant(n) }, anyCase(n))), fileValueArb).map(([n, v]) => [n, v]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('save', 'SAVE'), fc.array(fileValueArb, { maxLength: 3 })).map(([n, vs]) => [n, ...vs]) },
  { weight: 1, arbitrary: coblArb.map((v) => ['client-output-buffer-limit', ...(v === '' ? ['normal', '1', '2', '3'] : v.split(' ').slice(0, 4))]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('slaveof', 'sentinel', 'timeout', 'bind'), fc.array(fileValueArb, { maxLength: 3 })).map(([n, vs]) => [n, ...vs]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NAMES_70_ONLY.filter((n) => !['dir', 'bind', 'logfile', 'pidfile', 'unixsocket', 'include'].includes(n))), fileValueArb).map(([n, v]) => [n, v]) },
);
/** The lines not written (see the header): they would stop the real server here or cut the suite's connection. */
function writable(words: readonly string[]): boolean {
  const n = words[0]!.toLowerCase();
  const v = words[1] ?? '';
  // One line per directive, as text: no NUL (fgets + strlen would cut it), no line breaks.
  if (words.some((w) => /[\0\r\n]/.test(w))) return false;
  if (n === 'bind') return words.length > 17 || words.slice(1).every((a) => a === '127.0.0.1');
  if (n === 'daemonize' || n === 'cluster-enabled') return v.toLowerCase() !== 'yes';
  // Even `requirepass ""` (the file keeps "", CONFIG SET would clear it): 4.0.14 then wants AUTH.
  if (n === 'requirepass') return v.length > 512;
  // aofsim's startup then fails to open the RDB "" (the directory); 4.0.14 starts without one.
  if (n === 'dbfilename') return v !== '';
  if (n === 'client-query-buffer-limit' || n === 'proto-max-bulk-len') return (memtoll40(v) ?? 0n) >= 65536n;
  if (n === 'timeout' && words.length === 2) return !(/^\s*\+?0*([1-9]|[12]\d|30)\b/.test(v) && !/^\s*\+?0*([1-9]|[12]\d|30)\d/.test(v));
  if (n === 'maxclients' || n === 'databases') {
    // atoi into an int (databases) or an unsigned int (maxclients: -1 is 4294967295).
    const m = /^\s*[+-]?\d+/.exec(v);
    const long = m === null ? 0n : BigInt(m[0].trim());
    const saturated = long > 2n ** 63n - 1n ? 2n ** 63n - 1n : long < -(2n ** 63n) ? -(2n ** 63n) : long;
    const held = n === 'maxclients' ? BigInt.asUintN(32, saturated) : BigInt.asIntN(32, saturated);
    return held <= (n === 'databases' ? 1000n : 10000n);
  }
  if (n === 'syslog-enabled') return v.toLowerCase() !== 'yes';
  return true;
}
const fileArb = fc.array(lineArb.filter(writable), { minLength: 1, maxLength: 8 });

let files = 0;
const END_LINE = 'no-such-directive-ends-the-file x';

/**
 * One config text read by both: redis-server 4.0.14 (its stderr) and `aofsim serve FILE
 * --aofsim-profile redis-4.0` (its FATAL CONFIG FILE ERROR text) must print the same. The file ends
 * with a directive 4.0.14 does not know: reaching it means every line before was taken. Returns the
 * line 4.0.14 refused (null: it took every line).
 */
function compareRefusal(conf: string): number | null {
  const path = join(root, `c${files++}.conf`);
  writeFileSync(path, `${conf}\n${END_LINE}\n`);
  const r = spawnSync(REDIS40_BIN, [path], { cwd: root, encoding: 'latin1', timeout: 10_000 });
  let simOut: string;
  try {
    parseRedisServeArgs([path, '--aofsim-profile', 'redis-4.0'], root);
    simOut = '(taken)';
  } catch (e) {
    if (!(e instanceof FatalConfigError)) throw e;
    simOut = e.render();
  }
  expect(simOut, `${conf}\n(stdout: ${r.stdout})`).toBe(r.stderr);
  if (r.stderr.includes(`>>> '${END_LINE}'`)) return null;
  const m = /at line (\d+)\n/.exec(r.stderr);
  if (m === null) throw new Error(`${REDIS40_BIN}: no FATAL CONFIG FILE ERROR for ${conf}: ${r.stderr}${r.stdout}`);
  return Number(m[1]);
}

/** Both take `conf`: the real server started with it and aofsim's Server built from it answer the same CONFIG GET *. */
async function compareStarted(conf: string): Promise<void> {
  const path = join(root, `c${files++}.conf`);
  writeFileSync(path, `${conf}\n`);
  const started = new RedisServerSubject({ command: { argv: [REDIS40_BIN, path, '--port', '{port}', '--dir', '{dir}', '--loglevel', 'notice'], configArgs: false } });
  const st = await started.start();
  try {
    expect(st.outcome, `${conf}\n${st.log.slice(-3).join('\n')}`).toBe('ok');
    const dir = realpathSync(started.dir);
    const opts = parseRedisServeArgs([path, '--port', String(started.port), '--dir', dir, '--loglevel', 'notice', '--aofsim-profile', 'redis-4.0'], root);
    const { config, exact } = configFromPairs(opts.config, opts.profile);
    const fs = createMemoryFs({ [`${dir}/.keep`]: '' });
    const server = new Server(
      { fs, clock: nodeClock, tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(1) },
      { ...config, profile: opts.profile, dir },
      // As `aofsim serve` builds it (cli/commands/serve.ts startServe).
      { tcpPort: opts.port, ...opts.redis!.serverOptions, configExact: exact },
    );
    server.start();
    const all = ['CONFIG', 'GET', '*'];
    expect(text(server.call(server.newClient(), all)), conf).toBe(text(await started.client.call(all)));
  } finally {
    await started.stop();
  }
}

const configLine = ([n, ...args]: readonly string[]): string => [n, ...args.map(quoted)].join(' ');

/** Values at the edges of atoi, strtoll, memtoll, yesnotoi and the enums. */
const EDGE_VALUES = ['-1', '0', '1', '12abc', ' 7', '+8', '2147483648', '4294967297', '-4294967295', '9223372036854775808', '5mb', '-5GB', '1kb', 'yes', 'NO', 'x', '', 'local3', 'allkeys-LRU', 'Upstart', 'Warning', 'KEA', 'a/b', '0777', '1000'];

describe.skipIf(skip)('config files under aofsim-profile redis-4.0 vs redis-server 4.0.14', () => {
  it('every file directive set to each edge value: the same refusal, line after line, until both take the rest; then the same CONFIG GET *', async () => {
    let refusals = 0;
    for (const v of EDGE_VALUES) {
      const lines = FILE_NAMES.map((n) => [n, v]).filter(writable);
      for (let guard = 0; guard <= FILE_NAMES.length; guard++) {
        const refused = compareRefusal(lines.map(configLine).join('\n'));
        if (refused === null) break;
        refusals++;
        lines.splice(refused - 1, 1);
      }
      await compareStarted(lines.map(configLine).join('\n'));
    }
    // Not vacuous: the edge values are refused by many directives (each refusal compared as text).
    expect(refusals).toBeGreaterThan(100);
  });

  it('generated config files: the same FATAL CONFIG FILE ERROR, or both take the file and answer the same CONFIG GET *', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fileArb, async (lines) => {
        const conf = lines.map(configLine).join('\n');
        const refused = compareRefusal(conf);
        outcomes.add(refused === null ? 'taken' : 'refused');
        if (refused === null) await compareStarted(conf);
      }),
      { ...fcParams(60), seed: testSeed(process.env) },
    );
    // The generators reach both ends.
    expect([...outcomes].sort()).toEqual(['refused', 'taken']);
  });
});
