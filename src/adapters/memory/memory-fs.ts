// An in-memory Fs port on a memfs Volume: files live in memory, fsync is a no-op, nothing survives
// the process. For tests and tools that need a scratch filesystem; the simulator's SimFs (sim/fs),
// which models durability and faults, is a different thing.

import { Volume } from 'memfs';
import { PosixFs, type SyncFsApi } from '../posix-fs.ts';

export function createMemoryFs(files: Record<string, string | Uint8Array> = {}): PosixFs {
  const vol = new Volume();
  for (const [path, data] of Object.entries(files)) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (dir) vol.mkdirSync(dir, { recursive: true });
    vol.writeFileSync(path, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }
  return new PosixFs(vol as unknown as SyncFsApi);
}
