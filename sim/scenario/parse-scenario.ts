// Reads and validates a scenario file (format: scenario-types.ts). Every problem is reported with
// the file name and the JSON path of the offending value, what was expected and what was found:
//   scenarios/x.scenario.json: $.steps[3].crash.model: expected one of process-kill, strict, ...; got "powerloss"
// Validation is complete before anything runs, so a typo never silently tests something else.
// Fault entries are checked by sim/faults validateFaultPlan (its message is kept, with the path).

import { validateFaultPlan, type Fault } from '../faults/fault-plan.ts';
import { ORACLE_CHECKS } from '../oracle/checks.ts';
import { CRASH_MODELS } from '../crash/crash-decision.ts';
import { crashPointNames, isCrashPointName } from '../faults/crash-points.ts';
import { COVERAGE_MARKS, isCoverageMark } from '../../src/ports/coverage-marks.ts';
import { BUG_SWITCHES, isBugSwitch } from '../../src/aof/bugs.ts';
import type { Expectations, ReplyExpectation, Scenario, Step } from './scenario-types.ts';
import { describeJsonSyntaxError, findJsonSyntaxError } from './json-syntax-error.ts';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${file}: ${jsonPath}: ${problem}`);
    this.name = 'ScenarioError';
  }
}

type Obj = Record<string, unknown>;

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

class Checker {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ScenarioError(this.file, path, problem);
  }

  obj(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object; got ${show(v)}`);
    return v as Obj;
  }

  keys(o: Obj, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(`${path}.${k}`, `unknown field; expected one of ${allowed.join(', ')}`);
    }
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, `expected a string; got ${show(v)}`);
    return v;
  }

  nat(v: unknown, path: string): number {
    if (!Number.isSafeInteger(v) || (v as number) < 0) this.fail(path, `expected an integer >= 0; got ${show(v)}`);
    return v as number;
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
    if (typeof v !== 'string' || !options.includes(v as T)) this.fail(path, `expected one of ${options.join(', ')}; got ${show(v)}`);
    return v as T;
  }

  strArray(v: unknown, path: string): string[] {
    if (!Array.isArray(v)) this.fail(path, `expected an array of strings; got ${show(v)}`);
    v.forEach((x, i) => this.str(x, `${path}[${i}]`));
    return v as string[];
  }

  reply(v: unknown, path: string): ReplyExpectation {
    if (v === null || typeof v === 'string') return v;
    const o = this.obj(v, path);
    this.keys(o, path, ['startsWith']);
    return { startsWith: this.str(o.startsWith, `${path}.startsWith`) };
  }
}

const STEP_KINDS = ['commands', 'tick', 'clockJump', 'rewrite', 'waitForRewrite', 'crashAt', 'crash', 'restart', 'quota', 'expect'] as const;

/** Parses and validates scenario JSON text; `file` names it in messages. */
export function parseScenario(text: string, file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // One line with the offset (JSON.parse's own message may quote the text, line breaks and all).
    const at = findJsonSyntaxError(text);
    throw new ScenarioError(file, '$', `not valid JSON ${at !== null ? describeJsonSyntaxError(at) : `(${JSON.stringify((e as Error).message)})`}`);
  }
  return validateScenario(raw, file);
}

