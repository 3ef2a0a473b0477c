import { GrammyError, type Api, type Bot } from "grammy";
import type { Logger } from "../../shared/logger.js";
import type { BotMetrics } from "./metrics.js";
import type { OffsetStore } from "./offset-store.js";
import { safeError } from "./safe-error.js";

/** Updates the bot asks for; others are left to Telegram. */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** Wait after a failed getUpdates, doubling up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/** Options for {@link startPolling}. */
export interface PollingOptions {
  bot: Bot;
  /**
   * The client getUpdates goes through: its request timeout must exceed
   * `timeoutSeconds`, which the bot's shared client need not.
   */
  pollApi: Api;
  store: OffsetStore;
  /** getUpdates long-poll timeout, seconds. */
  timeoutSeconds: number;
  log: Logger;
  metrics: BotMetrics;
  /**
   * Runs before the first poll (getMe, command menu, webhook removal),
   * retried with the same backoff until it succeeds or polling stops.
   */
  prepare?: (signal: AbortSignal) => Promise<void>;
}

/** A running polling loop. */
export interface Polling {
  /** Ends the poll in flight, lets the update in hand finish, resolves. */
  stop(): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The loop's state between polls. */
interface LoopState {
  offset: number | undefined;
  backoffMs: number;
  failing: boolean;
}

/** Runs `opts.prepare` until it succeeds or polling stops. */
async function prepare(
  opts: PollingOptions,
  state: LoopState,
  signal: AbortSignal,
): Promise<void> {
  while (opts.prepare !== undefined && !signal.aborted) {
    try {
      await opts.prepare(signal);
      return;
    } catch (err) {
      if (signal.aborted) return;
      opts.metrics.pollErrors.inc();
      if (!state.failing) {
        opts.log.warn(
          { err: safeError(err, opts.bot.token) },
          "bot start failing",
        );
      }
      state.failing = true;
      await sleep(state.backoffMs, signal);
      state.backoffMs = Math.min(state.backoffMs * 2, MAX_BACKOFF_MS);
    }
  }
}

/**
 * One getUpdates and the handling of what it brought; false when polling
 * must end (stopped, or the token was refused).
 */
async function pollOnce(
  opts: PollingOptions,
  state: LoopState,
  signal: AbortSignal,
): Promise<boolean> {
  const token = opts.bot.token;
  let updates;
  try {
    updates = await opts.pollApi.getUpdates(
      {
        ...(state.offset !== undefined ? { offset: state.offset } : {}),
        timeout: opts.timeoutSeconds,
        allowed_updates: [...ALLOWED_UPDATES],
      },
      // grammY types its signal with the abort-controller package.
      signal as Parameters<Api["getUpdates"]>[1],
    );
  } catch (err) {
    if (signal.aborted) return false;
    opts.metrics.pollErrors.inc();
    if (!state.failing) {
      opts.log.warn({ err: safeError(err, token) }, "bot polling failing");
    }
    state.failing = true;
    if (err instanceof GrammyError && err.error_code === 401) {
      opts.log.error({}, "bot token refused; polling stopped");
      return false;
    }
    await sleep(state.backoffMs, signal);
    state.backoffMs = Math.min(state.backoffMs * 2, MAX_BACKOFF_MS);
    return true;
  }
  if (state.failing) opts.log.info({}, "bot polling recovered");
  state.failing = false;
  state.backoffMs = FIRST_BACKOFF_MS;
  // KNOWN: updates are handled one at a time, so a command waiting on a
  // slow Manager delays the next one by up to two Manager timeouts; kept
  // because it makes the saved offset exact; handling chats in parallel
  // and saving the lowest unfinished offset would fix it.
  for (const update of updates) {
    await handle(opts, update);
    state.offset = update.update_id + 1;
    await opts.store.save(state.offset).catch((err: unknown) => {
      opts.log.error({ err }, "bot offset not saved");
    });
  }
  return true;
}

/**
 * Long polling with the offset on disk. Each update is handled, then the
 * next offset is saved, then the next update is taken; the saved offset
 * is what the next getUpdates sends, which is what tells Telegram to
 * forget earlier updates. So a stop or restart replays nothing that was
 * handled and drops nothing that was not: at most the one update being
 * handled during a crash comes again.
 */
export function startPolling(opts: PollingOptions): Polling {
  const abort = new AbortController();
  const loop = async () => {
    const state: LoopState = {
      offset: await opts.store.load(),
      backoffMs: FIRST_BACKOFF_MS,
      failing: false,
    };
    await prepare(opts, state, abort.signal);
    while (!abort.signal.aborted) {
      if (!(await pollOnce(opts, state, abort.signal))) return;
    }
  };
  const done = loop().catch((err: unknown) => {
    opts.log.error(
      { err: safeError(err, opts.bot.token) },
      "bot polling ended",
    );
  });
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

async function handle(
  opts: PollingOptions,
  update: Parameters<Bot["handleUpdate"]>[0],
): Promise<void> {
  try {
    await opts.bot.handleUpdate(update);
  } catch (err) {
    // A handler's failure must not stop the loop or block later updates.
    opts.log.error(
      { err: safeError(err, opts.bot.token), updateId: update.update_id },
      "bot update failed",
    );
  }
}
