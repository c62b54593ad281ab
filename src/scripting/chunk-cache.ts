// Compiled Lua chunks, kept across VMs: parsing a chunk (fengari's luaY_parser) is most of what a
// short script costs, and every server of a campaign compiles the same prelude and the same few
// script bodies again. A chunk is compiled once per (chunk name, source); later loads into any
// lua_State get a copy of its prototype tree, as if that state had parsed the source itself.
// redis: eval.c luaCreateFunction / function_lua.c luaEngineCreate load with luaL_loadbuffer; this
// is the same load, minus the parse.
//
// What a parse leaves in a state, and how a cached load reproduces it exactly:
//   - the main closure on the stack, its first upvalue the globals table (lapi.c lua_load);
//   - the object ids it consumed (global_State.id_counter: the main closure, the scanner's table,
//     every Proto): they decide the addresses tostring() prints later, so the copy's ids are the
//     parse's ids shifted to this state's counter, and the counter moves by the same amount;
//   - two stack slots grown, one left (the scanner's table is popped).
// A Proto is immutable after the parse except `cache` (lvm.c pushclosure keeps the last closure
// made from it, with that state's upvalues): every load gets its own copy of the tree with empty
// caches, and the stored master is never run, so no state reaches another one through it.
// Compile errors and binary chunks are not cached (they go through luaL_loadbuffer every time).
//
// Module state, on purpose: a bounded memo of a pure function (source -> prototype), invisible to
// every run (same seed, same trace, whether the entry was there or not).

import { createRequire } from 'node:module';
import { fengari, type LuaState } from './fengari.ts';

/** The parts of fengari's Proto the copy touches (lfunc.js); everything else is shared read-only. */
interface Proto {
  id: number;
  p: Proto[];
  cache: unknown;
}

interface LClosure {
  id: number;
  p: Proto;
  nupvalues: number;
  upvals: { setfrom(v: unknown): void }[];
}

/** What fengari's lua_State exposes to this file (lstate.js). */
interface StateInternals {
  l_G: { id_counter: number; l_registry: { value: unknown } };
  stack: { value: unknown; setclLvalue(cl: LClosure): void }[];
  top: number;
}

interface Internals {
  newClosure(L: StateInternals, n: number): LClosure;
  initUpvals(L: StateInternals, cl: LClosure): void;
  incTop(L: StateInternals): void;
  globals(L: StateInternals): unknown;
}

interface Compiled {
  /** Ids relative to the counter before the parse. */
  closureId: number;
  nupvalues: number;
  /** Prototype tree with relative ids and no closure caches; never run. */
  master: Proto;
  /** How far the parse moved the id counter. */
  idSpan: number;
}

/** Entries and source characters kept at most; past either, the cache starts again empty. */
const MAX_ENTRIES = 512;
const MAX_SOURCE_CHARS = 8 << 20;

const compiled = new Map<string, Compiled>();
let sourceChars = 0;
/** Loads served from the cache and parsed, since the process started (tests prove a hit happened). */
const stats = { hits: 0, misses: 0 };
let internals: Internals | undefined;

function fengariInternals(): Internals {
  if (internals !== undefined) return internals;
  fengari(); // the patched modules first
  const req = createRequire(import.meta.url);
  const lobject = req('fengari/src/lobject.js') as { LClosure: new (L: StateInternals, n: number) => LClosure };
  const lfunc = req('fengari/src/lfunc.js') as { luaF_initupvals(L: StateInternals, cl: LClosure): void };
  const ldo = req('fengari/src/ldo.js') as { luaD_inctop(L: StateInternals): void };
  const ltable = req('fengari/src/ltable.js') as { luaH_getint(t: unknown, k: number): unknown };
  const { lua } = fengari() as unknown as { lua: { LUA_RIDX_GLOBALS: number } };
  internals = {
    newClosure: (L, n) => new lobject.LClosure(L, n),
    initUpvals: (L, cl) => lfunc.luaF_initupvals(L, cl),
    incTop: (L) => ldo.luaD_inctop(L),
    globals: (L) => ltable.luaH_getint(L.l_G.l_registry.value, lua.LUA_RIDX_GLOBALS),
  };
  return internals;
}

/** A copy of a prototype tree with ids moved by `shift` and empty closure caches. */
function copyProto(p: Proto, shift: number): Proto {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(p) as object) as Proto, p);
  copy.id = p.id + shift;
  copy.cache = null;
  copy.p = p.p.map((child) => copyProto(child, shift));
  return copy;
}

/**
 * Loads `source` (a latin1 string of bytes) as chunk `name` into L and pushes its main function,
 * like luaL_loadbuffer; returns its status (LUA_OK, or the error message pushed as it would).
 */
export function loadChunk(L: LuaState, source: string, name: string): number {
  const { lua, lauxlib } = fengari();
  const S = L as unknown as StateInternals;
  const key = `${name}\0${source}`;
  const hit = compiled.get(key);
  const start = S.l_G.id_counter;
  if (hit !== undefined) {
    stats.hits++;
    const fx = fengariInternals();
    const cl = fx.newClosure(S, hit.nupvalues);
    cl.id = start + hit.closureId;
    fx.incTop(S);
    S.stack[S.top - 1].setclLvalue(cl);
    fx.incTop(S); // the scanner's table: grown and popped as the parse does
    delete S.stack[--S.top];
    cl.p = copyProto(hit.master, start);
    fx.initUpvals(S, cl);
    if (cl.nupvalues >= 1) cl.upvals[0].setfrom(fx.globals(S));
    S.l_G.id_counter = start + hit.idSpan;
    return lua.LUA_OK;
  }
  stats.misses++;
  const status = lauxlib.luaL_loadbuffer(L, new Uint8Array(Buffer.from(source, 'latin1')), null, new Uint8Array(Buffer.from(name, 'latin1')));
  if (status !== lua.LUA_OK || source.charCodeAt(0) === 0x1b) return status;
  const cl = S.stack[S.top - 1].value as LClosure;
  if (compiled.size >= MAX_ENTRIES || sourceChars + key.length > MAX_SOURCE_CHARS) {
    compiled.clear();
    sourceChars = 0;
  }
  compiled.set(key, { closureId: cl.id - start, nupvalues: cl.nupvalues, master: copyProto(cl.p, -start), idSpan: S.l_G.id_counter - start });
  sourceChars += key.length;
  return status;
}

/** Cache hits and parses so far. */
export function chunkCacheStats(): { hits: number; misses: number } {
  return { ...stats };
}
