import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { MemoryLog } from '../../src/ports/log.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { startServe, ServeFatal, type ServeHandle } from './serve.ts';
import { isRedisServerForm, parseRedisServeArgs, redisLogTime } from './serve-redis.ts';
import { FatalConfigError, redisServerArgs } from './serve-config.ts';
import { catRepr } from '../../src/aof/manifest/sds-repr.ts';
import { REDIS70_DIRECTIVES } from '../../src/server-directives.ts';
import { REDIS_SERVER, redisUnavailableReason } from '../../properties/conformance/harness.ts';

const tmp: string[] = [];
const handles: ServeHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.stop();
  for (const d of tmp.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-redis-'));
  tmp.push(d);
  return d;
}

/** The text redis-server would print for `args`, as our loader renders it ('' when accepted). */
function ourError(args: string[], cwd: string): string {
  try {
    parseRedisServeArgs(args, cwd);
    return '';
  } catch (e) {
    if (e instanceof FatalConfigError) return e.render();
    throw e;
  }
}

const BAD_CONFIGS: { file: string; args: string[] }[] = [
  { file: 'port 0\nfoo bar\n', args: [] },
  { file: 'port 0\n', args: ['--appendonly', 'maybe'] },
  { file: '', args: ['--port', '0', '--hz', 'abc'] },
  { file: '# a comment\n\nport 0\nloglevel loud\n', args: [] },
  { file: 'port 0\nmaxmemory 12zb\n', args: [] },
  { file: 'port 0\nunixsocketperm 800\n', args: [] },
  { file: 'port 0\nsave 900\n', args: [] },
  { file: 'port 0\ndatabases 0\n', args: [] },
  { file: 'port 0\nappendfsync "sometimes\n', args: [] },
  { file: 'port 0\nport 1 2\n', args: [] },
  { file: 'port 0\n', args: ['--dir', '/nonexistent-aofsim-dir', '--appendonly', 'maybe'] },
  { file: 'port 0\nmaxmemory-clients 200%\n', args: [] },
  { file: 'port 0\nsentinel monitor x 127.0.0.1 1 1\n', args: [] },
  { file: 'port 0\nslaveof 127.0.0.1\n', args: [] },
];

