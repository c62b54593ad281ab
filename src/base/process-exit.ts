// What stands for Redis's exit(): the AOF layer throws ProcessExit where Redis exits (e.g. `always`
// + a write error, a fatal load error at startup); drivers catch it and treat the process as gone.
// Recognised by a symbol footprint (isProcessExit), not instanceof, so copies of the module agree.

export const PROCESS_EXIT = Symbol.for('aofsim.ProcessExit');

/**
 * Thrown where Redis calls exit(): e.g. `always` + write error, a fatal load error at startup.
 * Drivers catch it and treat the process as gone (files stay as they are; page cache survives).
 */
export class ProcessExit extends Error {
  readonly [PROCESS_EXIT] = true;
  constructor(
    readonly exitCode: number,
    readonly reason: string,
  ) {
    super(`process exited with code ${exitCode}: ${reason}`);
    this.name = 'ProcessExit';
  }
}

export function isProcessExit(e: unknown): e is ProcessExit {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[PROCESS_EXIT] === true;
}
