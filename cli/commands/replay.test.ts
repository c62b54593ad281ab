// aofsim replay's closing line: expectations that failed out of those checked, and the recovery
// oracle's violations apart (a generated scenario can fail on the oracle alone: it said "FAILED: 2 of
// 1 expectations").

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { failedText, replayCommand } from './replay.ts';

afterEach(() => vi.restoreAllMocks());

describe('failedText', () => {
  it('counts failed expectations out of those checked, and oracle violations apart', () => {
    expect(failedText([{ path: '$.expect.keys.a' }], 4)).toBe('1 of 4 expectations');
    expect(failedText([{ path: '$.oracle' }, { path: '$.oracle' }], 1)).toBe('2 oracle violations');
    expect(failedText([{ path: '$.steps[0].replies[0]' }, { path: '$.oracle' }], 3)).toBe('1 of 3 expectations, 1 oracle violation');
  });
});

describe('aofsim replay', () => {
  it('a scenario that fails on the oracle alone says so, exit 1', async () => {
    // Written by `aofsim run --seed 8 --runs 3 --profile redis-7.0 --bug fsync-error-ignored`.
    const scenario = {"name": "write-errors-refuse-then-recover-r7.0-always-resp-1", "source": "aofsim property write-errors-refuse-then-recover (redis-7.0 always preamble=no), fast-check seed 40036 path 1:0:1:0:3:2:2:2:2:3:3, bug switches fsync-error-ignored", "description": "short write / ENOSPC / EIO: no garbage is persisted, writes are refused (MISCONF) while the error lasts and accepted after, always exits rather than acknowledge an unsynced write", "profile": "redis-7.0", "config": {"appendonly": "yes", "appendfsync": "always", "aof-use-rdb-preamble": "no", "aof-load-truncated": "yes"}, "bugs": ["fsync-error-ignored"], "seed": 1, "files": {"appendonlydir/.keep": ""}, "faults": [{"kind": "error", "syscall": "fdatasync", "path": "re:appendonly\\.aof(\\.\\d+\\.incr\\.aof)?$", "nth": 1, "code": "EIO"}], "steps": [{"rewrite": true}, {"tick": 100}, {"commands": [["INCR", "k3"]], "client": 0, "timeoutMs": 600000}, {"crash": {"model": "process-kill"}}, {"restart": true}], "oracle": ["recovery", "no-garbage", "misconf-clears", "rewrite-liveness"]};
    const dir = mkdtempSync(join(tmpdir(), 'aofsim-replay-'));
    try {
      const file = join(dir, 'oracle.scenario.json');
      writeFileSync(file, JSON.stringify(scenario));
      let out = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
      expect(await replayCommand.run([file])).toBe(1);
      expect(out).toContain('  FAIL $.oracle: [recovery] ');
      expect(out).toContain(`  FAILED: 2 oracle violations; reproduce with: aofsim replay ${file} --timeline\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
