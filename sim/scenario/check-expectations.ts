// Checks a scenario's expectations (scenario-types.ts Expectations) against the world as it is
// now: the live server's keyspace at the current virtual time (expired keys absent), the last load
// and exit, log lines of every incarnation, coverage marks, and the visible files (read from SimFs
// directly, not through syscalls, so checking never changes the trace or fault counts).
// Every failed check is reported with its JSON path; checking goes on after a failure.

import type { AofConfig } from '../../src/aof/config.ts';
import { canonicalDump } from '../../src/keyspace/canonical-dump.ts';
import { fromUtf8 } from '../../src/keyspace/types.ts';
import type { World } from '../world/world.ts';
import type { Expectations } from './scenario-types.ts';
import type { CoverageMark } from '../../src/ports/coverage-marks.ts';

export function checkExpectations(
  world: World<AofConfig>,
  e: Expectations,
  path: string,
  abs: (p: string) => string,
  check: (path: string, ok: boolean, message: string) => void,
): void {
  const now = world.wallNowMs(); // the server's view of time (TTLs)
  const server = world.server;
  if (e.keys !== undefined) {
    for (const [key, want] of Object.entries(e.keys)) {
      const p = `${path}.keys.${JSON.stringify(key)}`;
      if (!server) {
        check(p, false, 'no server has been started');
        continue;
      }
      const db = server.keyspace.db(0);
      const k = fromUtf8(key);
      const exp = db.expires.get(k);
      const v = exp !== undefined && exp <= now ? undefined : db.dict.get(k);
      const got = v === undefined ? null : v.type === 'string' ? Buffer.from(v.value, 'latin1').toString('utf8') : `<${v.type}>`;
      check(p, got === want, `expected ${JSON.stringify(want)}; got ${JSON.stringify(got)}`);
    }
  }
  if (e.dump !== undefined || e.dumpContains !== undefined) {
    if (!server) check(`${path}.dump`, false, 'no server has been started');
    else {
      const dump = canonicalDump(server.keyspace, now);
      if (e.dump !== undefined) {
        const got = normalize(dump.dbs);
        const want = normalize(e.dump.dbs);
        check(`${path}.dump`, got === want, `expected dbs ${want}; got ${got}`);
      }
      if (e.dumpContains !== undefined) {
        for (const [db, entries] of Object.entries(e.dumpContains.dbs)) {
          const have = ((dump.dbs as Record<string, unknown[]>)[db] ?? []).map(normalize);
          entries.forEach((entry, i) => {
            const want = normalize(entry);
            check(`${path}.dumpContains.dbs.${db}[${i}]`, have.includes(want), `expected entry ${want} in db ${db}; db has ${have.length} entries: ${have.join(', ').slice(0, 400)}`);
          });
        }
      }
    }
  }
  if (e.load !== undefined) {
    const last = world.loads.at(-1);
    check(`${path}.load`, last?.outcome === e.load, `expected load ${e.load}; got ${last ? `${last.outcome}${last.reason ? ` (${last.reason})` : ''}` : 'no start'}`);
  }
  if (e.process !== undefined) check(`${path}.process`, world.processState === e.process, `expected process ${e.process}; got ${world.processState}`);
  if (e.exited !== undefined) {
    const last = world.exits.at(-1);
    if (e.exited === false) check(`${path}.exited`, last === undefined, `expected no process exit; got exit ${last?.exitCode}: ${last?.reason}`);
    else {
      check(`${path}.exited`, last !== undefined, 'expected the process to exit by itself; it did not');
      if (last && e.exited.code !== undefined) check(`${path}.exited.code`, last.exitCode === e.exited.code, `expected exit code ${e.exited.code}; got ${last.exitCode}`);
      if (last && e.exited.reason !== undefined) check(`${path}.exited.reason`, last.reason.includes(e.exited.reason), `expected exit reason containing ${JSON.stringify(e.exited.reason)}; got ${JSON.stringify(last.reason)}`);
    }
  }
  for (const [i, s] of (e.log ?? []).entries()) {
    check(`${path}.log[${i}]`, world.logged(s).length > 0, `expected a log line containing ${JSON.stringify(s)}; none found`);
  }
  for (const [i, s] of (e.logAbsent ?? []).entries()) {
    const found = world.logged(s);
    check(`${path}.logAbsent[${i}]`, found.length === 0, `expected no log line containing ${JSON.stringify(s)}; found ${JSON.stringify(found[0]?.message)}`);
  }
  if (e.files !== undefined || e.fileContains !== undefined) {
    const visible = new Map(world.fs.listFiles('visible').map((f) => [f.path, f.data]));
    for (const [p, size] of Object.entries(e.files ?? {})) {
      const data = visible.get(abs(p));
      const got = data === undefined ? null : data.length;
      check(`${path}.files.${JSON.stringify(p)}`, got === size, `expected ${abs(p)} ${size === null ? 'absent' : `${size} bytes`}; got ${got === null ? 'absent' : `${got} bytes`}`);
    }
    for (const [p, subs] of Object.entries(e.fileContains ?? {})) {
      const data = visible.get(abs(p));
      const text = data === undefined ? null : Buffer.from(data).toString('latin1');
      subs.forEach((s, i) => {
        check(`${path}.fileContains.${JSON.stringify(p)}[${i}]`, text !== null && text.includes(s), `expected ${abs(p)} to contain ${JSON.stringify(s)}; ${text === null ? 'the file is absent' : `its ${text.length} bytes do not`}`);
      });
    }
  }
  for (const [name, n] of Object.entries(e.marks ?? {}) as [CoverageMark, number][]) {
    const got = world.marks.get(name) ?? 0;
    const p = `${path}.marks.${JSON.stringify(name)}`;
    if (n === 0) check(p, got === 0, `expected mark ${name} never reached; got ${got}`);
    else check(p, got >= n, `expected mark ${name} reached at least ${n} times; got ${got}`);
  }
}

/** JSON with object keys sorted, so expectations need not follow the dump's key order. */
function normalize(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
