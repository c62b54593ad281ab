// Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FUNCTION, FCALL, FCALL_RO.
// redis: eval.c evalGenericCommand / scriptCommand, functions.c functionLoadCommand /
// functionDeleteCommand / functionFlushCommand / functionListCommand / fcallCommandGeneric (7.0.15);
// scripting.c (4.0.14) for the 4.0 profile.
//
// Propagation (what reaches the AOF):
// - redis-7.0: a script's effects (every write its redis.call made, lazy-expiry DELs included),
//   never the EVAL/FCALL itself; the executor wraps more than one in MULTI/EXEC. FUNCTION
//   LOAD/DELETE/FLUSH propagate as typed. SCRIPT LOAD/FLUSH propagate nothing.
// - redis-4.0: the EVAL as typed when the script wrote (verbatim replication); EVALSHA written as
//   EVAL with the body (DIVERGENCE(redis): 4.0 writes EVALSHA once the script is in its
//   replication script cache, which it empties at each rewrite; always EVAL is loadable anywhere);
//   after redis.replicate_commands() the effects instead, in MULTI/EXEC. SCRIPT LOAD and SCRIPT
//   FLUSH propagate as typed. 4.0 has no *_RO, FUNCTION or FCALL: they are unknown commands there.
// Anything a script does that aofsim cannot reproduce ends in an unreproduced error reply, so a
// load that replays it fails loudly (issue 12.1).

import type { Bytes } from '../../keyspace/types.ts';
import { isAofError } from '../../base/errors.ts';
import { dumpFunctionsPayload, restoreFunctionsPayload } from '../../rdb/function-payload.ts';
import { parseLibraryCode } from '../../keyspace/library-code.ts';
import { sha1hex } from '../../scripting/lua-vm.ts';
import type { ScriptHost, ScriptOutcome } from '../../scripting/script-host.ts';
import { parseInteger } from '../args.ts';
import type { CommandContext } from '../context.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import { stringMatch } from '../glob.ts';
import { array, bulk, error, integer, NIL, OK, status, unreproducedError, type Reply } from '../reply.ts';
import type { Propagated } from '../types.ts';

const numkeysKeys = (argv: readonly Bytes[]): Bytes[] => {
  const n = parseInteger(argv[2] ?? '');
  return n === null || n < 0 ? [] : argv.slice(3, 3 + n);
};

function unknownIn40(ctx: CommandContext, argv: Bytes[]): Reply | null {
  if (ctx.profile !== 'redis-4.0') return null;
  return error(`ERR unknown command '${argv[0]}'`);
}

/** Parses numkeys (redis: evalGenericCommand's checks). */
function splitKeys(argv: Bytes[]): { keys: Bytes[]; args: Bytes[] } | Reply {
  const n = parseInteger(argv[2]);
  if (n === null) return error('ERR value is not an integer or out of range');
  if (n > argv.length - 3) return error("ERR Number of keys can't be greater than number of args");
  if (n < 0) return error("ERR Number of keys can't be negative");
  return { keys: argv.slice(3, 3 + n), args: argv.slice(3 + n) };
}

/**
 * Runs a script body through the VM with a host that executes redis.call inside this unit, and
 * arranges propagation per profile. `run` calls the VM with the host.
 */
interface HostRun {
  outcome: ScriptOutcome;
  effects: Propagated[];
  /** The lazy-expiry DELs among `effects`. */
  expired: Propagated[];
  effectsMode: boolean;
  /** 4.0 effects mode: where MULTI goes (before the first write command tried), or null. */
  multiAt: number | null;
}

