// The AOF loader (redis: aof.c loadAppendOnlyFiles / loadSingleAppendOnlyFile). Import from here.

export type {
  AofLayout,
  FileLoad,
  LoadResult,
  LoadStatus,
  LoaderBug,
  LoaderConfig,
  LoaderDeps,
  LoaderDialect,
  RdbPreambleLoader,
  Truncation,
  UnreproducedCommand,
} from './types.ts';
export { MAX_UNREPRODUCED } from './types.ts';
export { formatUnreproduced, mergeFileResult, singleFileLoadResult } from './unreproduced.ts';
export { loadAppendOnlyFiles, loadManifestFromDisk } from './load-append-only-files.ts';
export type { SingleFileOptions, SingleFileResult } from './load-single-file.ts';
export { loadSingleAppendOnlyFile, isRdbSignature, AOF_CLIENT_ID } from './load-single-file.ts';
export { rdbLoaderFor } from './rdb-loader-for.ts';
export { isRedis70Command } from './redis70-command-names.ts';
