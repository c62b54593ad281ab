// Parses `strace -f -tt -y [-xx] [-s N]` output into the file operations the ALICE-style search
// replays into a SimFs (sim/subjects/trace-replay.ts), plus the server's replies to clients (writes
// to sockets), which say when each write was acknowledged.
//
// Line shapes handled (strace 5.x/6.x): `PID HH:MM:SS.us name(args) = ret`, the split form
// `name(args <unfinished ...>` + `<... name resumed>rest) = ret` (joined per pid), signals and
// exits (ignored). Writes to fds 0-2 (the log) are neither replies nor file ops. Strings may use -xx hex escapes or C escapes; fd arguments carry -y annotations
// `7</abs/path>` (also `AT_FDCWD</dir>`, `8</path>(deleted)`, `9<socket:[123]>`).
//
// Invariants: ops are in completion order (the `= ret` line), which is the order their effects
// became visible; a close takes effect at its start (the fd is free before it returns), so it is
// emitted at its first line; `repliesBefore` counts reply writes completed before the op STARTED
// (what a client could have seen acknowledged before the op began); failed calls (`= -1 E...`)
// are dropped. Paths are absolute: relative ones are resolved against the AT_FDCWD annotation or
// the last chdir.

export type TraceOp =
  | { kind: 'open'; path: string; fd: number; flags: string[] }
  | { kind: 'write'; path: string; fd: number; data: Buffer }
  | { kind: 'pwrite'; path: string; fd: number; data: Buffer; offset: number }
  | { kind: 'sync'; path: string; fd: number; name: 'fsync' | 'fdatasync' }
  | { kind: 'ftruncate'; path: string; fd: number; length: number }
  | { kind: 'truncate'; path: string; length: number }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'unlink'; path: string }
  | { kind: 'mkdir'; path: string }
  | { kind: 'rmdir'; path: string }
  | { kind: 'close'; path: string; fd: number }
  | { kind: 'reply'; fd: number; data: Buffer };

export type TracedOp = TraceOp & { pid: number; time: string; line: number; repliesBefore: number };

export interface ParsedTrace {
  ops: TracedOp[];
  /** Lines not understood (kept for diagnostics; the search refuses traces with unknown file ops). */
  unparsed: string[];
  /** A string argument was cut by -s: the data of these ops is incomplete. */
  truncatedData: number;
}

const LINE = /^(\d+)\s+(\d\d:\d\d:\d\d\.\d+)\s+(.*)$/;

/** Decodes a C/strace string literal body (without the quotes) to bytes. */
export function decodeCString(s: string): Buffer {
  if (s.indexOf('\\') < 0) return Buffer.from(s, 'latin1');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x5c) {
      out.push(c & 0xff);
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'x':
        out.push(parseInt(s.substr(i + 1, 2), 16));
        i += 2;
        break;
      case 'n':
        out.push(10);
        break;
      case 'r':
        out.push(13);
        break;
      case 't':
        out.push(9);
        break;
      case 'v':
        out.push(11);
        break;
      case 'f':
        out.push(12);
        break;
      default:
        if (n >= '0' && n <= '7') {
          let j = i;
          let v = 0;
          while (j < i + 3 && s[j] >= '0' && s[j] <= '7') v = v * 8 + (s.charCodeAt(j++) - 48);
          out.push(v & 0xff);
          i = j - 1;
        } else out.push(n.charCodeAt(0) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Splits an argument list at top-level commas (quotes, brackets, braces and <...> respected). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inStr = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === '<' && i > 0 && /[0-9D]/.test(s[i - 1])) depth++;
    else if (c === '>' && depth > 0 && (i + 1 >= s.length || /[,)\s(<]/.test(s[i + 1]) || s[i + 1] === '>')) depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last !== '') out.push(last);
  return out;
}

