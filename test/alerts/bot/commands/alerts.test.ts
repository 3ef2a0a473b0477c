import { afterEach, describe, expect, it } from "vitest";
import { alert } from "../fixtures.js";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/alerts", () => {
  it("says there are no alerts on a healthy farm", async () => {
    h = await startHarness({});
    const [reply] = await h.send("/alerts");
    expect(reply?.text).toBe("✅ No alerts.");
  });

  it("lists critical before warning, silenced last, with escaped labels", async () => {
    h = await startHarness({});
    h.alerts.alerts = [
      alert({
        name: "FarmwatchMountHung",
        severity: "warning",
        labels: { node: "render_<02>&" },
        summary: "A mount does not answer.",
      }),
      alert({ silenced: true, labels: { worker: "render-09" } }),
      alert(),
    ];
    await h.alerts.silence({
      matcher: { node: "render-09" },
      endsAt: "2026-12-04T18:00:00Z",
      reason: "swap",
      createdBy: "api",
    });
    const [reply] = await h.send("/alerts");
    const heads = reply?.text
      .split("\n")
      .filter((l) => !l.startsWith("   "))
      .map((l) => l.replace(/ · .*$/, ""));
    expect(heads).toEqual([
      "🔴 FlamencoWorkerStalled worker=render-02",
      "🟠 FarmwatchMountHung node=render_<02>&",
      "🔕 FlamencoWorkerStalled worker=render-09",
      "🔕 1 silence(s) active: /unsilence",
    ]);
  });
});
