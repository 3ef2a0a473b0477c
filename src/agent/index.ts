import type { PartContext, RunningPart } from "../shared/part.js";

export async function startAgent(_ctx: PartContext): Promise<RunningPart> {
  throw new Error("agent: not built yet");
}
