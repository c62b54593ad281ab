// Bug switch 'incrbyfloat-drops-ttl' drops only the KEEPTTL option of a propagated SET, never the
// key or the value, even when they read "keepttl" (a mutation survivor of bugDropKeepTtl).
import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../resp/encode.ts';
import { makeTestAof } from '../../../testing/aof/writer-support.ts';
import { feedAppendOnlyFile } from './feed-append-only-file.ts';

describe("feedAppendOnlyFile with bug switch 'incrbyfloat-drops-ttl' (7.0)", () => {
  it('drops the KEEPTTL option and keeps a key and value named keepttl', () => {
    const t = makeTestAof({ profile: 'redis-7.0', bugs: ['incrbyfloat-drops-ttl'] });
    feedAppendOnlyFile(t.ctx, [{ db: 0, argv: ['SET', 'KeepTtl', 'keepttl', 'KEEPTTL'] }], null);
    expect(t.ctx.state.aofBuf).toBe(encodeCommand(['SELECT', '0']) + encodeCommand(['SET', 'KeepTtl', 'keepttl']));
  });

  it('without the switch the record is verbatim', () => {
    const t = makeTestAof({ profile: 'redis-7.0' });
    feedAppendOnlyFile(t.ctx, [{ db: 0, argv: ['SET', 'k', '1.5', 'KEEPTTL'] }], null);
    expect(t.ctx.state.aofBuf).toBe(encodeCommand(['SELECT', '0']) + encodeCommand(['SET', 'k', '1.5', 'KEEPTTL']));
  });
});
