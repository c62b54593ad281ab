// One differential run: a command sequence executed on a real redis-server 7.0 and on aofsim's
// Executor, reply by reply, then a canonical snapshot of both key spaces (db 0 and 1) through
// type-specific read commands. Throws an Error whose message is the replayable command list
// (redis-cli lines) and the first difference.
//
// Replies Redis makes random are checked against the simulator's state instead of compared:
// SPOP (the simulator then removes exactly what the real server popped, with SREM), SRANDMEMBER,
// HRANDFIELD, ZRANDMEMBER, RANDOMKEY. Replies whose order is a hash-table order (SMEMBERS, SUNION,
// SINTER, SDIFF, KEYS, HKEYS, HVALS, HGETALL (by pairs), SPOP with a count, SORT ... BY nosort) are
// compared sorted.

import type { Reply } from '../../src/commands/reply.ts';
import type { Value } from '../../src/keyspace/types.ts';
import type { Cmd } from './command-arbitraries.ts';
import type { RealRedis, SimSide } from './harness.ts';
import { cliLine, replyString } from './harness.ts';

const UNORDERED = new Set(['smembers', 'sunion', 'sinter', 'sdiff', 'keys', 'hkeys', 'hvals']);

/** HGETALL's field/value pairs sorted by field (hash-table order once a hash outgrows listpack). */
function sortedPairs(r: Reply): Reply {
  if (r.kind !== 'array' || r.value === null) return r;
  const pairs: Reply[][] = [];
  for (let i = 0; i + 1 < r.value.length; i += 2) pairs.push([r.value[i], r.value[i + 1]]);
  pairs.sort((a, b) => (replyString(a[0]) < replyString(b[0]) ? -1 : 1));
  return { kind: 'array', value: pairs.flat() };
}

function normalise(c: Cmd, r: Reply): Reply {
  const n = c[0].toLowerCase();
  if (n === 'hgetall') return sortedPairs(r);
  if (isUnordered(c) || (n === 'spop' && c.length > 2)) return sortedReply(r);
  return r;
}

function sortedReply(r: Reply): Reply {
  if (r.kind !== 'array' || r.value === null) return r;
  return { kind: 'array', value: [...r.value].sort((a, b) => (replyString(a) < replyString(b) ? -1 : 1)) };
}

function isUnordered(c: Cmd): boolean {
  const n = c[0].toLowerCase();
  if (UNORDERED.has(n)) return true;
  if (n === 'sort' || n === 'sort_ro') return c.some((a) => a.toLowerCase() === 'nosort');
  return false;
}

const RANDOM = new Set(['spop', 'srandmember', 'hrandfield', 'zrandmember', 'randomkey']);

class Mismatch extends Error {}

function bulks(r: Reply): (string | null)[] | null {
  if (r.kind !== 'array' || r.value === null) return null;
  return r.value.map((x) => (x.kind === 'bulk' ? x.value : null));
}

