/**
 * Splits Telegram HTML into messages of at most `limit` UTF-16 code units
 * (Telegram's limit counts code units of the text after entity parsing,
 * so counting the raw HTML is on the safe side). Splits only between
 * lines, whose tags are balanced; a single line longer than the limit is
 * cut at a safe point: never inside a tag, an entity or a surrogate pair.
 */
export function splitHtml(lines: readonly string[], limit: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of lines.flatMap((l) => cutLine(l, limit))) {
    const next = cur === "" ? line : `${cur}\n${line}`;
    if (next.length <= limit) {
      cur = next;
      continue;
    }
    if (cur !== "") out.push(cur);
    cur = line;
  }
  if (cur !== "") out.push(cur);
  return out;
}

/** Whether cutting before index `i` of `s` splits a surrogate pair. */
function insidePair(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Cuts one over-long line. Tags are dropped from it (a cut would leave
 * them unbalanced); entities and surrogate pairs are kept whole.
 */
function cutLine(line: string, limit: number): string[] {
  if (line.length <= limit) return [line];
  const text = line.replace(/<[^>]*>/g, "");
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + limit, text.length);
    if (end < text.length) {
      const amp = text.lastIndexOf("&", end - 1);
      if (amp >= start && text.indexOf(";", amp) >= end) end = amp;
      if (insidePair(text, end)) end -= 1;
      if (end <= start) end = start + limit;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}
