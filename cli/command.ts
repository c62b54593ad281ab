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

/** A user's mistake (flags, paths, ports, files): main() prints the one-line message, exit 2. */
export class UsageError extends Error {
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
