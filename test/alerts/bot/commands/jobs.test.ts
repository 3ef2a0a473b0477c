import { afterEach, describe, expect, it } from "vitest";
import { farm, troubledFarm } from "../fixtures.js";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/jobs", () => {
  it("lists jobs newest first with id prefix, status and progress", async () => {
    h = await startHarness({ farm: troubledFarm() });
    const [reply] = await h.send("/jobs");
    expect(reply?.text.split("\n")).toEqual([
      "▶️ aaaaaaaa shot_010 · active 45%",
      "❌ bbbbbbbb shot_<040> & fx_🔥 · failed 80%",
      "Details: /job <name or id>",
    ]);
  });

  it("says so when the farm has no jobs", async () => {
    h = await startHarness({ farm: farm({ jobs: [] }) });
    const [reply] = await h.send("/jobs");
    expect(reply?.text).toBe("No jobs.");
  });
});
