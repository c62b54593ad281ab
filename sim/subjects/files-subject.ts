// The `files` subject (DESIGN section 6): a directory or file produced by another implementation,
// judged offline by this project's loader and checker (validate-files.ts). It supports only
// `offline-files`: start() says whether Redis 7.0 would start on the files, dump() is the state
// it would load; exec, crash and restart are not supported (nothing runs).
//
// Invariants: read-only (the loader runs with modify=false); any Fs (node or memory).

import type { Fs } from '../../src/ports/fs.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import type { Subject, SubjectCapability, SubjectDump, SubjectReply, SubjectStart } from './subject.ts';
import { validateFiles, type FilesReport } from './validate-files.ts';

export class FilesSubject implements Subject {
  readonly kind = 'files' as const;
  readonly supports: readonly SubjectCapability[] = ['offline-files'];
  report: FilesReport | null = null;

  constructor(
    private readonly fs: Fs,
    readonly path: string,
  ) {}

  async start(): Promise<SubjectStart> {
    this.report = validateFiles(this.fs, this.path);
    const v = this.report.redis70;
    return { outcome: v.verdict === 'refuse' ? 'exited' : 'ok', exitCode: v.verdict === 'refuse' ? 1 : null, log: [...v.truncations, ...(v.reason ? [v.reason] : [])] };
  }

  async exec(): Promise<SubjectReply> {
    throw new Error('files subject: exec is not supported (offline files only)');
  }

  async crash(): Promise<void> {
    throw new Error('files subject: crash is not supported (offline files only)');
  }

  async restart(): Promise<SubjectStart> {
    return this.start();
  }

  async dump(): Promise<SubjectDump> {
    const d = runDump(this.fs, { path: this.path, loadTruncated: true, verbose: false }, { nowMs: () => 0 });
    if (d.exitCode !== 0) return {};
    const parsed = JSON.parse(d.stdout) as { dbs: Record<string, { key: unknown; type: string; value: unknown }[]> };
    const out: SubjectDump = {};
    for (const [db, entries] of Object.entries(parsed.dbs)) {
      out[db] = Object.fromEntries(entries.map((e) => [typeof e.key === 'string' ? e.key : JSON.stringify(e.key), `${e.type} ${JSON.stringify(e.value)}`]));
    }
    return out;
  }

  async stop(): Promise<void> {}
}
