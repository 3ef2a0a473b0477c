/**
 * Telegram's `parse_mode: "HTML"` as the Bot API server parses it (tdlib's
 * parse_html), for the fake Bot API: the same tags, the same four named
 * entities plus numeric ones, and the same error texts. A bare `&` that
 * starts no known entity stays a literal `&`, as Telegram keeps it; a `<`
 * that starts no supported tag is an error.
 */

/** Tags Telegram accepts in HTML parse mode (lower case). */
const SUPPORTED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "tg-emoji",
  "code",
  "pre",
  "blockquote",
]);

const NAMED_ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
};

/** The text could not be parsed; `message` is Telegram's description tail. */
export class HtmlParseError extends Error {}

function byteOffset(html: string, index: number): number {
  return Buffer.byteLength(html.slice(0, index), "utf8");
}

/** Decodes the entity at `i` (which is `&`); undefined when there is none. */
function decodeEntity(
  html: string,
  i: number,
): { text: string; end: number } | undefined {
  const semi = html.indexOf(";", i + 1);
  if (semi === -1 || semi - i > 10) return undefined;
  const name = html.slice(i + 1, semi);
  const named = NAMED_ENTITIES[name];
  if (named !== undefined) return { text: named, end: semi + 1 };
  const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(name);
  if (num === null) return undefined;
  const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
  if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return undefined;
  }
  return { text: String.fromCodePoint(code), end: semi + 1 };
}

/** Reads `<tag attrs>` at `i`; returns the tag and the index after `>`. */
function readStartTag(
  html: string,
  i: number,
): { name: string; attrs: string; end: number } {
  const close = html.indexOf(">", i);
  if (close === -1) {
    throw new HtmlParseError(
      `Unclosed start tag at byte offset ${byteOffset(html, i)}`,
    );
  }
  const inner = html.slice(i + 1, close);
  const m = /^([a-zA-Z][a-zA-Z0-9-]*)([\s\S]*)$/.exec(inner);
  const name = m?.[1]?.toLowerCase() ?? "";
  if (m === null || !SUPPORTED_TAGS.has(name)) {
    const shown = m?.[1] ?? inner.split(/\s/)[0] ?? "";
    throw new HtmlParseError(
      `Unsupported start tag "${shown}" at byte offset ` +
        `${byteOffset(html, i)}`,
    );
  }
  const attrs = m[2] ?? "";
  if (name === "span" && !/class\s*=\s*"?tg-spoiler"?/.test(attrs)) {
    throw new HtmlParseError(`Tag "span" must have class "tg-spoiler"`);
  }
  return { name, attrs, end: close + 1 };
}

/** Checks `</tag>` at `i` against the innermost open tag; returns its end. */
function readEndTag(
  html: string,
  i: number,
  expected: string | undefined,
): number {
  const close = html.indexOf(">", i);
  const name = html
    .slice(i + 2, close === -1 ? html.length : close)
    .trim()
    .toLowerCase();
  if (close === -1 || expected === undefined) {
    throw new HtmlParseError(
      `Unexpected end tag at byte offset ${byteOffset(html, i)}`,
    );
  }
  if (name !== expected) {
    throw new HtmlParseError(
      `Unmatched end tag at byte offset ${byteOffset(html, i)}, ` +
        `expected "</${expected}>", found "</${name}>"`,
    );
  }
  return close + 1;
}

/**
 * Parses Telegram HTML and returns the plain text the user sees. Throws
 * {@link HtmlParseError} with Telegram's wording on malformed input.
 */
export function parseTelegramHtml(html: string): string {
  const open: string[] = [];
  let text = "";
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === "&") {
      const entity = decodeEntity(html, i);
      text += entity?.text ?? "&";
      i = entity?.end ?? i + 1;
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i += 1;
      continue;
    }
    if (html[i + 1] === "/") {
      i = readEndTag(html, i, open.pop());
      continue;
    }
    const tag = readStartTag(html, i);
    open.push(tag.name);
    i = tag.end;
  }
  if (open.length > 0) {
    throw new HtmlParseError(
      `Can't find end tag corresponding to start tag "${open.at(-1)}"`,
    );
  }
  return text;
}
