import cron from "node-cron";
import { z } from "zod";
import { BotSchema } from "./bot.js";
import { listenSchema, seconds } from "./common.js";
import { EmailSchema } from "./email.js";
import { TelegramSchema } from "./telegram.js";

const SEVERITY = z.enum(["critical", "warning", "info"]);

/** One rule's settings: `for`, severity, on/off and its own thresholds. */
function rule<T extends z.ZodRawShape = {}>(
  forSeconds: number,
  severity: z.infer<typeof SEVERITY>,
  description: string,
  thresholds: T = {} as T,
) {
  return z
    .strictObject({
      enabled: z.boolean().default(true).describe("Evaluate this rule."),
      forSeconds: z
        .number()
        .min(0)
        .default(forSeconds)
        .describe("How long the condition must hold before it fires."),
      severity: SEVERITY.default(severity).describe("Decides routing."),
      ...thresholds,
    })
    .prefault({} as never)
    .describe(description);
}

function num(defaultValue: number, description: string) {
  return z.number().min(0).default(defaultValue).describe(description);
}

const RulesSchema = z
  .strictObject({
    FarmwatchExporterDown: rule(120, "critical", "Farm view unreadable."),
    FlamencoManagerDown: rule(120, "critical", "Manager unreachable.", {
      busySeconds: num(300, "A Manager answering only 503 counts after (s)."),
    }),
    FlamencoFarmInoperative: rule(300, "critical", "Farm inoperative."),
    FlamencoWorkersVanished: rule(0, "critical", "Worker list emptied.", {
      minWorkersBefore: num(2, "Workers known before the list emptied."),
    }),
    FlamencoWorkerStalled: rule(120, "warning", "Worker not working.", {
      lastSeenSeconds: num(90, "Awake worker silent this long (seconds)."),
      startingSeconds: num(300, "Stuck in `starting` this long (seconds)."),
      offlineWithQueuedSeconds: num(600, "Offline with queued work (s)."),
      unitRestarts: num(3, "Unit restarts counted as a restart loop."),
    }),
    FlamencoRenderHung: rule(60, "warning", "Task active, no progress.", {
      medianFactor: num(3, "Times the job's median task duration."),
      minNoProgressSeconds: num(1800, "Never flagged sooner (seconds)."),
      idleGpuRatio: num(0.05, "GPU utilisation counted as idle (0-1)."),
      idleCpuRatio: num(0.1, "CPU utilisation counted as idle (0-1)."),
    }),
    FlamencoFramesFailed: rule(0, "warning", "Tasks failed.", {
      blocklistWarnTasks: num(2, "Failures of one worker in a job named."),
    }),
    FlamencoJobFailed: rule(0, "warning", "A job failed."),
    FlamencoJobStuck: rule(0, "warning", "Job stuck in a requested state.", {
      stuckSeconds: num(600, "In the state with no active task (s)."),
    }),
    FlamencoJobUnservable: rule(300, "warning", "No worker can take it."),
    FlamencoPathMappingSuspect: rule(0, "warning", "Platform path issue.", {
      minWorkers: num(2, "Failing workers of one platform."),
    }),
    FlamencoJobFinished: rule(0, "info", "A job completed."),
    FarmwatchAgentDown: rule(120, "warning", "An agent does not answer."),
    FarmwatchMountDown: rule(60, "critical", "Mount missing or failing."),
    FarmwatchMountHung: rule(60, "critical", "Mount probe timed out."),
    FarmwatchMountReadOnly: rule(60, "critical", "Mount read-only."),
    FarmwatchMountStale: rule(60, "critical", "Stale file handle."),
    FarmwatchMountNearlyFull: rule(300, "warning", "Share nearly full.", {
      freeRatio: num(0.05, "Fires below this free ratio (0-1)."),
      clearFreeRatio: num(0.07, "Clears above this free ratio (0-1)."),
    }),
    FarmwatchMountWrongShare: rule(60, "critical", "Different share."),
    FarmwatchTailscaleDown: rule(120, "critical", "Tailscale not Running."),
    FarmwatchTailscaleKeyExpiring: rule(0, "warning", "Key expires soon.", {
      expiresWithinSeconds: num(604800, "Fires this long before expiry."),
    }),
    FarmwatchTailscalePeerRelayed: rule(600, "warning", "Only via relay."),
    FarmwatchTailscalePeerUnreachable: rule(120, "critical", "Peer away."),
    FarmwatchGpuQueryFailing: rule(300, "warning", "GPU query failing."),
    FarmwatchGpuHot: rule(300, "warning", "GPU temperature high.", {
      temperatureCelsius: num(88, "Fires at or above (celsius)."),
      clearTemperatureCelsius: num(83, "Clears below (celsius)."),
    }),
    FarmwatchGpuThrottled: rule(300, "warning", "GPU throttling."),
    FarmwatchNodeMemoryLow: rule(300, "warning", "Memory exhausted.", {
      availableRatio: num(0.05, "Fires below this available ratio (0-1)."),
      clearAvailableRatio: num(0.08, "Clears above this ratio (0-1)."),
    }),
    FarmwatchVersionMismatch: rule(900, "warning", "Versions differ."),
    FarmwatchDeliveryFailing: rule(600, "warning", "A channel fails."),
  })
  .prefault({})
  .describe("Built-in rules; see docs/alerts.md.");

