// Replaying one AOF file through the command executor, as Redis does at startup.
// redis: aof.c loadSingleAppendOnlyFile (7.0.15); with dialect 'redis-4.0', loadAppendOnlyFile
// (4.0.14: no '#' lines, 128-byte line buffer, messages without the file name, command errors silent,
// only 4.0's commands: anything else is an unknown command, fatal as in 4.0.14).
//
// Rules (docs/redis-behaviour.md#load-byte-rules): open failure -> 'not-exist' (ENOENT) / 'open-err'; size 0 -> 'empty'; "REDIS" in
// the first 5 bytes -> the RDB part first (failure is always fatal, docs/redis-behaviour.md#base-format / bug 9), then RESP
// records (byte rules in src/resp/loader-record.ts). Each record: unknown command -> 'failed'
// whatever aof-load-truncated says; inside MULTI every command but EXEC is queued
// (redis: queueMultiCommand), else executed; error replies are logged, never fatal. valid_up_to is
// the offset after the last complete command, valid_before_multi its value when a MULTI opened.
// EOF at a record boundary inside MULTI -> revert to valid_before_multi and treat as a short read.
// Short read -> with aof-load-truncated: truncate(valid_up_to) and 'truncated'; else 'failed'.
//
// DIVERGENCE(redis): when the short read happens inside a record while a MULTI is open, Redis 7.0
// cuts after the last queued command and leaves the MULTI in the file (docs/redis-bugs.md#bug-22); we cut before
// the MULTI (as Valkey's fix does) unless bugs has 'multi-tail-truncate'.
// DIVERGENCE(redis): a truncated file that is not the last one is not physically truncated (Redis
// truncates it and then refuses to start, so the next start silently loses the partial command:
// docs/redis-bugs.md#bug-10) unless bugs has 'truncate-non-last-file'.
// DIVERGENCE(redis): a MULTI read inside an open MULTI (queued, as in Redis) does not move
// valid_before_multi: the cut goes before the outermost MULTI (Redis moves it; bug switch restores).
//
// Invariants: the loader never throws for file contents; the keyspace only changes through the
// executor (and the RDB hook); the AOF client starts in DB 0 for every file (redis: createAOFClient).

import { isBugSwitch, type BugName } from '../bugs.ts';
import type { CommandExecutor, CommandSpec } from '../../commands/types.ts';
import { newClient } from '../../commands/types.ts';
import type { Reply } from '../../commands/reply.ts';
import type { FileHandle } from '../../ports/fs.ts';
import { isFsError } from '../../ports/fs.ts';
import type { Log } from '../../ports/log.ts';
import { LoaderDecoder } from '../../resp/loader-decoder.ts';
import { LOADER_RULES_4, LOADER_RULES_7 } from '../../resp/loader-record.ts';
import { AofError, isAofError, hexOffset } from '../../base/errors.ts';
import { RDB_VERSION_4, SHORT_READ_REASON } from '../../rdb/rdb-constants.ts';
import { DUPLICATED_KEY_REASON, type RdbLoadEvents } from '../../rdb/load-rdb.ts';
import { logRdbAux, logRdbDone, logRdbDuplicateKey, logRdbEmptyKey } from '../../persistence/rdb-load-log.ts';
import { REDIS40_COMMANDS } from '../../commands/redis40-command-table.ts';
import { isRedis70Command } from './redis70-command-names.ts';
import { MAX_UNREPRODUCED } from './types.ts';
import type { FileLoad, LoaderDeps, LoaderDialect, LoadStatus, Truncation, UnreproducedCommand } from './types.ts';
import { cString } from '../../base/c-string.ts';

/** redis: CLIENT_ID_AOF (UINT64_MAX); any id no real client uses. */
export const AOF_CLIENT_ID = -1;

/** No bug switch on (the usual case: no Set to build per file). */
const NO_BUGS: ReadonlySet<BugName> = new Set();

/** Read size: 1 MiB reads keep the peak RSS lower than 4 MiB ones at no cost in speed (measured). */
const DEFAULT_CHUNK_BYTES = 1 << 20;

