// The aofsim process's standard output and error without their streams until something needs
// them: creating process.stdout or process.stderr loads Node's stream modules, 3-9 ms of a ~100 ms
// start-up (the most on a pipe or a terminal), which `aofsim --help` and `aofsim check` never need.
//
// deferStdio() (called once, by cli/start.ts, in the real process) wraps the two getters so that a
// listener is attached when a stream is first created. createStdoutWriter()'s function writes with
// write(2) on fd 1 only while that wrapper still stands (the stream does not exist: nothing can
// be queued in it, so the order of the bytes is kept); otherwise, and in tests that call main()
// and spy on process.stdout.write, through process.stdout. fd 1 in non-blocking mode (EAGAIN)
// hands the rest to process.stdout, which waits for the reader; a closed pipe (EPIPE) ends the
// process quietly, as the streams' listener does.

import { writeSync } from 'node:fs';

/**
 * Marks the getters deferStdio() put on process. From the global registry: each command bundle of
 * dist/ has its own copy of this module, and the copy in dist/cli.cjs defers while the one in
 * dist/cli/check.cjs writes.
 */
const DEFERRED = Symbol.for('aofsim.deferred-stdio');

type StdioName = 'stdout' | 'stderr';

/** Calls `attach` with process[name] when it is first read (at once if the getter cannot be wrapped). */
export function deferStdio(name: StdioName, attach: (stream: NodeJS.WriteStream) => void): void {
  const own = Object.getOwnPropertyDescriptor(process, name);
  const get = own?.get;
  if (own === undefined || get === undefined || !own.configurable) {
    attach(process[name]);
    return;
  }
  const deferred = (): NodeJS.WriteStream => {
    // Node's own getter creates the stream once and keeps it: put it back, then attach.
    Object.defineProperty(process, name, own);
    const stream = get.call(process) as NodeJS.WriteStream;
    attach(stream);
    return stream;
  };
  Object.defineProperty(deferred, DEFERRED, { value: true });
  Object.defineProperty(process, name, { configurable: true, enumerable: own.enumerable, get: deferred });
}

/** Whether process[name] is still deferStdio()'s getter (the stream has not been created). */
function pending(name: StdioName): boolean {
  const get = Object.getOwnPropertyDescriptor(process, name)?.get as { [DEFERRED]?: boolean } | undefined;
  return get?.[DEFERRED] === true;
}

/** A function that writes its text to stdout: in full before it returns, or queued on process.stdout (see above). */
export function createStdoutWriter(): (text: string) => void {
  return (text) => {
    if (!pending('stdout')) {
      process.stdout.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(1, bytes, done);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
        if (code !== 'EAGAIN') throw e;
        process.stdout.write(bytes.subarray(done));
        return;
      }
    }
  };
}