/** Checks a random command's real reply against the simulator's value; applies SPOP's effect. */
function checkRandom(c: Cmd, real: Reply, sim: SimSide): string | null {
  const name = c[0].toLowerCase();
  if (name === 'randomkey') {
    // The real RANDOMKEY expired the expired keys it drew; expiring them all here leaves the same
    // logical state (EXISTS: lazy expiry without other effects).
    for (const k of [...sim.ks.dbs[sim.client.db].dict.keys()]) sim.call(['EXISTS', k]);
    const keys = [...sim.ks.dbs[sim.client.db].dict.keys()];
    if (keys.length === 0) return real.kind === 'bulk' && real.value === null ? null : 'expected nil';
    return real.kind === 'bulk' && real.value !== null && keys.includes(real.value) ? null : 'not a key';
  }
  sim.call(['EXISTS', c[1]]); // the real lookup expired the key if it had to
  const v: Value | undefined = sim.ks.dbs[sim.client.db].dict.get(c[1]);
  const expectType = name === 'hrandfield' ? 'hash' : name === 'zrandmember' ? 'zset' : 'set';
  const hasCount = c.length >= 3;
  const n = hasCount ? Number(c[2]) : 1;
  if (v === undefined || v.type !== expectType || (hasCount && !/^-?\d+$/.test(c[2])) || n === 0) {
    const s = sim.call(c);
    return replyString(s) === replyString(real) ? null : `sim ${replyString(s)}`;
  }
  const members: string[] =
    v.type === 'set' ? [...v.value] : v.type === 'hash' ? [...v.value.keys()] : v.type === 'zset' ? v.value.entries().map((e) => e.member) : [];
  const withValues = c.length >= 4;
  if (!hasCount) {
    if (real.kind !== 'bulk' || real.value === null || !members.includes(real.value)) return 'not a member';
    if (name === 'spop') sim.call(['SREM', c[1], real.value]);
    return null;
  }
  const flat = bulks(real);
  if (flat === null) return 'expected an array';
  const picked: string[] = [];
  for (let i = 0; i < flat.length; i += withValues ? 2 : 1) {
    const m = flat[i];
    if (m === null || !members.includes(m)) return `not a member: ${m}`;
    if (withValues) {
      const expected = v.type === 'hash' ? v.value.get(m) : v.type === 'zset' ? replyString(sim.call(['ZSCORE', c[1], m])).slice(1, -1) : '';
      if (flat[i + 1] !== expected) return `wrong value for ${m}`;
    }
    picked.push(m);
  }
  const distinct = new Set(picked).size === picked.length;
  if (n > 0) {
    if (picked.length !== Math.min(n, members.length) || !distinct) return 'wrong count or duplicates';
  } else if (picked.length !== -n) return 'wrong count';
  if (name === 'spop' && picked.length > 0) sim.call(['SREM', c[1], ...picked]);
  return null;
}

/** Type-specific read commands giving the logical state of one key. */
function snapshotCommands(type: string, key: string, groups: string[]): Cmd[] {
  switch (type) {
    case 'string':
      return [['GET', key]];
    case 'list':
      return [['LRANGE', key, '0', '-1']];
    case 'set':
      return [['SMEMBERS', key]];
    case 'zset':
      return [['ZRANGE', key, '0', '-1', 'WITHSCORES']];
    case 'hash':
      return [['HGETALL', key]];
    case 'stream':
      return [['XRANGE', key, '-', '+'], ['XINFO', 'GROUPS', key], ...groups.map((g) => ['XPENDING', key, g])];
    default:
      return [];
  }
}

async function snapshot(real: RealRedis, sim: SimSide, lines: string[]): Promise<void> {
  // A sequence may end inside MULTI: drop the transaction on both sides before reading.
  const da = await real.client.call(['DISCARD']);
  const db0 = sim.call(['DISCARD']);
  if (replyString(da) !== replyString(db0)) throw new Mismatch(`${lines.join('\n')}\nDISCARD before the snapshot differs`);
  for (const db of ['0', '1']) {
    await real.client.call(['SELECT', db]);
    sim.call(['SELECT', db]);
    const rk = sortedReply(await real.client.call(['KEYS', '*']));
    const sk = sortedReply(sim.call(['KEYS', '*']));
    if (replyString(rk) !== replyString(sk)) throw new Mismatch(`${lines.join('\n')}\nsnapshot db ${db} KEYS differ:\n  real ${replyString(rk)}\n  sim  ${replyString(sk)}`);
    for (const k of bulks(rk) ?? []) {
      const key = k as string;
      const t = await real.client.call(['TYPE', key]);
      const type = t.kind === 'status' ? t.value : '';
      const groups: string[] = [];
      if (type === 'stream') {
        const gi = await real.client.call(['XINFO', 'GROUPS', key]);
        if (gi.kind === 'array' && gi.value) for (const g of gi.value) if (g.kind === 'array' && g.value?.[1].kind === 'bulk') groups.push(g.value[1].value as string);
      }
      const cmds: Cmd[] = [['TYPE', key], ...snapshotCommands(type, key, groups)];
      for (const c of cmds) {
        const a = await real.client.call(c);
        const b = sim.call(c);
        const ra = replyString(normalise(c, a));
        const rb = replyString(normalise(c, b));
        if (ra !== rb) throw new Mismatch(`${lines.join('\n')}\nsnapshot db ${db}: ${cliLine(c)}\n  real ${ra}\n  sim  ${rb}`);
      }
      const ta = await real.client.call(['PTTL', key]);
      const tb = sim.call(['PTTL', key]);
      const ha = ta.kind === 'integer' && Number(ta.value) >= 0;
      const hb = tb.kind === 'integer' && Number(tb.value) >= 0;
      if (ha !== hb) throw new Mismatch(`${lines.join('\n')}\nsnapshot db ${db}: ${key} has a TTL on one side only`);
    }
  }
  await real.client.call(['SELECT', '0']);
  sim.call(['SELECT', '0']);
}

