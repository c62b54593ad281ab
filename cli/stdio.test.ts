// cli/stdio.ts in a process of its own (it changes process.stdout's getter): the writer's bytes
// and process.stdout's keep their order, the stream is created only when something reads it (then
// the listener is attached once), and a reader that goes away ends the process quietly.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const STDIO = fileURLToPath(new URL('./stdio.ts', import.meta.url));

/** node, with tsx, running `body` after importing deferStdio and createStdoutWriter. */
function script(body: string): string[] {
  return ['--import', 'tsx', '--input-type=module', '-e', `import { deferStdio, createStdoutWriter } from ${JSON.stringify(STDIO)};\n${body}`];
}

describe('cli/stdio', () => {
  it('writes with write(2) until process.stdout exists, then through it, in order; attaches once, on creation', () => {
    const r = spawnSync(
      process.execPath,
      script(`
        let attached = 0;
        deferStdio('stdout', () => { attached++; });
        const out = createStdoutWriter();
        out('one ' + attached + '\\n');
        out('two ' + attached + '\\n');
        process.stdout.write('three ' + attached + '\\n');
        out('four ' + attached + '\\n');
        process.stdout.write('five ' + attached + '\\n');`),
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('one 0\ntwo 0\nthree 1\nfour 1\nfive 1\n');
    expect(r.status).toBe(0);
  });

  it("a second copy of the module (each command bundle has its own) sees the first copy's deferral", () => {
    const r = spawnSync(
      process.execPath,
      script(`
        let attached = 0;
        deferStdio('stdout', () => { attached++; });
        const copy = await import(${JSON.stringify(pathToFileURL(STDIO).href + '?second-copy')});
        copy.createStdoutWriter()('one ' + attached + '\\n');
        createStdoutWriter()('two ' + attached + '\\n');`),
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('one 0\ntwo 0\n');
  });

  it('writes every byte of a long text (multi-byte characters included)', () => {
    const r = spawnSync(
      process.execPath,
      script(`
        deferStdio('stdout', () => {});
        createStdoutWriter()('é'.repeat(300000) + '\\n');`),
      { encoding: 'utf8', maxBuffer: 1 << 22 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('é'.repeat(300000) + '\n');
  });

  it('a reader that closes its end (EPIPE) ends the process with the exit code so far, without a message (write(2) or, on a non-blocking fd 1, the stream)', async () => {
    const child = spawn(
      process.execPath,
      script(`
        // As cli/start.ts: the stream's listener, for when fd 1 is non-blocking and the writer hands over.
        deferStdio('stdout', (stream) => stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); throw e; }));
        process.exitCode = 3;
        const out = createStdoutWriter();
        for (let i = 0; i < 1e6; i++) out('line ' + i + '\\n');`),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(3);
  });
});
