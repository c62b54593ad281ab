// A minimal RESP2 client over node:net for the differential suite: sends argv arrays (byte strings,
// one char per byte) pipelined and parses the replies into the Reply union of src/commands/reply.ts,
// so a real redis-server's replies compare directly with the Executor's.
//
// Invariants: replies come back in request order; bulk strings are latin1 byte strings; the client
// never reconnects (a closed socket fails every pending request).

import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Reply } from '../../src/commands/reply.ts';

type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };

export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private closedError: Error | null = null;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.drain();
    });
    const fail = (e: Error) => {
      this.closedError = e;
      for (const p of this.pending.splice(0)) p.reject(e);
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.setNoDelay(true);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  /** Sends one command and waits for its reply. */
  call(argv: string[]): Promise<Reply> {
    return this.pipeline([argv]).then((r) => r[0]);
  }

  /** Sends several commands in one write; resolves with their replies in order. */
  pipeline(cmds: string[][]): Promise<Reply[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const parts: Buffer[] = [];
    for (const argv of cmds) {
      let head = `*${argv.length}\r\n`;
      for (const a of argv) head += `$${a.length}\r\n${a}\r\n`;
      parts.push(Buffer.from(head, 'latin1'));
    }
    const ps = cmds.map(
      () =>
        new Promise<Reply>((resolve, reject) => {
          this.pending.push({ resolve, reject });
        }),
    );
    this.sock.write(Buffer.concat(parts));
    return Promise.all(ps);
  }

  close(): void {
    this.sock.destroy();
  }

  private drain(): void {
    let pos = 0;
    for (;;) {
      const r = parse(this.buf, pos);
      if (r === null) break;
      pos = r.next;
      const p = this.pending.shift();
      p?.resolve(r.reply);
    }
    if (pos > 0) this.buf = this.buf.subarray(pos);
  }
}

function parse(b: Buffer, pos: number): { reply: Reply; next: number } | null {
  const eol = b.indexOf('\r\n', pos, 'latin1');
  if (eol < 0) return null;
  const type = b[pos];
  const line = b.toString('latin1', pos + 1, eol);
  const after = eol + 2;
  switch (type) {
    case 0x2b: // +
      return { reply: { kind: 'status', value: line }, next: after };
    case 0x2d: // -
      return { reply: { kind: 'error', value: line }, next: after };
    case 0x3a: {
      // :
      const n = BigInt(line);
      const v = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      return { reply: { kind: 'integer', value: v }, next: after };
    }
    case 0x24: {
      // $
      const len = Number(line);
      if (len < 0) return { reply: { kind: 'bulk', value: null }, next: after };
      if (b.length < after + len + 2) return null;
      return { reply: { kind: 'bulk', value: b.toString('latin1', after, after + len) }, next: after + len + 2 };
    }
    case 0x2a: {
      // *
      const n = Number(line);
      if (n < 0) return { reply: { kind: 'array', value: null }, next: after };
      const items: Reply[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const r = parse(b, p);
        if (r === null) return null;
        items.push(r.reply);
        p = r.next;
      }
      return { reply: { kind: 'array', value: items }, next: p };
    }
    default:
      throw new Error(`RESP: unexpected type byte 0x${type.toString(16)} at ${pos}`);
  }
}
