import { FlowsmithError, toErrorInfo } from '../core/errors';

/** What a command may touch, so tests can run commands in-process and read what they printed. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export class UsageError extends FlowsmithError {
  constructor(message: string, usage: string) {
    super('invalid-argument', message, `Usage: ${usage}`);
    this.name = 'UsageError';
  }
}

/** Prints a typed error as "error: message\n  hint" and returns the exit code (2 for usage, 1 otherwise). */
export function reportError(error: unknown, io: CliIO): number {
  const info = toErrorInfo(error);
  io.err(`flowsmith: error: ${info.message}\n  ${info.hint}\n`);
  return info.code === 'invalid-argument' ? 2 : 1;
}

/** Minimal flag parser: `--name value`, `--flag`, `-o value`; positionals in order. */
export function parseArgs(
  args: string[],
  spec: { values?: string[]; flags?: string[]; aliases?: Record<string, string> },
  usage: string,
): { positionals: string[]; values: Map<string, string>; flags: Set<string> } {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    if (spec.aliases?.[arg]) arg = spec.aliases[arg];
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const name = arg.replace(/^--?/, '');
    if (spec.flags?.includes(name)) flags.add(name);
    else if (spec.values?.includes(name)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`Option --${name} needs a value.`, usage);
      values.set(name, value);
    } else throw new UsageError(`Unknown option ${args[i]}.`, usage);
  }
  return { positionals, values, flags };
}
