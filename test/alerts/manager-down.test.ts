import { afterEach, describe, expect, it } from "vitest";
import { farm, worker, views } from "./fixtures.js";
import { harness, summary, type Harness } from "./harness.js";

let h: Harness;
afterEach(async () => h?.cleanup());

const six = Array.from({ length: 6 }, (_, i) =>
  worker({ name: `render-0${i + 1}` }),
);

describe("Manager unavailable", () => {
  it("does not alert on a busy Manager (503) while the exporter keeps last-good data", async () => {
    h = await harness();
    h.set(views(farm({ up: true, stale: true, workers: six })));
    for (let i = 0; i < 10; i++) await h.step(30);
    expect(summary(await h.outbox())).toEqual([]);
  });

  it("pages only after the Manager refused connections for the rule's for, not on 3 failed polls", async () => {
    h = await harness();
    const down = farm({
      up: false,
      workers: six.map((w) => ({ ...w, status: "offline" })),
      lastError: { code: "FW_MANAGER_UNREACHABLE", message: "ECONNREFUSED" },
    });
    h.set(views(down));
    await h.step();
    await h.step(30);
    await h.step(30);
    h.set(views(farm({ workers: six })));
    await h.step(30);
    expect(summary(await h.outbox())).toEqual([]);
    h.set(views(down));
    for (let i = 0; i < 5; i++) await h.step(30);
    expect(summary(await h.outbox())).toEqual(["firing FlamencoManagerDown"]);
  });

  it("alerts FlamencoWorkersVanished when a restarted Manager lists no workers", async () => {
    h = await harness();
    h.set(views(farm({ workers: six })));
    await h.step();
    h.set(views(farm({ workers: [] })));
    await h.step(30);
    expect(summary(await h.outbox())).toEqual([
      "firing FlamencoWorkersVanished",
    ]);
  });
});
