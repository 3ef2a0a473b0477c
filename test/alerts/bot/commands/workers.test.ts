import { afterEach, describe, expect, it } from "vitest";
import { farm, node, troubledFarm, TRICKY_WORKER } from "../fixtures.js";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/workers and /worker", () => {
  it("lists the workers in trouble first", async () => {
    const f = troubledFarm();
    f.workers.push(...farm().workers);
    f.workers[1]!.lastSeenAgeSeconds = 3600;
    h = await startHarness({ farm: f });
    const [reply] = await h.send("/workers");
    expect(reply?.text.split("\n")).toEqual([
      `🔴 ${TRICKY_WORKER} · error`,
      "⚫ render-02 · offline · seen 1h ago",
      "🟢 render-01 · awake",
      "🟢 render-02 · awake",
    ]);
  });

  it("shows one worker with its node's GPU, mounts, Tailscale and unit", async () => {
    const nodes = new Map([
      [
        "render-01",
        node("render-01", {
          gpus: [
            {
              id: "GPU-1",
              name: "RTX 4090",
              vendor: "nvidia",
              utilizationRatio: 0.97,
              temperatureCelsius: 71,
            },
          ],
          tailscale: {
            state: "Running",
            up: true,
            mode: "tun",
            health: [],
            peers: [],
          },
          worker: { unit: "flamenco-worker.service", activeState: "active" },
        }),
      ],
    ]);
    h = await startHarness({ farm: farm(), nodes });
    const [reply] = await h.send("/worker render-01");
    expect(reply?.text.split("\n")).toEqual([
      "🟢 render-01 · awake",
      "Tasks: 10 done, 0 failed",
      "🎮 RTX 4090 97% 71°C",
      "🟢 /mnt/render · ok",
      "🟢 Tailscale Running",
      "⚙️ flamenco-worker.service: active",
    ]);
  });

  it("shows a node's agent data for a name the Manager does not know", async () => {
    const nodes = new Map([["nas-01", node("nas-01")]]);
    h = await startHarness({ farm: farm(), nodes });
    const [reply] = await h.send("/worker nas-01");
    expect(reply?.text).toBe("🟢 /mnt/render · ok");
  });

  it("says so when no worker or node matches", async () => {
    h = await startHarness({ farm: farm() });
    const [reply] = await h.send("/worker gpu-99");
    expect(reply?.text).toBe("No worker or node matches gpu-99.");
  });
});
