// The RDB codec's surface for the AOF layers: loading (preamble, RDB BASE), writing (rdbSaveRio)
// and the constants the loader reports or gates on. Checking (check-rdb.ts), DUMP/RESTORE payloads
// (dump-payload.ts) and the CRC are imported from their own files; this index re-exports only what
// is imported through it.

export { loadRdbInto } from './load-rdb.ts';
export { encodeRdb } from './encode-rdb.ts';
export { SHORT_READ_REASON, RDB_VERSION_4 } from './rdb-constants.ts';
export { redis40RdbVersion } from './save-object-v8.ts';
