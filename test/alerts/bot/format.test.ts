import { describe, expect, it } from "vitest";
import {
  formatSeconds,
  parseDuration,
} from "../../../src/alerts/bot/format.js";

describe("bot formats", () => {
  it("shows the two largest units of a duration", () => {
    expect([formatSeconds(3725), formatSeconds(59), formatSeconds(0)]).toEqual([
      "1h 2m",
      "59s",
      "0s",
    ]);
  });

  it("parses durations like 90s, 30m, 2h, 1d and 1h30m", () => {
    expect(
      ["90s", "30m", "2h", "1d", "1h30m"].map((d) => parseDuration(d)),
    ).toEqual([90, 1800, 7200, 86_400, 5400]);
  });

  it("refuses text that is no duration", () => {
    expect(["", "soon", "2x", "0m"].map((d) => parseDuration(d))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
