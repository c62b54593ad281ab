// The shape of an `aofsim` subcommand (cli/commands/*). main() loads a command's module only when
// that command runs, so `aofsim --help` and `aofsim check` start without loading the simulator.

export interface CliCommand {
  /** Full help for `aofsim <name> --help` (generated from the command's option table). */
  usage: string;
  /** Returns the process exit code; throws UsageError for a user's mistake. */
  run(args: string[]): Promise<number>;
}

/** A command as main() lists it before loading it. */
export interface CommandEntry {
  name: string;
  /** One line for `aofsim --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

/** The footprint of a UsageError (a registered symbol: the same in every bundle of dist/). */
const USAGE_ERROR = Symbol.for('aofsim.usage-error');

/** A user's mistake (flags, paths, ports, files): main() prints the one-line message, exit 2. */
export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;

  constructor(
    message: string,
    /** Exit code; a command mirroring a real tool uses that tool's (redis-check-aof: 1). */
    readonly exitCode = 2,
    /** Whether main() follows the message with a pointer to --help. */
    readonly showHelpHint = true,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Whether `e` is a UsageError from any command. Recognised by its footprint, not instanceof: each
 * command's compiled bundle (dist/cli/NAME.cjs) carries its own copy of the class.
 */
export function isUsageError(e: unknown): e is UsageError {
  return typeof e === 'object' && e !== null && (e as { [USAGE_ERROR]?: unknown })[USAGE_ERROR] === true;
}
