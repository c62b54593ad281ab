// Scenario files for real binaries: the sim/scenario format (docs/formats.md) with
// `"subject": "redis-server"`, run by `aofsim replay` against a real server instead of the
// simulated world. Written by the ALICE search (real-alice.ts) for each failure it finds, so a
// finding reproduces with one command, and writable by hand.
//
// {
//   "name", "source", "description"?,
//   "subject": "redis-server", "bin"?: "/usr/bin/redis-server",    // AOFSIM_REDIS_SERVER overrides bin
//   "config": { "appendonly": "yes", ... },                       // passed through as --key value
//   "files": { "appendonlydir/appendonly.aof.1.incr.aof": "..." }, // latin1 strings, relative to dir
//   "steps": [ {commands, replies?} | {crash: {model: "process-kill"}} | {restart: true|{load}} | {expect} ],
//   "expect"?: { ... }
// }
// The server starts before the first step (as in the simulator). Expectations: keys (db 0; string
// values, null = absent), load ('ok' | 'exited': the last start), process ('running' | 'exited'),
// exited {code}, log / logAbsent (substrings of the server's output), files (sizes in bytes, null =
// absent), fileContains (latin1 substrings).
//
// Invariants: the server is always killed and the temp dir removed, also when a step throws;
// every failed expectation is reported with its JSON path and the run goes on.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RedisServerSubject } from './real-redis-server.ts';
import { ScenarioError } from '../scenario/parse-scenario.ts';

export interface RealExpect {
  keys?: Record<string, string | null>;
  load?: 'ok' | 'exited';
  process?: 'running' | 'exited';
  exited?: { code?: number };
  log?: string[];
  logAbsent?: string[];
  files?: Record<string, number | null>;
  fileContains?: Record<string, string[]>;
}

/** The fields of RealExpect, for the parser's unknown-field check. */
const REAL_EXPECT_KEYS = ['keys', 'load', 'process', 'exited', 'log', 'logAbsent', 'files', 'fileContains'] as const;

export type RealStep =
  | { commands: string[][]; replies?: (string | null | { startsWith: string })[] }
  | { crash: { model: 'process-kill' } }
  | { restart: true | { load?: 'ok' | 'exited' } }
  | { expect: RealExpect };

export interface RealScenario {
  name: string;
  source: string;
  description?: string;
  subject: 'redis-server';
  bin?: string;
  config: Record<string, string>;
  files?: Record<string, string>;
  steps: RealStep[];
  expect?: RealExpect;
}

export interface RealScenarioResult {
  ok: boolean;
  checks: number;
  failures: { path: string; message: string }[];
  timeline: string[];
}

/** True when the JSON text is a scenario for a real subject (has a `subject` other than "ts"). */
export function isRealScenarioText(text: string): boolean {
  try {
    const v = JSON.parse(text) as { subject?: unknown };
    return typeof v === 'object' && v !== null && typeof v.subject === 'string' && v.subject !== 'ts';
  } catch {
    return false;
  }
}

