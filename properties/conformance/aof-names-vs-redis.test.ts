// appendfilename / appenddirname values that are base names without being plain file names ('.',
// '..', and for 4.0 the empty name), started on both sides with appendonly yes, against the real
// servers (redis 7.0.15: isValidAOFfilename / isValidAOFdirname take them, pathIsBaseName looks only
// for slashes; redis 4.0.14: the appendfilename directive checks pathIsBaseName only):
// - 7.0.15: the server starts, names its files `<appendfilename>.1.base.rdb` ... (so `..1.base.rdb`
//   for '.'), keeps them in `<dir>/<appenddirname>` (the working directory itself for '.', its parent
//   for '..'), and a restart reads them back; compared: the start outcome, the files created and
//   where, the manifest's text, the AOF log lines, and the value read back after a restart;
// - 4.0.14: initServer's open(appendfilename, O_APPEND|O_CREAT) fails (EISDIR for '.' and '..',
//   ENOENT for ''): the start ends with exit 1 and "Can't open the append-only file: <strerror>";
//   started with appendonly no, CONFIG SET appendonly yes is refused and the server logs why.
// aofsim runs in-process (src/server.ts Server on the node fs). Each case starts its own servers in
// a fresh directory tree. Without the real binaries the cases skip LOUDLY, and fail instead when
// AOFSIM_REQUIRE_REDIS=1.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessExit } from '../../src/base/process-exit.ts';
import type { Profile } from '../../src/base/profile.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { AofsimServerSide } from './aofsim-server-side.ts';
import { REDIS_SERVER, replyString, requireRedis70, skipWithoutRedis70 } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, skip40 } from './redis40.ts';

const skip70 = skipWithoutRedis70('the appendfilename/appenddirname startup suite against 7.0.15');
const skip4 = skip40('the appendfilename startup suite against 4.0.14');

