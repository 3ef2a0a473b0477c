import { afterEach, describe, expect, it } from "vitest";
import { alert, farm, troubledFarm, TRICKY_WORKER } from "../fixtures.js";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/status", () => {
  it("shows the Manager, workers and active jobs of a healthy farm", async () => {
    h = await startHarness({ farm: farm() });
    const [reply] = await h.send("/status");
    expect(reply?.text).toBe(
      [
        "Manager 3.6 up · farm active",
        "Workers: 2 awake",
        "Jobs:",
        "▶️ shot_010: active 45% 90/200 frames, ETA 1h 20m",
        "🔔 No alerts firing",
      ].join("\n"),
    );
  });

  it("names the workers in trouble and counts failed tasks and alerts", async () => {
    h = await startHarness({ farm: troubledFarm() });
    h.alerts.alerts = [alert()];
    const [reply] = await h.send("/status");
    expect(reply?.text.split("\n")).toEqual([
      "Manager 3.6 up · farm active",
      `Workers: 1 error (${TRICKY_WORKER}), 1 offline (render-02)`,
      "Jobs:",
      "▶️ shot_010: active 45% 90/200 frames, ETA 1h 20m",
      "❌ shot_<040> & fx_🔥: failed 80% 160/200 frames",
      "❌ 1 failed task(s) in shot_<040> & fx_🔥",
      "🔔 1 alert(s) firing (1 critical): /alerts",
    ]);
  });

  it("says the Manager is unreachable with the age of the data", async () => {
    h = await startHarness({
      farm: farm({
        up: false,
        stale: true,
        ageSeconds: 300,
        lastError: { code: "FW_MANAGER_UNREACHABLE", message: "refused" },
      }),
    });
    const [reply] = await h.send("/status");
    expect(reply?.text.split("\n")[0]).toBe(
      "⚠️ Manager unreachable 3.6: refused, data 5m old",
    );
  });

  it("answers without farm data when the exporter never answered", async () => {
    h = await startHarness({});
    const [reply] = await h.send("/status");
    expect(reply?.text).toBe(
      "No farm data yet: the exporter has not answered.",
    );
  });
});
