import { describe, expect, it } from "vitest";
import { newResult, passed, totalsOf } from "../../bench/faults/report.js";

function result(over: Partial<ReturnType<typeof newResult>>) {
  return { ...newResult("x"), ...over };
}

describe("passed", () => {
  it("fails a run with one lost message outside a KNOWN fault", () => {
    expect(passed([result({ lost: 1 })])).toBe(false);
  });

  it("passes a run whose only crash is in a fault marked KNOWN", () => {
    expect(passed([result({ verdict: "KNOWN", crashes: 1 }), result({})])).toBe(
      true,
    );
  });
});

describe("totalsOf", () => {
  it("counts skipped faults apart from the injected ones", () => {
    const t = totalsOf([result({ verdict: "SKIP" }), result({ expected: 6 })]);
    expect([t.faults, t.skipped, t.expected]).toEqual([1, 1, 6]);
  });
});

describe("totalsOf with a run-wide check", () => {
  it("counts a failed check as a failure but not as an injected fault", () => {
    const t = totalsOf([result({ verdict: "FAIL", check: true, lost: 3 })]);
    expect([t.failed, t.faults, t.lost]).toEqual([1, 0, 0]);
  });
});
