// The shape of an `aofsim` subcommand (cli/commands/*).

export interface CliCommand {
  name: string;
  /** One line for `aofsim --help`. */
  summary: string;
  /** Full usage text for `aofsim <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Thrown for bad command-line usage; main() prints the message and the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
