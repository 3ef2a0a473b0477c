import { afterEach, describe, expect, it } from "vitest";
import { node } from "../fixtures.js";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/mounts", () => {
  it("sums up healthy mounts in one line", async () => {
    const nodes = new Map([
      ["render-01", node("render-01")],
      ["render-02", node("render-02")],
    ]);
    h = await startHarness({ nodes });
    const [reply] = await h.send("/mounts");
    expect(reply?.text).toBe("🟢 All 2 mount(s) ok on 2 node(s).");
  });

  it("lists each mount in trouble with its node and reason", async () => {
    const nodes = new Map([
      ["render-01", node("render-01")],
      [
        "render_<02>",
        node("render_<02>", {
          mounts: [
            {
              mountpoint: "/mnt/render",
              state: "hung",
              up: false,
              hung: true,
              reason: "stat timed out after 5 s",
            },
          ],
        }),
      ],
    ]);
    h = await startHarness({ nodes });
    const [reply] = await h.send("/mounts");
    expect(reply?.text.split("\n")).toEqual([
      "🔴 1 mount(s) in trouble, 1 ok.",
      "render_<02> 🔴 /mnt/render · hung (stat timed out after 5 s)",
    ]);
  });
});
