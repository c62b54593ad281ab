// The library's factories and SimWorld.crash check what a user passes and say what they expected,
// instead of failing later with a TypeError from deep inside: no options at all, a crash "model"
// that is not one (e.g. 'power-loss', the README's word for the family), a profile that does not
// exist for the workload generator.

import { describe, expect, it } from 'vitest';
import { workloadArbitrary } from './arbitraries.ts';
import { createWorld } from './world.ts';

describe('library arguments', () => {
  it('createWorld without options says what it wants', () => {
    expect(() => (createWorld as (o?: unknown) => unknown)()).toThrow("createWorld: expected an options object such as { profile: 'redis-7.0' }; got undefined");
  });

  it('SimWorld.crash names the crash models', () => {
    const world = createWorld({ profile: 'redis-7.0' });
    expect(() => world.crash('power-loss' as never)).toThrow(
      'SimWorld.crash: expected a crash model (process-kill, strict, prefix, torn, zero-fill, reorder) or a crash decision with one; got "power-loss"',
    );
    expect(() => world.crash({ model: 'nope' } as never)).toThrow(/^SimWorld\.crash: expected a crash model .*; got \{"model":"nope"\}$/);
    world.crash('strict'); // a model name still works
    expect(world.restart().ok).toBe(true);
  });

  it('workloadArbitrary refuses a profile that does not exist', () => {
    expect(() => workloadArbitrary({ profile: 'redis-5.0' as never })).toThrow("workloadArbitrary: profile must be 'redis-4.0' or 'redis-7.0', got \"redis-5.0\"");
  });
});
