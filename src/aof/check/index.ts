// aofsim's redis-check-aof (redis 7.0.15 src/redis-check-aof.c) on the Fs port.

export { checkAof } from './check-aof.ts';
export type { CheckFix, CheckOptions, CheckReport, RdbPreambleChecker } from './types.ts';
export { CONFIRM_PROMPT } from './types.ts';
export { manifestDecision, isRdb } from './input-type.ts';
export type { InputFileType } from './input-type.ts';
