import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { nullLog } from '../../src/ports/log.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { parseServeArgs, startServe, type ServeHandle } from './serve.ts';
import { parseRequests, encodeReply, splitInlineArgs, ReplyWriter } from './serve-resp.ts';
import fc from 'fast-check';
import { testSeed } from '../../src/base/test-seed.ts';
import type { Reply } from '../../src/commands/reply.ts';

/** A minimal RESP2 client: sends commands (pipelined) and reads exactly that many replies. */
class MiniClient {
  private buf = '';
  private waiters: (() => void)[] = [];
  private closed = false;
  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  static connect(port: number): Promise<MiniClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new MiniClient(s)));
      s.once('error', reject);
    });
  }
  async send(...cmds: string[][]): Promise<string[]> {
    this.socket.write(Buffer.from(cmds.map((c) => encodeCommand(c)).join(''), 'latin1'));
    return this.read(cmds.length);
  }
  /** The next n replies. */
  async read(n: number): Promise<string[]> {
    const out: string[] = [];
    while (out.length < n) {
      const r = this.readOne();
      if (r !== null) {
        out.push(r);
        continue;
      }
      if (this.closed) throw new Error(`connection closed after ${out.length} replies`);
      await new Promise<void>((res) => this.waiters.push(res));
    }
    return out;
  }
  /** One reply as compact text: +OK, -ERR.., :1, $value, $nil, *[a,b]. */
  private readOne(): string | null {
    const r = parseReply(this.buf, 0);
    if (r === null) return null;
    this.buf = this.buf.slice(r.end);
    return r.text;
  }
  close(): void {
    this.socket.destroy();
  }
}

function parseReply(b: string, pos: number): { text: string; end: number } | null {
  const nl = b.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const t = b[pos];
  const line = b.slice(pos + 1, nl);
  if (t === '+' || t === '-' || t === ':') return { text: t + line, end: nl + 2 };
  if (t === '$') {
    const n = Number(line);
    if (n < 0) return { text: '$nil', end: nl + 2 };
    if (b.length < nl + 2 + n + 2) return null;
    return { text: '$' + b.slice(nl + 2, nl + 2 + n), end: nl + 2 + n + 2 };
  }
  if (t === '*') {
    const n = Number(line);
    let p = nl + 2;
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = parseReply(b, p);
      if (r === null) return null;
      items.push(r.text);
      p = r.end;
    }
    return { text: `*[${items.join(',')}]`, end: p };
  }
  throw new Error(`bad reply type ${t}`);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});

async function serve(dir: string, profile: 'redis-4.0' | 'redis-7.0', config: [string, string][]): Promise<ServeHandle> {
  return startServe({ port: 0, dir, profile, config, quiet: true, log: nullLog });
}