function runWithHost(ctx: CommandContext, readOnly: boolean, run: (host: ScriptHost) => ScriptOutcome): HostRun {
  const caller = ctx.scriptCaller;
  if (caller === null) throw new Error('scripting: no executor behind the context');
  const outerClient = ctx.client;
  const client = { ...outerClient, multi: null, multiDirty: false };
  const effects: Propagated[] = [];
  const expired: Propagated[] = [];
  let wrote = false;
  let multiAt: number | null = null;
  let effectsMode = ctx.profile === 'redis-7.0';
  const host: ScriptHost = {
    call: (argv) => {
      const r = caller.callFromScript(client, argv, ctx.nowMs, readOnly);
      // 4.0 emits MULTI before the first write command a script tries, even one that fails
      if (r.writeCommand && multiAt === null) multiAt = effects.length;
      if (r.writeCommand) wrote = true;
      if (r.dirty > 0) {
        wrote = true;
        ctx.dirty(r.dirty);
      }
      effects.push(...r.propagate);
      expired.push(...r.expired);
      return r.reply;
    },
    replicateCommands: () => {
      if (ctx.profile === 'redis-7.0') return true;
      if (wrote) return false;
      effectsMode = true;
      return true;
    },
    log: (level, message) => {
      const lv = level <= 0 ? 'debug' : level === 1 ? 'verbose' : level === 2 ? 'notice' : 'warning';
      ctx.log.log(lv, message);
    },
  };
  const outcome = run(host);
  if (ctx.profile === 'redis-4.0') outerClient.db = client.db; // 4.0: a script's SELECT sticks to the caller
  return { outcome, effects, expired, effectsMode, multiAt };
}

/** Applies a script's propagation and turns its outcome into the reply. */
function finish(ctx: CommandContext, r: HostRun, verbatim: Bytes[] | null): Reply {
  if (r.effectsMode || verbatim === null) {
    ctx.preventPropagation();
    const fx = r.effects;
    if (ctx.profile === 'redis-4.0' && r.multiAt !== null) {
      // 4.0 effects replication: MULTI before the first write command tried (one that failed
      // too: MULTI + EXEC with nothing between), EXEC at the end, even for one write.
      fx.forEach((op, i) => {
        if (i === r.multiAt) ctx.alsoPropagate(['MULTI'], op.db);
        ctx.alsoPropagate(op.argv, op.db);
      });
      if (r.multiAt >= fx.length) ctx.alsoPropagate(['MULTI'], ctx.client.db);
      ctx.alsoPropagate(['EXEC'], fx.length > 0 ? fx[fx.length - 1].db : ctx.client.db);
    } else {
      for (const op of fx) ctx.alsoPropagate(op.argv, op.db);
    }
  } else {
    // 4.0 verbatim replication: the script's lazy-expiry DELs still go out, ahead of the EVAL
    // (propagateExpire feeds the AOF at once), and also when the script wrote nothing. Without
    // them a replay runs the EVAL over keys that were expired live (loading expires nothing).
    for (const op of r.expired) ctx.propagateExpired(op);
    if (ctx.dirtyCount > 0) ctx.rewriteArgv(verbatim);
  }
  if (r.outcome.unreproduced !== undefined) {
    return unreproducedError(`ERR aofsim cannot reproduce this script: ${r.outcome.unreproduced}`);
  }
  return r.outcome.reply;
}

function evalGeneric(ctx: CommandContext, argv: Bytes[], evalsha: boolean, readOnly: boolean): Reply {
  const rt = ctx.scripting;
  if (rt === null) return unreproducedError('ERR scripting is unavailable');
  const split = splitKeys(argv);
  if ('kind' in split) return split;
  let sha: string;
  let body: Bytes;
  if (evalsha) {
    sha = argv[1].toLowerCase();
    const known = rt.scriptBodies.get(sha);
    if (known === undefined) return error('NOSCRIPT No matching script. Please use EVAL.');
    body = known;
  } else {
    body = argv[1];
    sha = sha1hex(body);
    const err = rt.vm.createScript(sha, body);
    if (err !== null) return error(err);
    rt.scriptBodies.set(sha, body);
  }
  const r = runWithHost(ctx, readOnly, (host) => rt.vm.runScript(sha, split.keys, split.args, host));
  const verbatim = evalsha ? ['EVAL', body, ...argv.slice(2)] : argv;
  return finish(ctx, r, verbatim);
}