describe("aofsim serve with redis-server's command line", () => {
  it('is recognised by a config file, stdin or a directive serve has no option for', () => {
    expect(isRedisServerForm(['redis.conf'])).toBe(true);
    expect(isRedisServerForm(['-'])).toBe(true);
    expect(isRedisServerForm(['--port', '1', '--dir', 'd', '--appendonly', 'yes'])).toBe(true);
    expect(isRedisServerForm(['--port', '1', '--dir', 'd', '--config', 'appendonly', 'yes'])).toBe(false);
  });

  it('turns options into config lines as redis-server main() does (quoted values, --save alone)', () => {
    expect(redisServerArgs(['a.conf', '--port', '1', '--save', '--appendonly', 'yes']).options).toBe('port "1" \nsave ""\nappendonly "yes" ');
    expect(redisServerArgs(['--save', '900 1', '--bind', 'a', 'b']).options).toBe('save "900 1" \nbind "a" "b" ');
  });

  it('accepts every directive of 7.0 (and its alias) set to its default value', () => {
    const dir = tempDir();
    const lines: string[] = [];
    for (const d of REDIS70_DIRECTIVES) {
      if (d.name === 'dir' || (d.kind === 'special' && d.def === '' && d.name !== 'save')) continue;
      lines.push(`${d.name} ${d.kind === 'special' && d.def !== '' ? d.def : catRepr(d.def)}`);
      if (d.alias !== undefined) lines.push(`${d.alias} ${catRepr(d.def)}`);
    }
    const file = nodePath.join(dir, 'all.conf');
    nodeFs.writeFileSync(file, lines.join('\n') + '\nport 0\n');
    expect(ourError([file], dir)).toBe('');
  });

  it('accepts every directive of 7.0 with its default value, and keeps the unmodelled ones for CONFIG GET', async () => {
    const dir = tempDir();
    const file = nodePath.join(dir, 'r.conf');
    nodeFs.writeFileSync(file, 'port 0\nmaxmemory 100mb\nslaveof-ignored-comment-free-line-is-not-here yes\n'.split('\n').slice(0, 2).join('\n') + '\nlua-time-limit 1234\nrename-command FLUSHALL ""\n');
    const opts = parseRedisServeArgs([file, '--dir', dir, '--unixsocket', 's.sock'], dir);
    expect(opts.redis?.notModelled).toEqual(['rename-command', 'maxmemory', 'busy-reply-threshold']);
    const log = new MemoryLog();
    opts.log = log;
    const h = await startServe(opts);
    handles.push(h);
    const c = h.server.newClient();
    const get = (k: string) => JSON.stringify(h.server.call(c, ['CONFIG', 'GET', k]));
    expect(get('maxmemory')).toContain('"104857600"');
    expect(get('lua-time-limit')).toContain('"1234"');
    expect(get('rdb-key-save-delay')).toContain('"0"');
    expect(get('*')).not.toContain('rdb-key-save-delay'); // hidden, as in Redis
    expect(JSON.stringify(h.server.call(c, ['CONFIG', 'SET', 'maxmemory', '1gb']))).toContain('OK');
    expect(get('maxmemory')).toContain('"1073741824"');
    expect(JSON.stringify(h.server.call(c, ['CONFIG', 'SET', 'databases', '3']))).toContain("can't set immutable config");
    expect(JSON.stringify(h.server.call(c, ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']))).toContain('DEBUG command not allowed');
  });

  it("logs Redis's startup lines, serves a unix socket, writes the pid file, and cleans both up at SHUTDOWN", async () => {
    const dir = tempDir();
    const opts = parseRedisServeArgs(['--port', '0', '--dir', dir, '--unixsocket', 's.sock', '--unixsocketperm', '700', '--pidfile', 'r.pid', '--enable-debug-command', 'yes', '--appendonly', 'yes'], dir);
    const log = new MemoryLog();
    opts.log = log;
    const h = await startServe(opts);
    const sock = nodePath.join(dir, 's.sock');
    expect(nodeFs.statSync(sock).mode & 0o777).toBe(0o700);
    expect(nodeFs.readFileSync(nodePath.join(dir, 'r.pid'), 'utf8')).toBe(`${process.pid}\n`);
    const msgs = log.lines.map((l) => l.message);
    const at = (s: string) => msgs.findIndex((m) => m.startsWith(s));
    expect(at('Redis version=7.0.15, bits=64')).toBeGreaterThan(at('oO0OoO0OoO0Oo Redis is starting'));
    expect(msgs[at('Redis version=')]).toContain(`pid=${process.pid}, just started`);
    expect(at('Server initialized')).toBeGreaterThan(at('Running mode=standalone, port=0.'));
    expect(at('Ready to accept connections')).toBeGreaterThan(at('Server initialized'));
    expect(msgs[msgs.length - 1]).toBe(`The server is now ready to accept connections at ${sock}`);
    const replies = await new Promise<string>((resolve, reject) => {
      const s = net.connect(sock);
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.split('\r\n').length >= 4) {
          s.destroy();
          resolve(buf);
        }
      });
      s.on('error', reject);
      s.write(encodeCommand(['SET', 'k', 'v']) + encodeCommand(['GET', 'k']) + encodeCommand(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']));
    });
    expect(replies).toBe('+OK\r\n$1\r\nv\r\n+OK\r\n');
    const s = net.connect(sock);
    s.on('error', () => {});
    s.write(encodeCommand(['SHUTDOWN']));
    expect(await h.done).toBe(0);
    s.destroy();
    expect(nodeFs.existsSync(sock)).toBe(false);
    expect(nodeFs.existsSync(nodePath.join(dir, 'r.pid'))).toBe(false);
    expect(log.lines[log.lines.length - 1].message).toBe('Redis is now ready to exit, bye bye...');
  });

  it('a port in use fails as Redis logs it, with the reason as the last line', async () => {
    const dir = tempDir();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const opts = parseRedisServeArgs(['--port', String(port), '--dir', dir], dir);
      const log = new MemoryLog();
      opts.log = log;
      await expect(startServe(opts)).rejects.toThrow(new ServeFatal(`Failed listening on port ${port} (TCP), aborting.`));
      expect(log.lines[log.lines.length - 1].message).toBe(`Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`);
    } finally {
      blocker.close();
    }
  });

  it('rejects bad config lines with the text and line number of redis-server 7.0.15', () => {
    const dir = tempDir();
    const file = nodePath.join(dir, 'r.conf');
    nodeFs.writeFileSync(file, 'port 0\nfoo bar\n');
    expect(ourError([file], dir)).toBe("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments\n");
    nodeFs.writeFileSync(file, 'port 0\n');
    expect(ourError([file, '--appendonly', 'maybe'], dir)).toBe(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n>>> 'appendonly \"maybe\"'\nargument must be 'yes' or 'no'\n",
    );
  });

  const why = redisUnavailableReason();
  const diff = why === null ? it : process.env.AOFSIM_REQUIRE_REDIS === '1' ? it : it.skip;
  if (why !== null) console.warn(`serve-redis: differential config-error test skipped: ${why}`);
  diff('bad configs: the same error text as redis-server 7.0.15, line for line', () => {
    if (why !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${why}`);
    for (const bad of BAD_CONFIGS) {
      const dir = tempDir();
      const file = nodePath.join(dir, 'r.conf');
      nodeFs.writeFileSync(file, bad.file);
      const real = spawnSync(REDIS_SERVER, [file, ...bad.args], { cwd: dir, encoding: 'latin1', timeout: 10_000 });
      expect(real.status, `${bad.file} ${bad.args.join(' ')}`).toBe(1);
      expect(ourError([file, ...bad.args], dir), `${bad.file} ${bad.args.join(' ')}`).toBe(real.stderr);
    }
  });
});

describe('redisLogTime (redis serverLogRaw strftime)', () => {
  it('7.0 prints the year, 4.0.14 does not', () => {
    const d = new Date(2026, 11, 7, 9, 5, 3, 42);
    expect(redisLogTime(d)).toBe('07 Dec 2026 09:05:03.042');
    expect(redisLogTime(d, false)).toBe('07 Dec 09:05:03.042');
  });
});