export function parseRealScenario(text: string, file: string): RealScenario {
  const v = JSON.parse(text) as Record<string, unknown>;
  // A ScenarioError, as for a simulator scenario: aofsim replay calls the file invalid (exit 2).
  const fail = (path: string, problem: string): never => {
    throw new ScenarioError(file, path, problem);
  };
  // Unknown fields are typos that would test nothing: named, as the simulator's parser names them.
  const only = (o: unknown, path: string, allowed: readonly string[]): void => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) fail(path, `expected an object; got ${JSON.stringify(o)}`);
    for (const k of Object.keys(o as object)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown field; expected one of ${allowed.join(', ')}`);
  };
  only(v, '$', ['name', 'source', 'description', 'subject', 'bin', 'config', 'files', 'steps', 'expect']);
  if (v.subject !== 'redis-server') fail('$.subject', `expected "redis-server"; got ${JSON.stringify(v.subject)}`);
  for (const k of ['name', 'source']) if (typeof v[k] !== 'string') fail(`$.${k}`, 'expected a string');
  if (typeof v.config !== 'object' || v.config === null) fail('$.config', 'expected an object of redis.conf keys');
  if (!Array.isArray(v.steps)) fail('$.steps', 'expected an array');
  const known = new Set(['commands', 'crash', 'restart', 'expect']);
  (v.steps as unknown[]).forEach((s, i) => {
    const keys = typeof s === 'object' && s !== null ? Object.keys(s).filter((k) => k !== 'replies') : [];
    if (keys.length !== 1 || !known.has(keys[0])) fail(`$.steps[${i}]`, `expected one of commands, crash, restart, expect; got ${JSON.stringify(s)}`);
    const e = (s as { expect?: unknown }).expect;
    if (e !== undefined) only(e, `$.steps[${i}].expect`, REAL_EXPECT_KEYS);
    const c = (s as { crash?: { model?: unknown } }).crash;
    if (c !== undefined && c.model !== 'process-kill') fail(`$.steps[${i}].crash.model`, `a real subject supports only "process-kill"; got ${JSON.stringify(c.model)}`);
  });
  if (v.expect !== undefined) only(v.expect, '$.expect', REAL_EXPECT_KEYS);
  const config: Record<string, string> = {};
  for (const [k, val] of Object.entries(v.config as object)) config[k] = String(val);
  return { ...(v as unknown as RealScenario), config };
}

export async function runRealScenario(sc: RealScenario, options: { bin?: string } = {}): Promise<RealScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'aofsim-real-scenario-'));
  for (const [rel, content] of Object.entries(sc.files ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), Buffer.from(content, 'latin1'));
  }
  const bin = options.bin ?? process.env.AOFSIM_REDIS_SERVER ?? sc.bin ?? 'redis-server';
  const server = new RedisServerSubject({ bin, dir, config: sc.config });
  const failures: { path: string; message: string }[] = [];
  const timeline: string[] = [];
  let checks = 0;
  let lastLoad: 'ok' | 'exited' = 'ok';
  const check = (path: string, ok: boolean, message: string): void => {
    checks++;
    if (!ok) failures.push({ path, message });
  };
  const start = async (how: 'start' | 'restart'): Promise<void> => {
    const st = how === 'start' ? await server.start() : await server.restart();
    lastLoad = st.outcome;
    timeline.push(`${how}: ${st.outcome}${st.exitCode !== null ? ` (exit ${st.exitCode})` : ''}`);
    for (const l of st.log) if (/ # /.test(l) && !/Memory overcommit|oO0OoO0OoO0Oo|Redis version|Configuration loaded/.test(l)) timeline.push(`  log: ${l}`);
  };
  const expectAll = async (e: RealExpect, path: string): Promise<void> => {
    if (e.load !== undefined) check(`${path}.load`, lastLoad === e.load, `expected load ${e.load}; got ${lastLoad}`);
    if (e.process !== undefined) {
      const now = server.running ? 'running' : 'exited';
      check(`${path}.process`, now === e.process, `expected process ${e.process}; got ${now}`);
    }
    if (e.exited !== undefined && e.exited.code !== undefined) {
      const code = server.lastExit?.code ?? null;
      check(`${path}.exited.code`, code === e.exited.code, `expected exit code ${e.exited.code}; got ${code}`);
    }
    for (const s of e.log ?? []) check(`${path}.log`, server.log.some((l) => l.includes(s)), `no log line contains ${JSON.stringify(s)}`);
    for (const s of e.logAbsent ?? []) check(`${path}.logAbsent`, !server.log.some((l) => l.includes(s)), `a log line contains ${JSON.stringify(s)}`);
    for (const [rel, size] of Object.entries(e.files ?? {})) {
      const p = join(dir, rel);
      const got = existsSync(p) ? statSync(p).size : null;
      check(`${path}.files[${JSON.stringify(rel)}]`, got === size, `expected size ${size}; got ${got}`);
    }
    for (const [rel, subs] of Object.entries(e.fileContains ?? {})) {
      const p = join(dir, rel);
      const text = existsSync(p) ? readFileSync(p, 'latin1') : '';
      for (const s of subs) check(`${path}.fileContains[${JSON.stringify(rel)}]`, text.includes(s), `does not contain ${JSON.stringify(s)}`);
    }
    if (e.keys !== undefined) {
      for (const [k, want] of Object.entries(e.keys)) {
        const r = server.running ? await server.call(['GET', k]) : null;
        const got = r !== null && r.kind === 'bulk' ? r.value : null;
        timeline.push(`  GET ${k} -> ${got === null ? '(nil)' : JSON.stringify(got)}`);
        check(`${path}.keys[${JSON.stringify(k)}]`, got === want, `expected ${JSON.stringify(want)}; got ${JSON.stringify(got)}`);
      }
    }
  };
  try {
    await start('start');
    for (let i = 0; i < sc.steps.length; i++) {
      const step = sc.steps[i];
      const path = `$.steps[${i}]`;
      if ('commands' in step) {
        for (let j = 0; j < step.commands.length; j++) {
          const reply = await server.exec(step.commands[j]);
          timeline.push(`> ${step.commands[j].join(' ')}  ->  ${reply ?? '(no reply)'}`);
          const want = step.replies?.[j];
          if (want === undefined) continue;
          const ok = typeof want === 'object' && want !== null ? reply !== null && reply.startsWith(want.startsWith) : reply === want;
          check(`${path}.replies[${j}]`, ok, `expected ${JSON.stringify(want)}; got ${JSON.stringify(reply)}`);
        }
      } else if ('crash' in step) {
        await server.crash('process-kill');
        timeline.push('crash: SIGKILL');
      } else if ('restart' in step) {
        await start('restart');
        if (typeof step.restart === 'object' && step.restart.load !== undefined) {
          check(`${path}.restart.load`, lastLoad === step.restart.load, `expected load ${step.restart.load}; got ${lastLoad}`);
        }
      } else await expectAll(step.expect, `${path}.expect`);
    }
    if (sc.expect) await expectAll(sc.expect, '$.expect');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { ok: failures.length === 0, checks, failures, timeline };
}
