import { describe, expect, it } from 'vitest';
import { groupFindings, normaliseSymptom, type FailureInstance } from './findings.ts';
import { junitXml } from './junit.ts';

function inst(over: Partial<FailureInstance>): FailureInstance {
  return {
    property: 'server-starts', crashModel: 'zero-fill', step: 'power loss after write(appendonly.aof.N.incr.aof)', symptom: 'refused',
    size: 10, sizeUnit: 'ops', replay: 'replay-10', where: 'seed 1', detail: 'refused', known: null, ...over,
  };
}

describe('findings', () => {
  it('normalises numbers and quoted values so repeats compare equal', () => {
    expect(normaliseSymptom('key "c2" in db 0 was recovered as "s\\u00012" (k=41)')).toBe(normaliseSymptom('key "k9" in db 3 was recovered as "x" (k=7)'));
    expect(normaliseSymptom('[offset 0x1f] bad')).toBe('[offset 0x…] bad');
  });

  it('groups repeats by signature, counts them, keeps the shortest counterexample', () => {
    const many = [
      ...Array.from({ length: 300 }, (_, i) => inst({ size: 50 + i, replay: `replay-${50 + i}` })),
      inst({ size: 7, replay: 'replay-7' }),
      ...Array.from({ length: 51 }, (_, i) => inst({ property: 'writes-after-recovery-survive', crashModel: 'torn', symptom: 'probe lost', size: 20 + i, known: 'bug 22' })),
    ];
    const fs = groupFindings(many);
    expect(fs.map((f) => [f.property, f.count])).toEqual([
      ['server-starts', 301],
      ['writes-after-recovery-survive', 51],
    ]);
    expect(fs[0].example.replay).toBe('replay-7');
    expect(fs[1].known).toBe('bug 22');
  });

  it('labels crash models by what produces them and says when only a weaker model shows a symptom', () => {
    const fs = groupFindings([
      inst({ crashModel: 'reorder', symptom: 'holes' }),
      inst({ crashModel: 'torn', symptom: 'lost tail' }),
      inst({ crashModel: 'process-kill', symptom: 'lost tail' }),
    ]);
    const holes = fs.find((f) => f.symptom === 'holes')!;
    expect(holes.producedBy).toContain('any POSIX file system');
    expect(holes.weakerOnly).toContain('weaker than ext4 data=ordered');
    const torn = fs.find((f) => f.crashModel === 'torn')!;
    expect(torn.producedBy).toContain('ext4 data=ordered');
    expect(torn.weakerOnly).toBeNull(); // a process kill shows the same symptom
    expect(fs.find((f) => f.crashModel === 'process-kill')!.producedBy).toContain('process kill');
  });

  it('unknown findings lead, then by count', () => {
    const fs = groupFindings([inst({ known: 'k', symptom: 'a' }), inst({ known: 'k', symptom: 'a' }), inst({ symptom: 'b' })]);
    expect(fs.map((f) => f.symptom)).toEqual(['b', 'a']);
  });
});

describe('junit', () => {
  it('escapes text and control characters, counts failures and skips', () => {
    const xml = junitXml([
      {
        name: 's',
        timeSeconds: 1,
        cases: [
          { classname: 'p', name: 'a<b' },
          { classname: 'p', name: 'c', failure: { message: 'x "y" & \u0001', body: 'replay: npx aofsim replay f --timeline' } },
          { classname: 'p', name: 'd', skipped: 'not run' },
        ],
      },
    ]);
    expect(xml).toContain('<testsuites tests="3" failures="1" skipped="1" errors="0">');
    expect(xml).toContain('name="a&lt;b"');
    expect(xml).toContain('message="x &quot;y&quot; &amp; \ufffd"');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });
});
