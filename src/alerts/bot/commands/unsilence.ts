import type { Silence } from "../../api.js";
import type { BotEnv, CommandRequest, CommandSpec } from "../env.js";
import { formatClock } from "../format.js";
import { esc, fitLines } from "../html.js";
import { describeMatcher } from "./silence.js";

function listSilences(env: BotEnv, silences: Silence[]): string {
  if (silences.length === 0) return "No silences.";
  const now = env.now();
  const lines = silences.map(
    (s) =>
      `🔕 <code>${esc(s.id)}</code> ${describeMatcher(s.matcher)} until ` +
      `${formatClock(new Date(s.endsAt), now)}: ${esc(s.reason)}`,
  );
  return fitLines([...lines, "End one: /unsilence &lt;id or target&gt;"]);
}

async function endOne(env: BotEnv, req: CommandRequest, s: Silence) {
  const ended = await env.deps.alerts.unsilence(s.id);
  const outcome = ended ? "ok" : "gone";
  env.metrics.changes.inc({ action: "unsilence", outcome });
  await env.audit.write({
    time: env.now().toISOString(),
    userId: req.userId,
    ...(req.username ? { username: req.username } : {}),
    chatId: req.chatId,
    action: "unsilence",
    target: { id: s.id, matcher: s.matcher },
    outcome,
    answer: ended ? "ended" : "no such silence",
  });
  return ended;
}

/** `/unsilence [id or target]`: lists silences, or ends the matching. */
export const unsilenceCommand: CommandSpec = {
  command: "unsilence",
  description: "End a silence: /unsilence <id or target>",
  admin: true,
  async run(env, req) {
    const silences = env.deps.alerts.silences();
    if (req.args === "") return { text: listSilences(env, silences) };
    const q = req.args.trim().toLowerCase();
    const hits = silences.filter(
      (s) =>
        s.id.toLowerCase() === q ||
        Object.values(s.matcher).some((v) => String(v).toLowerCase() === q),
    );
    if (hits.length === 0) {
      return { text: `No silence matches <b>${esc(req.args)}</b>.` };
    }
    let ended = 0;
    for (const s of hits) if (await endOne(env, req, s)) ended += 1;
    return { text: `🔔 Ended ${ended} silence(s).` };
  },
};