export function validateScenario(raw: unknown, file: string): Scenario {
  const c: Checker = new Checker(file);
  const o = c.obj(raw, '$');
  c.keys(o, '$', ['name', 'source', 'description', 'profile', 'config', 'bugs', 'seed', 'startMs', 'files', 'faults', 'steps', 'expect', 'oracle']);
  const name = c.str(o.name, '$.name');
  if (name === '') c.fail('$.name', 'expected a non-empty name');
  const source = c.str(o.source, '$.source');
  if (source === '') c.fail('$.source', 'expected where the behaviour comes from (Redis issue, commit, spec section)');
  if (o.description !== undefined) c.str(o.description, '$.description');
  const profile = c.oneOf(o.profile ?? 'redis-4.0', '$.profile', ['redis-4.0', 'redis-7.0'] as const);
  const config = c.obj(o.config ?? {}, '$.config');
  for (const [k, v] of Object.entries(config)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) c.fail(`$.config.${k}`, `expected a string, number or boolean; got ${show(v)}`);
  }
  const bugs = c.strArray(o.bugs ?? [], '$.bugs');
  bugs.forEach((b, i) => {
    if (!isBugSwitch(b)) c.fail(`$.bugs[${i}]`, `unknown bug switch ${JSON.stringify(b)}; expected one of ${BUG_SWITCHES.map((x) => x.name).join(', ')} (aofsim run --list-bugs)`);
  });
  const seed = c.nat(o.seed ?? 1, '$.seed');
  if (o.startMs !== undefined) c.nat(o.startMs, '$.startMs');
  if (o.files !== undefined) {
    const files = c.obj(o.files, '$.files');
    for (const [k, v] of Object.entries(files)) c.str(v, `$.files.${JSON.stringify(k)}`);
  }
  const faultsRaw: unknown = o.faults ?? [];
  if (!Array.isArray(faultsRaw)) c.fail('$.faults', `expected an array of faults; got ${show(faultsRaw)}`);
  faultsRaw.forEach((f, i) => {
    try {
      validateFaultPlan({ faults: [f as Fault] });
    } catch (e) {
      c.fail(`$.faults[${i}]`, (e as Error).message.replace(/^fault plan: faults\[0\] /, ''));
    }
  });
  if (!Array.isArray(o.steps)) c.fail('$.steps', `expected an array of steps; got ${show(o.steps)}`);
  const steps = (o.steps as unknown[]).map((s, i) => validateStep(c, s, `$.steps[${i}]`));
  const expect = o.expect === undefined ? undefined : validateExpectations(c, o.expect, '$.expect');
  let oracle: Scenario['oracle'];
  if (o.oracle !== undefined) {
    // The recovery oracle and the campaign's invariants (sim/oracle/tracker.ts).
    if (o.oracle === true) oracle = true;
    else oracle = c.strArray(o.oracle, '$.oracle').map((x, i) => c.oneOf(x, `$.oracle[${i}]`, ORACLE_CHECKS));
  }
  return {
    name,
    source,
    description: o.description as string | undefined,
    profile,
    config: config as Scenario['config'],
    bugs,
    seed,
    startMs: o.startMs as number | undefined,
    files: o.files as Record<string, string> | undefined,
    faults: faultsRaw as Fault[],
    steps,
    expect,
    ...(oracle !== undefined ? { oracle } : {}),
  };
}

