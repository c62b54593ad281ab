// RDB snapshots against redis-server 7.0.15: the replies of SAVE / BGSAVE [SCHEDULE] / LASTSAVE /
// DEBUG RELOAD in the states a test can put a server in (a BGSAVE child running, slowed down on the
// real side with rdb-key-save-delay; stepped by hand on aofsim's), the log lines of a BGSAVE, the
// rdb_* fields of INFO persistence, and the dump.rdb files both ways: aofsim's dump.rdb loaded by
// the real server (DEBUG RELOAD NOSAVE) gives the same DEBUG DIGEST, and the real server's dump.rdb
// loaded by aofsim gives the real server's digest.
// Without redis-server 7.0 the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { ManualTasks } from '../../src/adapters/memory/manual-tasks.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { Server } from '../../src/server.ts';
import { parseInfo } from '../../src/aof/info.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { startRealRedis, type RealRedis, requireRedis70, skipWithoutRedis70, replyString } from './harness.ts';

const skip = skipWithoutRedis70('the RDB snapshot differential suite');

/** A data set of every type, with TTLs far ahead (a load drops expired keys on both sides). */
const DATA: string[][] = [
  ['SET', 's', 'hello'],
  ['SET', 'n', '12345'],
  ['SET', 'big', 'x'.repeat(300)],
  ['RPUSH', 'l', 'a', 'b', 'c', '1', '2'],
  ['HSET', 'h', 'f1', 'v1', 'f2', '2'],
  ['SADD', 'si', '1', '2', '3'],
  ['SADD', 'ss', 'a', 'b'],
  ['ZADD', 'z', '1', 'a', '2.5', 'b'],
  ['XADD', 'st', '1-1', 'f', 'v'],
  ['SET', 'ttl', 'v', 'PX', '86400000'],
  ['SELECT', '3'],
  ['SET', 'other', 'db3'],
  ['SELECT', '0'],
];

class AofsimSide {
  readonly dir = mkdtempSync(join(tmpdir(), 'aofsim-rdb-'));
  readonly log = new MemoryLog();
  readonly tasks: ManualTasks;
  readonly server: Server;
  readonly client;
  constructor() {
    const fs = createNodeFs();
    this.tasks = new ManualTasks(fs);
    this.server = new Server({ fs, clock: nodeClock, tasks: this.tasks, log: this.log, random: new SeededRandom(1) }, { profile: 'redis-7.0', dir: this.dir }, { directives: new Map([['save', '']]) });
    this.server.start();
    this.client = this.server.newClient();
  }
  call(argv: string[]): Reply {
    return this.server.call(this.client, argv);
  }
  /** Runs the BGSAVE child to its end and reaps it. */
  finishChild(): void {
    for (const pid of this.tasks.childPids) this.tasks.runChild(pid);
    this.tasks.runBio();
    this.server.cron();
    this.tasks.runBio();
  }
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function realCall(real: RealRedis, argv: string[]): Promise<string> {
  const r = await real.client.call(argv);
  return r === null ? '(no reply)' : replyString(r);
}

/** Waits until the real server's BGSAVE child is gone. */
async function realBgsaveDone(real: RealRedis): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await real.client.call(['INFO', 'persistence']);
    if (r?.kind === 'bulk' && r.value !== null && parseInfo(r.value).get('rdb_bgsave_in_progress') === '0') return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('the real BGSAVE did not end in 10 s');
}

const replyInfo = (r: Reply | null): string => (r?.kind === 'bulk' ? (r.value ?? '') : '');

/** Log lines without the "pid:role date time level" prefix, pids as N. */
const bare = (lines: readonly string[]): string[] =>
  lines.map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ . /, '').replace(/\d+/g, 'N'));