/** `7</a/b>` or `7</a/b>(deleted)` -> fd and decoded path (path '' when not annotated). */
export function parseFdArg(a: string): { fd: number; path: string } {
  const m = /^(-?\d+|AT_FDCWD)(?:<(.*)>)?(?:\(deleted\))?$/s.exec(a);
  if (!m) return { fd: NaN, path: '' };
  return { fd: m[1] === 'AT_FDCWD' ? -100 : Number(m[1]), path: m[2] === undefined ? '' : decodeCString(m[2]).toString('latin1') };
}

function stringArg(a: string): { bytes: Buffer; cut: boolean } | null {
  const m = /^"((?:[^"\\]|\\.)*)"(\.\.\.)?$/s.exec(a);
  if (!m) return null;
  return { bytes: decodeCString(m[1]), cut: m[2] !== undefined };
}

function resolve(path: string, base: string): string {
  const parts = (path.startsWith('/') ? path : `${base}/${path}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

const FILE_CALLS = new Set([
  'open', 'openat', 'creat', 'write', 'pwrite64', 'fsync', 'fdatasync', 'ftruncate', 'truncate', 'rename', 'renameat',
  'renameat2', 'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir', 'close', 'chdir', 'writev',
]);

export function parseStrace(text: string, options: { cwd?: string } = {}): ParsedTrace {
  const ops: TracedOp[] = [];
  const unparsed: string[] = [];
  let cwd = options.cwd ?? '/';
  let replies = 0;
  let truncatedData = 0;
  /** pid -> the start of an unfinished call and the replies count at its start. */
  const open = new Map<number, { head: string; repliesBefore: number; line: number }>();
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const m = LINE.exec(lines[ln]);
    if (!m) continue;
    const pid = Number(m[1]);
    const time = m[2];
    let body = m[3];
    let repliesBefore = replies;
    let lineNo = ln + 1;
    if (body.startsWith('---') || body.startsWith('+++')) continue;
    if (body.endsWith('<unfinished ...>')) {
      const head = body.slice(0, -'<unfinished ...>'.length).trimEnd();
      // close frees the fd at once: emit it now (its result cannot fail in a way we replay).
      if (/^close\(/.test(head)) {
        const fdArg = parseFdArg(head.slice(6).replace(/\)?$/, ''));
        if (fdArg.path !== '') ops.push({ kind: 'close', path: fdArg.path, fd: fdArg.fd, pid, time, line: lineNo, repliesBefore });
        open.set(pid, { head: '\u0000close', repliesBefore, line: lineNo });
      } else open.set(pid, { head, repliesBefore, line: lineNo });
      continue;
    }
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/s.exec(body);
    if (resumed) {
      const start = open.get(pid);
      open.delete(pid);
      if (start === undefined || start.head === '\u0000close') continue;
      body = start.head + resumed[2];
      repliesBefore = start.repliesBefore;
      lineNo = start.line;
    }
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(.*)$/s.exec(body);
    if (!call) {
      if (/^\w+\(/.test(body) && FILE_CALLS.has(body.slice(0, body.indexOf('(')))) unparsed.push(lines[ln]);
      continue;
    }
    const [, name, argText, retText] = call;
    if (!FILE_CALLS.has(name)) continue;
    const ret = Number(retText);
    if (!(ret >= 0)) continue;
    const args = splitArgs(argText);
    const base = { pid, time, line: lineNo, repliesBefore };
    const atPath = (dirArg: string, p: string): string => {
      const d = parseFdArg(dirArg);
      return resolve(p, d.path !== '' ? d.path : cwd);
    };
    const str = (a: string | undefined): string | null => {
      const s = a === undefined ? null : stringArg(a);
      return s === null ? null : s.bytes.toString('latin1');
    };
    switch (name) {
      case 'chdir': {
        const p = str(args[0]);
        if (p !== null) cwd = resolve(p, cwd);
        break;
      }
      case 'open':
      case 'openat':
      case 'creat': {
        const res = parseFdArg(retText + (call[4] ?? '').trim());
        const pathArg = name === 'openat' ? args[1] : args[0];
        const p = str(pathArg);
        if (p === null) {
          unparsed.push(lines[ln]);
          break;
        }
        const abs = res.path !== '' ? res.path : name === 'openat' ? atPath(args[0], p) : resolve(p, cwd);
        const flags = name === 'creat' ? ['O_WRONLY', 'O_CREAT', 'O_TRUNC'] : (name === 'openat' ? args[2] : args[1]).split('|');
        ops.push({ kind: 'open', path: abs, fd: ret, flags, ...base });
        break;
      }
      case 'write':
      case 'pwrite64':
      case 'writev': {
        const fd = parseFdArg(args[0]);
        let data: Buffer;
        if (name === 'writev') {
          const parts = [...(args[1] ?? '').matchAll(/iov_base="((?:[^"\\]|\\.)*)"(\.\.\.)?/gs)].map((x) => decodeCString(x[1]));
          data = Buffer.concat(parts);
        } else {
          const s = stringArg(args[1] ?? '');
          if (s === null) {
            unparsed.push(lines[ln]);
            break;
          }
          data = s.bytes;
          if (s.cut) truncatedData++;
        }
        data = data.subarray(0, ret);
        if (fd.fd <= 2) break; // the server's log (stdout/stderr may be sockets when spawned by node)
        if (/^(socket|TCP|UNIX|TCPv6):/.test(fd.path)) {
          replies++;
          ops.push({ kind: 'reply', fd: fd.fd, data, ...base });
        } else if (fd.path.startsWith('/')) {
          if (name === 'pwrite64') ops.push({ kind: 'pwrite', path: fd.path, fd: fd.fd, data, offset: Number(args[3]), ...base });
          else ops.push({ kind: 'write', path: fd.path, fd: fd.fd, data, ...base });
        }
        break;
      }
      case 'fsync':
      case 'fdatasync': {
        const fd = parseFdArg(args[0]);
        if (fd.path.startsWith('/')) ops.push({ kind: 'sync', path: fd.path, fd: fd.fd, name, ...base });
        break;
      }
      case 'ftruncate': {
        const fd = parseFdArg(args[0]);
        if (fd.path.startsWith('/')) ops.push({ kind: 'ftruncate', path: fd.path, fd: fd.fd, length: Number(args[1]), ...base });
        break;
      }
      case 'truncate': {
        const p = str(args[0]);
        if (p !== null) ops.push({ kind: 'truncate', path: resolve(p, cwd), length: Number(args[1]), ...base });
        break;
      }
      case 'rename': {
        const a = str(args[0]);
        const b = str(args[1]);
        if (a !== null && b !== null) ops.push({ kind: 'rename', from: resolve(a, cwd), to: resolve(b, cwd), ...base });
        break;
      }
      case 'renameat':
      case 'renameat2': {
        const a = str(args[1]);
        const b = str(args[3]);
        if (a !== null && b !== null) ops.push({ kind: 'rename', from: atPath(args[0], a), to: atPath(args[2], b), ...base });
        break;
      }
      case 'unlink': {
        const p = str(args[0]);
        if (p !== null) ops.push({ kind: 'unlink', path: resolve(p, cwd), ...base });
        break;
      }
      case 'unlinkat': {
        const p = str(args[1]);
        if (p !== null) ops.push({ kind: (args[2] ?? '').includes('AT_REMOVEDIR') ? 'rmdir' : 'unlink', path: atPath(args[0], p), ...base });
        break;
      }
      case 'mkdir': {
        const p = str(args[0]);
        if (p !== null) ops.push({ kind: 'mkdir', path: resolve(p, cwd), ...base });
        break;
      }
      case 'mkdirat': {
        const p = str(args[1]);
        if (p !== null) ops.push({ kind: 'mkdir', path: atPath(args[0], p), ...base });
        break;
      }
      case 'rmdir': {
        const p = str(args[0]);
        if (p !== null) ops.push({ kind: 'rmdir', path: resolve(p, cwd), ...base });
        break;
      }
      case 'close': {
        const fd = parseFdArg(args[0]);
        if (fd.path !== '') ops.push({ kind: 'close', path: fd.path, fd: fd.fd, ...base });
        break;
      }
    }
  }
  return { ops, unparsed, truncatedData };
}
