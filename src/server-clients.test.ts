// CLIENT, TIME and INFO's counters on a Server over virtual time. Replies and error texts as
// redis-server 7.0.15 gave them for the same commands (recorded by hand with redis-cli).

import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { Server } from './server.ts';
import { replyText } from './commands/exec-all.ts';
import { FaultyFs, TestClock } from '../testing/aof/writer-support.ts';

function boot() {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  const clock = new TestClock();
  const s = new Server({ fs, clock, tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(7) }, { dir: '/d', profile: 'redis-7.0' }, { pid: 4242, tcpPort: 6399 });
  s.start();
  const run = (c: ReturnType<Server['newClient']>, ...argv: string[]) => replyText(s.call(c, argv));
  return { s, clock, run };
}

const field = (info: unknown, name: string): string | undefined => new RegExp(`^${name}:(.*)\\r$`, 'm').exec(String(info))?.[1];

describe('CLIENT', () => {
  it('ID, SETNAME/GETNAME, INFO and LIST describe the connections', () => {
    const { s, clock, run } = boot();
    const a = s.newClient({ addr: '127.0.0.1:50000', laddr: '127.0.0.1:6399', fd: 8 });
    const b = s.newClient({ addr: '127.0.0.1:50001', laddr: '127.0.0.1:6399', fd: 9 });
    expect(run(a, 'CLIENT', 'ID')).toBe(a.id);
    expect(run(a, 'CLIENT', 'GETNAME')).toBe(null);
    expect(run(a, 'CLIENT', 'SETNAME', 'a b')).toBe('(error) ERR Client names cannot contain spaces, newlines or special characters.');
    expect(run(a, 'CLIENT', 'SETNAME', 'worker')).toBe('OK');
    expect(run(a, 'CLIENT', 'GETNAME')).toBe('worker');
    expect(run(a, 'CLIENT', 'SETNAME', '')).toBe('OK');
    expect(run(a, 'CLIENT', 'GETNAME')).toBe(null);
    clock.advance(3000);
    run(b, 'SELECT', '2');
    const info = String(run(b, 'CLIENT', 'INFO'));
    expect(info).toMatch(new RegExp(`^id=${b.id} addr=127\\.0\\.0\\.1:50001 laddr=127\\.0\\.0\\.1:6399 fd=9 name= age=3 idle=0 flags=N db=2 .* cmd=client\\|info user=default redir=-1 resp=2\\n$`));
    const list = String(run(a, 'CLIENT', 'LIST')).split('\n').filter((l) => l !== '');
    expect(list.map((l) => /^id=(\d+) /.exec(l)?.[1])).toEqual([String(a.id), String(b.id)]);
    expect(run(a, 'CLIENT', 'LIST', 'TYPE', 'x')).toBe("(error) ERR Unknown client type 'x'");
    expect(run(a, 'CLIENT', 'LIST', 'TYPE', 'pubsub')).toBe('');
    expect(run(a, 'CLIENT', 'FOO')).toBe("(error) ERR unknown subcommand 'FOO'. Try CLIENT HELP.");
    expect(run(a, 'CLIENT', 'ID', 'x')).toBe("(error) ERR wrong number of arguments for 'client|id' command");
  });

  it('a blocked client shows flag b and one in MULTI flag x', () => {
    const { s, run } = boot();
    const a = s.newClient();
    const b = s.newClient();
    s.execute(a, ['BLPOP', 'q', '0']);
    s.execute(b, ['MULTI']);
    s.execute(b, ['SET', 'k', 'v']);
    s.beforeSleep();
    s.takeReplies();
    const c = s.newClient();
    const lines = String(run(c, 'CLIENT', 'LIST')).split('\n');
    expect(lines[0]).toMatch(/ flags=b /);
    expect(lines[1]).toMatch(/ flags=x .* multi=1 /);
  });

  it('KILL in both forms: the killed client stops waiting and is gone from the list', () => {
    const { s, run } = boot();
    const a = s.newClient({ addr: '127.0.0.1:50000', laddr: '127.0.0.1:6399', fd: 8 });
    const b = s.newClient({ addr: '127.0.0.1:50001', laddr: '127.0.0.1:6399', fd: 9 });
    const c = s.newClient({ addr: '/tmp/r.sock:0', laddr: '/tmp/r.sock:0', fd: 10 });
    s.execute(b, ['BLPOP', 'q', '0']);
    expect(s.isBlocked(b)).toBe(true);
    expect(run(a, 'CLIENT', 'KILL', '1.2.3.4:5')).toBe('(error) ERR No such client');
    expect(run(a, 'CLIENT', 'KILL', '127.0.0.1:50001')).toBe('OK');
    expect(s.isBlocked(b)).toBe(false);
    expect(s.takeKilledClients()).toEqual([b.id]);
    expect(run(a, 'CLIENT', 'KILL', 'ID', '0')).toBe('(error) ERR client-id should be greater than 0');
    expect(run(a, 'CLIENT', 'KILL', 'TYPE', 'foo')).toBe("(error) ERR Unknown client type 'foo'");
    expect(run(a, 'CLIENT', 'KILL', 'USER', 'nobody')).toBe("(error) ERR No such user 'nobody'");
    expect(run(a, 'CLIENT', 'KILL', 'SKIPME', 'maybe')).toBe('(error) ERR syntax error');
    expect(run(a, 'CLIENT', 'KILL', 'ID', '999')).toBe(0);
    expect(run(a, 'CLIENT', 'KILL', 'LADDR', '127.0.0.1:6399')).toBe(0);
    expect(run(a, 'CLIENT', 'KILL', 'ADDR', '/tmp/r.sock:0')).toBe(1);
    expect(s.takeKilledClients()).toEqual([c.id]);
    // SKIPME no: the caller goes too (after its reply).
    expect(run(a, 'CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no')).toBe(1);
    expect(s.takeKilledClients()).toEqual([a.id]);
    const d = s.newClient();
    expect(String(run(d, 'CLIENT', 'LIST')).split('\n').filter((l) => l !== '')).toHaveLength(1);
  });
});