function validateStep(c: Checker, raw: unknown, path: string): Step {
  const o = c.obj(raw, path);
  const kind = STEP_KINDS.find((k) => k in o);
  if (kind === undefined) c.fail(path, `expected a step with one of ${STEP_KINDS.join(', ')}; got ${show(raw)}`);
  switch (kind) {
    case 'commands': {
      c.keys(o, path, ['commands', 'client', 'pipeline', 'replies', 'timeoutMs']);
      if (!Array.isArray(o.commands) || o.commands.length === 0) c.fail(`${path}.commands`, `expected a non-empty array of commands; got ${show(o.commands)}`);
      o.commands.forEach((cmd, i) => {
        const p = `${path}.commands[${i}]`;
        c.strArray(cmd, p);
        if ((cmd as string[]).length === 0) c.fail(p, 'expected a command name and its arguments; got []');
      });
      if (o.client !== undefined) c.nat(o.client, `${path}.client`);
      if (o.pipeline !== undefined && typeof o.pipeline !== 'boolean') c.fail(`${path}.pipeline`, `expected true or false; got ${show(o.pipeline)}`);
      if (o.timeoutMs !== undefined) c.nat(o.timeoutMs, `${path}.timeoutMs`);
      if (o.replies !== undefined) {
        if (!Array.isArray(o.replies)) c.fail(`${path}.replies`, `expected an array of replies; got ${show(o.replies)}`);
        if (o.replies.length !== o.commands.length) {
          c.fail(`${path}.replies`, `expected one reply per command (${o.commands.length}); got ${o.replies.length}`);
        }
        o.replies.forEach((r, i) => c.reply(r, `${path}.replies[${i}]`));
      }
      return o as unknown as Step;
    }
    case 'tick':
      c.keys(o, path, ['tick']);
      c.nat(o.tick, `${path}.tick`);
      return o as unknown as Step;
    case 'clockJump':
      c.keys(o, path, ['clockJump']);
      if (typeof o.clockJump !== 'number' || !Number.isSafeInteger(o.clockJump)) c.fail(`${path}.clockJump`, `expected an integer number of ms (negative: backwards); got ${show(o.clockJump)}`);
      return o as unknown as Step;
    case 'rewrite':
      c.keys(o, path, ['rewrite']);
      if (o.rewrite !== true) {
        const r = c.obj(o.rewrite, `${path}.rewrite`);
        c.keys(r, `${path}.rewrite`, ['reply', 'client']);
        if ('reply' in r) c.reply(r.reply, `${path}.rewrite.reply`);
        if (r.client !== undefined) c.nat(r.client, `${path}.rewrite.client`);
      }
      return o as unknown as Step;
    case 'waitForRewrite':
      c.keys(o, path, ['waitForRewrite']);
      if (o.waitForRewrite !== true) {
        const w = c.obj(o.waitForRewrite, `${path}.waitForRewrite`);
        c.keys(w, `${path}.waitForRewrite`, ['timeoutMs']);
        if (w.timeoutMs !== undefined) c.nat(w.timeoutMs, `${path}.waitForRewrite.timeoutMs`);
      }
      return o as unknown as Step;
    case 'crash':
    case 'crashAt': {
      c.keys(o, path, [kind]);
      const p = `${path}.${kind}`;
      const cr = c.obj(o[kind], p);
      c.keys(cr, p, kind === 'crash' ? ['model', 'sectorBytes', 'files', 'dirs', 'random'] : ['model', 'sectorBytes', 'files', 'dirs', 'random', 'point', 'nth', 'atOp']);
      c.oneOf(cr.model, `${p}.model`, CRASH_MODELS);
      if (cr.sectorBytes !== undefined) c.nat(cr.sectorBytes, `${p}.sectorBytes`);
      if (cr.files !== undefined) c.obj(cr.files, `${p}.files`);
      if (cr.dirs !== undefined) {
        const d = c.obj(cr.dirs, `${p}.dirs`);
        for (const [k, v] of Object.entries(d)) c.nat(v, `${p}.dirs.${JSON.stringify(k)}`);
      }
      if (cr.random !== undefined && typeof cr.random !== 'boolean') c.fail(`${p}.random`, `expected true or false; got ${show(cr.random)}`);
      if (cr.model === 'process-kill' && (cr.files !== undefined || cr.dirs !== undefined)) {
        c.fail(p, 'process-kill keeps everything the kernel has: files/dirs do not apply');
      }
      if (kind === 'crashAt') {
        if ((cr.point === undefined) === (cr.atOp === undefined)) c.fail(p, 'expected exactly one of point or atOp');
        if (cr.point !== undefined && !isCrashPointName(c.str(cr.point, `${p}.point`))) {
          c.fail(`${p}.point`, `unknown point ${show(cr.point)}; expected one of ${crashPointNames()}`);
        }
        if (cr.nth !== undefined && c.nat(cr.nth, `${p}.nth`) < 1) c.fail(`${p}.nth`, 'expected an integer >= 1');
        if (cr.atOp !== undefined && c.nat(cr.atOp, `${p}.atOp`) < 1) c.fail(`${p}.atOp`, 'expected an integer >= 1');
      }
      return o as unknown as Step;
    }
    case 'restart':
      c.keys(o, path, ['restart']);
      if (o.restart !== true) {
        const r = c.obj(o.restart, `${path}.restart`);
        c.keys(r, `${path}.restart`, ['load']);
        if (r.load !== undefined) c.oneOf(r.load, `${path}.restart.load`, ['ok', 'exited'] as const);
      }
      return o as unknown as Step;
    case 'quota':
      c.keys(o, path, ['quota']);
      if (o.quota !== null) c.nat(o.quota, `${path}.quota`);
      return o as unknown as Step;
    case 'expect':
      c.keys(o, path, ['expect']);
      validateExpectations(c, o.expect, `${path}.expect`);
      return o as unknown as Step;
  }
}