describe.skipIf(skip)('RDB snapshots vs redis-server 7.0.15', () => {
  let real: RealRedis | undefined;
  let sim: AofsimSide | undefined;

  beforeAll(async () => {
    requireRedis70();
    real = await startRealRedis(['--enable-debug-command', 'yes', '--loglevel', 'notice']);
    sim = new AofsimSide();
  });
  afterAll(async () => {
    await real?.stop();
    sim?.close();
  });

  it('replies of SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD with and without a BGSAVE child', async () => {
    const r = real!;
    const s = sim!;
    const both = async (argv: string[]): Promise<[string, string]> => [replyString(s.call(argv)), await realCall(r, argv)];
    for (const c of DATA) {
      const [a, b] = await both(c);
      expect(a, c.join(' ')).toBe(b);
    }
    for (const argv of [['SAVE'], ['BGSAVE', 'x'], ['BGSAVE', 'SCHEDULE', 'x'], ['DEBUG', 'RELOAD', 'FOO'], ['DEBUG', 'RELOAD'], ['DBSIZE']]) {
      const [a, b] = await both(argv);
      expect(a, argv.join(' ')).toBe(b);
    }
    expect(s.call(['LASTSAVE']).kind).toBe('integer');
    // A BGSAVE child that stays: the real one sleeps 0.2 s per key, aofsim's waits for its stepping.
    await realCall(r, ['CONFIG', 'SET', 'rdb-key-save-delay', '200000']);
    const logFrom = r.log.length;
    const simLogFrom = s.log.lines.length;
    for (const argv of [['BGSAVE'], ['BGSAVE'], ['BGSAVE', 'SCHEDULE'], ['SAVE'], ['BGREWRITEAOF'], ['DEBUG', 'RELOAD']]) {
      const [a, b] = await both(argv);
      expect(a, `${argv.join(' ')} while a BGSAVE child runs`).toBe(b);
    }
    const infoSim = parseInfo(s.server.info('persistence'));
    expect(infoSim.get('rdb_bgsave_in_progress')).toBe('1');
    // Both children finish; the scheduled rewrite of BGREWRITEAOF follows on both sides.
    await realCall(r, ['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
    await realBgsaveDone(r);
    s.finishChild();
    expect(bare(s.log.lines.slice(simLogFrom).map((l) => l.message)).slice(0, 1)).toEqual(
      bare(r.log.slice(logFrom)).filter((l) => l.startsWith('Background saving started')).slice(0, 1),
    );
    // the scheduled rewrite starts at the real server's next cron: wait until it was neither
    // scheduled nor running (a BGSAVE in the next test would meet its child)
    const rewriteBusy = async (): Promise<boolean> => {
      const info = parseInfo(replyInfo(await r.client.call(['INFO', 'persistence'])));
      return info.get('aof_rewrite_in_progress') !== '0' || info.get('aof_rewrite_scheduled') !== '0';
    };
    for (let i = 0; i < 500 && (await rewriteBusy()); i++) await new Promise((res) => setTimeout(res, 20));
    s.server.cron();
    s.finishChild();
  }, 60_000);

  it('a BGSAVE logs what 7.0.15 logs and the INFO persistence rdb fields are the same, in the same order', async () => {
    const r = real!;
    const s = sim!;
    await realBgsaveDone(r);
    const logFrom = r.log.length;
    const simFrom = s.log.lines.length;
    expect(replyString(s.call(['BGSAVE']))).toBe(await realCall(r, ['BGSAVE']));
    await realBgsaveDone(r);
    s.finishChild();
    await new Promise((res) => setTimeout(res, 200)); // the parent's last line may trail the INFO reply
    const realLines = bare(r.log.slice(logFrom));
    expect(realLines).toEqual([
      'Background saving started by pid N',
      'DB saved on disk',
      'Fork CoW for RDB: current N MB, peak N MB, average N MB',
      'Background saving terminated with success',
    ]);
    // aofsim's child logs the same CoW line with 0 MB (src/child/cow-log.ts).
    expect(bare(s.log.lines.slice(simFrom).map((l) => l.message))).toEqual(realLines);
    const ri = await r.client.call(['INFO', 'persistence']);
    const realKeys = [...parseInfo(replyInfo(ri)).keys()].filter((k) => k.startsWith('rdb_'));
    const simKeys = [...parseInfo(s.server.info('persistence')).keys()].filter((k) => k.startsWith('rdb_'));
    expect(simKeys).toEqual(realKeys);
    expect(parseInfo(s.server.info('persistence')).get('rdb_last_bgsave_status')).toBe('ok');
  }, 60_000);

  it('FLUSHALL: the changes it counts, and with save points an empty dump.rdb saved at once', async () => {
    const r = real!;
    const s = sim!;
    await realBgsaveDone(r);
    s.finishChild();
    const changes = async (): Promise<[string | undefined, string | undefined]> => [
      parseInfo(s.server.info('persistence')).get('rdb_changes_since_last_save'),
      parseInfo(replyInfo(await r.client.call(['INFO', 'persistence']))).get('rdb_changes_since_last_save'),
    ];
    for (const save of ['', '3600 1']) {
      for (const argv of [['CONFIG', 'SET', 'save', save], ['SAVE'], ['MSET', 'a', '1', 'b', '2', 'c', '3'], ['FLUSHALL'], ['FLUSHALL']]) {
        expect(replyString(s.call(argv)), argv.join(' ')).toBe(await realCall(r, argv));
        const [a, b] = await changes();
        expect(a, `rdb_changes_since_last_save after ${argv.join(' ')} (save "${save}")`).toBe(b);
      }
    }
    // the saved file holds the empty data set on both sides
    for (const argv of [['SET', 'after', '1'], ['DEBUG', 'RELOAD', 'NOSAVE'], ['DBSIZE']]) {
      expect(replyString(s.call(argv)), argv.join(' ')).toBe(await realCall(r, argv));
    }
    for (const argv of [['CONFIG', 'SET', 'save', ''], ...DATA]) {
      expect(replyString(s.call(argv)), argv.join(' ')).toBe(await realCall(r, argv));
    }
  }, 60_000);

  it("aofsim's dump.rdb loads in redis-server to the same DEBUG DIGEST, and the reverse", async () => {
    const r = real!;
    const s = sim!;
    expect(replyString(s.call(['SAVE']))).toBe('+OK');
    const simDigest = replyString(s.call(['DEBUG', 'DIGEST']));
    expect(simDigest).not.toBe('+' + '0'.repeat(40));
    await realCall(r, ['FLUSHALL']);
    await realCall(r, ['SET', 'only-real', '1']);
    copyFileSync(join(s.dir, 'dump.rdb'), join(r.dir, 'dump.rdb'));
    expect(await realCall(r, ['DEBUG', 'RELOAD', 'NOSAVE'])).toBe('+OK');
    expect(await realCall(r, ['DEBUG', 'DIGEST'])).toBe(simDigest);
    // The reverse: the real server's own dump.rdb (with something aofsim does not have).
    await realCall(r, ['HSET', 'from-real', 'f', 'v']);
    await realCall(r, ['SAVE']);
    const realDigest = await realCall(r, ['DEBUG', 'DIGEST']);
    copyFileSync(join(r.dir, 'dump.rdb'), join(s.dir, 'dump.rdb'));
    expect(replyString(s.call(['DEBUG', 'RELOAD', 'NOSAVE']))).toBe('+OK');
    expect(replyString(s.call(['DEBUG', 'DIGEST']))).toBe(realDigest);
  }, 60_000);
});