const root = mkdtempSync(join(tmpdir(), 'aofsim-aof-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file and directory under `dir`, relative, sorted; `omit` names are left out (sockets, logs). */
function tree(dir: string, omit: ReadonlySet<string>, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (omit.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(`${prefix}${name}/`, ...tree(p, omit, `${prefix}${name}/`));
    else out.push(prefix + name);
  }
  return out;
}

/** A real server's log line without its "pid:role date time level " prefix (4.0 prints no year). */
const message = (line: string): string => line.replace(/^\d+:[A-Z] \d+ \w+ (\d+ )?[\d:.]+ [.*#-] /, '');
/** The log lines both sides are compared on: the AOF's files and open failures. */
const AOF_LINE = /^(Creating AOF (base|incr) file|Opening AOF incr file|Can't open the append-only file|Redis needs to enable the AOF)/;

interface Outcome {
  /** 'started', or the exit code. */
  start: string;
  lines: string[];
  files: string[];
  manifest: string | null;
  /** GET k after SET k v and a restart (started cases). */
  readBack: string | null;
  /** With appendonly no at start: the reply to CONFIG SET appendonly yes (exited cases). */
  enableReply: string | null;
}

/** The case's tree: `root/case/w` is the working dir, so '..' lands in `root/case`. */
function caseDirs(name: string): { top: string; work: string } {
  const top = mkdtempSync(join(root, `${name}-`));
  const work = join(top, 'w');
  mkdirSync(work);
  return { top, work };
}

function manifestText(top: string, files: string[]): string | null {
  const m = files.find((f) => f.endsWith('manifest'));
  return m === undefined ? null : readFileSync(join(top, m), 'latin1');
}

async function realOutcome(bin: string, config: Record<string, string>): Promise<Outcome> {
  const { top, work } = caseDirs('real');
  const subject = (appendonly: string): RedisServerSubject => new RedisServerSubject({ bin, dir: work, config: { save: '', ...config, appendonly } });
  let real = subject('yes');
  const st = await real.start();
  const lines = st.log.map(message).filter((l) => AOF_LINE.test(l)).map((l) => l.replaceAll(work, '<dir>'));
  let readBack: string | null = null;
  let enableReply: string | null = null;
  if (st.outcome === 'ok') {
    await real.call(['SET', 'k', 'v']);
    await real.kill();
    const again = await real.restart();
    if (again.outcome !== 'ok') throw new Error(`${bin} did not restart: ${again.log.slice(-3).join(' | ')}`);
    readBack = replyString((await real.call(['GET', 'k']))!);
    await real.stop();
  } else {
    await real.stop();
    real = subject('no');
    const off = await real.start();
    if (off.outcome !== 'ok') throw new Error(`${bin} did not start with appendonly no: ${off.log.slice(-3).join(' | ')}`);
    const from = real.log.length;
    enableReply = replyString((await real.call(['CONFIG', 'SET', 'appendonly', 'yes']))!);
    await real.call(['PING']);
    lines.push(...real.log.slice(from).map(message).filter((l) => AOF_LINE.test(l)).map((l) => l.replaceAll(work, '<dir>')));
    await real.stop();
  }
  const files = tree(top, new Set(['redis.log', 'dump.rdb']));
  return { start: st.outcome === 'ok' ? 'started' : `exit ${st.exitCode}`, lines, files, manifest: manifestText(top, files), readBack, enableReply };
}

function aofsimOutcome(profile: Profile, config: Record<string, string>): Outcome {
  const { top, work } = caseDirs('sim');
  const side = (appendonly: boolean): AofsimServerSide => new AofsimServerSide(root, { profile, ...config, appendonly }, work);
  const aofLines = (s: AofsimServerSide): string[] => s.log.lines.map((l) => l.message).filter((l) => AOF_LINE.test(l)).map((l) => l.replaceAll(work, '<dir>'));
  let sim = side(true);
  let start = 'started';
  try {
    sim.server.start();
  } catch (e) {
    if (!isProcessExit(e)) throw e;
    start = `exit ${e.exitCode}`;
  }
  const lines = aofLines(sim);
  let readBack: string | null = null;
  let enableReply: string | null = null;
  if (start === 'started') {
    sim.reply(['SET', 'k', 'v']);
    sim.finish();
    const again = side(true);
    again.server.start();
    readBack = replyString(again.reply(['GET', 'k']));
  } else {
    sim = side(false);
    sim.server.start();
    enableReply = replyString(sim.reply(['CONFIG', 'SET', 'appendonly', 'yes']));
    lines.push(...aofLines(sim));
  }
  const files = tree(top, new Set());
  return { start, lines, files, manifest: manifestText(top, files), readBack, enableReply };
}

const CASES_70: Record<string, string>[] = [{ appendfilename: '.' }, { appendfilename: '..' }, { appenddirname: '.' }, { appenddirname: '..' }, { appendfilename: '.', appenddirname: '.' }];
const CASES_40: Record<string, string>[] = [{ appendfilename: '.' }, { appendfilename: '..' }, { appendfilename: '' }];

describe.skipIf(skip70)('appendfilename / appenddirname . and .. at startup vs redis-server 7.0.15', () => {
  for (const config of CASES_70) {
    it(JSON.stringify(config), async () => {
      requireRedis70();
      const real = await realOutcome(REDIS_SERVER, config);
      expect(real.start, 'the real server starts').toBe('started');
      expect(real.lines, 'the real server logs its AOF files').toContain(`Creating AOF incr file ${config.appendfilename ?? 'appendonly.aof'}.1.incr.aof on server start`);
      expect(aofsimOutcome('redis-7.0', config)).toEqual(real);
    });
  }
});

describe.skipIf(skip4)('appendfilename ., .. and empty at startup vs redis-server 4.0.14', () => {
  for (const config of CASES_40) {
    it(JSON.stringify(config), async () => {
      if (REDIS40_MISSING !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${REDIS40_MISSING}`);
      const real = await realOutcome(REDIS40_BIN, config);
      expect(real.start, 'the real server refuses to start').toBe('exit 1');
      expect(real.lines[0], 'the real server logs why').toMatch(/^Can't open the append-only file: /);
      expect(aofsimOutcome('redis-4.0', config)).toEqual(real);
    });
  }
});
