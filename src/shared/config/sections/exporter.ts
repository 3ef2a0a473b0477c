import { z } from "zod";
import { listenSchema, seconds } from "./common.js";

const count = (defaultValue: number, description: string) =>
  z.number().int().min(1).default(defaultValue).describe(description);

export const ExporterSchema = z
  .strictObject({
    listen: listenSchema("0.0.0.0", 9791),
    pollIntervalSeconds: seconds(10, "How often the Manager is polled."),
    maxConcurrentRequests: count(
      4,
      "Most Manager requests in flight at once during a poll.",
    ),
    taskRefreshSeconds: seconds(
      60,
      "Re-read an unfinished job's tasks at least this often, even when " +
        "its `updated` time did not move.",
    ),
    workerDetailRefreshSeconds: seconds(
      300,
      "Re-read one worker's details (address, platform) at least this " +
        "often; sooner when its status changes.",
    ),
    backoffMaxSeconds: seconds(
      120,
      "Longest wait between polls while the Manager fails or asks to wait.",
    ),
    stalledTaskMinSeconds: seconds(
      1800,
      "An active task without progress for at least this long is stalled.",
    ),
    stalledTaskMedianFactor: z
      .number()
      .positive()
      .default(3)
      .describe(
        "...or for this many times the median duration of its job's " +
          "finished tasks, whichever is longer.",
      ),
    stuckJobSeconds: seconds(
      600,
      "A job in pause-requested, cancel-requested or requeueing for this " +
        "long with no active task is stuck.",
    ),
    failedTaskRetentionSeconds: seconds(
      3600,
      "How long a failed task stays in the farm view's failedTasks.",
    ),
    maxFailedTasks: count(200, "Most failed tasks kept in the farm view."),
    logTailLines: count(20, "Log lines kept per failed task."),
    agentPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(9790)
      .describe("Port of the farmwatch agent on every worker node."),
    extraAgents: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "More agent targets for http_sd, as host:port (e.g. the Manager " +
          "and NAS nodes, which run no Flamenco Worker).",
      ),
  })
  .prefault({})
  .describe(
    "The Flamenco exporter (`farmwatch exporter`), beside the Manager.",
  );
