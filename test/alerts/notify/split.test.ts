import { describe, expect, it } from "vitest";
import { splitHtml } from "../../../src/alerts/notify/split.js";
import { escapeHtml, toHtmlLines } from "../../../src/alerts/notify/notice.js";

describe("splitHtml", () => {
  it("splits only between lines and keeps every message within the limit", () => {
    const lines = Array.from(
      { length: 60 },
      (_, i) =>
        `<b>${i}</b> 🔴 render-0401-0410 on render-05: command exited abnormally with code 1`,
    );
    const parts = splitHtml(lines, 4096);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join("\n")).toBe(lines.join("\n"));
  });

  it("never cuts a surrogate pair when a single line is longer than the limit", () => {
    const parts = splitHtml(["🔴".repeat(300)], 201);
    expect(
      parts.every(
        (p) => !/[\uD800-\uDBFF]$/.test(p) && !/^[\uDC00-\uDFFF]/.test(p),
      ),
    ).toBe(true);
    expect(parts.join("")).toBe("🔴".repeat(300));
  });

  it("never cuts an HTML entity when a single line is longer than the limit", () => {
    const line = escapeHtml("<&>".repeat(200));
    const parts = splitHtml([line], 200);
    expect(parts.every((p) => !/&[a-z]*$/.test(p))).toBe(true);
    expect(parts.join("")).toBe(line);
  });
});

describe("toHtmlLines", () => {
  it("escapes every name and keeps each line's tags balanced", () => {
    const lines = toHtmlLines(
      {
        status: "firing",
        alertname: "FlamencoJobFailed",
        severity: "warning",
        group: { job: "<i>x</i>" },
        items: [
          {
            labels: {},
            summary: "s",
            description: "Job a<b failed",
            details: ["x & y"],
            jobId: "j&1",
          },
        ],
        at: "2025-06-02T12:00:00Z",
        origin: "rules",
      },
      "http://127.0.0.1:8080",
    );
    expect(lines.join("\n")).not.toMatch(/<i>x|a<b|x & y/);
    for (const l of lines) {
      const open = (l.match(/<[a-z]+[ >]/g) ?? []).length;
      const close = (l.match(/<\/[a-z]+>/g) ?? []).length;
      expect(open).toBe(close);
    }
  });
});
