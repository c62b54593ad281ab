// Findings, not repeats: failures of `aofsim run` and `aofsim validate` grouped by a signature
// (property, crash model, the step where the state went wrong, the symptom). Each group keeps its
// count, its shortest replayable counterexample and, when one is known, the name of the bug switch
// or the known Redis behaviour it matches. Reports lead with these groups.
//
// Crash models are labelled with what can produce them (crashClassOf): a process kill, a power
// loss on ext4 data=ordered, or only a power loss on a file system that gives no more than POSIX
// requires. A finding whose (property, step, symptom) no stronger model produced says so.
//
// Invariants: pure functions of their inputs; the order of findings is stable (unknown findings
// first, then by count, then by signature text), so the same failures give the same report.

import type { CrashModelName } from '../crash/crash-decision.ts';

/** What can produce a crash state: the weaker the class, the fewer systems it happens on. */
export type CrashClass = 'process-kill' | 'ext4-ordered' | 'posix';

export const CRASH_CLASS_LABEL: Record<CrashClass, string> = {
  'process-kill': 'process kill (SIGKILL, OOM kill, a crash of the server): the page cache survives',
  'ext4-ordered': 'power loss on ext4 data=ordered (the default ext4 mode): unsynced appends are lost from some point on, never replaced by garbage',
  posix: 'power loss on any POSIX file system (e.g. ext4 data=writeback, XFS): unsynced data may land out of order or read as zeros; ext4 data=ordered does not produce it',
};

const CLASS_OF: Record<CrashModelName, CrashClass> = {
  'process-kill': 'process-kill',
  strict: 'ext4-ordered',
  prefix: 'ext4-ordered',
  torn: 'ext4-ordered',
  'zero-fill': 'posix',
  reorder: 'posix',
};

const STRENGTH: Record<CrashClass, number> = { 'process-kill': 0, 'ext4-ordered': 1, posix: 2 };

/** The class of a crash model name (null for a name that is not a crash model: a fault, 'offline'). */
export function crashClassOf(model: string | null): CrashClass | null {
  return model !== null && model in CLASS_OF ? CLASS_OF[model as CrashModelName] : null;
}

/** One failure, reduced to its signature and how to replay it. */
export interface FailureInstance {
  property: string;
  /** A crash model name (process-kill, strict, ..., reorder), a fault name, or null. */
  crashModel: string | null;
  /** Where the state went wrong (a crash point, "crash between steps", "after write(INCR)", ...). */
  step: string;
  /** The symptom, normalised (normaliseSymptom) so that repeats compare equal. */
  symptom: string;
  /** The counterexample's size (actions, bytes, trace operations): the shortest is shown. */
  size: number;
  sizeUnit: string;
  /** The command that replays this counterexample. */
  replay: string;
  /** Where it was found (combination, seed), for the reader. */
  where: string;
  /** The full message of this instance. */
  detail: string;
  /** The bug switch or known Redis behaviour it matches, when known. */
  known: string | null;
}

export interface Finding {
  key: string;
  property: string;
  crashModel: string | null;
  crashClass: CrashClass | null;
  /** What can produce the crash model (CRASH_CLASS_LABEL), or null when there is no crash. */
  producedBy: string | null;
  step: string;
  symptom: string;
  count: number;
  /** The shortest instance. */
  example: FailureInstance;
  known: string | null;
  /** Set when only a weaker crash model than some other finding's class shows this symptom. */
  weakerOnly: string | null;
}

/** Numbers become N and quoted values "…", so one symptom with other keys and counts is one text. */
export function normaliseSymptom(message: string): string {
  return message
    .split('\n')[0]
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/0x[0-9a-f]+|\d+(\.\d+)?/gi, (m) => (m.startsWith('0x') || m.startsWith('0X') ? '0x…' : 'N'))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

export function signatureKey(f: Pick<FailureInstance, 'property' | 'crashModel' | 'step' | 'symptom'>): string {
  return [f.property, f.crashModel ?? '-', f.step, f.symptom].join('\u0000');
}

/** Groups failures by signature; unknown findings first, then by count. */
export function groupFindings(failures: readonly FailureInstance[]): Finding[] {
  const groups = new Map<string, Finding>();
  for (const f of failures) {
    const key = signatureKey(f);
    const g = groups.get(key);
    if (g === undefined) {
      const cls = crashClassOf(f.crashModel);
      groups.set(key, {
        key, property: f.property, crashModel: f.crashModel, crashClass: cls, producedBy: cls ? CRASH_CLASS_LABEL[cls] : null,
        step: f.step, symptom: f.symptom, count: 1, example: f, known: f.known, weakerOnly: null,
      });
      continue;
    }
    g.count++;
    if (f.size < g.example.size) g.example = f;
    if (g.known === null) g.known = f.known;
  }
  const out = [...groups.values()];
  // The strongest class that shows each (property, step, symptom).
  const strongest = new Map<string, number>();
  for (const g of out) {
    if (g.crashClass === null) continue;
    const k = [g.property, g.step, g.symptom].join('\u0000');
    strongest.set(k, Math.min(strongest.get(k) ?? 9, STRENGTH[g.crashClass]));
  }
  for (const g of out) {
    if (g.crashClass === null || g.crashClass === 'process-kill') continue;
    const best = strongest.get([g.property, g.step, g.symptom].join('\u0000')) ?? 9;
    if (best === STRENGTH[g.crashClass]) {
      g.weakerOnly =
        g.crashClass === 'posix'
          ? 'only under a power loss on a file system weaker than ext4 data=ordered (no process kill or ext4 data=ordered state showed it)'
          : 'only under a power loss (no process kill showed it)';
    }
  }
  return out.sort((a, b) => Number(a.known !== null) - Number(b.known !== null) || b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A finding as report lines (console, JUnit bodies). */
export function describeFinding(f: Finding, index: number): string[] {
  const lines = [
    `finding ${index + 1}: ${f.property}${f.crashModel ? ` under ${f.crashModel}` : ''}, ${f.count} failure${f.count === 1 ? '' : 's'}${f.known ? ` (matches ${f.known})` : ''}`,
    `  step:    ${f.step}`,
    `  symptom: ${f.symptom}`,
  ];
  if (f.producedBy) lines.push(`  crash:   ${f.producedBy}`);
  if (f.weakerOnly) lines.push(`  note:    ${f.weakerOnly}`);
  lines.push(`  shortest: ${f.example.size} ${f.example.sizeUnit} (${f.example.where})`, `  replay:  ${f.example.replay}`);
  return lines;
}
