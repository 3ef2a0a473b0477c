import { describe, expect, it } from "vitest";
import { mutateText, mutateValue, Rng } from "../../bench/faults/mutate.js";

describe("Rng", () => {
  it("gives the same sequence for the same seed", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it("keeps int(n) within 0 to n-1", () => {
    const rng = new Rng(7);
    const values = Array.from({ length: 500 }, () => rng.int(3));
    expect(new Set(values)).toEqual(new Set([0, 1, 2]));
  });
});

describe("mutateValue", () => {
  it("changes the value it is given", () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const original = { jobs: [{ id: "a", status: "active" }], n: 1 };
      const copy = structuredClone(original);
      mutateValue(copy, rng);
      expect(copy).not.toEqual(original);
    }
  });
});

describe("mutateText", () => {
  it("returns text different from its input", () => {
    const rng = new Rng(3);
    const text = JSON.stringify({ a: [1, 2, 3], b: "some text here" });
    for (let i = 0; i < 50; i++) expect(mutateText(text, rng)).not.toBe(text);
  });
});