describe('TIME and INFO', () => {
  it('TIME answers the server clock in seconds and microseconds', () => {
    const { s, clock, run } = boot();
    const a = s.newClient();
    const t = clock.nowMs();
    expect(run(a, 'TIME')).toEqual([String(Math.floor(t / 1000)), String((t % 1000) * 1000)]);
    clock.advance(1234);
    expect(run(a, 'TIME')).toEqual([String(Math.floor((t + 1234) / 1000)), String(((t + 1234) % 1000) * 1000)]);
    expect(run(a, 'TIME', 'x')).toBe("(error) ERR wrong number of arguments for 'time' command");
  });

  it('INFO stats, clients and server count what happened', () => {
    const { s, clock, run } = boot();
    const a = s.newClient();
    s.newClient();
    run(a, 'SET', 'k', 'v');
    run(a, 'GET', 'k');
    run(a, 'GET', 'nokey');
    run(a, 'SET', 'e', 'v', 'PX', '10');
    clock.advance(20);
    run(a, 'GET', 'e');
    run(a, 'NOSUCHCOMMAND');
    clock.advance(2000);
    const info = run(a, 'INFO', 'everything');
    expect(field(info, 'keyspace_hits')).toBe('1');
    expect(field(info, 'keyspace_misses')).toBe('2');
    expect(field(info, 'expired_keys')).toBe('1');
    expect(field(info, 'total_connections_received')).toBe('2');
    expect(field(info, 'connected_clients')).toBe('2');
    expect(field(info, 'total_commands_processed')).toBe('6');
    expect(field(info, 'total_error_replies')).toBe('1');
    expect(field(info, 'total_forks')).toBe('0');
    expect(field(info, 'process_id')).toBe('4242');
    expect(field(info, 'tcp_port')).toBe('6399');
    expect(field(info, 'uptime_in_seconds')).toBe('2');
    expect(field(info, 'run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(field(info, 'used_memory')).toMatch(/^\d+$/);
    expect(String(run(a, 'INFO', 'stats'))).toMatch(/^# Stats\r\n/);
  });
});
