// Feature detection for a real subject (issue 16 item 3): before a campaign, one probe start in a
// temp dir (appendonly on, appendfsync always) asks the server what it supports, so the checks that
// need a missing feature are reported as SKIPPED with the reason instead of failing:
//   - CONFIG SET (CONFIG SET appendfsync always answers +OK): chooses the fsync policy when the
//     template has no {fsync};
//   - BGREWRITEAOF (answers a status): the SIGKILL-during-rewrite fault and the power-loss runs
//     with a rewrite;
//   - INFO persistence (a bulk with aof_rewrite_in_progress:): waiting for a rewrite's end;
//   - the AOF layout after one write: a manifest in appendonlydir (Redis 7 multi-part AOF, its INCR
//     file is what the injected faults target) or a single AOF file in the data dir (Redis 4.0
//     style, appendonly.aof is the target); --aof-dir names where to look.
//
// Invariants: the probe's server and dir are removed whatever happens; detection never throws for a
// missing feature, only for a subject that cannot be driven at all (does not start, refuses a SET,
// writes no AOF file), which is the user's mistake (SubjectUnusable, one line).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bulkText, replyText } from './real-resp-client.ts';
import { RedisServerSubject } from './real-redis-server.ts';
import type { ServerCommand } from './server-command.ts';

export type Feature = 'config-set' | 'bgrewriteaof' | 'info-persistence' | 'manifest';

export interface SubjectFeatures {
  has: Record<Feature, boolean>;
  /** What the probe saw, one line per feature (the reply or the files found). */
  seen: Record<Feature, string>;
  /** Where the AOF files live, relative to the data dir: 'appendonlydir' or '.'. */
  aofDir: string;
  /** The file the injected faults target, relative to the data dir (the first INCR, or the single AOF). */
  aofFile: string;
  /** The file a checker is given ({file} of --check-cmd): the manifest, or the single AOF. */
  checkFile: string;
  /** The server's own version words (INFO server), or '' when it has no INFO. */
  version: string;
}

export class SubjectUnusable extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Finds the AOF files of a data dir after a write: the manifest's INCR, or a single *.aof. */
export function aofLayout(dir: string, aofDir?: string): Pick<SubjectFeatures, 'aofDir' | 'aofFile' | 'checkFile'> & { manifest: boolean; seen: string } | null {
  const candidates = aofDir !== undefined ? [aofDir] : ['appendonlydir', '.'];
  for (const sub of candidates) {
    const d = join(dir, sub);
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    const names = readdirSync(d).sort();
    const manifest = names.find((n) => n.endsWith('.manifest') && !n.startsWith('temp-'));
    const rel = (n: string): string => (sub === '.' ? n : `${sub}/${n}`);
    if (manifest !== undefined) {
      const incr = /^file (\S+) seq \d+ type i$/m.exec(readFileSync(join(d, manifest), 'latin1'))?.[1];
      if (incr !== undefined) return { aofDir: sub, aofFile: rel(incr), checkFile: rel(manifest), manifest: true, seen: `manifest ${rel(manifest)}, INCR ${rel(incr)}` };
    }
    const aof = names.find((n) => n.endsWith('.aof') && statSync(join(d, n)).isFile());
    if (aof !== undefined) return { aofDir: sub, aofFile: rel(aof), checkFile: rel(aof), manifest: false, seen: `single file ${rel(aof)}, no manifest` };
  }
  return null;
}

/** One probe start of `command`; throws SubjectUnusable when it cannot be driven at all. */
export async function detectFeatures(command: ServerCommand, aofDir?: string): Promise<SubjectFeatures> {
  const server = new RedisServerSubject({ command, config: { appendonly: 'yes', appendfsync: 'always' } });
  const what = command.argv[0] as string;
  try {
    let st;
    try {
      st = await server.start();
    } catch (e) {
      throw new SubjectUnusable(`${what}: ${(e as Error).message}`);
    }
    if (st.outcome !== 'ok') {
      throw new SubjectUnusable(`${what} exited at start (code ${st.exitCode ?? server.lastExit?.signal}): ${st.log.slice(-1)[0] ?? '(no output)'}`);
    }
    const set = replyText(await server.call(['SET', 'aofsim:probe', '1']));
    if (set !== 'OK') throw new SubjectUnusable(`${what}: SET aofsim:probe 1 replied ${set ?? '(no reply)'}, not OK`);
    const seen = {} as Record<Feature, string>;
    const has = {} as Record<Feature, boolean>;
    const config = await server.call(['CONFIG', 'SET', 'appendfsync', 'always']);
    has['config-set'] = config !== null && config.kind === 'status';
    seen['config-set'] = `CONFIG SET appendfsync always -> ${replyText(config) ?? '(no reply)'}`;
    const info = bulkText(await server.call(['INFO', 'persistence']));
    has['info-persistence'] = /^aof_rewrite_in_progress:/m.test(info);
    seen['info-persistence'] = has['info-persistence'] ? 'INFO persistence lists aof_rewrite_in_progress' : `INFO persistence -> ${info === '' ? 'no bulk reply' : 'no aof_rewrite_in_progress field'}`;
    // Valkey also reports redis_version (the Redis it is compatible with): its own comes first.
    const serverInfo = bulkText(await server.call(['INFO', 'server']));
    const field = (k: string): string | undefined => new RegExp(`^${k}:(.*)$`, 'm').exec(serverInfo)?.[1]?.trim();
    const version = [field('server_name'), field('valkey_version') ?? field('redis_version')].filter((x) => x !== undefined).join(' ');
    // The layout after one acknowledged write under appendfsync always (a server may create its
    // files lazily: give it a moment).
    let layout = aofLayout(server.dir, aofDir);
    for (let i = 0; layout === null && i < 20; i++) {
      await sleep(50);
      layout = aofLayout(server.dir, aofDir);
    }
    if (layout === null) {
      throw new SubjectUnusable(`${what}: no AOF file under ${aofDir === undefined ? 'the data dir or appendonlydir/' : `${aofDir}/`} after an acknowledged SET (is appendonly on in the template?)`);
    }
    has.manifest = layout.manifest;
    seen.manifest = layout.seen;
    const bg = await server.call(['BGREWRITEAOF']);
    has.bgrewriteaof = bg !== null && bg.kind === 'status';
    seen.bgrewriteaof = `BGREWRITEAOF -> ${replyText(bg) ?? '(no reply)'}`;
    return { has, seen, aofDir: layout.aofDir, aofFile: layout.aofFile, checkFile: layout.checkFile, version };
  } finally {
    await server.stop();
  }
}

/** A check the campaign could not run on this subject, and why. */
export interface SkippedCheck {
  fault: string;
  /** The property, or '(all)' when the whole fault was not run. */
  property: string;
  reason: string;
}
