// SubjectReaper (Ctrl-C during `aofsim validate`): a detached child leading its own process group,
// as real-redis-server.ts starts a server, is killed with its group and its aofsim-* temp dir is
// removed; one line on stderr, exit 130 (SIGTERM: 143); a child that did not detach (the same group
// as this process) and a dir not named aofsim-* are left alone; the handlers go with dispose().

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
  it('kills the process groups this process started, removes their aofsim-* temp dirs, one line, exit 130', async () => {
    const serverDir = mkdtempSync(join(tmpdir(), 'aofsim-reaper-test-'));
    const otherDir = mkdtempSync(join(tmpdir(), 'reaper-test-other-'));
    dirs.push(serverDir, otherDir);
    // The server runs in a subdirectory (as the ALICE recording's data dir): its aofsim-* dir goes.
    mkdirSync(join(serverDir, 'data'));
    const server = sleeper(join(serverDir, 'data'), true);
    const attached = sleeper(otherDir, false);
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    const codes: number[] = [];
    const before = process.listenerCount('SIGINT');
    const reaper = new SubjectReaper('validate', (c) => codes.push(c));
    await new Promise((r) => setTimeout(r, 200)); // the shell has started its sleep
    process.emit('SIGINT');
    expect(await server.exited).toBe('SIGKILL');
    expect(existsSync(serverDir)).toBe(false);
    expect(codes).toEqual([130]);
    expect(err).toBe('aofsim validate: SIGINT: stopped before the campaign ended, no summary; killed the 1 server process group(s) it had started and removed their 1 temp dir(s)\n');
    // Not a subject: in this process's own group (a terminal's Ctrl-C reaches it anyway).
    expect(attached.child.exitCode === null && attached.child.signalCode === null).toBe(true);
    expect(existsSync(otherDir)).toBe(true);
    // A second signal exits at once.
    process.emit('SIGTERM');
    expect(codes).toEqual([130, 143]);
    reaper.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
