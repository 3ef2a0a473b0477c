/** Short human formats for durations, ages and progress. */

const UNITS: readonly [string, number][] = [
  ["d", 86_400],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
];

/** `3725` -> `1h 2m`: the two largest units, `0s` for zero. */
export function formatSeconds(seconds: number): string {
  let left = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (left >= size && parts.length < 2) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.length === 0 ? "0s" : parts.join(" ");
}

/** Seconds between an ISO time and `now`; undefined when unparsable. */
export function ageSeconds(
  iso: string | undefined,
  now: Date,
): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : (now.getTime() - t) / 1000;
}

/** `0.456` -> `46%`. */
export function percent(ratio: number): string {
  return `${Math.floor(Math.min(Math.max(ratio, 0), 1) * 100)}%`;
}

/**
 * Parses `90s`, `30m`, `2h`, `1d`, `1h30m` into seconds; undefined when
 * the text is not such a duration.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i.exec(text);
  if (m === null || text === "") return undefined;
  const [, d, h, min, s] = m.map((v) => Number(v ?? 0));
  const total = d! * 86_400 + h! * 3600 + min! * 60 + s!;
  return total > 0 ? total : undefined;
}

/** `2026-12-04T16:30:00Z` -> `16:30 UTC`, with the date when not today. */
export function formatClock(at: Date, now: Date): string {
  const iso = at.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10)
    ? time
    : `${iso.slice(0, 10)} ${time}`;
}
