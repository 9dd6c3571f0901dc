// Command-line arguments for every entry point (bin/cli.ts, its commands, bin/start.ts, bin/migrate.ts):
// node:util parseArgs (strict: an unknown option, a missing value or a stray argument is an error),
// with the error turned into one clear English/Chinese line and exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What the duplicate check needs of parseArgs's tokens. */
type Token = { kind: string; name?: string };

/** Wrong usage of a command: the entry point prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node:util parseArgs's own error codes (thrown as TypeError with these codes). */
export function isParseArgsError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** One line, English then Chinese, for a parseArgs error. */
export function describeArgsError(err: Error & { code: string }): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  const option = quoted.split(' ')[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option} (未知参数 ${option})`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}" (多余的参数 "${quoted}")`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return `${option} takes no value (参数 ${option} 不带取值)`;
      if (/argument missing|argument is ambiguous/.test(err.message)) return `${option} needs a value (参数 ${option} 缺少取值)`;
      return `${err.message} (参数取值无效)`;
    default:
      return `${err.message} (参数错误)`;
  }
}

/**
 * parseArgs in strict mode that throws UsageError with a clear message: an unknown option, an option
 * without its value, a value given to a flag, a positional where none is allowed, or an option given
 * twice (parseArgs would silently keep the last one).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  let tokens: Token[];
  try {
    const all = parseArgs({ ...config, strict: true, tokens: true });
    parsed = all as ReturnType<typeof parseArgs<T>>;
    tokens = (all.tokens ?? []) as Token[];
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(describeArgsError(err));
    throw err;
  }
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || !t.name) continue;
    const spec = config.options?.[t.name];
    if (!spec?.multiple && seen.has(t.name)) throw new UsageError(`--${t.name} given twice (参数 --${t.name} 重复)`);
    seen.add(t.name);
  }
  return parsed;
}

/**
 * A command's run(argv) that turns a UsageError into "<name>: <message>" and the usage on stderr,
 * returning 2, so the command behaves the same called from the dispatcher or from a test.
 */
export function withUsage(name: string, usage: string, run: (argv: string[]) => Promise<number>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    try {
      return await run(argv);
    } catch (err) {
      if (err instanceof UsageError) {
        console.error(`${name}: ${err.message}\n${usage}`);
        return err.exitCode;
      }
      throw err;
    }
  };
}
