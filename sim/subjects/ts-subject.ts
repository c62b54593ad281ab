// The `ts` subject (DESIGN section 6): this project's own AOF implementation inside the simulated
// World (sim/world), behind the Subject interface, so the campaigns that drive a real binary drive
// the simulator the same way. Supports everything: process kill and power loss (the World's crash
// engine), fault injection (the World's FaultPlan) and offline files (the loader).
//
// Invariants: deterministic for a seed (no wall clock: virtual time only); every exec settles in
// bounded virtual time; crash('process-kill') is the World's process-kill (page cache survives).

import type { AofConfig } from '../../src/aof/config.ts';
import type { Profile } from '../../src/base/profile.ts';
import { scenarioConfig, SCENARIO_DEFAULT_DIR } from '../scenario/scenario-config.ts';
import type { CrashDecision } from '../crash/crash-decision.ts';
import { World, type ServerFactory } from '../world/world.ts';
import { formatReply } from '../trace/reply-text.ts';
import { keyspaceDump } from './real-dump.ts';
import type { Subject, SubjectCapability, SubjectDump, SubjectReply, SubjectStart } from './subject.ts';

export interface TsSubjectOptions {
  seed: number;
  createServer: ServerFactory<AofConfig>;
  /** redis.conf names and values, as in scenario files. */
  config?: Record<string, string>;
  profile?: Profile;
  bugs?: string[];
  /** Files before the first start, relative to dir (/data) or absolute. */
  files?: Record<string, string>;
}

export class TsSubject implements Subject {
  readonly kind = 'ts' as const;
  readonly supports: readonly SubjectCapability[] = ['power-loss', 'process-kill', 'fault-injection', 'offline-files'];
  readonly world: World<AofConfig>;

  constructor(opts: TsSubjectOptions) {
    const config = scenarioConfig({ appendonly: 'yes', ...(opts.config ?? {}) }, opts.profile ?? 'redis-7.0', opts.bugs ?? [], 'ts-subject');
    const dir = config.dir || SCENARIO_DEFAULT_DIR;
    const files: Record<string, string> = { [`${dir}/.keep`]: '' };
    for (const [p, c] of Object.entries(opts.files ?? {})) files[p.startsWith('/') ? p : `${dir}/${p}`] = c;
    this.world = new World<AofConfig>({ seed: opts.seed, config, createServer: opts.createServer, files, trace: true });
  }

  private outcome(o: { outcome: 'ok' | 'exited'; exitCode: number | null; incarnation: number }): SubjectStart {
    return { outcome: o.outcome, exitCode: o.exitCode, log: this.world.logLines.filter((l) => l.incarnation === o.incarnation).map((l) => l.message) };
  }

  async start(): Promise<SubjectStart> {
    return this.outcome(this.world.start());
  }

  async exec(argv: string[]): Promise<SubjectReply> {
    const req = this.world.send(argv);
    this.world.settle([req], 10_000);
    return req.reply === null ? null : formatReply(req.reply);
  }

  async crash(kind: 'process-kill'): Promise<void> {
    this.world.crash({ model: kind });
  }

  /** Power loss with an exact decision (sim/crash), beyond the Subject interface. */
  async powerLoss(decision: CrashDecision): Promise<void> {
    this.world.crash(decision);
  }

  async restart(): Promise<SubjectStart> {
    return this.outcome(this.world.restart());
  }

  async dump(): Promise<SubjectDump> {
    const s = this.world.server;
    return s === null ? {} : keyspaceDump(s.keyspace);
  }

  async stop(): Promise<void> {
    // Nothing to release: the World lives in memory.
  }
}
