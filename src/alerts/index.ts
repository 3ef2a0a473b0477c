import type { PartContext, RunningPart } from "../shared/part.js";

export async function startAlerts(_ctx: PartContext): Promise<RunningPart> {
  throw new Error("alerts: not built yet");
}
