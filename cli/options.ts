// One declared option table per command: node:util parseArgs does the parsing, and the same table
// generates the command's `--help`, so the two cannot drift apart. Every way a user can get the
// flags wrong ends as a UsageError with one line naming the option (never parseArgs's own multi-line
// text).
//
// Beyond parseArgs: `choices` (the value must be one of them; shown in the help), and `pair` for an
// option that takes two words (`serve --config KEY VALUE`, as redis-server's command line does):
// the word after the option's value is its second value.

import { parseArgs } from 'node:util';
import { UsageError } from './command.ts';

export interface OptionDef {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given more than once (values kept in order). */
  multiple?: boolean;
  /** The value's placeholder in the help (`N`, `PATH`); defaults to the choices or `VALUE`. */
  arg?: string;
  choices?: readonly string[];
  /** Takes two words: `--config KEY VALUE`. Implies multiple. */
  pair?: boolean;
  /** A string option whose next word is its value even when it starts with '-' (a negative number). */
  dashValue?: boolean;
  /** Help text; several lines allowed. */
  help: string;
}

export type OptionTable = Record<string, OptionDef>;

export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** `check`, or `validate files` for a subcommand. */
  name: string;
  /** What follows `aofsim NAME` in the usage line, options in brackets. */
  synopsis: string;
  /** Paragraphs shown between the usage line and the options. */
  description: string;
  options: T;
  /** Shown after the options: exit status, environment, examples. */
  footer?: string;
}

/** Parsed flags of one command, read through typed accessors. */
export class ParsedArgs<T extends OptionTable> {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly pairs: Map<string, [string, string][]>,
    readonly positionals: string[],
  ) {}

  string(name: keyof T & string): string | undefined {
    const v = this.values[name];
    return Array.isArray(v) ? (v[v.length - 1] as string) : (v as string | undefined);
  }

  strings(name: keyof T & string): string[] {
    const v = this.values[name];
    return v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string];
  }

  flag(name: keyof T & string): boolean {
    return this.values[name] === true;
  }

  pairList(name: keyof T & string): [string, string][] {
    return this.pairs.get(name) ?? [];
  }

  has(name: keyof T & string): boolean {
    return this.values[name] !== undefined;
  }
}

function flagName(table: OptionTable, raw: string): string {
  if (raw.startsWith('--')) return raw;
  const long = Object.entries(table).find(([, d]) => d.short === raw.replace(/^-/, ''));
  return long ? `--${long[0]}` : raw;
}

/** Parses `args` against the table; throws UsageError with one line on any mistake. */
export function parseCommandArgs<T extends OptionTable>(spec: CommandSpec<T>, args: string[]): ParsedArgs<T> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, d] of Object.entries(spec.options)) {
    options[name] = { type: d.type, multiple: d.multiple === true || d.pair === true, ...(d.short ? { short: d.short } : {}) };
  }
  // A pair's second word is its value even when it starts with '-' (`--config
  // auto-aof-rewrite-min-size -5mb`, which redis-server 4.0.14 reads), and so is a dashValue
  // option's word (`check --truncate-to-timestamp -5`, as redis-check-aof reads argv[2]): parseArgs
  // would take it for an option, so it goes through parseArgs hidden behind a placeholder.
  const hidden = new Map<string, string>();
  const prepared = [...args];
  for (let i = 0; i < prepared.length && prepared[i] !== '--'; i++) {
    const a = prepared[i]!;
    const eq = a.indexOf('=');
    const d = a.startsWith('--') ? spec.options[eq > 0 ? a.slice(2, eq) : a.slice(2)] : undefined;
    const at = d?.pair === true ? (eq > 0 ? i + 1 : i + 2) : d?.dashValue === true && eq < 0 ? i + 1 : -1;
    if (at < 0) continue;
    const v = prepared[at];
    if (v !== undefined && v.startsWith('-') && v !== '--') {
      const placeholder = `\u0000pair-value-${at}`;
      hidden.set(placeholder, v);
      prepared[at] = placeholder;
    }
    i = at;
  }
  const unhide = (v: string): string => hidden.get(v) ?? v;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: prepared, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw toUsageError(spec.options, e);
  }
  const values = parsed.values as Record<string, unknown>;
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === 'string') values[name] = unhide(v);
    else if (Array.isArray(v)) values[name] = v.map((x: unknown) => (typeof x === 'string' ? unhide(x) : x));
  }
  const pairs = new Map<string, [string, string][]>();
  const positionals: string[] = [];
  const tokens = parsed.tokens ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'positional') positionals.push(unhide(t.value));
    if (t.kind !== 'option' || spec.options[t.name]?.pair !== true) continue;
    const next = tokens[i + 1];
    if (next?.kind !== 'positional') throw new UsageError(`--${t.name} takes two values: ${spec.options[t.name]!.arg ?? 'KEY VALUE'}`);
    i++;
    const list = pairs.get(t.name) ?? [];
    list.push([t.value!, unhide(next.value)]);
    pairs.set(t.name, list);
  }
  for (const [name, d] of Object.entries(spec.options)) {
    if (!d.choices) continue;
    const v = values[name];
    for (const x of v === undefined ? [] : Array.isArray(v) ? v : [v]) {
      if (!d.choices.includes(x as string)) throw new UsageError(`--${name} takes ${d.choices.join(' or ')}, got '${String(x)}'`);
    }
  }
  return new ParsedArgs<T>(values, pairs, positionals);
}

function toUsageError(table: OptionTable, e: unknown): UsageError {
  const err = e as { code?: string; message?: string };
  const named = /'(-[^' ,]+)/.exec(err.message ?? '')?.[1];
  const opt = named ? flagName(table, named) : 'an option';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${opt}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message ?? '')) return new UsageError(`${opt} takes no value`);
      if (/ambiguous/.test(err.message ?? '')) return new UsageError(`${opt} needs a value (write ${opt}=VALUE for a value that starts with '-')`);
      return new UsageError(`${opt} needs a value`);
    default:
      return new UsageError(String(err.message ?? e).split('\n')[0]!);
  }
}

/** The `--help` text generated from the table. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, d]) => {
    const arg = d.type === 'boolean' ? '' : ` ${d.arg ?? (d.choices ? d.choices.join('|') : 'VALUE')}`;
    return { left: `${d.short ? `-${d.short}, ` : ''}--${name}${arg}`, help: d.help.split('\n') };
  });
  const width = Math.min(Math.max(0, ...rows.map((r) => r.left.length)), 30);
  const lines = [`Usage: aofsim ${spec.name} ${spec.synopsis}`, '', spec.description];
  if (rows.length > 0) {
    lines.push('', 'Options:');
    for (const r of rows) {
      const [first, ...more] = r.help;
      if (r.left.length > width) lines.push(`  ${r.left}`, `  ${' '.repeat(width)}  ${first}`);
      else lines.push(`  ${r.left.padEnd(width)}  ${first}`);
      for (const m of more) lines.push(`  ${' '.repeat(width)}  ${m}`);
    }
  }
  if (spec.footer) lines.push('', spec.footer);
  return lines.join('\n') + '\n';
}
