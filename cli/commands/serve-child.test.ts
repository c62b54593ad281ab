// `aofsim serve`'s rewrite child is a real OS process (issue 17 item 4): a child of the server's
// pid that a harness finds in /proc, slows down with rdb-key-save-delay, watches in INFO and kills;
// the server handles its death as redis 7.0's backgroundRewriteDoneHandler does. Profile
// redis-4.0 keeps its child in the server process and says so. Waits poll with a step cap; nothing
// asserts on elapsed time.
import { afterEach, describe, expect, it } from 'vitest';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { MemoryLog } from '../../src/ports/log.ts';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';
import { replyString } from '../../properties/conformance/harness.ts';
import { parseInfo } from '../../src/aof/info.ts';
import { startServe, type ServeHandle } from './serve.ts';

const tmp: string[] = [];
const handles: ServeHandle[] = [];
const clients: RespClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const h of handles.splice(0)) await h.stop();
  for (const d of tmp.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});

async function serve(profile: 'redis-4.0' | 'redis-7.0', log: MemoryLog): Promise<{ c: RespClient; dir: string; h: ServeHandle }> {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-child-'));
  tmp.push(dir);
  const h = await startServe({ port: 0, dir, profile, config: [['appendonly', 'yes']], quiet: true, log });
  handles.push(h);
  const c = await RespClient.connect(h.port);
  clients.push(c);
  return { c, dir, h };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 50 ms, at most `polls` times. */
async function until(cond: () => Promise<boolean> | boolean, polls = 600): Promise<boolean> {
  for (let i = 0; i < polls; i++) {
    if (await cond()) return true;
    await pause(50);
  }
  return false;
}

async function info(c: RespClient): Promise<Map<string, string>> {
  return parseInfo(String((await c.call(['INFO', 'persistence'])).value));
}

function startedPid(log: MemoryLog): number {
  const line = [...log.lines].reverse().find((l) => l.message.startsWith('Background append only file rewriting started by pid '));
  return line === undefined ? -1 : Number(line.message.split(' ').pop());
}

/** The parent pid and state of a process, from /proc (Linux), or null when it is gone. */
function procStat(pid: number): { ppid: number; state: string } | null {
  try {
    const stat = nodeFs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

async function fill(c: RespClient, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const argv = ['MSET'];
    for (let j = i; j < Math.min(n, i + 100); j++) argv.push(`key:${j}`, `value:${j}`);
    await c.call(argv);
  }
}

describe.skipIf(process.platform !== 'linux')('aofsim serve: the rewrite child is an OS process', () => {
  it('is a child of the server pid, slowed by rdb-key-save-delay and seen in INFO; killed, the rewrite fails as in Redis and the next one succeeds', async () => {
    const log = new MemoryLog();
    const { c, dir } = await serve('redis-7.0', log);
    await fill(c, 3000);
    expect(replyString(await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '2000']))).toBe('+OK');
    expect(replyString(await c.call(['BGREWRITEAOF']))).toBe('+Background append only file rewriting started');
    const pid = startedPid(log);
    expect(pid).not.toBe(process.pid);
    expect(procStat(pid)?.ppid).toBe(process.pid);
    // The child reports its progress (every 1024 keys, at most once a second) while it is slowed.
    expect(await until(async () => Number((await info(c)).get('current_save_keys_processed')) > 0)).toBe(true);
    const during = await info(c);
    expect(during.get('aof_rewrite_in_progress')).toBe('1');
    expect(during.get('current_save_keys_total')).toBe('3000');
    expect(Number(during.get('current_fork_perc'))).toBeGreaterThan(0);
    expect(Number(during.get('current_fork_perc'))).toBeLessThan(100);
    expect(nodeFs.existsSync(nodePath.join(dir, `temp-rewriteaof-${pid}.aof`))).toBe(true);

    process.kill(pid, 'SIGKILL');
    expect(await until(async () => (await info(c)).get('aof_rewrite_in_progress') === '0')).toBe(true);
    const after = await info(c);
    expect(after.get('aof_last_bgrewrite_status')).toBe('err');
    expect(after.get('aof_rewrites_consecutive_failures')).toBe('1');
    expect(after.get('current_save_keys_total')).toBe('0');
    expect(log.has('Background AOF rewrite terminated by signal 9')).toBe(true);
    // The temp files go (in the background); the manifest keeps the old BASE and both INCRs.
    expect(await until(() => !nodeFs.readdirSync(dir).some((f) => f.startsWith('temp-rewriteaof')))).toBe(true);
    const manifest = nodeFs.readFileSync(nodePath.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
    expect(manifest).toContain('appendonly.aof.1.base.rdb');
    expect(manifest.match(/type i/g)?.length).toBe(2);

    expect(replyString(await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '0']))).toBe('+OK');
    await c.call(['SET', 'after', 'kill']);
    expect(replyString(await c.call(['BGREWRITEAOF']))).toBe('+Background append only file rewriting started');
    expect(await until(async () => (await info(c)).get('aof_rewrite_in_progress') === '0')).toBe(true);
    const ok = await info(c);
    expect(ok.get('aof_last_bgrewrite_status')).toBe('ok');
    expect(ok.get('aof_rewrites_consecutive_failures')).toBe('0');
    expect(log.has('Background AOF rewrite finished successfully')).toBe(true);
    expect(replyString(await c.call(['DBSIZE']))).toBe(':3001');
    expect(procStat(startedPid(log))).toBeNull();
  });

  it('CONFIG SET appendonly no kills the child and waits for it, as killAppendOnlyChild does', async () => {
    const log = new MemoryLog();
    const { c, dir } = await serve('redis-7.0', log);
    await fill(c, 500);
    await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '100000']);
    await c.call(['BGREWRITEAOF']);
    const pid = startedPid(log);
    expect(await until(() => nodeFs.existsSync(nodePath.join(dir, `temp-rewriteaof-${pid}.aof`)))).toBe(true);
    expect(replyString(await c.call(['CONFIG', 'SET', 'appendonly', 'no']))).toBe('+OK');
    // By the reply the child is gone (a zombie at most until node reaps it) and its temp file too.
    const st = procStat(pid);
    expect(st === null || st.state === 'Z').toBe(true);
    expect(log.has(`Killing running AOF rewrite child: ${pid}`)).toBe(true);
    expect(await until(() => !nodeFs.readdirSync(dir).some((f) => f.startsWith('temp-rewriteaof')))).toBe(true);
    const i = await info(c);
    expect(i.get('aof_rewrite_in_progress')).toBe('0');
    expect(i.get('aof_last_bgrewrite_status')).toBe('ok');
    await pause(200);
    expect(log.has('unmatched pid')).toBe(false);
  });

  it("BGSAVE's child is an OS process too: slowed, seen in INFO, killed, reported as Redis reports it", async () => {
    const log = new MemoryLog();
    const { c, dir } = await serve('redis-7.0', log);
    await fill(c, 3000);
    await c.call(['CONFIG', 'SET', 'rdb-key-save-delay', '2000']);
    expect(replyString(await c.call(['BGSAVE']))).toBe('+Background saving started');
    const line = log.lines.find((l) => l.message.startsWith('Background saving started by pid '));
    const pid = Number(line?.message.split(' ').pop());
    expect(procStat(pid)?.ppid).toBe(process.pid);
    expect(await until(async () => Number((await info(c)).get('current_save_keys_processed')) > 0)).toBe(true);
    const during = await info(c);
    expect(during.get('rdb_bgsave_in_progress')).toBe('1');
    expect(during.get('current_save_keys_total')).toBe('3000');
    process.kill(pid, 'SIGKILL');
    expect(await until(async () => (await info(c)).get('rdb_bgsave_in_progress') === '0')).toBe(true);
    expect((await info(c)).get('rdb_last_bgsave_status')).toBe('err');
    expect(log.has('Background saving terminated by signal 9')).toBe(true);
    expect(await until(() => !nodeFs.existsSync(nodePath.join(dir, `temp-${pid}.rdb`)))).toBe(true);
    expect(nodeFs.existsSync(nodePath.join(dir, 'dump.rdb'))).toBe(false);
  });

  it('profile redis-4.0 keeps its rewrite child in the server process and logs that once', async () => {
    const log = new MemoryLog();
    const { c } = await serve('redis-4.0', log);
    expect(log.lines.filter((l) => l.message.includes('runs the rewrite child inside the server process')).length).toBe(1);
    await fill(c, 100);
    await c.call(['BGREWRITEAOF']);
    // Its pid is made up (above the server's): no child process of the server has it.
    expect(procStat(startedPid(log))?.ppid).not.toBe(process.pid);
    expect(await until(async () => (await info(c)).get('aof_rewrite_in_progress') === '0')).toBe(true);
    expect(log.has('Background AOF rewrite finished successfully')).toBe(true);
  });
});
