import type { Silence, SilenceMatcher } from "./api.js";

/** Labels a silence can match on; anything else is refused. */
export const MATCHER_KEYS: readonly (keyof SilenceMatcher)[] = [
  "alertname",
  "node",
  "worker",
  "job",
];

/** Longest silence set at once: a forgotten one must not last forever. */
export const MAX_SILENCE_SECONDS = 90 * 86_400;

/** A silence request as sent to `POST /api/v1/silences`, checked. */
export type SilenceInput = Omit<Silence, "id" | "startsAt">;

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function matcherOf(value: unknown): SilenceMatcher | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `matcher: expected an object of ${MATCHER_KEYS.join(", ")}, got ${shown(value)}`;
  }
  const entries = Object.entries(value);
  const unknown = entries.find(
    ([k]) => !(MATCHER_KEYS as readonly string[]).includes(k),
  );
  if (unknown) {
    const known = MATCHER_KEYS.join(", ");
    return `matcher.${unknown[0]}: expected one of ${known}, got another label`;
  }
  const empty = entries.find(([, v]) => typeof v !== "string" || v === "");
  if (empty) {
    return `matcher.${empty[0]}: expected a non-empty string, got ${shown(empty[1])}`;
  }
  if (entries.length === 0) {
    return `matcher: expected at least one of ${MATCHER_KEYS.join(", ")}, got none`;
  }
  return value as SilenceMatcher;
}

function endsAtOf(b: Record<string, unknown>, nowMs: number): number | string {
  if (b["endsAt"] !== undefined) {
    const ms =
      typeof b["endsAt"] === "string" ? Date.parse(b["endsAt"]) : Number.NaN;
    if (Number.isNaN(ms) || ms <= nowMs) {
      return `endsAt: expected a future ISO 8601 time, got ${shown(b["endsAt"])}`;
    }
    return Math.min(ms, nowMs + MAX_SILENCE_SECONDS * 1000);
  }
  const d = b["durationSeconds"] ?? 3600;
  if (typeof d !== "number" || !(d > 0) || d > MAX_SILENCE_SECONDS) {
    return `durationSeconds: expected a number from 1 to ${MAX_SILENCE_SECONDS}, got ${shown(d)}`;
  }
  return nowMs + d * 1000;
}

/**
 * Checks a silence request: a matcher of known labels only (an unknown or
 * empty one would match every alert and mute the farm), a reason, and an
 * end in the future and at most {@link MAX_SILENCE_SECONDS} away. Returns
 * the silence to set, or a message naming what was expected and got.
 */
export function parseSilenceInput(
  body: unknown,
  nowMs: number,
): SilenceInput | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return `body: expected a JSON object, got ${shown(body)}`;
  }
  const b = body as Record<string, unknown>;
  const matcher = matcherOf(b["matcher"]);
  if (typeof matcher === "string") return matcher;
  if (typeof b["reason"] !== "string" || b["reason"].trim() === "") {
    return `reason: expected a non-empty string, got ${shown(b["reason"])}`;
  }
  const endsMs = endsAtOf(b, nowMs);
  if (typeof endsMs === "string") return endsMs;
  const by = b["createdBy"];
  return {
    matcher,
    endsAt: new Date(endsMs).toISOString(),
    reason: b["reason"],
    createdBy: typeof by === "string" && by !== "" ? by : "api",
  };
}