function scriptCommand(ctx: CommandContext, argv: Bytes[]): Reply {
  const rt = ctx.scripting;
  if (rt === null) return unreproducedError('ERR scripting is unavailable');
  const sub = argv[1].toLowerCase();
  if (sub === 'load' && argv.length === 3) {
    const body = argv[2];
    const sha = sha1hex(body);
    const err = rt.vm.createScript(sha, body);
    if (err !== null) return error(err);
    rt.scriptBodies.set(sha, body);
    if (ctx.profile === 'redis-4.0') ctx.forcePropagation();
    return bulk(sha);
  }
  if (sub === 'exists' && argv.length >= 3) return array(argv.slice(2).map((s) => integer(rt.scriptBodies.has(s.toLowerCase()) ? 1 : 0)));
  if (sub === 'flush' && argv.length <= 3) {
    if (argv.length === 3 && !['async', 'sync'].includes(argv[2].toLowerCase())) return error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    rt.flushScripts();
    if (ctx.profile === 'redis-4.0') ctx.dirty(1);
    return OK;
  }
  if (sub === 'kill' && argv.length === 2) return error('NOTBUSY No scripts in execution right now.');
  return error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try SCRIPT HELP.`);
}

function functionCommand(ctx: CommandContext, argv: Bytes[]): Reply {
  const rt = ctx.scripting;
  if (rt === null) return unreproducedError('ERR scripting is unavailable');
  const sub = argv[1]?.toLowerCase() ?? '';
  if (sub === 'load' && argv.length >= 3) {
    let replace = false;
    let i = 2;
    for (; i < argv.length - 1; i++) {
      if (argv[i].toLowerCase() === 'replace') replace = true;
      else return error(`ERR Unknown option given: ${argv[i]}`);
    }
    const r = rt.loadLibrary(argv[argv.length - 1], replace);
    if ('error' in r) return error(r.error);
    ctx.dirty(1);
    return bulk(r.name);
  }
  if (sub === 'delete' && argv.length === 3) {
    if (!ctx.keyspace.functions.delete(argv[2])) return error('ERR Library not found');
    rt.sync();
    ctx.dirty(1);
    return OK;
  }
  if (sub === 'flush' && argv.length <= 3) {
    if (argv.length === 3 && !['async', 'sync'].includes(argv[2].toLowerCase())) return error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    ctx.keyspace.functions.clear();
    rt.sync();
    ctx.dirty(1);
    return OK;
  }
  if (sub === 'list') {
    let withCode = false;
    let pattern: Bytes | null = null;
    for (let i = 2; i < argv.length; i++) {
      const o = argv[i].toLowerCase();
      if (o === 'withcode' && !withCode) withCode = true;
      else if (o === 'libraryname' && pattern === null && i + 1 < argv.length) pattern = argv[++i];
      else return error(`ERR Unknown argument ${argv[i]}`);
    }
    const out: Reply[] = [];
    // DIVERGENCE(redis): Redis lists in its dicts' hash order; aofsim in load/registration order.
    const libs = [...rt.compiledLibraries()];
    for (const [name, lib] of libs) {
      if (pattern !== null && !stringMatch(pattern, name, false)) continue;
      const fns = [...lib.functions.values()];
      const entry: Reply[] = [
        bulk('library_name'),
        bulk(name),
        bulk('engine'),
        bulk('LUA'),
        bulk('functions'),
        array(
          fns.map((f) =>
            array([bulk('name'), bulk(f.name), bulk('description'), f.description === null ? NIL : bulk(f.description), bulk('flags'), array(f.flags.map((x) => status(x)))]),
          ),
        ),
      ];
      if (withCode) entry.push(bulk('library_code'), bulk(lib.code));
      out.push(array(entry));
    }
    return array(out);
  }
  if (sub === 'kill' && argv.length === 2) return error('NOTBUSY No scripts in execution right now.');
  if (sub === 'dump' && argv.length === 2) return bulk(dumpFunctionsPayload(ctx.keyspace.functions.values()));
  if (sub === 'restore' && (argv.length === 3 || argv.length === 4)) return functionRestore(ctx, argv);
  if (sub === 'stats' && argv.length === 2) {
    rt.sync();
    let fns = 0;
    for (const lib of rt.compiledLibraries().values()) fns += lib.functions.size;
    const lua = array([bulk('libraries_count'), integer(ctx.keyspace.functions.size), bulk('functions_count'), integer(fns)]);
    return array([bulk('running_script'), NIL, bulk('engines'), array([bulk('LUA'), lua])]);
  }
  return error(`ERR unknown subcommand or wrong number of arguments for '${argv[1] ?? ''}'. Try FUNCTION HELP.`);
}

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (redis: functionRestoreCommand). */
function functionRestore(ctx: CommandContext, argv: Bytes[]): Reply {
  const rt = ctx.scripting;
  if (rt === null) return unreproducedError('ERR scripting is unavailable');
  const policy = argv.length === 4 ? argv[3].toLowerCase() : 'append';
  if (!['flush', 'append', 'replace'].includes(policy)) return error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  let codes: Bytes[];
  try {
    codes = restoreFunctionsPayload(argv[2]);
  } catch (e) {
    if (isAofError(e)) return error(`ERR ${e.reason}`);
    throw e;
  }
  const metas = codes.map((c) => parseLibraryCode(c));
  for (const m of metas) if ('error' in m) return error(m.error);
  const names = metas.map((m) => ('name' in m ? m.name : ''));
  if (policy === 'append') {
    for (const n of names) if (ctx.keyspace.functions.has(n)) return error(`ERR Library ${n} already exists`);
  }
  // Atomic: compile everything on a copy first, as Redis restores into a fresh library context.
  const before = new Map(ctx.keyspace.functions);
  if (policy === 'flush') ctx.keyspace.functions.clear();
  for (let i = 0; i < codes.length; i++) {
    const r = rt.loadLibrary(codes[i], true);
    if ('error' in r) {
      ctx.keyspace.functions.clear();
      for (const [k, v] of before) ctx.keyspace.functions.set(k, v);
      rt.sync();
      return error(r.error);
    }
  }
  ctx.dirty(1);
  return OK;
}

function fcallGeneric(ctx: CommandContext, argv: Bytes[], readOnlyCommand: boolean): Reply {
  const rt = ctx.scripting;
  if (rt === null) return unreproducedError('ERR scripting is unavailable');
  const split = splitKeys(argv);
  if ('kind' in split) return split;
  const f = rt.findFunction(argv[1]);
  if (f === undefined) return error('ERR Function not found');
  const noWrites = f.flags.includes('no-writes');
  if (readOnlyCommand && !noWrites) return error('ERR Can not execute a script with write flag using *_ro command.');
  const r = runWithHost(ctx, noWrites, (host) => rt.vm.runFunction(f, split.keys, split.args, host));
  return finish(ctx, r, null);
}

export const scriptingCommands: CommandDef[] = [
  def('eval', -3, ['noscript', 'may-replicate'], [0, 0, 0], (ctx, argv) => evalGeneric(ctx, argv, false, false), { keys: numkeysKeys }),
  def('evalsha', -3, ['noscript', 'may-replicate'], [0, 0, 0], (ctx, argv) => evalGeneric(ctx, argv, true, false), { keys: numkeysKeys }),
  def('eval_ro', -3, ['noscript', 'readonly'], [0, 0, 0], (ctx, argv) => unknownIn40(ctx, argv) ?? evalGeneric(ctx, argv, false, true), { keys: numkeysKeys }),
  def('evalsha_ro', -3, ['noscript', 'readonly'], [0, 0, 0], (ctx, argv) => unknownIn40(ctx, argv) ?? evalGeneric(ctx, argv, true, true), { keys: numkeysKeys }),
  def('script', -2, ['noscript', 'may-replicate'], [0, 0, 0], scriptCommand),
  def('function', -2, ['noscript', 'write'], [0, 0, 0], (ctx, argv) => unknownIn40(ctx, argv) ?? functionCommand(ctx, argv)),
  def('fcall', -3, ['noscript', 'may-replicate'], [0, 0, 0], (ctx, argv) => unknownIn40(ctx, argv) ?? fcallGeneric(ctx, argv, false), { keys: numkeysKeys }),
  def('fcall_ro', -3, ['noscript', 'readonly'], [0, 0, 0], (ctx, argv) => unknownIn40(ctx, argv) ?? fcallGeneric(ctx, argv, true), { keys: numkeysKeys }),
];