export interface SingleFileOptions {
  /** The name Redis uses in messages (manifest entry or appendfilename). */
  file: string;
  /** Where the file is. */
  path: string;
  /** aof-load-truncated. */
  loadTruncated: boolean;
  dialect: LoaderDialect;
  /** Old-style file (name == appendfilename): changes the RDB log lines. */
  oldStyle: boolean;
  /** False for a BASE/INCR followed by other files (affects only whether a short file is cut). */
  isLastFile: boolean;
}

export interface SingleFileResult extends FileLoad {
  error?: AofError;
  truncation?: Truncation;
  notes: string[];
  /** See LoadResult.unsupportedCommand. */
  unsupportedCommand?: string;
  /** See LoadResult.unreproduced / unreproducedCount. */
  unreproduced: UnreproducedCommand[];
  unreproducedCount: number;
}

/** Loads one file. redis: aof.c loadSingleAppendOnlyFile (7.0.15) / loadAppendOnlyFile (4.0.14). */
export function loadSingleAppendOnlyFile(deps: LoaderDeps, opt: SingleFileOptions): SingleFileResult {
  return new SingleFileLoad(deps, opt).run();
}

class SingleFileLoad {
  private readonly log: Log;
  private readonly executor: CommandExecutor;
  private readonly v7: boolean;
  private readonly res: SingleFileResult;
  private readonly bugs: ReadonlySet<BugName>;

  constructor(
    private readonly deps: LoaderDeps,
    private readonly opt: SingleFileOptions,
  ) {
    this.log = deps.log;
    this.executor = deps.executor;
    this.v7 = opt.dialect === 'redis-7.0';
    // Only known switches: a misspelt name in a has() below is then a compile error.
    this.bugs = deps.bugs === undefined || deps.bugs.size === 0 ? NO_BUGS : new Set([...deps.bugs].filter(isBugSwitch));
    this.res = {
      file: opt.file,
      path: opt.path,
      status: 'ok',
      commands: 0,
      sizeBytes: 0,
      validUpTo: 0,
      notes: [],
      unreproduced: [],
      unreproducedCount: 0,
    };
  }

  /** " %s" with the file name in 7.x messages, nothing in 4.0's. */
  private named(): string {
    return this.v7 ? ` ${this.opt.file}` : '';
  }

  run(): SingleFileResult {
    const { fs } = this.deps;
    const { file, path } = this.opt;
    let fh: FileHandle;
    try {
      fh = fs.open(path, 'read');
    } catch (e) {
      if (!isFsError(e)) throw e;
      // FAULT: open(2) failed. Redis tells ENOENT (fresh start) from anything else (fatal).
      if (e.code === 'ENOENT' && fs.tryStat(path) === undefined) {
        this.log.log('warning', `The append log file ${file} doesn't exist: ${e.strerror}`);
        return this.finish('not-exist');
      }
      const reason = this.v7
        ? `Fatal error: can't open the append log file ${file} for reading: ${e.strerror}`
        : `Fatal error: can't open the append log file for reading: ${e.strerror}`;
      this.log.log('warning', reason);
      return this.finish('open-err', new AofError('AOF_OPEN', reason, { file }));
    }
    try {
      return this.load(fh);
    } catch (e) {
      if (!isFsError(e)) throw e;
      // FAULT: fstat/read failed (EIO, EISDIR, ...): redis readerr without feof.
      const reason = `Unrecoverable error reading the append only file${this.named()}: ${e.strerror}`;
      this.log.log('warning', reason);
      this.log.mark('loader.read-error');
      return this.finish('failed', new AofError('AOF_OPEN', reason, { file }));
    } finally {
      try {
        fh.close();
      } catch {
        // closing a read handle cannot lose data
      }
    }
  }

  private finish(status: LoadStatus, error?: AofError): SingleFileResult {
    this.res.status = status;
    if (error) this.res.error = error;
    return this.res;
  }

