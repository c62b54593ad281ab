// SubjectReaper (Ctrl-C during `aofsim validate`): a detached child leading its own process group,
// as real-redis-server.ts starts a server, is killed with its group; every temp dir made in
// os.tmpdir() while the reaper is in place is removed, with a server in it or not (an ALICE
// recording's dir while its crash states replay elsewhere); one line on stderr, exit 130 (SIGTERM:
// 143); a child that did not detach (the same group as this process) and a dir made before are left
// alone; TMPDIR is put back; the handlers go with dispose(), which also removes its (empty) dir.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SubjectReaper } from './subject-reaper.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function sleeper(cwd: string, detached: boolean): { child: ChildProcess; exited: Promise<string | null> } {
  // A shell with a grandchild, as strace runs the server under it: both are in the group.
  const child = spawn('sh', ['-c', 'sleep 60 & wait'], { cwd, detached, stdio: 'ignore' });
  children.push(child);
  return { child, exited: new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal))) };
}

describe('SubjectReaper', () => {
  it('kills the process groups this process started, removes every temp dir made meanwhile, one line, exit 130', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'aofsim-reaper-test-other-'));
    dirs.push(otherDir);
    const tmpdirBefore = process.env.TMPDIR;
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    const codes: number[] = [];
    const before = process.listenerCount('SIGINT');
    const reaper = new SubjectReaper('validate', (c) => codes.push(c));
    dirs.push(reaper.tempRoot);
    // Made as the subjects make theirs: a server runs in a subdirectory of one (as the ALICE
    // recording's data dir); another has no server in it (the recording while states replay).
    const serverDir = mkdtempSync(join(tmpdir(), 'aofsim-alice-state-'));
    const idleDir = mkdtempSync(join(tmpdir(), 'aofsim-alice-rec-'));
    mkdirSync(join(serverDir, 'data'));
    const server = sleeper(join(serverDir, 'data'), true);
    const attached = sleeper(otherDir, false);
    await new Promise((r) => setTimeout(r, 200)); // the shell has started its sleep
    process.emit('SIGINT');
    expect(await server.exited).toBe('SIGKILL');
    expect(existsSync(serverDir)).toBe(false);
    expect(existsSync(idleDir)).toBe(false);
    expect(existsSync(reaper.tempRoot)).toBe(false);
    expect(process.env.TMPDIR).toBe(tmpdirBefore);
    expect(codes).toEqual([130]);
    expect(err).toBe('aofsim validate: SIGINT: stopped before the campaign ended, no summary; killed the 1 server process group(s) it had started and removed the 2 temp dir(s) it had made\n');
    // Not a subject: in this process's own group (a terminal's Ctrl-C reaches it anyway).
    expect(attached.child.exitCode === null && attached.child.signalCode === null).toBe(true);
    expect(existsSync(otherDir)).toBe(true);
    // A second signal exits at once.
    process.emit('SIGTERM');
    expect(codes).toEqual([130, 143]);
    reaper.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('without a signal, dispose() puts TMPDIR back and removes its dir', () => {
    const tmpdirBefore = process.env.TMPDIR;
    const reaper = new SubjectReaper('validate', () => undefined);
    dirs.push(reaper.tempRoot);
    expect(tmpdir()).toBe(reaper.tempRoot);
    reaper.dispose();
    expect(process.env.TMPDIR).toBe(tmpdirBefore);
    expect(existsSync(reaper.tempRoot)).toBe(false);
  });
});
