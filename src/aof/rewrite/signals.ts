// Linux signal numbers for the log lines that print them ("terminated by signal %d").

import type { Signal } from '../../ports/tasks.ts';

const NUMBERS: Record<Signal, number> = { SIGINT: 2, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGTERM: 15 };

export function signalNumber(sig: Signal): number {
  return NUMBERS[sig];
}