describe('aofsim serve', () => {
  for (const profile of ['redis-7.0', 'redis-4.0'] as const) {
    it(`${profile}: RESP2 over TCP, pipelining, SHUTDOWN, data back after a restart`, async () => {
      const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-'));
      dirs.push(dir);
      const h = await serve(dir, profile, [['appendonly', 'yes'], ['appendfsync', 'always']]);
      const c = await MiniClient.connect(h.port);
      const replies = await c.send(
        ['SET', 'a', '1'],
        ['INCR', 'n'],
        ['INCR', 'n'],
        ['RPUSH', 'l', 'x', 'y'],
        ['LRANGE', 'l', '0', '-1'],
        ['GET', 'missing'],
        ['NOSUCH'],
      );
      expect(replies.slice(0, 6)).toEqual(['+OK', ':1', ':2', ':2', '*[$x,$y]', '$nil']);
      // each profile words it as its Redis does (4.0.14 backquotes the name)
      expect(replies[6]).toMatch(profile === 'redis-4.0' ? /^-ERR unknown command `NOSUCH`/ : /^-ERR unknown command 'NOSUCH'/);
      const info = (await c.send(['INFO', 'persistence']))[0];
      expect(info).toContain('aof_enabled:1');
      expect(await c.send(['BGREWRITEAOF'])).toEqual(['+Background append only file rewriting started']);
      for (let i = 0; i < 200 && h.server.state.aofChildPid !== -1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(h.server.state.aofLastBgrewriteStatus).toBe('ok');
      await c.send(['SET', 'b', '2']);
      c.socket.write(Buffer.from(encodeCommand(['SHUTDOWN']), 'latin1'));
      expect(await h.done).toBe(0);
      c.close();

      const h2 = await serve(dir, profile, [['appendonly', 'yes']]);
      const c2 = await MiniClient.connect(h2.port);
      expect(await c2.send(['GET', 'a'], ['GET', 'n'], ['GET', 'b'], ['LLEN', 'l'])).toEqual(['$1', '$2', '$2', ':2']);
      expect(await h2.stop()).toBe(0);
      c2.close();
    }, 20_000);
  }

  it('QUIT replies +OK after earlier pipelined replies and closes', async () => {
    const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-'));
    dirs.push(dir);
    const h = await serve(dir, 'redis-7.0', []);
    const c = await MiniClient.connect(h.port);
    expect(await c.send(['PING'], ['QUIT'])).toEqual(['+PONG', '+OK']);
    await h.stop();
  });

  it('a large value sent in small pieces, then more commands in the same pieces: stored whole, replies in order', async () => {
    const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-'));
    dirs.push(dir);
    const h = await serve(dir, 'redis-7.0', []);
    const c = await MiniClient.connect(h.port);
    const value = Array.from({ length: 300_000 }, (_, i) => String.fromCharCode(i % 256)).join('');
    const wire = Buffer.from(encodeCommand(['SET', 'big', value]) + encodeCommand(['STRLEN', 'big']) + encodeCommand(['GETRANGE', 'big', '299990', '-1']), 'latin1');
    for (let at = 0; at < wire.length; at += 1000) {
      c.socket.write(wire.subarray(at, at + 1000));
      if (at % 50_000 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await c.read(3)).toEqual(['+OK', ':300000', '$' + value.slice(299_990)]);
    expect(await c.send(['GET', 'big'])).toEqual(['$' + value]);
    await h.stop();
  });
});

describe('serve-resp', () => {
  it('parses pipelined multibulk at any split point, and inline commands', () => {
    const wire = encodeCommand(['SET', 'k', 'v\r\n1']) + 'PING\r\n' + encodeCommand(['GET', 'k']);
    for (let cut = 0; cut <= wire.length; cut++) {
      const a = parseRequests(wire.slice(0, cut));
      const b = parseRequests(wire.slice(a.consumed));
      expect([...a.commands, ...b.commands]).toEqual([['SET', 'k', 'v\r\n1'], ['PING'], ['GET', 'k']]);
    }
    expect(parseRequests('*1\r\n+x\r\n').error).toMatch(/Protocol error/);
    // Inside a bulk of known length: how much input a complete command needs at the least.
    expect(parseRequests('PING\r\n*2\r\n$3\r\nGET\r\n$10\r\nab')).toEqual({ commands: [['PING']], consumed: 6, need: 6 + 13 + 5 + 12 });
    expect(parseRequests('*2\r\n$3\r\nGET\r\n$1').need).toBeUndefined();
  });
  it('with the input also as bytes (long arguments copied out of them): the same commands at any split point', () => {
    const long = 'k'.repeat(12) + '\u00ff\r\n' + 'v'.repeat(40);
    const wire = encodeCommand(['SET', long, 'v\r\n1']) + 'PING\r\n' + encodeCommand(['RPUSH', 'list:0123456789', long, 'x']);
    const bytes = (s: string) => Buffer.from(s, 'latin1');
    for (let cut = 0; cut <= wire.length; cut++) {
      const a = parseRequests(wire.slice(0, cut), bytes(wire.slice(0, cut)));
      const rest = wire.slice(a.consumed);
      const b = parseRequests(rest, bytes(rest));
      expect([...a.commands, ...b.commands]).toEqual([['SET', long, 'v\r\n1'], ['PING'], ['RPUSH', 'list:0123456789', long, 'x']]);
    }
  });
  it('encodes replies', () => {
    expect(encodeReply({ kind: 'array', value: [{ kind: 'bulk', value: null }, { kind: 'integer', value: 3n }] })).toBe('*2\r\n$-1\r\n:3\r\n');
  });
  const text = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const { reply } = fc.letrec<{ reply: Reply }>((tie) => ({
    reply: fc.oneof(
      { depthSize: 'small' },
      text.map((value): Reply => ({ kind: 'status', value })),
      text.map((value): Reply => ({ kind: 'error', value })),
      fc.oneof(fc.integer(), fc.integer({ min: 0, max: 120 }), fc.bigInt()).map((value): Reply => ({ kind: 'integer', value })),
      fc.option(fc.oneof(text, fc.string({ minLength: 100, maxLength: 3000 })), { nil: null }).map((value): Reply => ({ kind: 'bulk', value })),
      fc.option(fc.array(tie('reply'), { maxLength: 12 }), { nil: null }).map((value): Reply => ({ kind: 'array', value })),
    ),
  }));
  it('writes the same bytes as encodeReply, for any reply and any batch (the writer reused across takes)', () => {
    const w = new ReplyWriter();
    fc.assert(
      fc.property(fc.array(reply, { maxLength: 8 }), (batch) => {
        for (const r of batch) w.reply(r);
        expect(w.take().toString('latin1')).toBe(batch.map(encodeReply).join(''));
        expect(w.length).toBe(0);
      }),
      { numRuns: 300, seed: testSeed(process.env) },
    );
  });
  it('flushTo: a sink that still holds the bytes it was given keeps them intact while the writer goes on', () => {
    // A socket whose kernel buffer was full keeps the view it was given (writableLength > 0); one
    // that took every byte at once keeps nothing, so the writer may reuse its buffer.
    const w = new ReplyWriter(64);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(reply, { maxLength: 6 }), fc.boolean()), { maxLength: 10 }), (batches) => {
        const got: Uint8Array[] = [];
        let holds = false;
        const sink = {
          get writableLength() {
            return holds ? 1 : 0;
          },
          write(bytes: Uint8Array) {
            got.push(holds ? bytes : Uint8Array.from(bytes));
            return true;
          },
        };
        for (const [batch, keep] of batches) {
          holds = keep;
          for (const r of batch) w.reply(r);
          w.flushTo(sink);
          expect(w.length).toBe(0);
        }
        expect(Buffer.concat(got).toString('latin1')).toBe(batches.map(([batch]) => batch.map(encodeReply).join('')).join(''));
      }),
      { numRuns: 200, seed: testSeed(process.env) },
    );
  });
  it('reads lengths as Number() reads them: leading zeros, blanks and signs as before', () => {
    expect(parseRequests('*01\r\n$03\r\nGET\r\n').commands).toEqual([['GET']]);
    expect(parseRequests('*1\r\n$ 3\r\nGET\r\n').commands).toEqual([['GET']]);
    expect(parseRequests('*+1\r\n$3\r\nGET\r\n').commands).toEqual([['GET']]);
    expect(parseRequests('*\r\n*1\r\n$4\r\nPING\r\n')).toEqual({ commands: [['PING']], consumed: 17 });
    expect(parseRequests('*1\r\n$-1\r\n').error).toBe('Protocol error: invalid bulk length');
    expect(parseRequests('*1\r\n$1x\r\n').error).toBe('Protocol error: invalid bulk length');
    expect(parseRequests('*2000000\r\n').error).toBe('Protocol error: invalid multibulk length');
    expect(parseRequests('*1\r\n$1000000000000\r\n').error).toBe('Protocol error: invalid bulk length');
  });
  it('parses arguments', () => {
    expect(parseServeArgs(['--port', '0', '--dir', '/x', '--config', 'appendfsync', 'always']).config).toEqual([['appendfsync', 'always']]);
    expect(() => parseServeArgs(['--dir', '/x'])).toThrow(/--port is required/);
  });
  it('takes the profile from --profile or --config aofsim-profile, and refuses two that disagree', () => {
    const base = ['--port', '0', '--dir', '/x'];
    expect(parseServeArgs(base).profile).toBe('redis-4.0');
    expect(parseServeArgs([...base, '--config', 'aofsim-profile', 'redis-7.0']).profile).toBe('redis-7.0');
    expect(parseServeArgs([...base, '--config', 'AOFSIM-PROFILE', 'redis-7.0', '--profile', 'redis-7.0']).profile).toBe('redis-7.0');
    expect(() => parseServeArgs([...base, '--profile', 'redis-4.0', '--config', 'aofsim-profile', 'redis-7.0'])).toThrow(/disagree/);
    expect(() => parseServeArgs([...base, '--config', 'aofsim-profile', 'redis-6'])).toThrow(/must be redis-4.0 or redis-7.0/);
  });
});

