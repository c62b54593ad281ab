import { describe, expect, it } from 'vitest';
import { getBaseFileName, getIncrFileName, getManifestName, getTempIncrName, getTempManifestName } from './names.ts';

describe('multi-part AOF names', () => {
  it('match Redis 7.0 naming for appendfilename', () => {
    expect(getBaseFileName('appendonly.aof', 3, 'rdb')).toBe('appendonly.aof.3.base.rdb');
    expect(getBaseFileName('appendonly.aof', 1, 'aof')).toBe('appendonly.aof.1.base.aof');
    expect(getIncrFileName('appendonly.aof', 2)).toBe('appendonly.aof.2.incr.aof');
    expect(getTempIncrName('appendonly.aof')).toBe('temp-appendonly.aof.incr');
    expect(getManifestName('appendonly.aof')).toBe('appendonly.aof.manifest');
    expect(getTempManifestName('x.aof')).toBe('temp-x.aof.manifest');
  });
});
