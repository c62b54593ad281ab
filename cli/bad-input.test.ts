// Every command fed a user's mistakes (flags, paths, ports, binaries, bug names, scenario files):
// each ends with exactly one line on stderr naming the problem and exit 2 (1 for `check`, as
// redis-check-aof exits), never a stack trace, and nothing created on disk.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

const root = mkdtempSync(join(tmpdir(), 'aofsim-bad-input-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = join(root, 'regular-file');
writeFileSync(file, 'x');
const emptyDir = join(root, 'empty-dir');
mkdirSync(emptyDir);
const notExecutable = join(root, 'not-executable');
writeFileSync(notExecutable, '#!/bin/sh\necho hi\n');
const notRedis = join(root, 'not-redis');
writeFileSync(notRedis, '#!/bin/sh\necho "hello from a script"\n');
chmodSync(notRedis, 0o755);
const badJson = join(root, 'bad.scenario.json');
writeFileSync(badJson, '{"name": ');
const badScenario = join(root, 'bad2.scenario.json');
writeFileSync(badScenario, '{"name": "x"}');
const badRealScenario = join(root, 'bad3.scenario.json');
writeFileSync(badRealScenario, '{"subject": "redis-server", "nam": "x"}');

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

async function expectOneLine(argv: string[], code: number, pattern: RegExp): Promise<void> {
  err = '';
  const got = await main(argv);
  const ctx = `aofsim ${argv.join(' ')}\nstderr: ${err}`;
  expect(got, ctx).toBe(code);
  expect(err, ctx).toMatch(/^[^\n]+\n$/);
  expect(err, ctx).toMatch(pattern);
  expect(err, ctx).not.toMatch(/\n\s+at /);
}

describe('bad input: one line, exit 2 (check: 1), no stack trace', () => {
  it('aofsim itself', async () => {
    await expectOneLine(['nosuchcommand'], 2, /unknown command 'nosuchcommand'/);
  });

  it('check (redis-check-aof exit codes; its usage line on stdout)', async () => {
    await expectOneLine(['check'], 1, /missing PATH/);
    expect(out).toMatch(/^Usage: aofsim check \[--fix\|--truncate-to-timestamp \$timestamp\] <file\.manifest\|file\.aof>\n$/);
    await expectOneLine(['check', '--bogus', file], 1, /unknown option --bogus/);
    await expectOneLine(['check', '--truncate-to-timestamp'], 1, /--truncate-to-timestamp needs a value/);
    // A directory without an AOF and a missing file are redis-check-aof's own lines on stdout, exit 1.
    out = '';
    expect(await main(['check', emptyDir])).toBe(1);
    expect(out).toContain(`Cannot read file: ${emptyDir}\n`);
    out = '';
    expect(await main(['check', join(file, 'x')])).toBe(1);
    expect(out).toBe(`Cannot open file ${join(file, 'x')}: Not a directory\n`);
  });

  it('dump', async () => {
    await expectOneLine(['dump'], 2, /PATH is required/);
    await expectOneLine(['dump', join(file, 'x')], 2, /regular-file\/x: Not a directory$/m);
    await expectOneLine(['dump', join(root, 'missing')], 2, /missing: No such file or directory/);
    await expectOneLine(['dump', file, '--at-ms', 'soon'], 2, /--at-ms takes an integer/);
    await expectOneLine(['dump', file, '--load-truncated', 'maybe'], 2, /--load-truncated takes yes or no, got 'maybe'/);
  });

  it('rewrite', async () => {
    await expectOneLine(['rewrite', file], 2, /-o OUT is required/);
    await expectOneLine(['rewrite', join(file, 'x'), '-o', join(root, 'out')], 2, /Not a directory/);
    await expectOneLine(['rewrite', file, '-o', join(root, 'out'), '--profile', 'redis-9'], 2, /--profile takes redis-4.0 or redis-7.0/);
    await expectOneLine(['rewrite', file, '-o'], 2, /--out needs a value/);
    // OUT's directory is checked before the input is loaded (the input here is not even an AOF).
    await expectOneLine(['rewrite', file, '-o', join(root, 'missing', 'out')], 2, /-o .*missing\/out: No such file or directory \(.*missing\)$/m);
    await expectOneLine(['rewrite', file, '-o', join(file, 'out')], 2, /-o .*regular-file\/out: Not a directory \(.*regular-file\)$/m);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  it('serve: bad port, port in use, --dir naming a file, unknown bug switch; nothing created', async () => {
    const dir = join(root, 'serve-dir');
    await expectOneLine(['serve', '--port', '99999', '--dir', dir], 2, /bad port '99999'/);
    await expectOneLine(['serve', '--dir', dir], 2, /--port is required/);
    await expectOneLine(['serve', '--port', '0', '--dir', file], 2, /--dir .*regular-file: Not a directory/);
    await expectOneLine(['serve', '--port', '0', '--dir', dir, '--config', 'bugs', 'nosuchbug'], 2, /unknown bug switch 'nosuchbug'/);
    await expectOneLine(['serve', '--port', '0', '--dir', dir, '--config', 'appendfsync', 'sometimes'], 2, /appendfsync/);
    await expectOneLine(['serve', '--port', '0', '--dir', dir, '--config', 'appendonly'], 2, /--config takes two values/);
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      await expectOneLine(['serve', '--port', String(port), '--dir', dir, '--quiet'], 2, new RegExp(`--port ${port}: address already in use`));
    } finally {
      busy.close();
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('run', async () => {
    await expectOneLine(['run', '--seed'], 2, /--seed needs a value/);
    await expectOneLine(['run', '--seed', 'x'], 2, /--seed: expected an integer/);
    // A seed past 32 bits would wrap into another one, and the summary would name that one.
    await expectOneLine(['run', '--seed', '4294967297'], 2, /--seed: expected an integer from -2147483648 to 2147483647, got 4294967297/);
    await expectOneLine(['run', '--property', 'loader-truncated-prefix', '--fc-seed', '99999999999', '--fc-path', '1'], 2, /--fc-seed: expected an integer from/);
    await expectOneLine(['run', '--runs', '99999999999999999999'], 2, /--runs: expected a positive integer/);
    await expectOneLine(['run', '--bug', 'nope'], 2, /unknown bug switch nope/);
    await expectOneLine(['run', '--time', 'soon'], 2, /--time: expected a duration/);
    await expectOneLine(['run', '--profile', 'redis-9'], 2, /--profile takes redis-4.0 or redis-7.0/);
    await expectOneLine(['run', 'extra'], 2, /unexpected argument extra/);
    // A --junit file that cannot be written is a usage error before the campaign, not after it.
    await expectOneLine(['run', '--runs', '1', '--junit', emptyDir], 2, new RegExp(`--junit ${emptyDir}: Is a directory$`, 'm'));
    await expectOneLine(['run', '--runs', '1', '--junit', join(root, 'missing', 'x.xml')], 2, /--junit .*missing\/x\.xml: No such file or directory$/m);
    await expectOneLine(['run', '--runs', '1', '--junit', join(file, 'x.xml')], 2, /--junit .*regular-file\/x\.xml: Not a directory$/m);
    expect(out).toBe('');
  });

  it('replay: no file, a missing file, a directory, invalid JSON, an invalid scenario', async () => {
    await expectOneLine(['replay'], 2, /at least one scenario file/);
    await expectOneLine(['replay', join(root, 'missing.json')], 2, /missing\.json: No such file or directory/);
    await expectOneLine(['replay', emptyDir], 2, new RegExp(`^aofsim replay: ${emptyDir}: Is a directory\n$`));
    await expectOneLine(['replay', badJson], 2, /bad\.scenario\.json: .*not valid JSON/);
    await expectOneLine(['replay', badScenario], 2, /bad2\.scenario\.json: /);
    // A scenario for the real binary with a field missing is as invalid (it was exit 1, 'failed').
    // The misspelt field itself is named (before the missing name it leaves).
    await expectOneLine(['replay', badRealScenario], 2, /bad3\.scenario\.json: \$\.nam: unknown field; expected one of name, source, /m);
  });

  it('validate: subcommands, paths, and --bin checked before any fault is injected', async () => {
    await expectOneLine(['validate'], 2, /expected "files", "server" or "redis-server"/);
    await expectOneLine(['validate', 'files'], 2, /at least one PATH/);
    await expectOneLine(['validate', 'files', join(root, 'missing')], 2, /missing: No such file or directory/);
    await expectOneLine(['validate', 'redis-server', '--only', 'nothing'], 2, /--only takes/);
    await expectOneLine(['validate', 'redis-server', '--bin', '/nonexistent'], 2, /--bin \/nonexistent: No such file or directory/);
    expect(out).toBe('');
    await expectOneLine(['validate', 'redis-server', '--bin', notExecutable], 2, /not executable/);
    await expectOneLine(['validate', 'redis-server', '--bin', notRedis], 2, /not a Redis-like server .*hello from a script/);
    await expectOneLine(['validate', 'redis-server', '--bin', 'no-such-binary-on-path'], 2, /not found on PATH/);
    expect(out).toBe('');
  });

  it('validate files on an empty directory: Redis starts empty there, no deviation', async () => {
    expect(await main(['validate', 'files', emptyDir])).toBe(0);
    expect(out).toContain('Redis 7.0: empty (status not-exist)');
    expect(out).toContain('no deviation');
  });
});
