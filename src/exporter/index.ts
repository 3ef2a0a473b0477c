import type { PartContext, RunningPart } from "../shared/part.js";

export async function startExporter(_ctx: PartContext): Promise<RunningPart> {
  throw new Error("exporter: not built yet");
}
