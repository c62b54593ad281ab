// The floor of a Node.js RESP server under redis-benchmark, for bench/serve/run.ts --floor: a TCP
// server on 127.0.0.1 that only counts the complete multibulk commands in what it reads and answers
// each with +OK, one socket write per read (no keyspace, no command table, no reply held for an
// AOF). What it costs per request is what Node's net and stream layers (and the kernel) cost any
// server written on them, aofsim serve included.
//
//   node bench/serve/node-floor.mjs PORT   (plain JavaScript: no loader in the measured process)

import { createServer } from 'node:net';

/** Bytes of the complete multibulk commands at the start of buf (a latin1 string), and how many. */
function completeCommands(buf) {
  let pos = 0;
  let count = 0;
  for (;;) {
    if (buf.charCodeAt(pos) !== 0x2a) return { consumed: pos, count };
    let nl = buf.indexOf('\r\n', pos);
    if (nl < 0) return { consumed: pos, count };
    const argc = Number(buf.slice(pos + 1, nl));
    let p = nl + 2;
    for (let i = 0; i < argc; i++) {
      nl = buf.indexOf('\r\n', p);
      if (nl < 0) return { consumed: pos, count };
      p = nl + 2 + Number(buf.slice(p + 1, nl)) + 2;
      if (p > buf.length) return { consumed: pos, count };
    }
    pos = p;
    count++;
  }
}

const port = Number(process.argv[2]);
createServer({ noDelay: true }, (socket) => {
  let buf = '';
  socket.on('data', (chunk) => {
    buf = buf.length === 0 ? chunk.toString('latin1') : buf + chunk.toString('latin1');
    const { consumed, count } = completeCommands(buf);
    buf = consumed === buf.length ? '' : buf.slice(consumed);
    if (count > 0) socket.write('+OK\r\n'.repeat(count), 'latin1');
  });
  socket.on('error', () => socket.destroy());
}).listen(port, '127.0.0.1');
