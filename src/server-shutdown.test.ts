import { describe, expect, it } from 'vitest';
import { parseShutdownArgs, signalShutdownOptions } from './server-shutdown.ts';

describe('parseShutdownArgs (redis 7.0.15 / 4.0.14 db.c shutdownCommand)', () => {
  it('7.0: any of NOSAVE SAVE NOW FORCE; SAVE with NOSAVE or ABORT with anything is a syntax error', () => {
    expect(parseShutdownArgs([], 'redis-7.0')).toEqual({ kind: 'shutdown', options: { force: false, save: null } });
    expect(parseShutdownArgs(['nosave', 'NOW', 'force'], 'redis-7.0')).toEqual({ kind: 'shutdown', options: { force: true, save: 'nosave' } });
    expect(parseShutdownArgs(['SAVE', 'save'], 'redis-7.0')).toEqual({ kind: 'shutdown', options: { force: false, save: 'save' } });
    expect(parseShutdownArgs(['abort'], 'redis-7.0')).toEqual({ kind: 'abort' });
    for (const args of [['save', 'nosave'], ['abort', 'now'], ['force', 'abort'], ['x'], ['']]) expect(parseShutdownArgs(args, 'redis-7.0').kind, args.join(' ')).toBe('syntax-error');
  });

  it('4.0: at most one argument, NOSAVE or SAVE', () => {
    expect(parseShutdownArgs(['NoSave'], 'redis-4.0')).toEqual({ kind: 'shutdown', options: { force: false, save: 'nosave' } });
    for (const args of [['force'], ['now'], ['abort'], ['save', 'save'], ['nosave', 'now']]) expect(parseShutdownArgs(args, 'redis-4.0').kind, args.join(' ')).toBe('syntax-error');
  });
});

describe('signalShutdownOptions', () => {
  it('7.0 takes shutdown-on-sig*: "default" is no flag; 4.0 has no such setting', () => {
    expect(signalShutdownOptions('redis-7.0', 'default')).toEqual({ force: false, save: null });
    expect(signalShutdownOptions('redis-7.0', 'nosave force')).toEqual({ force: true, save: 'nosave' });
    expect(signalShutdownOptions('redis-7.0', undefined)).toEqual({ force: false, save: null });
    expect(signalShutdownOptions('redis-4.0', 'force')).toEqual({ force: false, save: null });
  });
});
