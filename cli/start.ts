// The `aofsim` process around main(): runs it on argv and sets the exit code. The entry of the
// compiled CLI (dist/cli.cjs, which bin/aofsim.cjs loads) and, through cli/bin.ts, of the source.
// `aofsim ... | head`: a closed pipe ends the output quietly (exit with the code so far), not with
// a stack trace. The listener goes on process.stdout and process.stderr when they are created
// (cli/stdio.ts: `aofsim --help` and `aofsim check` start faster without them).

import { main } from './main.ts';
import { deferStdio } from './stdio.ts';

export async function start(argv: string[]): Promise<void> {
  for (const name of ['stdout', 'stderr'] as const) {
    deferStdio(name, (stream) =>
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw e;
      }),
    );
  }
  process.exitCode = await main(argv);
}