  private load(fh: FileHandle): SingleFileResult {
    const size = fh.stat().sizeBytes;
    this.res.sizeBytes = size;
    if (size === 0) return this.finish('empty');
    const chunkBytes = this.deps.chunkBytes ?? DEFAULT_CHUNK_BYTES;

    let first = fh.read(Math.min(chunkBytes, size), 0);
    let readPos = first.length;
    let respStart = 0;
    if (isRdbSignature(first)) {
      // The RDB part needs random access: read the rest of the file.
      const rest: Uint8Array[] = [first];
      let n = first.length;
      for (let steps = 0; steps < 1 << 30; steps++) {
        // Up to the size seen at open; past it, small reads until EOF (a read allocates its length).
        const c = fh.read(n < size ? Math.min(chunkBytes, size - n) : 4096, n);
        if (c.length === 0) break;
        rest.push(c);
        n += c.length;
      }
      first = rest.length === 1 ? first : Buffer.concat(rest);
      readPos = first.length;
      const rdbEnd = this.loadRdb(first);
      if (typeof rdbEnd !== 'number') return rdbEnd;
      respStart = rdbEnd;
    }

    const decoder = new LoaderDecoder(this.v7 ? LOADER_RULES_7 : LOADER_RULES_4, respStart);
    const firstBuf = Buffer.isBuffer(first) ? first : Buffer.from(first.buffer, first.byteOffset, first.byteLength);
    decoder.push(firstBuf.subarray(respStart));
    if (readPos >= size) decoder.finish();

    const client = newClient(AOF_CLIENT_ID, true);
    const executor = this.executor;
    const reproduceMultiBug = this.bugs.has('multi-tail-truncate');
    // DIVERGENCE(redis): Redis starts valid_up_to at 0 even after an RDB preamble, so a short first
    // tail command truncates the file to 0 bytes, RDB part included (observed on 7.0.15); the RDB
    // part is valid, so we start after it unless bugs has 'preamble-cut-to-zero'.
    const validStart = this.bugs.has('preamble-cut-to-zero') ? 0 : respStart;
    let validUpTo = validStart;
    let validBeforeMulti = validStart;
    let commands = 0;
    let multiOpenedBy = -1; // offset of the MULTI that opened the current transaction
    const queuedOffsets: number[] = []; // record offsets of the commands queued in the open MULTI
    const specCache = new Map<string, CommandSpec>();

    for (;;) {
      const st = decoder.next();
      if (st === 'command') {
        const argv = decoder.argv;
        // Command names repeat: remember lookups by their exact bytes (bounded; lookup is pure).
        // Only accepted commands are remembered, so the dialect's gate runs once per name.
        let spec = specCache.get(argv[0]);
        if (spec === undefined) {
          spec = executor.lookup(argv[0]);
          // 4.0 knows only its own commands: the rest are unknown there, fatal as in 4.0.14.
          if (spec === undefined || (!this.v7 && !REDIS40_COMMANDS.has(spec.name))) {
            this.res.validUpTo = validUpTo;
            this.res.commands = commands;
            return this.unknownCommand(argv[0], spec !== undefined, decoder.recordOffset, validUpTo);
          }
          if (specCache.size < 256) specCache.set(argv[0], spec);
        }
        const name = spec.name;
        if (name === 'multi' && (client.multi === null || reproduceMultiBug)) {
          validBeforeMulti = validUpTo;
          if (client.multi === null) multiOpenedBy = decoder.recordOffset;
        }
        if (client.multi !== null && name !== 'exec') {
          // redis: queueMultiCommand (nothing is queued once the transaction is dirty)
          if (!client.multiDirty) {
            client.multi.push(argv);
            queuedOffsets.push(decoder.recordOffset);
          }
        } else {
          const queued = client.multi;
          const reply = executor.call(client, argv).reply;
          if (reply.kind === 'error' || (queued !== null && reply.kind === 'array')) {
            this.logErrorReplies(name, reply, queued);
            this.noteUnreproduced(reply, queued, queued !== null ? queuedOffsets : [decoder.recordOffset], argv);
          }
          // Truncating an array is a runtime call even when it is empty (2% of a SET load).
          if (queuedOffsets.length !== 0) queuedOffsets.length = 0;
        }
        commands++;
        validUpTo = decoder.nextOffset;
        continue;
      }
      if (st === 'annotation') continue;
      if (st === 'need-more') {
        const c = fh.read(chunkBytes, readPos);
        if (c.length === 0) decoder.finish();
        else {
          readPos += c.length;
          decoder.push(c);
        }
        continue;
      }
      this.res.commands = commands;
      this.res.validUpTo = validUpTo;
      if (st === 'eof') {
        if (client.multi === null) return this.finish('ok');
        if (this.bugs.has('incomplete-multi-applied')) {
          // Redis <= 4.0.11: cut after the last queued command; the MULTI stays in the file.
          this.log.mark('loader.bug.incomplete-multi-applied');
          return this.shortRead(validUpTo);
        }
        this.log.log('warning', `Revert incomplete MULTI/EXEC transaction in AOF file${this.named()}`);
        this.log.mark('loader.multi.revert-at-eof');
        return this.shortRead(validBeforeMulti);
      }
      if (st === 'truncated') {
        if (client.multi !== null) {
          if (reproduceMultiBug) {
            this.log.mark('loader.bug.multi-tail-truncate');
            return this.shortRead(validUpTo);
          }
          // DIVERGENCE(redis): see the file header (docs/redis-bugs.md#bug-22).
          this.log.log('warning', `Revert incomplete MULTI/EXEC transaction in AOF file${this.named()}`);
          this.log.mark('loader.multi.revert-inside-record');
          this.res.notes.push(
            `${this.opt.file}: the file ends inside a record of the MULTI block opened at ${hexOffset(multiOpenedBy)}; ` +
              `aofsim cuts before the MULTI (offset ${validBeforeMulti}), Redis 7.0.15 would cut at ${validUpTo} ` +
              `and leave the MULTI open in the file (docs/redis-bugs.md#bug-22)`,
          );
          return this.shortRead(validBeforeMulti);
        }
        return this.shortRead(validUpTo);
      }
      if (st === 'read-error') {
        // FAULT: fgets() returned a line with a NUL after '*' without reaching EOF (redis: readerr).
        const reason = `Unrecoverable error reading the append only file${this.named()}: Success`;
        this.log.log('warning', reason);
        return this.finish('failed', this.decodeError('AOF_FORMAT', reason, decoder, validUpTo));
      }
      // st === 'format'
      const reason = this.v7
        ? `Bad file format reading the append only file ${this.opt.file}`
        : 'Bad file format reading the append only file';
      this.log.log(
        'warning',
        `${reason}: make a backup of your AOF file, then use ./redis-check-aof --fix ${this.v7 ? '<filename.manifest>' : '<filename>'}`,
      );
      this.log.mark('loader.format-error');
      return this.finish('failed', this.decodeError('AOF_FORMAT', reason, decoder, validUpTo));
    }
  }

