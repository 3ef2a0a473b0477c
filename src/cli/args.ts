/** Parsed command line: the command, `--config`, and the rest. */
export interface ParsedArgs {
  command: string | undefined;
  configFlag: string | undefined;
  help: boolean;
  version: boolean;
  /** Flags other than the global ones, as `name -> value` (`true` bare). */
  flags: Map<string, string | true>;
  /** Positional words after the command. */
  positionals: string[];
}

/** A command line that cannot be understood; exits with code 2. */
export class UsageError extends Error {}

/**
 * Splits argv into the command, global flags and the command's own flags.
 * `--name value` and `--name=value` are both accepted; a bare `--name`
 * followed by another flag or nothing is boolean.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = {
    command: undefined,
    configFlag: undefined,
    help: false,
    version: false,
    flags: new Map(),
    positionals: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") {
      parsed.help = true;
    } else if (arg === "-V" || arg === "--version") {
      parsed.version = true;
    } else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      let value: string | true = true;
      if (eq >= 0) {
        value = arg.slice(eq + 1);
      } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) {
        value = argv[++i]!;
      }
      if (name === "config") {
        if (value === true) throw new UsageError("--config needs a file name");
        parsed.configFlag = value;
      } else {
        parsed.flags.set(name, value);
      }
    } else if (parsed.command === undefined) {
      parsed.command = arg;
    } else {
      parsed.positionals.push(arg);
    }
  }
  return parsed;
}

/** Reads a numeric flag, or undefined when absent. */
export function numberFlag(
  flags: Map<string, string | true>,
  name: string,
): number | undefined {
  const value = flags.get(name);
  if (value === undefined) return undefined;
  const n = value === true ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) {
    throw new UsageError(`--${name} expects a number, got ${String(value)}`);
  }
  return n;
}