function validateExpectations(c: Checker, raw: unknown, path: string): Expectations {
  const o = c.obj(raw, path);
  c.keys(o, path, ['keys', 'dump', 'dumpContains', 'load', 'process', 'exited', 'log', 'logAbsent', 'files', 'marks', 'fileContains']);
  if (o.keys !== undefined) {
    const k = c.obj(o.keys, `${path}.keys`);
    for (const [key, v] of Object.entries(k)) if (v !== null) c.str(v, `${path}.keys.${JSON.stringify(key)}`);
  }
  for (const d of ['dump', 'dumpContains'] as const) {
    if (o[d] === undefined) continue;
    const dump = c.obj(o[d], `${path}.${d}`);
    c.keys(dump, `${path}.${d}`, ['dbs', 'atMs']);
    const dbs = c.obj(dump.dbs, `${path}.${d}.dbs`);
    for (const [db, entries] of Object.entries(dbs)) {
      if (!/^\d+$/.test(db)) c.fail(`${path}.${d}.dbs.${JSON.stringify(db)}`, 'expected a db number as key');
      if (!Array.isArray(entries)) c.fail(`${path}.${d}.dbs.${db}`, `expected an array of entries; got ${show(entries)}`);
    }
  }
  if (o.load !== undefined) c.oneOf(o.load, `${path}.load`, ['ok', 'exited'] as const);
  if (o.process !== undefined) c.oneOf(o.process, `${path}.process`, ['running', 'exited', 'crashed', 'down'] as const);
  if (o.exited !== undefined && o.exited !== false) {
    const e = c.obj(o.exited, `${path}.exited`);
    c.keys(e, `${path}.exited`, ['code', 'reason']);
    if (e.code !== undefined) c.nat(e.code, `${path}.exited.code`);
    if (e.reason !== undefined) c.str(e.reason, `${path}.exited.reason`);
  }
  if (o.log !== undefined) c.strArray(o.log, `${path}.log`);
  if (o.logAbsent !== undefined) c.strArray(o.logAbsent, `${path}.logAbsent`);
  if (o.files !== undefined) {
    const f = c.obj(o.files, `${path}.files`);
    for (const [k, v] of Object.entries(f)) if (v !== null) c.nat(v, `${path}.files.${JSON.stringify(k)}`);
  }
  if (o.marks !== undefined) {
    const m = c.obj(o.marks, `${path}.marks`);
    for (const [k, v] of Object.entries(m)) {
      if (!isCoverageMark(k)) {
        // The marks of the same family (`loader.*`, ...) when there are some: all 84 would drown it.
        const family = COVERAGE_MARKS.filter((m) => m.split('.')[0] === k.split('.')[0]);
        c.fail(`${path}.marks.${JSON.stringify(k)}`, `unknown coverage mark; expected one of ${(family.length > 0 ? family : COVERAGE_MARKS).join(', ')}`);
      }
      c.nat(v, `${path}.marks.${JSON.stringify(k)}`);
    }
  }
  if (o.fileContains !== undefined) {
    const f = c.obj(o.fileContains, `${path}.fileContains`);
    for (const [k, v] of Object.entries(f)) c.strArray(v, `${path}.fileContains.${JSON.stringify(k)}`);
  }
  return o as Expectations;
}
