// Model-based checks of SimFs against memfs (through the PosixFs adapter): the same random
// sequence of syscalls must give the same results, errno codes and visible files, and SimFs's own
// invariant durable + pending = visible must hold after every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import type { FileHandle, Fs } from '../../src/ports/fs.ts';
import { isFsError } from '../../src/ports/fs.ts';
import { applyCrash } from '../crash/apply-crash.ts';
import { ByteBuf } from './byte-buf.ts';
import { applyDirOp, applyFileOp } from './pending.ts';
import { SimFs } from './sim-fs.ts';

const NAMES = ['/a/x', '/a/y', '/b/x', '/b/z'];

type Op =
  | { op: 'open'; path: string; mode: 'append' | 'create-truncate' | 'read-write' | 'append-existing' }
  | { op: 'write'; h: number; len: number; byte: number }
  | { op: 'truncate'; h: number; size: number }
  | { op: 'fsync'; h: number }
  | { op: 'close'; h: number }
  | { op: 'rename'; from: string; to: string }
  | { op: 'unlink'; path: string }
  | { op: 'fsyncDir'; dir: string }
  | { op: 'stat'; path: string };

const path = fc.constantFrom(...NAMES);
const h = fc.nat({ max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), path, mode: fc.constantFrom('append', 'create-truncate', 'read-write', 'append-existing') }),
  fc.record({ op: fc.constant('write' as const), h, len: fc.integer({ min: 0, max: 40 }), byte: fc.integer({ min: 65, max: 90 }) }),
  fc.record({ op: fc.constant('truncate' as const), h, size: fc.nat({ max: 50 }) }),
  fc.record({ op: fc.constant('fsync' as const), h }),
  fc.record({ op: fc.constant('close' as const), h }),
  fc.record({ op: fc.constant('rename' as const), from: path, to: path }),
  fc.record({ op: fc.constant('unlink' as const), path }),
  fc.record({ op: fc.constant('fsyncDir' as const), dir: fc.constantFrom('/a', '/b') }),
  fc.record({ op: fc.constant('stat' as const), path }),
);

function step(fs: Fs, handles: (FileHandle | undefined)[], o: Op): string {
  try {
    switch (o.op) {
      case 'open':
        handles.push(fs.open(o.path, o.mode));
        return 'ok';
      case 'write': {
        const hd = handles[o.h];
        return hd ? String(hd.write(new Uint8Array(o.len).fill(o.byte))) : 'nohandle';
      }
      case 'truncate':
        handles[o.h]?.truncate(o.size);
        return 'ok';
      case 'fsync':
        handles[o.h]?.fsync();
        return 'ok';
      case 'close':
        handles[o.h]?.close();
        handles[o.h] = undefined;
        return 'ok';
      case 'rename':
        fs.rename(o.from, o.to);
        return 'ok';
      case 'unlink':
        fs.unlink(o.path);
        return 'ok';
      case 'fsyncDir':
        fs.fsyncDir(o.dir);
        return 'ok';
      case 'stat':
        return String(fs.tryStat(o.path)?.sizeBytes ?? 'missing');
    }
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
}

function visible(fs: Fs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of ['/a', '/b']) for (const n of fs.readdir(dir)) out[`${dir}/${n}`] = Buffer.from(fs.readFile(`${dir}/${n}`)).toString('latin1');
  return out;
}

function checkInvariant(sim: SimFs): void {
  for (const n of sim.internals().nodes.values()) {
    if (n.kind === 'file') {
      const replay = ByteBuf.from(n.durable.view());
      for (const op of n.pending) applyFileOp(replay, op);
      expect(Buffer.from(replay.view()).equals(Buffer.from(n.data.view()))).toBe(true);
    } else {
      const entries = new Map(n.durable);
      for (const op of n.pending) applyDirOp(entries, op);
      expect([...entries].sort()).toEqual([...n.entries].sort());
    }
  }
}

describe('SimFs model checks', () => {
  it('behaves like memfs for visible state and keeps durable + pending = visible', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const files = { '/a/x': 'seed', '/b/z': '' };
        const sim = SimFs.withFiles(files);
        const mem = createMemoryFs(files);
        const hs: (FileHandle | undefined)[] = [];
        const hm: (FileHandle | undefined)[] = [];
        for (const o of ops) {
          const r1 = step(sim, hs, o);
          const r2 = step(mem, hm, o);
          expect(`${JSON.stringify(o)} -> ${r1}`).toBe(`${JSON.stringify(o)} -> ${r2}`);
          checkInvariant(sim);
        }
        expect(visible(sim)).toEqual(visible(mem));
        // process-kill keeps what is visible; a power loss that keeps everything pending is visible too.
        expect(visible(applyCrash(sim, { model: 'process-kill' }))).toEqual(visible(sim));
        const all = sim.pendingSummary();
        const keepAll = applyCrash(sim, {
          model: 'prefix',
          files: Object.fromEntries(all.files.map((f) => [f.ino, f.ops.length])),
          dirs: Object.fromEntries(all.dirs.map((d) => [d.ino, d.ops.length])),
        });
        expect(visible(keepAll)).toEqual(visible(sim));
        expect(visible(applyCrash(sim, { model: 'strict' }))).toEqual(sim.snapshot('durable'));
      }),
      { numRuns: 150 },
    );
  });
});
