// The scripting state of one server: the Lua VM (created on first use), the EVAL script cache and
// the compiled form of the function libraries held in the keyspace (Keyspace.functions is the
// truth: the RDB loader, FLUSHALL-free semantics and rewrites see only it; the VM follows it).
// redis: eval.c lctx (4.0/7.0 script cache), functions.c curr_functions_lib_ctx (7.0.15).
// Invariant: library code in the keyspace and compiled libraries agree after sync().

import type { Bytes } from '../keyspace/types.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { Profile } from '../base/profile.ts';
import { LuaVm, type RegisteredFunction } from './lua-vm.ts';
import { parseLibraryCode } from '../keyspace/library-code.ts';

interface CompiledLibrary {
  code: Bytes;
  functions: Map<string, RegisteredFunction>;
}

export class ScriptingRuntime {
  private vmInstance: LuaVm | null = null;
  /** sha -> body of every script EVAL or SCRIPT LOAD compiled (redis: lctx.lua_scripts). */
  readonly scriptBodies = new Map<string, Bytes>();
  private readonly libraries = new Map<Bytes, CompiledLibrary>();
  private readonly functionIndex = new Map<string, Bytes>();

  constructor(
    readonly profile: Profile,
    private readonly keyspace: Keyspace,
  ) {}

  get vm(): LuaVm {
    if (this.vmInstance === null) this.vmInstance = new LuaVm(this.profile);
    return this.vmInstance;
  }

  flushScripts(): void {
    this.scriptBodies.clear();
    this.vmInstance?.flushScripts();
  }

  /** Brings the compiled libraries in line with Keyspace.functions (after an RDB load, a flush...). */
  sync(): void {
    const want = this.keyspace.functions;
    for (const [name, lib] of this.libraries) {
      if (want.get(name) !== lib.code) this.dropCompiled(name);
    }
    for (const [name, code] of want) {
      if (this.libraries.has(name)) continue;
      const r = this.compileLibrary(code);
      if (typeof r !== 'string') this.addCompiled(name, code, r);
    }
  }

  /** The library holding function `fname`, after sync. */
  findFunction(fname: string): RegisteredFunction | undefined {
    this.sync();
    const lib = this.functionIndex.get(fname);
    return lib === undefined ? undefined : this.libraries.get(lib)?.functions.get(fname);
  }

  /** Compiled view of every library, by name (after sync). */
  compiledLibraries(): ReadonlyMap<Bytes, { code: Bytes; functions: ReadonlyMap<string, RegisteredFunction> }> {
    this.sync();
    return this.libraries;
  }

  /**
   * FUNCTION LOAD: validates and compiles `code`, then stores it in the keyspace. Returns the library
   * name or an error text (redis: functionsCreateWithLibraryCtx).
   */
  loadLibrary(code: Bytes, replace: boolean): { name: Bytes } | { error: string } {
    this.sync();
    const meta = parseLibraryCode(code);
    if ('error' in meta) return meta;
    if (this.keyspace.functions.has(meta.name) && !replace) return { error: `ERR Library '${meta.name}' already exists` };
    const fns = this.compileLibrary(code);
    if (typeof fns === 'string') return { error: fns };
    for (const f of fns.keys()) {
      const owner = this.functionIndex.get(f);
      if (owner !== undefined && owner !== meta.name) {
        this.vm.dropFunctions(fns);
        return { error: `ERR Function ${f} already exists` };
      }
    }
    if (this.libraries.has(meta.name)) this.dropCompiled(meta.name);
    this.keyspace.functions.set(meta.name, code);
    this.addCompiled(meta.name, code, fns);
    return { name: meta.name };
  }

  private compileLibrary(code: Bytes): Map<string, RegisteredFunction> | string {
    const meta = parseLibraryCode(code);
    if ('error' in meta) return meta.error;
    return this.vm.loadLibrary(meta.body);
  }

  private addCompiled(name: Bytes, code: Bytes, functions: Map<string, RegisteredFunction>): void {
    this.libraries.set(name, { code, functions });
    for (const f of functions.keys()) this.functionIndex.set(f, name);
  }

  private dropCompiled(name: Bytes): void {
    const lib = this.libraries.get(name);
    if (lib === undefined) return;
    this.vm.dropFunctions(lib.functions);
    for (const f of lib.functions.keys()) if (this.functionIndex.get(f) === name) this.functionIndex.delete(f);
    this.libraries.delete(name);
  }
}
