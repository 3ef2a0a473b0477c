import type { InlineKeyboard } from "grammy";
import type { BotDeps } from "../api.js";
import type { Logger } from "../../shared/logger.js";
import type { AuditLog } from "./audit.js";
import type { ManagerOps } from "./manager.js";
import type { BotMetrics } from "./metrics.js";
import type { PendingStore } from "./pending.js";
import type { RequeuePlan } from "./requeue-plan.js";

/** What every command handler gets besides its request. */
export interface BotEnv {
  deps: BotDeps;
  log: Logger;
  metrics: BotMetrics;
  audit: AuditLog;
  /** Undefined when no Manager is known. */
  manager: ManagerOps | undefined;
  pending: PendingStore<RequeuePlan>;
  now(): Date;
}

/** Who asked, where, and the text after the command. */
export interface CommandRequest {
  args: string;
  userId: number;
  username?: string;
  chatId: number;
}

/** An answer: HTML text (already escaped) and optional buttons. */
export interface Reply {
  text: string;
  keyboard?: InlineKeyboard;
}

/** One command of the bot. */
export interface CommandSpec {
  /** Name without the slash, lower case. */
  command: string;
  /** One line for Telegram's command menu and /help. */
  description: string;
  /** Whether only `adminUserIds` may run it. */
  admin: boolean;
  run(env: BotEnv, req: CommandRequest): Promise<Reply>;
}
