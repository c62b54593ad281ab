import { describe, expect, it } from 'vitest';
import { Trace, formatLine, showBytes } from './trace.ts';

describe('Trace', () => {
  it('formats a timeline and JSON lines, and hashes them stably', () => {
    const t = new Trace();
    t.record(0, 'main', 'syscall', '#1 write /data/appendonly.aof len=54 = 54');
    t.record(1500, 'client', 'reply', 'c0 #1 OK');
    expect(t.timeline()).toBe(
      '     0.000s main       syscall    #1 write /data/appendonly.aof len=54 = 54\n' +
        '     1.500s client     reply      c0 #1 OK\n',
    );
    expect(t.jsonLines().split('\n')[1]).toBe('{"t":1500,"actor":"client","kind":"reply","text":"c0 #1 OK"}');
    const u = new Trace();
    u.record(0, 'main', 'syscall', '#1 write /data/appendonly.aof len=54 = 54');
    u.record(1500, 'client', 'reply', 'c0 #1 OK');
    expect(u.hash()).toBe(t.hash());
    u.record(1501, 'client', 'reply', 'x');
    expect(u.hash()).not.toBe(t.hash());
    expect(t.hash()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records nothing when disabled', () => {
    const t = new Trace(false);
    t.record(0, 'main', 'log', 'x');
    expect(t.events).toEqual([]);
  });

  it('shows bytes escaped and cut', () => {
    expect(showBytes('a\r\n\x00\xff')).toBe('"a\\r\\n\\u0000\\xff"');
    expect(showBytes('x'.repeat(60), 4)).toBe('"xxxx"...(60 bytes)');
    expect(formatLine({ t: 12, actor: 'bio-fsync', kind: 'bio', text: 'done' })).toBe('     0.012s bio-fsync  bio        done');
  });
});
