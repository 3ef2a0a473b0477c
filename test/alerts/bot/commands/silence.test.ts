import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AUDIT_FILE } from "../../../../src/alerts/bot/audit.js";
import { alert, farm } from "../fixtures.js";
import { ADMIN, startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/silence and /unsilence", () => {
  it("silences a node for a duration with a reason", async () => {
    h = await startHarness({ farm: farm() });
    const [reply] = await h.send("/silence render-02 2h swapping a disk");
    expect({ text: reply?.text, silences: h.alerts.list }).toEqual({
      text:
        "🔕 Silenced node=render-02 until 18:00 UTC (2h). End it: " +
        "/unsilence s1",
      silences: [
        {
          id: "s1",
          matcher: { node: "render-02" },
          startsAt: "2026-12-04T16:00:00.000Z",
          endsAt: "2026-12-04T18:00:00.000Z",
          reason: "swapping a disk",
          createdBy: `telegram:${ADMIN}`,
        },
      ],
    });
  });

  it("silences an alert by its name, whatever the case", async () => {
    h = await startHarness({ farm: farm() });
    h.alerts.alerts = [alert()];
    await h.send("/silence flamencoworkerstalled 30m");
    expect(h.alerts.list[0]?.matcher).toEqual({
      alertname: "FlamencoWorkerStalled",
    });
  });

  it("takes an explicit label such as job=", async () => {
    h = await startHarness({ farm: farm() });
    await h.send("/silence job=shot_<040> 1d");
    expect(h.alerts.list[0]?.matcher).toEqual({ job: "shot_<040>" });
  });

  it("answers with the usage when the duration is not one", async () => {
    h = await startHarness({ farm: farm() });
    const [reply] = await h.send("/silence render-02 soon");
    expect({ text: reply?.text, silences: h.alerts.list.length }).toEqual({
      text:
        "Usage: /silence <alert or node> <duration> [reason], e.g. " +
        "/silence render-05 2h disk swap",
      silences: 0,
    });
  });

  it("writes the silence to the audit log", async () => {
    h = await startHarness({ farm: farm() });
    await h.send("/silence render-02 2h");
    const entry = JSON.parse(
      await readFile(join(h.stateDir, AUDIT_FILE), "utf8"),
    ) as Record<string, unknown>;
    expect([entry.action, entry.userId, entry.outcome]).toEqual([
      "silence",
      ADMIN,
      "ok",
    ]);
  });

  it("lists silences and ends one by id", async () => {
    h = await startHarness({ farm: farm() });
    await h.send("/silence render-02 2h");
    const [list] = await h.send("/unsilence");
    const [ended] = await h.send("/unsilence s1");
    expect({
      list: list?.text.split("\n")[0],
      ended: ended?.text,
      left: h.alerts.list.length,
    }).toEqual({
      list: "🔕 s1 node=render-02 until 18:00 UTC: silenced from Telegram",
      ended: "🔔 Ended 1 silence(s).",
      left: 0,
    });
  });
});
