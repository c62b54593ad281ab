// Where the child process entry of `aofsim serve` is (src/adapters/node/os-children.ts starts it):
// dist/child.js next to the bundle, or from the source the .mjs shim that registers tsx before
// loading cli/child-main.ts. Faces the real world on purpose (the module's own file).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The entry's URL, or null when neither exists (an unbuilt package: children then run in-process). */
export function childEntry(): URL | null {
  const here = import.meta.url;
  const candidates = here.endsWith('.ts') ? [new URL('./child-dev.mjs', here)] : [new URL('../child.js', here), new URL('./child.js', here)];
  return candidates.find((u) => existsSync(fileURLToPath(u))) ?? null;
}
