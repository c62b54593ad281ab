import { describe, expect, it } from 'vitest';
import { armedCrashText, bioDoneText, childExitText, clockJumpText, commandText, faultPlanText, faultText, loadText, replyText, syscallText } from './trace-text.ts';

describe('trace text', () => {
  it('writes a syscall with its paths, args, result or errno, faults and cost', () => {
    expect(syscallText({ opIndex: 3, name: 'write', path: '/d/a.aof', args: 'len=10', result: '5', faults: ['short write 5/10'] })).toBe(
      '#3 write /d/a.aof len=10 = 5 [short write 5/10]',
    );
    expect(syscallText({ opIndex: 4, name: 'rename', path: '/d/t', path2: '/d/a', args: '', error: 'EIO', costMs: 7 })).toBe('#4 rename /d/t -> /d/a = EIO (+7ms)');
    expect(syscallText({ opIndex: 5, name: 'close', path: '/d/a', args: '' })).toBe('#5 close /d/a = ');
  });

  it('writes commands cut at 24 bytes and replies in redis-cli wording', () => {
    expect(commandText(1, 2, ['SET', 'k', 'x'.repeat(30)])).toBe(`c1 #2 "SET" "k" "${'x'.repeat(24)}"...(30 bytes)`);
    expect(replyText(0, 9, { kind: 'error', value: 'MISCONF no' })).toBe('c0 #9 (error) MISCONF no');
  });

  it('writes faults, bio completions and child exits', () => {
    expect(faultText({ opIndex: 7, faultIndex: 0, kind: 'error', syscall: 'fsync', path: '/d/a', detail: 'fsync fails with EIO' })).toBe(
      'fsync fails with EIO (/d/a) [op 7]',
    );
    expect(faultText({ opIndex: 0, faultIndex: 1, kind: 'fork-failure', syscall: 'fork', path: '', detail: 'fork #1 fails' })).toBe('fork #1 fails [op 0]');
    expect(bioDoneText({ kind: 'unlink', path: '/d/h' }, null)).toBe('unlink /d/h done');
    expect(bioDoneText({ kind: 'unlink', path: '/d/h' }, 'EIO')).toBe('unlink /d/h done EIO');
    expect(childExitText({ pid: 2, exitCode: 1, signal: 'SIGKILL' })).toBe('pid 2 code 1 signal SIGKILL');
    expect(childExitText({ pid: 2, exitCode: 0, signal: null })).toBe('pid 2 code 0');
  });

  it('writes load outcomes, armed crashes, wall-clock steps and the fault plan', () => {
    expect(loadText({ outcome: 'ok', status: null, exitCode: null, reason: null })).toBe('ok');
    expect(loadText({ outcome: 'ok', status: 'truncated', exitCode: null, reason: null })).toBe('ok (loader: truncated)');
    expect(loadText({ outcome: 'exited', status: 'failed', exitCode: 1, reason: 'Bad file format' })).toBe('exited 1 (loader: failed): Bad file format');
    expect(armedCrashText({ atOp: 12 })).toBe('armed: crash at op 12');
    expect(armedCrashText({ point: 'manifest-renamed', nth: 2 })).toBe('armed: crash at manifest-renamed #2');
    expect(armedCrashText({ point: 'manifest-renamed' })).toBe('armed: crash at manifest-renamed #1');
    expect(clockJumpText(-2000, -1500)).toBe('wall clock -2000ms (wall = virtual -1500ms)');
    expect(clockJumpText(0, 0)).toBe('wall clock +0ms (wall = virtual +0ms)');
    expect(faultPlanText([{ kind: 'quota', quotaBytes: 10 }, { kind: 'fork-failure', nth: 1 }])).toBe(
      'plan: {"kind":"quota","quotaBytes":10} {"kind":"fork-failure","nth":1}',
    );
  });
});
