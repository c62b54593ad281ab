// The RDB codec's public surface: loading (preamble, RDB BASE, plain dump), checking
// (redis-check-rdb's report), writing (rdbSaveRio) and DUMP/RESTORE payloads.

export { isRdbPrefix, loadRdbInto, type LoadRdbOptions, type LoadRdbResult } from './load-rdb.ts';
export { checkRdb, type CheckRdbOptions, type CheckRdbResult } from './check-rdb.ts';
export { encodeRdb, type EncodeRdbOptions } from './encode-rdb.ts';
export type { RdbSaveVersion } from './save-object.ts';
export { dumpPayload, restorePayload } from './dump-payload.ts';
export { crc64 } from './crc64.ts';
export { SHORT_READ_REASON, RDB_VERSION, RDB_VERSION_4 } from './rdb-constants.ts';
export { redis40RdbVersion } from './save-object-v8.ts';
