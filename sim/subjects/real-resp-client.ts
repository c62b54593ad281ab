// The one RESP2 client of the project, over node:net, for driving real servers (redis-server,
// valkey-server, `aofsim serve`, any server a user names): argv arrays of latin1 byte strings in,
// pipelined; replies out as the Reply union of src/commands/reply.ts, so a real server's replies
// compare directly with the Executor's, or in redis-cli's wording (`OK`, `(integer) 3`, `"v"`,
// `(nil)`, `(error) MISCONF ...`; sim/trace/reply-text.ts) for timelines.
//
// Invariants: replies resolve in request order; bulk strings are latin1 byte strings (one char per
// byte); the client never reconnects. A closed socket answers every pending and later request:
// `send` with null ("no reply": the process died before answering, so a crash campaign can tell
// acknowledged from unacknowledged writes), `call`/`pipeline` with a rejection (a test's server
// must not vanish).

import { connect, type Socket } from 'node:net';
import type { Reply } from '../../src/commands/reply.ts';
import { formatReply } from '../trace/reply-text.ts';

type Waiter = (r: Reply | null) => void;

export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly waiters: Waiter[] = [];
  private closed = false;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.drain();
    });
    const fail = (): void => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    };
    sock.on('error', fail);
    sock.on('close', fail);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.setNoDelay(true);
        s.removeListener('error', reject);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  /** A client on a unix socket (a server's `unixsocket`). */
  static connectUnix(path: string): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ path }, () => {
        s.removeListener('error', reject);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Several commands in one write; their replies in order, each null when the connection closed first. */
  sendAll(cmds: string[][]): Promise<(Reply | null)[]> {
    if (this.closed) return Promise.resolve(cmds.map(() => null));
    let out = '';
    for (const argv of cmds) {
      out += `*${argv.length}\r\n`;
      for (const a of argv) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
    }
    const ps = cmds.map(() => new Promise<Reply | null>((resolve) => this.waiters.push(resolve)));
    this.sock.write(Buffer.from(out, 'latin1'));
    return Promise.all(ps);
  }

  /** One command; null when the connection closed before its reply. */
  async send(argv: string[]): Promise<Reply | null> {
    return (await this.sendAll([argv]))[0] ?? null;
  }

  /** One command; rejects when the connection closed before its reply. */
  async call(argv: string[]): Promise<Reply> {
    return (await this.pipeline([argv]))[0] as Reply;
  }

  /** Several commands in one write; rejects when the connection closed before every reply came. */
  async pipeline(cmds: string[][]): Promise<Reply[]> {
    const rs = await this.sendAll(cmds);
    const i = rs.indexOf(null);
    if (i >= 0) throw new Error(`connection closed before the reply to ${cmds[i]?.[0] ?? 'a command'}`);
    return rs as Reply[];
  }

  close(): void {
    this.sock.destroy();
  }

  private drain(): void {
    let pos = 0;
    for (;;) {
      const r = parseResp(this.buf, pos);
      if (r === null) break;
      pos = r.next;
      this.waiters.shift()?.(r.value);
    }
    if (pos > 0) this.buf = this.buf.subarray(pos);
  }
}

function integer(line: string): number | bigint {
  const n = BigInt(line);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Parses one reply at `pos`; null when incomplete. */
export function parseResp(buf: Buffer, pos: number): { value: Reply; next: number } | null {
  const eol = buf.indexOf('\r\n', pos, 'latin1');
  if (eol < 0) return null;
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case 0x2b: // +
      return { value: { kind: 'status', value: line }, next };
    case 0x2d: // -
      return { value: { kind: 'error', value: line }, next };
    case 0x3a: // :
      return { value: { kind: 'integer', value: integer(line) }, next };
    case 0x24: {
      // $
      const n = Number(line);
      if (n < 0) return { value: { kind: 'bulk', value: null }, next };
      if (buf.length < next + n + 2) return null;
      return { value: { kind: 'bulk', value: buf.toString('latin1', next, next + n) }, next: next + n + 2 };
    }
    case 0x2a: {
      // *
      const n = Number(line);
      if (n < 0) return { value: { kind: 'array', value: null }, next };
      const items: Reply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseResp(buf, p);
        if (r === null) return null;
        items.push(r.value);
        p = r.next;
      }
      return { value: { kind: 'array', value: items }, next: p };
    }
    default:
      throw new Error(`RESP: unexpected type byte 0x${(type ?? 0).toString(16)} at ${pos}`);
  }
}

/** One line as the scenario files write replies (sim/trace/reply-text.ts); null stays null. */
export function replyText(r: Reply | null): string | null {
  return r === null ? null : formatReply(r);
}

/** The text of a bulk reply ('' for anything else: an error, nil, no reply). */
export function bulkText(r: Reply | null): string {
  return r !== null && r.kind === 'bulk' && r.value !== null ? r.value : '';
}
