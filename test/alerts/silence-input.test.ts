import { describe, expect, it } from "vitest";
import {
  MAX_SILENCE_SECONDS,
  parseSilenceInput,
} from "../../src/alerts/silence-input.js";

const NOW = Date.parse("2025-06-02T12:00:00Z");

describe("parseSilenceInput", () => {
  it("accepts a node silence and ends it after durationSeconds", () => {
    const got = parseSilenceInput(
      { matcher: { node: "render-02" }, durationSeconds: 600, reason: "fix" },
      NOW,
    );
    expect(got).toEqual({
      matcher: { node: "render-02" },
      endsAt: "2025-06-02T12:10:00.000Z",
      reason: "fix",
      createdBy: "api",
    });
  });

  it("refuses a matcher with an unknown label instead of muting every alert", () => {
    const got = parseSilenceInput(
      { matcher: { workr: "render-02" }, reason: "typo" },
      NOW,
    );
    expect(got).toBe(
      "matcher.workr: expected one of alertname, node, worker, job, " +
        "got another label",
    );
  });

  it("refuses a matcher that is not an object", () => {
    expect(parseSilenceInput({ matcher: "abc", reason: "x" }, NOW)).toBe(
      'matcher: expected an object of alertname, node, worker, job, got "abc"',
    );
  });

  it("refuses an empty matcher", () => {
    expect(parseSilenceInput({ matcher: {}, reason: "x" }, NOW)).toBe(
      "matcher: expected at least one of alertname, node, worker, job, " +
        "got none",
    );
  });

  it("refuses a negative, huge or non-numeric duration", () => {
    const got = [-5, 1e300, "abc"].map((d) =>
      parseSilenceInput(
        { matcher: { node: "n" }, durationSeconds: d, reason: "x" },
        NOW,
      ),
    );
    const expected = (v: string) =>
      `durationSeconds: expected a number from 1 to ${MAX_SILENCE_SECONDS}, ` +
      `got ${v}`;
    expect(got).toEqual([
      expected("-5"),
      expected("1e+300"),
      expected('"abc"'),
    ]);
  });

  it("refuses an end time in the past", () => {
    const got = parseSilenceInput(
      { matcher: { node: "n" }, endsAt: "2025-06-01T00:00:00Z", reason: "x" },
      NOW,
    );
    expect(got).toBe(
      'endsAt: expected a future ISO 8601 time, got "2025-06-01T00:00:00Z"',
    );
  });

  it("requires a reason", () => {
    expect(parseSilenceInput({ matcher: { node: "n" } }, NOW)).toBe(
      "reason: expected a non-empty string, got nothing",
    );
  });
});
