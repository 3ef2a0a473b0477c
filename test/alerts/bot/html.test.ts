import { describe, expect, it } from "vitest";
import {
  cutText,
  esc,
  fitLines,
  visibleLength,
} from "../../../src/alerts/bot/html.js";
import { parseTelegramHtml } from "../../support/fake-bot-api-html.js";

describe("bot HTML helpers", () => {
  it("escapes <, > and & so Telegram shows the name as written", () => {
    const name = "a<b>&c_🔥&amp;";
    expect(parseTelegramHtml(`<b>${esc(name)}</b>`)).toBe(name);
  });

  it("counts an entity as one character and a tag as none", () => {
    expect(visibleLength("<b>&lt;x&amp;</b>")).toBe(3);
  });

  it("keeps a short text whole", () => {
    expect(fitLines(["a", "b"], 10)).toBe("a\nb");
  });

  it("drops whole lines from the end and says how many", () => {
    const lines = Array.from(
      { length: 60 },
      (_, i) =>
        `🔴 <b>render-${i}</b> on render_&lt;05&gt;: command exited abnormally`,
    );
    const text = fitLines(lines, 1000);
    expect({
      fits: parseTelegramHtml(text).length <= 1000,
      tail: text.split("\n").at(-1),
    }).toEqual({ fits: true, tail: expect.stringMatching(/^… and \d+ more$/) });
  });

  it("never cuts a surrogate pair or an entity", () => {
    const lines = Array.from({ length: 400 }, () => "🔥&amp;🔥");
    const text = fitLines(lines);
    expect(() => parseTelegramHtml(text)).not.toThrow();
  });

  it("cuts text before an emoji rather than through it", () => {
    expect(cutText("ab🔥cd", 4)).toBe("ab…");
  });
});
