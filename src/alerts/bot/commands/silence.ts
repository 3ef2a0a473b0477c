import type { SilenceMatcher } from "../../api.js";
import type { BotEnv, CommandSpec } from "../env.js";
import { formatClock, formatSeconds, parseDuration } from "../format.js";
import { esc } from "../html.js";

/** The longest silence the bot sets, seconds. */
export const MAX_SILENCE_SECONDS = 30 * 86_400;

const MATCHER_KEYS = ["alertname", "node", "worker", "job"] as const;

/**
 * What `target` silences: `key=value` for an explicit label, the name of
 * a known alert, a known node or worker, or else a PascalCase alert name
 * or a node name.
 */
export function matcherFor(env: BotEnv, target: string): SilenceMatcher {
  const kv = /^(\w+)=(.+)$/.exec(target);
  if (kv !== null && (MATCHER_KEYS as readonly string[]).includes(kv[1]!)) {
    return { [kv[1]!]: kv[2]! };
  }
  const lower = target.toLowerCase();
  const alert = env.deps.alerts
    .active()
    .find((a) => a.name.toLowerCase() === lower);
  if (alert !== undefined) return { alertname: alert.name };
  const nodes = [
    ...env.deps.nodes().keys(),
    ...(env.deps.farm()?.workers.map((w) => w.name) ?? []),
  ];
  const node = nodes.find((n) => n.toLowerCase() === lower);
  if (node !== undefined) return { node };
  return /^[A-Z][a-z]+[A-Z]\w*$/.test(target)
    ? { alertname: target }
    : { node: target };
}

/** `alertname=X node=Y` for display, escaped. */
export function describeMatcher(m: SilenceMatcher): string {
  return Object.entries(m)
    .map(([k, v]) => `${esc(k)}=${esc(String(v))}`)
    .join(" ");
}

const USAGE =
  "Usage: /silence &lt;alert or node&gt; &lt;duration&gt; [reason], " +
  "e.g. /silence render-05 2h disk swap";

/** `/silence <alert or node> <duration> [reason]`. */
export const silenceCommand: CommandSpec = {
  command: "silence",
  description: "Silence: /silence <alert or node> <duration> [reason]",
  admin: true,
  async run(env, req) {
    const [target, duration, ...rest] = req.args.split(/\s+/);
    const seconds = parseDuration(duration ?? "");
    if (!target || seconds === undefined) return { text: USAGE };
    if (seconds > MAX_SILENCE_SECONDS) {
      return { text: `At most ${formatSeconds(MAX_SILENCE_SECONDS)}.` };
    }
    const matcher = matcherFor(env, target);
    const now = env.now();
    const endsAt = new Date(now.getTime() + seconds * 1000);
    const reason = rest.join(" ") || "silenced from Telegram";
    const silence = await env.deps.alerts.silence({
      matcher,
      endsAt: endsAt.toISOString(),
      reason,
      createdBy: `telegram:${req.userId}`,
    });
    env.metrics.changes.inc({ action: "silence", outcome: "ok" });
    await env.audit.write({
      time: now.toISOString(),
      userId: req.userId,
      ...(req.username ? { username: req.username } : {}),
      chatId: req.chatId,
      action: "silence",
      target: { matcher, endsAt: silence.endsAt, reason },
      outcome: "ok",
      answer: `silence ${silence.id}`,
    });
    return {
      text:
        `🔕 Silenced ${describeMatcher(matcher)} until ` +
        `${formatClock(endsAt, now)} (${formatSeconds(seconds)}). ` +
        `End it: /unsilence ${esc(silence.id)}`,
    };
  },
};
