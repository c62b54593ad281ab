// Checker 'start-decision': Redis 7.0 decides right whether to start. A start that loads although
// an INCR file other than the last one listed in the manifest is torn (ends in a partial record or
// inside a MULTI block) is a failure: 7.0 refuses it (AOF_NOT_LAST_FILE, "the truncated file is
// not the last file"; redis: loadAppendOnlyFiles), so accepting it silently drops or reorders
// commands (a hole across INCR files). So is a refusal with AOF_NOT_LAST_FILE when every non-last
// file ends cleanly, and a refused start that changed an AOF file (7.0.15 truncated the torn file
// before failing, so the next start silently dropped the partial command: docs/redis-bugs.md#bug-10).
// The files are judged as the start found them (snapshotted when it begins), with an independent
// reading of their records (sim/oracle/aof-records.ts), not with the loader.
//
// Not judged: redis-4.0 (one file, no non-last files), a start with appendonly no, a directory
// without a manifest or with one that does not parse (the loader's own errors, checked offline by
// properties/loader-*.test.ts), an RDB BASE (not a record stream), missing files, and starts
// during which a fault was injected (a read error is not the loader's decision).

import type { AofConfig } from '../../../src/aof/config.ts';
import { getManifestName } from '../../../src/aof/manifest/names.ts';
import { parseManifest } from '../../../src/aof/manifest/parse-manifest.ts';
import { aofDirPath } from '../../../src/aof/state.ts';
import type { AofEvent } from '../../../src/ports/events.ts';
import { joinPath } from '../../../src/ports/fs.ts';
import { scanRecords } from '../aof-records.ts';
import type { Checker, CheckerContext } from './checker.ts';

/** The AOF directory's files as a start finds them, when 7.0 loads them through a manifest. */
interface AofDirView {
  dir: string;
  /** BASE (if any) then INCRs, in load order. */
  order: string[];
}

function aofDirView(files: Readonly<Record<string, string>>, config: AofConfig): AofDirView | null {
  if (config.profile !== 'redis-7.0' || !config.appendonly) return null;
  const dir = aofDirPath(config);
  const manifestPath = joinPath(dir, getManifestName(config.appendfilename));
  const content = files[manifestPath];
  if (content === undefined) return null;
  try {
    const m = parseManifest(Buffer.from(content, 'latin1'), manifestPath);
    return { dir, order: [...(m.base ? [m.base.name] : []), ...m.incrs.map((i) => i.name)] };
  } catch {
    return null;
  }
}

/** The first file before the last one in load order that is torn, or null (also when not judged). */
export function tornNonLastFile(files: Readonly<Record<string, string>>, config: AofConfig): string | null {
  const view = aofDirView(files, config);
  if (view === null) return null;
  for (const name of view.order.slice(0, -1)) {
    const content = files[joinPath(view.dir, name)];
    if (content === undefined || !name.endsWith('.aof')) continue;
    const scan = scanRecords(Buffer.from(content, 'latin1'));
    if (scan.torn) return name;
  }
  return null;
}

export class StartDecisionChecker implements Checker {
  /** Judged when the start began: the torn non-last file, or null; undefined outside a start. */
  private torn: string | null | undefined = undefined;
  private faultsAtStart = 0;
  /** The AOF directory's files when the start began. */
  private before: Record<string, string> = {};

  constructor(private readonly ctx: CheckerContext) {}

  onAofEvent(e: AofEvent): void {
    const w = this.ctx.world;
    if (e.kind === 'server-starting') {
      const files = w.fs.snapshot('visible');
      this.torn = tornNonLastFile(files, w.config);
      this.before = files;
      this.faultsAtStart = w.injector.injected.length;
      return;
    }
    if (this.torn === undefined || (e.kind !== 'server-started' && e.kind !== 'load-failed')) return;
    const torn = this.torn;
    this.torn = undefined;
    if (w.injector.injected.length !== this.faultsAtStart) return;
    if (e.kind === 'server-started' && torn !== null) {
      this.ctx.violate('start-decision', `the server started although ${torn}, not the last file, is torn (a partial record or an open MULTI block): Redis 7.0 refuses it (AOF_NOT_LAST_FILE)`);
    } else if (e.kind === 'load-failed' && e.errorCode === 'AOF_NOT_LAST_FILE' && torn === null && w.config.profile === 'redis-7.0' && w.config.appendonly) {
      this.ctx.violate('start-decision', 'the server refused to start with AOF_NOT_LAST_FILE although every non-last file ends on a whole record outside MULTI');
    }
    if (e.kind === 'load-failed') this.checkUnchanged(w.fs.snapshot('visible'));
  }

  /** A refused start leaves the AOF files as it found them (the next start must refuse the same way). */
  private checkUnchanged(after: Readonly<Record<string, string>>): void {
    const view = aofDirView(this.before, this.ctx.world.config);
    if (view === null) return;
    for (const name of view.order) {
      const path = joinPath(view.dir, name);
      const was = this.before[path];
      const now = after[path];
      if (was !== undefined && now !== was) {
        this.ctx.violate('start-decision', `the refused start changed ${name} (${was.length} -> ${now === undefined ? 'gone' : `${now.length} bytes`}): the next start would load what this one refused`);
        return;
      }
    }
  }
}
