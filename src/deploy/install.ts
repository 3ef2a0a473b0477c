import type { ParsedArgs } from "../cli/args.js";

export async function runInstall(_args: ParsedArgs): Promise<number> {
  throw new Error("install: not built yet");
}

export async function runUninstall(_args: ParsedArgs): Promise<number> {
  throw new Error("uninstall: not built yet");
}
