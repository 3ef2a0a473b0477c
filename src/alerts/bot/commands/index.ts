import type { CommandSpec } from "../env.js";
import { alertsCommand } from "./alerts.js";
import { helpCommand } from "./help.js";
import { jobCommand } from "./job.js";
import { jobsCommand } from "./jobs.js";
import { mountsCommand } from "./mounts.js";
import { requeueCommand } from "./requeue.js";
import { silenceCommand } from "./silence.js";
import { statusCommand } from "./status.js";
import { unsilenceCommand } from "./unsilence.js";
import { workerCommand } from "./worker.js";
import { workersCommand } from "./workers.js";

/** Every command, in the order Telegram's menu and /help show them. */
export const COMMANDS: readonly CommandSpec[] = [
  statusCommand,
  jobsCommand,
  jobCommand,
  workersCommand,
  workerCommand,
  requeueCommand,
  alertsCommand,
  silenceCommand,
  unsilenceCommand,
  mountsCommand,
  helpCommand(() => [...COMMANDS]),
];
