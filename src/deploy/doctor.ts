import type { ParsedArgs } from "../cli/args.js";

export async function runDoctor(_args: ParsedArgs): Promise<number> {
  throw new Error("doctor: not built yet");
}
