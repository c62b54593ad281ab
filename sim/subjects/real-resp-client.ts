// A small RESP2 client over node:net for driving real servers (redis-server, valkey-server, ...):
// argv arrays of latin1 byte strings in, replies in redis-cli's wording out (`OK`, `(integer) 3`,
// `"v"`, `(nil)`, `(error) MISCONF ...`; sim/trace/reply-text.ts wording).
//
// Invariants: replies resolve in request order; a closed socket resolves every pending and later
// request with null ("no reply": the process died before answering), never with an exception, so a
// crash campaign can tell acknowledged from unacknowledged writes.

import { connect, type Socket } from 'node:net';
import type { Reply } from '../../src/commands/reply.ts';
import { formatReply } from '../trace/reply-text.ts';

export type RespValue = { t: 'status' | 'error'; v: string } | { t: 'int'; v: string } | { t: 'bulk'; v: string | null } | { t: 'array'; v: RespValue[] | null };

type Waiter = (r: RespValue | null) => void;

export class RealRespClient {
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

  static connect(port: number, host = '127.0.0.1'): Promise<RealRespClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.setNoDelay(true);
        s.removeListener('error', reject);
        resolve(new RealRespClient(s));
      });
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  call(argv: string[]): Promise<RespValue | null> {
    if (this.closed) return Promise.resolve(null);
    let head = `*${argv.length}\r\n`;
    for (const a of argv) head += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
    const p = new Promise<RespValue | null>((resolve) => this.waiters.push(resolve));
    this.sock.write(Buffer.from(head, 'latin1'));
    return p;
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

/** Parses one reply at `pos`; null when incomplete. */
export function parseResp(buf: Buffer, pos: number): { value: RespValue; next: number } | null {
  const eol = buf.indexOf('\r\n', pos, 'latin1');
  if (eol < 0) return null;
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case 0x2b:
      return { value: { t: 'status', v: line }, next };
    case 0x2d:
      return { value: { t: 'error', v: line }, next };
    case 0x3a:
      return { value: { t: 'int', v: line }, next };
    case 0x24: {
      const n = Number(line);
      if (n < 0) return { value: { t: 'bulk', v: null }, next };
      if (buf.length < next + n + 2) return null;
      return { value: { t: 'bulk', v: buf.toString('latin1', next, next + n) }, next: next + n + 2 };
    }
    case 0x2a: {
      const n = Number(line);
      if (n < 0) return { value: { t: 'array', v: null }, next };
      const items: RespValue[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseResp(buf, p);
        if (r === null) return null;
        items.push(r.value);
        p = r.next;
      }
      return { value: { t: 'array', v: items }, next: p };
    }
    default:
      throw new Error(`RESP: unexpected type byte 0x${(type ?? 0).toString(16)} at ${pos}`);
  }
}

/** The Reply union of src/commands/reply.ts (so replies compare with the simulator's). */
export function toReply(r: RespValue): Reply {
  switch (r.t) {
    case 'status':
      return { kind: 'status', value: r.v };
    case 'error':
      return { kind: 'error', value: r.v };
    case 'int':
      return { kind: 'integer', value: BigInt(r.v) <= BigInt(Number.MAX_SAFE_INTEGER) && BigInt(r.v) >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.v) : BigInt(r.v) };
    case 'bulk':
      return { kind: 'bulk', value: r.v };
    case 'array':
      return { kind: 'array', value: r.v === null ? null : r.v.map(toReply) };
  }
}

/** One line as the scenario files write replies (sim/trace/reply-text.ts); null stays null. */
export function replyText(r: RespValue | null): string | null {
  return r === null ? null : formatReply(toReply(r));
}