  private decodeError(code: 'AOF_FORMAT', reason: string, d: LoaderDecoder, validUpTo: number): AofError {
    return new AofError(code, reason, {
      file: this.opt.file,
      offset: d.errorOffset,
      expected: d.expected,
      found: d.found,
      lastValidOffset: validUpTo,
    });
  }

  /** Runs the RDB hook; returns the end offset, or the finished result on failure. */
  private loadRdb(bytes: Uint8Array): number | SingleFileResult {
    const { file } = this.opt;
    const oldStyle = this.opt.oldStyle || !this.v7;
    this.log.log('notice', oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    const rdb = this.deps.rdb;
    if (rdb === undefined) {
      const reason = 'RDB preamble not supported yet';
      this.log.log('warning', `${file}: ${reason}`);
      return this.finish('failed', new AofError('AOF_RDB_UNSUPPORTED', reason, { file, offset: 0 }));
    }
    try {
      const profile = this.v7 ? 'redis-7.0' : 'redis-4.0';
      const log = this.log;
      const nowS = Math.floor((this.deps.clock?.nowMs() ?? 0) / 1000);
      // rdbLoadRio logs the aux fields, the empty keys and its end (RDBFLAGS_AOF_PREAMBLE: nothing expires).
      const events: RdbLoadEvents = {
        aux: (k, v) => logRdbAux(log, profile, k, v, nowS),
        emptyKey: (k) => logRdbEmptyKey(log, profile, k),
        done: (loaded, emptySkipped) => logRdbDone(log, profile, loaded, 0, emptySkipped),
        duplicateKey: (key, dbIndex) => logRdbDuplicateKey(log, profile, key, dbIndex),
      };
      // 4.0's rdbLoadRio refuses anything newer than its RDB_VERSION 8 (a 5.0+ preamble).
      const end = rdb(bytes, file, this.v7 ? { events } : { maxVersion: RDB_VERSION_4, events });
      if (oldStyle) this.log.log('notice', 'Reading the remaining AOF tail...');
      return end;
    } catch (e) {
      if (!isAofError(e)) throw e;
      const line = oldStyle
        ? this.v7
          ? `Error reading the RDB preamble of the AOF file ${file}, AOF loading aborted`
          : 'Error reading the RDB preamble of the AOF file, AOF loading aborted'
        : `Error reading the RDB base file ${file}, AOF loading aborted`;
      if (e.reason === DUPLICATED_KEY_REASON) {
        // The process died in rdbLoadRio (its lines are logRdbDuplicateKey's): nothing more.
        this.log.mark('loader.rdb-failed');
        return this.finish('failed', e);
      }
      this.log.log('warning', e.reason);
      // On a short RDB, rdbLoad itself aborts the process (observed on 7.0.15): no second line.
      if (e.reason !== SHORT_READ_REASON) this.log.log('warning', line);
      // 4.0: the version test returns C_ERR with errno EINVAL and the loader goes to readerr, not
      // at EOF (observed on 4.0.14); 4.0's other RDB failures exit inside rdbLoadRio.
      if (!this.v7 && e.reason.startsWith("Can't handle RDB format version")) {
        this.log.log('warning', 'Unrecoverable error reading the append only file: Invalid argument');
      }
      if (this.bugs.has('truncated-rdb-as-short-read')) {
        // Redis 7.0.x: the RDB failure path jumps to readerr and, at EOF, to the short-read path.
        this.log.mark('loader.bug.truncated-rdb-as-short-read');
        return this.shortRead(0);
      }
      this.log.mark('loader.rdb-failed');
      return this.finish('failed', e);
    }
  }

  /** redis: the uxeof label. */
  private shortRead(validUpTo: number): SingleFileResult {
    const { file, path } = this.opt;
    const size = this.res.sizeBytes;
    this.res.validUpTo = validUpTo;
    if (this.opt.loadTruncated) {
      this.log.log(
        'warning',
        this.v7
          ? `!!! Warning: short read while loading the AOF file ${file}!!!`
          : '!!! Warning: short read while loading the AOF file !!!',
      );
      const cut = this.opt.isLastFile || this.bugs.has('truncate-non-last-file');
      if (cut) {
        this.log.log('warning', `!!! Truncating the AOF${this.named()} at offset ${validUpTo} !!!`);
        const performed = this.deps.modify;
        const truncation: Truncation = { file, path, fromSize: size, toSize: validUpTo, performed };
        if (performed) {
          try {
            this.deps.fs.truncate(path, validUpTo);
          } catch (e) {
            if (!isFsError(e)) throw e;
            // FAULT: truncate(2) failed: Redis gives up with the unexpected-EOF message.
            this.log.log('warning', `Error truncating the AOF file${this.named()}: ${e.strerror}`);
            this.log.mark('loader.truncate-failed');
            return this.unexpectedEof(validUpTo);
          }
        }
        this.res.truncation = truncation;
        this.log.mark('loader.truncated');
        this.deps.events?.({ kind: 'loader-truncated' });
      } else {
        this.res.notes.push(
          `${file} is short but not the last file: Redis 7.0.15 truncates it to ${validUpTo} bytes before refusing ` +
            `to start, so its next start loses the partial command silently (docs/redis-bugs.md#bug-10); aofsim leaves it alone`,
        );
      }
      this.log.log('warning', `AOF${this.named()} loaded anyway because aof-load-truncated is enabled`);
      return this.finish('truncated');
    }
    return this.unexpectedEof(validUpTo);
  }

  private unexpectedEof(validUpTo: number): SingleFileResult {
    const { file } = this.opt;
    const reason = `Unexpected end of file reading the append only file${this.named()}`;
    this.log.log(
      'warning',
      `${reason}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix ` +
        `${this.v7 ? '<filename.manifest>' : '<filename>'}. 2) Alternatively you can set the 'aof-load-truncated' ` +
        `configuration option to yes and restart the server.`,
    );
    return this.finish(
      'failed',
      new AofError('AOF_UNEXPECTED_EOF', reason, { file, offset: this.res.sizeBytes, lastValidOffset: validUpTo }),
    );
  }

  /**
   * redis: loadSingleAppendOnlyFile's "Unknown command" exit. `knownNot40`: aofsim has the command
   * but Redis 4.0 does not (only under the 4.0 dialect).
   */
  private unknownCommand(argv0: string, knownNot40: boolean, recordOffset: number, validUpTo: number): SingleFileResult {
    const name = cString(argv0);
    const reason = `Unknown command '${name}' reading the append only file${this.named()}`;
    this.log.log('warning', reason);
    if (knownNot40) {
      this.res.notes.push(`'${name}' is not a Redis 4.0 command: Redis 4.0.14 refuses the file here too`);
    } else if (isRedis70Command(name)) {
      this.res.unsupportedCommand = name;
      this.res.notes.push(
        `'${name}' is a Redis 7.0 command that aofsim's command layer does not implement: Redis would load past it`,
      );
    }
    return this.finish(
      'failed',
      new AofError('AOF_UNKNOWN_COMMAND', reason, { file: this.opt.file, offset: recordOffset, lastValidOffset: validUpTo }),
    );
  }

  /**
   * Records the replies Redis would not give (Reply.unreproduced): for a plain command its own
   * record; for EXEC each queued command's record. The load goes on, as Redis's would.
   */
  private noteUnreproduced(reply: Reply, queued: string[][] | null, offsets: readonly number[], argv: string[]): void {
    const add = (r: Reply, offset: number, command: string): void => {
      if (r.kind !== 'error' || r.unreproduced !== true) return;
      this.res.unreproducedCount++;
      this.log.mark('loader.unreproduced-command');
      if (this.res.unreproduced.length < MAX_UNREPRODUCED) {
        this.res.unreproduced.push({ file: this.opt.file, offset, command: cString(command), reason: r.value });
      }
    };
    if (queued === null || reply.kind === 'error') {
      add(reply, offsets[0] ?? 0, argv[0]);
      return;
    }
    if (reply.kind !== 'array' || reply.value === null) return;
    reply.value.forEach((r, i) => add(r, offsets[i] ?? 0, queued[i]?.[0] ?? '?'));
  }

  /**
   * 7.x logs every error reply to the AOF client (redis: networking.c afterErrorReply); 4.0 is
   * silent. Errors of commands run by EXEC are logged with the name 'exec' (c->lastcmd is still
   * EXEC then: observed on 7.0.15).
   */
  private logErrorReplies(name: string, reply: Reply, queued: string[][] | null): void {
    if (!this.v7) return;
    if (reply.kind === 'error') {
      this.criticalLine(reply.value, name);
      return;
    }
    if (reply.kind !== 'array' || reply.value === null || queued === null) return;
    for (const r of reply.value) if (r.kind === 'error') this.criticalLine(r.value, name);
  }

  private criticalLine(err: string, cmd: string): void {
    const raw = afterErrorReplyText(err);
    const text = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    this.log.log(
      'warning',
      `== CRITICAL == This server is sending an error to its AOF-loading-client: '${text}' after processing the command '${cmd}'`,
    );
    this.log.mark('loader.command-error');
  }
}

/** redis 7.0 shared error objects with an explicit "-ERR" (server.c createSharedObjects). */
const SHARED_ERR_TEXTS = new Set([
  'ERR',
  'ERR no such key',
  'ERR syntax error',
  'ERR source and destination objects are the same',
  'ERR index out of range',
]);

/**
 * The error text as afterErrorReply logs it: errors sent with addReplyError get the "-ERR " prefix
 * added on the wire, so the log shows the bare message; shared error objects and explicit codes
 * (WRONGTYPE, EXECABORT, NOGROUP, ...) are logged with their leading '-'.
 */
export function afterErrorReplyText(reply: string): string {
  if (reply.startsWith('ERR ') && !SHARED_ERR_TEXTS.has(reply)) return reply.slice(4);
  return '-' + reply;
}

/** The first 5 bytes are "REDIS" (redis: the sig check in loadSingleAppendOnlyFile). */
export function isRdbSignature(b: Uint8Array): boolean {
  return b.length >= 5 && b[0] === 0x52 && b[1] === 0x45 && b[2] === 0x44 && b[3] === 0x49 && b[4] === 0x53;
}

