// Background rewrites with aof-use-rdb-preamble yes, loaded back by the real loader + command layer:
// 4.0 (RDB preamble + RESP diff tail in one file) and 7.x (RDB BASE + INCR).
import { describe, expect, it } from 'vitest';
import { Executor } from '../../commands/executor.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import { formatCanonicalDump } from '../../keyspace/canonical-dump.ts';
import { MemoryLog } from '../../ports/log.ts';
import { SeededRandom } from '../../ports/random.ts';
import { loadRdbInto } from '../../rdb/index.ts';
import { loadAppendOnlyFiles, loadSingleAppendOnlyFile } from '../loader/index.ts';
import { persistManifest } from '../manifest/index.ts';
import { createBaseOnServerStart, processRewritePipes, reapRewriteChild, rewriteAppendOnlyFileBackground } from './index.ts';
import { makeTestHost, type TestHost } from '../../../testing/aof/rewrite-host.ts';
import { List } from '../../keyspace/list.ts';

function deps(h: TestHost, ks: Keyspace): Parameters<typeof loadSingleAppendOnlyFile>[0] {
  const log = new MemoryLog();
  const executor = new Executor(ks, { profile: h.config.profile, clock: h.clock, random: new SeededRandom(1), log });
  return { fs: h.fs, log, executor, modify: false, rdb: (b, file) => loadRdbInto(ks, b, { file }).endOffset };
}

function populate(h: TestHost): void {
  for (let i = 0; i < 400; i++) h.write(i % 4, ['SET', `k${i}`, `value-${i}`.repeat(3)]);
  h.keyspace.db(0).dict.set('list', { type: 'list', value: List.from(['a', 'b', 'c']) });
  h.flush();
}

describe('rewrite with an RDB body', () => {
  it('redis-4.0: RDB preamble + diff tail reproduces the live state', () => {
    const h = makeTestHost({ profile: 'redis-4.0', appendonly: true, aofUseRdbPreamble: true });
    h.state.aofState = 'on';
    h.state.aofFd = h.fs.open('/data/appendonly.aof', 'append');
    populate(h);
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    let i = 0;
    while (h.tasks.stepChild(pid)) {
      h.write(i % 2, ['SET', `during${i}`, String(i)]);
      i++;
      h.flush();
      processRewritePipes(h);
    }
    h.write(3, ['SET', 'residual', '1']);
    h.flush();
    reapRewriteChild(h);
    expect(h.state.aofLastBgrewriteStatus).toBe('ok');
    const head = Buffer.from(h.fs.readFile('/data/appendonly.aof').subarray(0, 9)).toString('latin1');
    expect(head).toBe('REDIS0008'); // Redis 4.0's RDB version
    const ks = new Keyspace();
    const r = loadSingleAppendOnlyFile(deps(h, ks), {
      file: 'appendonly.aof',
      path: '/data/appendonly.aof',
      loadTruncated: false,
      dialect: 'redis-4.0',
      oldStyle: true,
      isLastFile: true,
    });
    expect(r.status).toBe('ok');
    expect(formatCanonicalDump(ks)).toBe(formatCanonicalDump(h.keyspace));
  });

  it('redis-7.0: RDB BASE named .base.rdb + INCR reproduce the live state', () => {
    const h = makeTestHost({ profile: 'redis-7.0', appendonly: true, aofUseRdbPreamble: true });
    h.state.aofState = 'on';
    createBaseOnServerStart(h);
    const m = h.state.manifest!;
    m.currIncrSeq = 1;
    m.incrs.push({ name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' });
    h.state.aofFd = h.fs.open('/data/appendonlydir/appendonly.aof.1.incr.aof', 'append');
    persistManifest(h.fs, '/data/appendonlydir', 'appendonly.aof', m);
    expect(h.fs.readdir('/data/appendonlydir')).toContain('appendonly.aof.1.base.rdb');
    populate(h);
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    let i = 0;
    while (h.tasks.stepChild(pid)) {
      h.write(1, ['SET', `during${i++}`, 'x']);
      h.flush();
    }
    reapRewriteChild(h);
    h.tasks.runBio();
    expect(h.fs.readdir('/data/appendonlydir')).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    const ks = new Keyspace();
    const r = loadAppendOnlyFiles(deps(h, ks), {
      dir: '/data',
      appendFilename: 'appendonly.aof',
      appendDirname: 'appendonlydir',
      loadTruncated: false,
      layout: 'multi-part',
    });
    expect(r.status).toBe('ok');
    expect(formatCanonicalDump(ks)).toBe(formatCanonicalDump(h.keyspace));
  });
});
