/**
 * HTML for Telegram's `parse_mode: "HTML"`: escaping and keeping a reply
 * under the message limit without cutting a tag, an entity or a
 * surrogate pair.
 */

/** Telegram's limit on a message after entity parsing, UTF-16 units. */
export const TELEGRAM_MAX_CHARS = 4096;

/** Escapes `<`, `>`, `&` and `"` so any name shows as written. */
export function esc(text: string | number | undefined): string {
  return String(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * The first `maxUnits` UTF-16 units of `text`, one fewer when the cut
 * would split a surrogate pair (an emoji), with `…` when cut.
 */
export function cutText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = maxUnits - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + "…";
}

/** Length of HTML as Telegram counts it: tags dropped, entities one. */
export function visibleLength(html: string): number {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, "_").length;
}

/**
 * Joins lines into one message of at most `maxChars` visible characters.
 * Whole lines are dropped from the end (each line must be balanced HTML)
 * and replaced by "… and N more"; `more` is appended to that note, e.g.
 * a command that shows the rest. When the first line alone is too long,
 * everything is returned: `sendReply` then sends it cut, as plain text.
 */
export function fitLines(
  lines: readonly string[],
  maxChars: number = TELEGRAM_MAX_CHARS - 96,
  more = "",
): string {
  const all = lines.join("\n");
  if (visibleLength(all) <= maxChars) return all;
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const note = `… and ${lines.length - i} more${more}`;
    const cost = visibleLength(line) + 1;
    if (used + cost + visibleLength(note) > maxChars) {
      // Not even the first line fits: leave the cut to the sender.
      if (i === 0) return all;
      kept.push(esc(`… and ${lines.length - i} more`) + more);
      break;
    }
    kept.push(line);
    used += cost;
  }
  return kept.join("\n");
}