describe('inline commands (redis: sds.c sdssplitargs, as processInlineBuffer uses it)', () => {
  it('splits words, quotes and escapes as Redis does', () => {
    expect(splitInlineArgs('SET k "a b"')).toEqual(['SET', 'k', 'a b']);
    expect(splitInlineArgs("SET k 'c d'")).toEqual(['SET', 'k', 'c d']);
    expect(splitInlineArgs('SET k "x\\x41\\n\\q\\"" ')).toEqual(['SET', 'k', 'xA\nq"']);
    expect(splitInlineArgs("SET k 'it\\'s \\n'")).toEqual(['SET', 'k', "it's \\n"]);
    expect(splitInlineArgs('SET k a"b c"')).toEqual(['SET', 'k', 'ab c']);
    expect(splitInlineArgs('  \t PING  ')).toEqual(['PING']);
    expect(splitInlineArgs('SET k ""')).toEqual(['SET', 'k', '']);
    expect(splitInlineArgs('ECHO a\vb')).toEqual(['ECHO', 'a\vb']);
    expect(splitInlineArgs('ECHO ab\0cd ef')).toEqual(['ECHO', 'ab']);
    expect(splitInlineArgs('')).toEqual([]);
  });

  it('an unclosed quote, or a closing quote followed by a non-blank, is an error', () => {
    expect(splitInlineArgs('set "a b')).toBeNull();
    expect(splitInlineArgs("set 'a b")).toBeNull();
    expect(splitInlineArgs('ECHO "x"y')).toBeNull();
    expect(splitInlineArgs('ECHO "x\\"')).toBeNull();
  });

  it('parseRequests: the error ends parsing after the complete commands before it', () => {
    const r = parseRequests('PING\r\nset "a b\r\nGET a\r\n');
    expect(r.commands).toEqual([['PING']]);
    expect(r.error).toBe('Protocol error: unbalanced quotes in request');
  });

  it('over a socket: replies to the commands before, then -ERR and the connection closes', async () => {
    const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-inline-'));
    const h = await startServe({ port: 0, dir, profile: 'redis-7.0', config: [], quiet: true, log: nullLog });
    try {
      const sock = net.connect(h.port, '127.0.0.1');
      let got = '';
      sock.on('data', (d: Buffer) => (got += d.toString('latin1')));
      const closed = new Promise<void>((r) => sock.on('close', () => r()));
      sock.write('SET k "a b"\r\nGET k\r\nset "a b\r\nGET k\r\n');
      await closed;
      expect(got).toBe('+OK\r\n$3\r\na b\r\n-ERR Protocol error: unbalanced quotes in request\r\n');
    } finally {
      await h.stop();
      nodeFs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
