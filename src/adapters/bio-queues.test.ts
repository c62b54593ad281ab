import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './memory/memory-fs.ts';
import { BioQueues, runBioJob } from './bio-queues.ts';
import type { BioJob } from '../ports/tasks.ts';

describe('BioQueues', () => {
  it('one worker per kind: only the first job of an idle kind asks for a start; FIFO per kind; pending counts queued and running', () => {
    const q = new BioQueues();
    const u = (path: string): BioJob => ({ kind: 'unlink', path });
    expect(q.submit(u('/a'))).toBe(true);
    expect(q.submit(u('/b'))).toBe(false);
    expect(q.pending('unlink')).toBe(2);
    expect(q.pending('fsync')).toBe(0);
    expect(q.head('unlink')).toEqual(u('/a'));
    expect(q.finish('unlink', null)).toBe(true); // /b waits: the worker goes on
    expect(q.head('unlink')).toEqual(u('/b'));
    expect(q.finish('unlink', null)).toBe(false); // idle now
    expect(q.pending('unlink')).toBe(0);
    expect(q.takeCompletions().map((c) => c.job)).toEqual([u('/a'), u('/b')]);
    expect(q.takeCompletions()).toEqual([]);
    expect(q.submit(u('/c'))).toBe(true); // an idle worker must be started again
  });

  it('orders jobs across kinds by submission, and clear() forgets queued jobs but keeps completions', () => {
    const q = new BioQueues();
    const fs = createMemoryFs();
    const h = fs.open('/f', 'append');
    q.submit({ kind: 'unlink', path: '/x' });
    q.submit({ kind: 'fsync', handle: h });
    q.submit({ kind: 'unlink', path: '/y' });
    expect(q.queued().map((j) => j.kind)).toEqual(['unlink', 'fsync', 'unlink']);
    expect(q.oldestKind()).toBe('unlink');
    q.finish('unlink', null);
    expect(q.oldestKind()).toBe('fsync');
    q.clear();
    expect(q.oldestKind()).toBeNull();
    expect(q.queued()).toEqual([]);
    expect(q.takeCompletions()).toHaveLength(1);
    expect(q.submit({ kind: 'fsync', handle: h })).toBe(true);
  });

  it('runBioJob returns an I/O error as the result and makes the job\'s syscalls', () => {
    const fs = createMemoryFs();
    fs.open('/f', 'append').close();
    expect(runBioJob({ kind: 'unlink', path: '/f' }, fs)).toBeNull();
    expect(runBioJob({ kind: 'unlink', path: '/f' }, fs)?.code).toBe('ENOENT');
    const h = fs.open('/g', 'append');
    expect(runBioJob({ kind: 'close', handle: h, fsync: true }, fs)).toBeNull();
    expect(runBioJob({ kind: 'close', handle: h, fsync: false }, fs)?.code).toBe('EBADF');
  });
});
