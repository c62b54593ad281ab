// How a real subject is started: an argv template such as
// `my-server --port {port} --dir {dir} --appendonly yes --appendfsync {fsync}`, where {port} (a free
// loopback port), {dir} (the data directory) and {fsync} (the appendfsync policy a run needs) are
// filled in per start. `redis-server` is the preset whose template is redis-server's own flags and
// which also passes any other redis.conf key as `--key value` (redis-server, valkey-server and
// keydb-server take their config that way); a user's template gets only its placeholders.
//
// Invariants: parsing is pure and throws TemplateError (one line for the user) for a template
// without {port} or {dir}, an unknown {placeholder} or an unclosed quote; quoting follows the shell
// for '...' and "..." (no expansion), so `--rename-command BGREWRITEAOF ""` is one empty argument.

export interface ServerCommand {
  /** argv template; argv[0] is the program. */
  argv: string[];
  /** Pass config keys as `--key value` (redis-server's command line); false: only the placeholders. */
  configArgs: boolean;
}

export class TemplateError extends Error {}

const PLACEHOLDERS = ['port', 'dir', 'fsync'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Splits a command line the way sh does for plain words and '...' / "..." quotes. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new TemplateError(`--cmd: unclosed ${quote} quote`);
  if (inWord) out.push(cur);
  return out;
}

/** The placeholders a template uses. */
export function placeholdersOf(cmd: ServerCommand): Set<Placeholder> {
  const used = new Set<Placeholder>();
  for (const a of cmd.argv) for (const m of a.matchAll(/\{(\w+)\}/g)) used.add(m[1] as Placeholder);
  return used;
}

/** A user's `--cmd` template, checked: {port} and {dir} are required, {fsync} is optional. */
export function parseServerCommand(template: string): ServerCommand {
  const argv = splitCommandLine(template);
  if (argv.length === 0) throw new TemplateError('--cmd: empty command');
  for (const a of argv) {
    for (const m of a.matchAll(/\{(\w*)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1] as string)) {
        throw new TemplateError(`--cmd: unknown placeholder {${m[1]}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`);
      }
    }
  }
  const cmd = { argv, configArgs: false };
  const used = placeholdersOf(cmd);
  for (const p of ['port', 'dir'] as const) {
    if (!used.has(p)) throw new TemplateError(`--cmd: the template has no {${p}} (aofsim picks the ${p === 'port' ? 'port' : 'data directory'} of every start): '${template}'`);
  }
  return cmd;
}

/** The `redis-server` preset: redis-server's flags, other config keys as `--key value`. */
export function redisServerCommand(bin: string): ServerCommand {
  return {
    argv: [bin, '--port', '{port}', '--bind', '127.0.0.1', '--dir', '{dir}', '--daemonize', 'no', '--save', ''],
    configArgs: true,
  };
}

/** The argv of one start: placeholders filled, then (preset only) config and extra arguments. */
export function commandArgv(cmd: ServerCommand, values: Record<Placeholder, string>, config: Record<string, string>, extra: string[] = []): string[] {
  const argv = cmd.argv.map((a) => a.replace(/\{(\w+)\}/g, (_, p: string) => values[p as Placeholder]));
  if (cmd.configArgs) for (const [k, v] of Object.entries(config)) argv.push(`--${k}`, v);
  return [...argv, ...extra];
}

/** The template as one line, for reports and replay commands. */
export function commandLine(cmd: ServerCommand): string {
  return cmd.argv.map((a) => (a !== '' && /^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