const ChannelName = z.enum(["telegram", "email"]);

const RouteSchema = z
  .strictObject({
    severities: z
      .array(SEVERITY)
      .default([])
      .describe("Severities this route takes; empty: all."),
    labels: z
      .record(z.string(), z.string())
      .default({})
      .describe("Labels that must all match, e.g. {alertname: X}."),
    channels: z.array(ChannelName).min(1).describe("Where it goes."),
    continue: z
      .boolean()
      .default(false)
      .describe("Also try the routes after this one."),
  })
  .describe("One route: matching alerts go to these channels.");

const WindowSchema = z
  .strictObject({
    cron: z
      .string()
      .refine((v) => cron.validate(v), "a 5-field cron pattern")
      .describe(
        "5-field cron of the minutes inside, e.g. `* 22-23,0-6 * * *`.",
      ),
    timezone: z.string().default("UTC").describe("IANA time zone."),
    severities: z
      .array(SEVERITY)
      .default(["warning", "info"])
      .describe("Severities held back inside the window."),
  })
  .describe("Quiet hours: notices held until the window ends.");

const MaintenanceSchema = z
  .strictObject({
    startsAt: z.iso.datetime({ offset: true }).describe("ISO 8601 start."),
    endsAt: z.iso.datetime({ offset: true }).describe("ISO 8601 end."),
    nodes: z
      .array(z.string())
      .default([])
      .describe("Nodes in maintenance; empty: the whole farm."),
    reason: z.string().default("maintenance").describe("Shown in the API."),
  })
  .describe("A maintenance window: matching alerts are not notified.");

export const AlertsSchema = z
  .strictObject({
    listen: listenSchema("127.0.0.1", 9792),
    exporterUrl: z
      .url({ protocol: /^https?$/ })
      .default("http://127.0.0.1:9791")
      .describe("Base URL of the exporter whose farm view is read."),
    agents: z
      .array(z.url({ protocol: /^https?$/ }))
      .default([])
      .describe(
        "Agent base URLs read besides those the exporter lists, " +
          "e.g. http://render-01:9790.",
      ),
    discoverAgents: z
      .boolean()
      .default(true)
      .describe(
        "Also read the agents the exporter lists (from the workers' " +
          "addresses); off in the demo, whose workers have no agents.",
      ),
    evaluateIntervalSeconds: seconds(10, "How often rules are evaluated."),
    fetchTimeoutSeconds: seconds(5, "Give up on one view fetch after this."),
    stateDir: z
      .string()
      .min(1)
      .default(".farmwatch")
      .describe("Directory for alert state, the outbox and the queue."),
    keepFiringForSeconds: z
      .number()
      .min(0)
      .default(120)
      .describe("A cleared condition resolves only after this long."),
    repeatIntervalSeconds: seconds(14400, "Re-notify firing critical alerts."),
    groupIntervalSeconds: seconds(300, "Min. time between group updates."),
    deliveryRetryMaxSeconds: seconds(600, "Longest wait between retries."),
    deliveryMaxAttempts: z
      .number()
      .int()
      .min(1)
      .default(50)
      .describe("Attempts before a message is dead-lettered (kept, not sent)."),
    routes: z
      .array(RouteSchema)
      .default([
        {
          severities: ["critical", "warning"],
          labels: {},
          channels: ["telegram", "email"],
          continue: false,
        },
        {
          severities: ["info"],
          labels: {},
          channels: ["telegram"],
          continue: false,
        },
      ])
      .describe("Routes tried in order; the outbox always gets everything."),
    quietHours: z
      .array(WindowSchema)
      .default([])
      .describe("Windows that hold back notices of some severities."),
    maintenance: z
      .array(MaintenanceSchema)
      .default([])
      .describe("Maintenance windows."),
    rules: RulesSchema,
    telegram: TelegramSchema,
    email: EmailSchema,
    bot: BotSchema,
  })
  .prefault({})
  .describe("The alerts part (`farmwatch alerts`) with its Telegram bot.");

/** Settings of one built-in rule as parsed. */
export type RulesConfig = z.output<typeof RulesSchema>;
