import type { PartContext, RunningPart } from "../shared/part.js";

export async function startSim(_ctx: PartContext): Promise<RunningPart> {
  throw new Error("sim: not built yet");
}
