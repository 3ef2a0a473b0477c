import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, wherever the tests run from. */
export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);

/**
 * Command and arguments that run the farmwatch CLI from source in a child
 * process, from any working directory: `[node, [...args]]`.
 */
export function farmwatchCommand(args: readonly string[]): [string, string[]] {
  const tsx = import.meta.resolve("tsx");
  const entry = path.join(REPO_ROOT, "src/cli/entry.ts");
  return [process.execPath, ["--import", tsx, entry, ...args]];
}
