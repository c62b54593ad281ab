// Stream commands: replies and propagation per profile (redis 7.0.15 t_stream.c). The broad reply
// and AOF comparison against a real server lives in properties/conformance/; these pin the
// propagation rules of the file header. Clock: 1_700_000_000_000.

import { describe, expect, it } from 'vitest';
import { rig } from '../../../testing/commands/rig.ts';

const T = '1700000000000';
const xclaim = (key: string, g: string, c: string, id: string, count: number, last: string) =>
  `XCLAIM ${key} ${g} ${c} 0 ${id} TIME ${T} RETRYCOUNT ${count} FORCE JUSTID LASTID ${last}`;

describe('stream propagation', () => {
  it('XADD * and ms-* propagate the generated id; an approximate trim is propagated exact', () => {
    const r = rig();
    expect(r.prop('XADD s * a 1', `XADD s ${T}-* b 2`)).toEqual(['SELECT 0', `XADD s ${T}-0 a 1`, `XADD s ${T}-1 b 2`]);
    // `~` removes whole nodes only, so nothing goes from a 2- or 3-entry stream; the threshold
    // propagated is then the resulting length / first id (what the replica must keep).
    expect(r.prop('XADD s2 1-1 a 1', 'XADD s2 MAXLEN ~ 1 2-* c 3', 'XADD s2 MINID ~ 2 3-0 d 4', 'XADD s2 MAXLEN ~ 0 4-0 e 5')).toEqual([
      'SELECT 0',
      'XADD s2 1-1 a 1',
      'XADD s2 MAXLEN = 2 2-0 c 3',
      'XADD s2 MINID = 1-1 3-0 d 4',
      'XADD s2 MAXLEN = 0 4-0 e 5',
    ]);
    expect(r.run('XLEN s2')).toEqual([0]);
  });

  it('XTRIM propagates only when it removed entries; XDEL / XSETID verbatim', () => {
    const r = rig();
    r.run('XADD s 1-1 a 1', 'XADD s 2-1 a 1');
    expect(r.prop('XTRIM s MAXLEN 5', 'XTRIM s MAXLEN 1', 'XDEL s 9-9', 'XDEL s 2-1', 'XSETID s 9-0 MAXDELETEDID 2-1')).toEqual([
      'SELECT 0',
      'XTRIM s MAXLEN 1',
      'XDEL s 2-1',
      'XSETID s 9-0 MAXDELETEDID 2-1',
    ]);
  });

  it('XREADGROUP > propagates one XCLAIM per delivered entry (MULTI/EXEC for several), never itself', () => {
    const r = rig();
    r.run('XADD s 1-1 a 1', 'XADD s 1-2 b 2', 'XGROUP CREATE s g 0');
    expect(r.prop('XREADGROUP GROUP g alice STREAMS s >')).toEqual([
      'SELECT 0',
      'MULTI',
      xclaim('s', 'g', 'alice', '1-1', 1, '1-1'),
      xclaim('s', 'g', 'alice', '1-2', 1, '1-2'),
      'EXEC',
    ]);
    expect(r.prop('XREADGROUP GROUP g alice STREAMS s >', 'XREADGROUP GROUP g alice STREAMS s 0')).toEqual([]);
  });

  it('XREADGROUP NOACK propagates XGROUP CREATECONSUMER for a new consumer and XGROUP SETID', () => {
    const r = rig();
    r.run('XADD s 1-1 a 1', 'XGROUP CREATE s g 0');
    expect(r.prop('XREADGROUP GROUP g bob NOACK STREAMS s >')).toEqual([
      'SELECT 0',
      'MULTI',
      'XGROUP CREATECONSUMER s g bob',
      'XGROUP SETID s g 1-1 ENTRIESREAD 1',
      'EXEC',
    ]);
  });

  it('XCLAIM propagates XCLAIMs, and XGROUP SETID only when LASTID moved the group and nothing was claimed', () => {
    const r = rig();
    r.run('XADD s 1-1 a 1', 'XGROUP CREATE s g 0', 'XREADGROUP GROUP g c1 STREAMS s >');
    expect(r.prop('XCLAIM s g c2 0 1-1 JUSTID')).toEqual(['SELECT 0', xclaim('s', 'g', 'c2', '1-1', 1, '1-1')]);
    expect(r.prop('XCLAIM s g c2 0 7-7 LASTID 5-0')).toEqual(['SELECT 0', 'XGROUP SETID s g 5-0 ENTRIESREAD 1']);
  });

  it('XAUTOCLAIM drops pending entries of deleted messages and propagates that as XCLAIM', () => {
    const r = rig();
    r.run('XADD s 1-1 a 1', 'XADD s 1-2 b 2', 'XGROUP CREATE s g 0', 'XREADGROUP GROUP g c1 STREAMS s >', 'XDEL s 1-1');
    const out = r.run('XAUTOCLAIM s g c2 0 0');
    expect(out).toEqual([['0-0', [['1-2', ['b', '2']]], ['1-1']]]);
    expect(r.run('XPENDING s g')).toEqual([[1, '1-2', '1-2', [['c2', '1']]]]);
  });

  it('the 4.0 profile has no stream commands (Redis 4.0 had no streams): 4.0 replies unknown command', () => {
    const r = rig('redis-4.0');
    expect(r.run('XADD s 1-1 a 1')).toEqual(['(error) ERR unknown command `XADD`, with args beginning with: `s`, `1-1`, `a`, `1`, ']);
    expect(r.prop('XGROUP CREATE s g 0')).toEqual([]);
  });

  it('XINFO STREAM FULL lists entries, groups, their PEL and consumers (COUNT 0 = all)', () => {
    const r = rig();
    r.run('XADD s 1-1 a 1', 'XADD s 2-1 b 2', 'XGROUP CREATE s g 0', 'XREADGROUP GROUP g c1 COUNT 1 STREAMS s >');
    const full = r.run('XINFO STREAM s FULL COUNT 0')[0] as unknown[];
    expect(full.slice(0, 14)).toEqual(['length', 2, 'radix-tree-keys', 1, 'radix-tree-nodes', 2, 'last-generated-id', '2-1', 'max-deleted-entry-id', '0-0', 'entries-added', 2, 'recorded-first-entry-id', '1-1']);
    expect(full[15]).toEqual([['1-1', ['a', '1']], ['2-1', ['b', '2']]]);
    expect(full[17]).toEqual([
      ['name', 'g', 'last-delivered-id', '1-1', 'entries-read', 1, 'lag', 1, 'pel-count', 1, 'pending', [['1-1', 'c1', Number(T), 1]],
        'consumers', [['name', 'c1', 'seen-time', Number(T), 'pel-count', 1, 'pending', [['1-1', Number(T), 1]]]]],
    ]);
    expect(r.run('XINFO STREAM s FULL COUNT')).toEqual(["(error) ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."]);
  });
});

describe('stream replies as redis 7.0.15 words them', () => {
  it('XGROUP HELP and XINFO HELP give the whole help; an unbalanced STREAMS list names XREAD and $ for both commands', () => {
    const r = rig();
    const [xg, xi] = r.run('XGROUP HELP', 'XINFO HELP') as string[][];
    expect(xg.length).toBe(17);
    expect(xg[16]).toBe('    Prints this help.');
    expect(xi).toContain('STREAM <key> [FULL [COUNT <count>]');
    expect(xi.length).toBe(9);
    const unbalanced = "(error) ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
    expect(r.run('XREAD STREAMS s t 0', 'XREADGROUP GROUP g c STREAMS s t 0')).toEqual([unbalanced, unbalanced]);
  });
});