/**
 * RESTORE's payload `@key` stands for the real server's DUMP of key at that point (aofsim's own
 * DUMP may encode differently, so payloads always come from Redis); a missing key gives garbage.
 * The DUMP is a read that lazily expires its key, so `mirror` runs the same DUMP on the aofsim side
 * (its reply thrown away): otherwise an expired key is deleted on the real side only.
 */
export async function withPayload(real: RealRedis, c: Cmd, mirror: (dump: Cmd) => void): Promise<Cmd> {
  if (c[0] !== 'RESTORE' || !c[3].startsWith('@')) return c;
  const dump: Cmd = ['DUMP', c[3].slice(1)];
  const d = await real.client.call(dump);
  mirror(dump);
  const payload = d.kind === 'bulk' && d.value !== null ? d.value : 'no such key to dump';
  return [...c.slice(0, 3), payload, ...c.slice(4)];
}

/**
 * After `PEXPIRE key 25` (command-arbitraries.ts EXPIRERS) both sides wait 50 ms, so the key has
 * expired on both clocks (the Executor runs after the real server, on the same wall clock) when the
 * next command meets it: lazy expiry is then deterministic, not a race with the millisecond.
 */
export async function pauseAfterExpiry(c: Cmd): Promise<void> {
  if (c.length === 3 && c[0] === 'PEXPIRE' && c[2] === '25') await new Promise((r) => setTimeout(r, 50));
}

/** Leaves any MULTI / WATCH state of a previous sequence, empties the server, selects db 0. */
export async function resetConnection(real: RealRedis): Promise<void> {
  await real.client.pipeline([['DISCARD'], ['UNWATCH'], ['FLUSHALL'], ['SELECT', '0']]);
}

/** Runs one sequence on both sides from empty key spaces; throws on the first difference. */
export async function runDifferential(real: RealRedis, sim: SimSide, cmds: Cmd[]): Promise<void> {
  await resetConnection(real);
  sim.reset();
  const lines: string[] = ['# replay with redis-cli:', 'FLUSHALL'];
  for (const spec of cmds) {
    const c = await withPayload(real, spec, (dump) => {
      lines.push(cliLine(dump));
      sim.call(dump);
    });
    lines.push(cliLine(c));
    const a = await real.client.call(c);
    if (RANDOM.has(c[0].toLowerCase())) {
      const why = checkRandom(c, a, sim);
      if (why !== null) throw new Mismatch(`${lines.join('\n')}\n^ random reply check failed: ${why}\n  real ${replyString(a)}`);
      continue;
    }
    const b = sim.call(c);
    const ra = replyString(normalise(c, a));
    const rb = replyString(normalise(c, b));
    if (ra !== rb) throw new Mismatch(`${lines.join('\n')}\n^ replies differ:\n  real ${ra}\n  sim  ${rb}`);
    await pauseAfterExpiry(c);
  }
  await snapshot(real, sim, lines);
}
