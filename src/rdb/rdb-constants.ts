// RDB format constants (redis: rdb.h, 7.0.15; types 20 and 21 are 7.2's, unknown to 7.0.15).
// Invariant: values are the on-disk numbers; names keep Redis's spelling without the RDB_ prefix.

export const RDB_VERSION = 10;
/** redis 4.0.14 rdb.h RDB_VERSION: the newest RDB 4.0's rdbLoadRio accepts (and the only one it writes). */
export const RDB_VERSION_4 = 8;

export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

export const TYPE_STRING = 0;
export const TYPE_LIST = 1;
export const TYPE_SET = 2;
export const TYPE_ZSET = 3;
export const TYPE_HASH = 4;
export const TYPE_ZSET_2 = 5;
export const TYPE_MODULE = 6;
export const TYPE_MODULE_2 = 7;
export const TYPE_HASH_ZIPMAP = 9;
export const TYPE_LIST_ZIPLIST = 10;
export const TYPE_SET_INTSET = 11;
export const TYPE_ZSET_ZIPLIST = 12;
export const TYPE_HASH_ZIPLIST = 13;
export const TYPE_LIST_QUICKLIST = 14;
export const TYPE_STREAM_LISTPACKS = 15;
export const TYPE_HASH_LISTPACK = 16;
export const TYPE_ZSET_LISTPACK = 17;
export const TYPE_LIST_QUICKLIST_2 = 18;
export const TYPE_STREAM_LISTPACKS_2 = 19;
/** 7.2+ (RDB 11): read only with 7.2's type table (load-object.ts isObjectType, maxVersion 11). */
export const TYPE_SET_LISTPACK = 20;
/** 7.2+ (RDB 11): read only with 7.2's type table (load-object.ts isObjectType, maxVersion 11). */
export const TYPE_STREAM_LISTPACKS_3 = 21;

export const OPCODE_FUNCTION2 = 245;
export const OPCODE_FUNCTION = 246;
export const OPCODE_MODULE_AUX = 247;
export const OPCODE_IDLE = 248;
export const OPCODE_FREQ = 249;
export const OPCODE_AUX = 250;
export const OPCODE_RESIZEDB = 251;
export const OPCODE_EXPIRETIME_MS = 252;
export const OPCODE_EXPIRETIME = 253;
export const OPCODE_SELECTDB = 254;
export const OPCODE_EOF = 255;

export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** redis-check-rdb's names for object types (rdb_type_string), indexed by type. */
export const RDB_TYPE_NAMES: readonly string[] = [
  'string', 'list-linked', 'set-hashtable', 'zset-v1', 'hash-hashtable', 'zset-v2', 'module-value', '', '',
  'hash-zipmap', 'list-ziplist', 'set-intset', 'zset-ziplist', 'hash-ziplist', 'quicklist', 'stream',
  'hash-listpack', 'zset-listpack', 'quicklist-v2',
];

/** Redis's message for every truncated RDB (rdbLoadRio's eoferr label). */
export const SHORT_READ_REASON = 'Short read or OOM loading DB. Unrecoverable error, aborting now.';
