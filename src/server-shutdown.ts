// SHUTDOWN's arguments and the flags a shutdown signal uses, per profile.
//
// redis 4.0.14 (db.c shutdownCommand): at most one argument, NOSAVE or SAVE; anything else
// (NOW, FORCE, ABORT, two words) is a syntax error. A SIGINT or SIGTERM runs prepareForShutdown
// with no flags from serverCron.
// redis 7.0.15 (db.c shutdownCommand): any of NOSAVE, SAVE, NOW, FORCE, ABORT; NOSAVE with SAVE,
// or ABORT with any other word, is a syntax error. A signal runs prepareForShutdown with the flags
// of shutdown-on-sigint / shutdown-on-sigterm ("default": none; else words of save, nosave, now,
// force).
// aofsim never has a shutdown in progress when a command runs (no replicas to wait for, and
// `aofsim serve` runs a signal's shutdown at once), so ABORT always answers "No shutdown in progress.".

import type { Bytes } from './keyspace/types.ts';
import type { Profile } from './base/profile.ts';

/** SHUTDOWN's flags (redis: SHUTDOWN_FORCE, SHUTDOWN_SAVE / SHUTDOWN_NOSAVE; NOW has no effect without replicas). */
export interface ShutdownOptions {
  force: boolean;
  save: 'save' | 'nosave' | null;
}

/** What SHUTDOWN's arguments ask for: a shutdown, ABORT, or a syntax error. */
export type ShutdownRequest = { kind: 'shutdown'; options: ShutdownOptions } | { kind: 'abort' } | { kind: 'syntax-error' };

/** redis: shutdownCommand's argument loop, for `profile`. */
export function parseShutdownArgs(args: readonly Bytes[], profile: Profile): ShutdownRequest {
  const options: ShutdownOptions = { force: false, save: null };
  if (profile === 'redis-4.0') {
    if (args.length > 1) return { kind: 'syntax-error' };
    if (args.length === 1) {
      const w = args[0].toLowerCase();
      if (w !== 'nosave' && w !== 'save') return { kind: 'syntax-error' };
      options.save = w;
    }
    return { kind: 'shutdown', options };
  }
  let abort = false;
  let save = false;
  let nosave = false;
  let now = false;
  for (const a of args) {
    const w = a.toLowerCase();
    if (w === 'nosave') nosave = true;
    else if (w === 'save') save = true;
    else if (w === 'now') now = true;
    else if (w === 'force') options.force = true;
    else if (w === 'abort') abort = true;
    else return { kind: 'syntax-error' };
  }
  if ((abort && (save || nosave || now || options.force)) || (save && nosave)) return { kind: 'syntax-error' };
  if (abort) return { kind: 'abort' };
  options.save = save ? 'save' : nosave ? 'nosave' : null;
  return { kind: 'shutdown', options };
}

/**
 * The flags a SIGINT / SIGTERM shuts down with: none under 4.0; under 7.0 the words of
 * shutdown-on-sigint / shutdown-on-sigterm (`setting`: its CONFIG GET text, "default" or e.g. "nosave force").
 */
export function signalShutdownOptions(profile: Profile, setting: string | undefined): ShutdownOptions {
  const options: ShutdownOptions = { force: false, save: null };
  if (profile === 'redis-4.0' || setting === undefined) return options;
  for (const w of setting.toLowerCase().split(/\s+/)) {
    if (w === 'force') options.force = true;
    else if (w === 'save' || w === 'nosave') options.save = w;
  }
  return options;
}
