// The 7.x rewrite child (profile redis-7.0). redis: aof.c rewriteAppendOnlyFileBackground, child
// branch (7.0): rewriteAppendOnlyFile("temp-rewriteaof-bg-<pid>.aof") then
// "Successfully created the temporary AOF base file temp-rewriteaof-bg-<pid>.aof" and its CoW line
// (src/child/cow-log.ts), exit 0; exit 1
// on failure. No pipes: the parent keeps writing new commands to the new INCR file.

import { joinPath } from '../../ports/fs.ts';
import type { ChildProgram, ChildYield } from '../../ports/tasks.ts';
import type { RewriteFileParams } from './rewrite-file.ts';
import { rewriteAppendOnlyFile, tempRewriteBgName } from './rewrite-file.ts';
import { logChildCow } from '../../child/cow-log.ts';

export function redis70RewriteChild(p: RewriteFileParams): ChildProgram {
  return (pid) => run(p, pid);
}

function* run(p: RewriteFileParams, pid: number): Generator<ChildYield, number, void> {
  const name = tempRewriteBgName(pid);
  const code = yield* rewriteAppendOnlyFile(p, pid, joinPath(p.dir, name));
  if (code === 0) {
    p.log.log('notice', `Successfully created the temporary AOF base file ${name}`);
    logChildCow(p.log, p.profile, 'AOF rewrite');
  }
  return code;
}
