import { z } from "zod";
import { listenSchema, seconds } from "./common.js";

export const ExporterSchema = z
  .strictObject({
    listen: listenSchema("0.0.0.0", 9791),
    pollIntervalSeconds: seconds(10, "How often the Manager is polled."),
  })
  .prefault({})
  .describe(
    "The Flamenco exporter (`farmwatch exporter`), beside the Manager.",
  );
