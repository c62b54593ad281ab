// The Fs port on the real disk (node:fs). Used by the CLI's offline commands and `aofsim serve`.

import * as nodeFs from 'node:fs';
import { PosixFs, type SyncFsApi } from '../posix-fs.ts';

export function createNodeFs(): PosixFs {
  return new PosixFs(nodeFs as unknown as SyncFsApi);
}
