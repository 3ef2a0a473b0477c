import { describe, expect, it } from "vitest";
import {
  renderHung,
  workerStalled,
} from "../../../src/alerts/rules/workers.js";
import type { StalledTaskView } from "../../../src/shared/views.js";
import { farm, job, node, nodes, NOW, ruleInput, worker } from "../fixtures.js";

function stalledReason(w: Parameters<typeof worker>[0], extra = {}) {
  const c = workerStalled(
    ruleInput({ farm: farm({ workers: [worker(w)] }), ...extra }),
  );
  return c.map((x) => x.description);
}

describe("FlamencoWorkerStalled", () => {
  it("fires for a worker in error", () => {
    expect(stalledReason({ status: "error" })).toEqual([
      "Worker render-01: status error.",
    ]);
  });

  it("fires for an awake worker silent past the Manager's timeout", () => {
    expect(stalledReason({ lastSeenAgeSeconds: 120 })[0]).toMatch(
      /silent for 120 s/,
    );
  });

  it("fires for a worker stuck in starting", () => {
    expect(
      stalledReason({ status: "starting", lastSeenAgeSeconds: 400 })[0],
    ).toMatch(/starting/);
  });

  it("fires for a worker offline with queued work after the threshold", () => {
    const f = farm({
      workers: [worker({ status: "offline" })],
      jobs: [job({ tasksByStatus: { queued: 5 } })],
    });
    const memory = {};
    expect(workerStalled(ruleInput({ farm: f, memory }))).toEqual([]);
    const later = workerStalled(
      ruleInput({ farm: f, memory, nowMs: NOW + 601_000 }),
    );
    expect(later.map((c) => c.description)).toEqual([
      "Worker render-01: offline with work queued.",
    ]);
  });

  it("fires when the worker unit restarts in a loop (exit 47)", () => {
    const n = nodes(
      node({
        worker: { unit: "u", activeState: "active", lastExitStatus: 47 },
      }),
    );
    expect(stalledReason({}, { nodes: n })[0]).toMatch(/exited 47/);
  });

  it("fires when the worker unit restarted 3 times within 15 min", () => {
    const memory = {};
    const at = (restarts: number, minutes: number) =>
      workerStalled(
        ruleInput({
          memory,
          nowMs: NOW + minutes * 60_000,
          nodes: nodes(
            node({ worker: { unit: "u", activeState: "active", restarts } }),
          ),
        }),
      ).map((c) => c.description);
    expect([at(10, 0), at(11, 5), at(13, 10)]).toEqual([
      [],
      [],
      ["Worker render-01: unit restarted 3 times in 15 min."],
    ]);
  });

  it("does not call a lifetime of restarts a loop", () => {
    const memory = {};
    const at = (restarts: number, minutes: number) =>
      workerStalled(
        ruleInput({
          memory,
          nowMs: NOW + minutes * 60_000,
          nodes: nodes(
            node({ worker: { unit: "u", activeState: "active", restarts } }),
          ),
        }),
      );
    expect([at(40, 0), at(41, 20), at(42, 40)].flat()).toEqual([]);
  });

  it("stays silent for an awake worker seen recently", () => {
    expect(stalledReason({})).toEqual([]);
  });

  it("stays silent for an offline worker when nothing is queued", () => {
    expect(stalledReason({ status: "offline" })).toEqual([]);
  });
});

function stalled(p: Partial<StalledTaskView> = {}): StalledTaskView {
  return {
    jobId: "5a7e9c00-1111-4c2b-8d3e-000000000042",
    jobName: "shot_010",
    taskId: "0b6c2d4e-7f10-4a55-9e31-2c8d5a1f0001",
    taskName: "render-0011-0020",
    worker: "render-03",
    activeSeconds: 2400,
    noProgressSeconds: 2400,
    medianTaskSeconds: 420,
    ...p,
  };
}

const idleNode = node({
  node: "render-03",
  host: { cpuUtilizationRatio: 0.01 },
  gpus: [{ id: "GPU-1", name: "RTX", vendor: "nvidia", utilizationRatio: 0 }],
});

describe("FlamencoRenderHung", () => {
  it("flags a task active 40 min without progress while its node idles, not as a worker down", () => {
    const f = farm({
      workers: [
        worker({ name: "render-03", status: "awake", lastSeenAgeSeconds: 15 }),
      ],
      problems: {
        stalledTasks: [stalled()],
        stuckJobs: [],
        unservableJobs: [],
        pathMappingSuspects: [],
      },
    });
    const input = ruleInput({ farm: f, nodes: nodes(idleNode) });
    const hung = renderHung(input);
    expect(hung.map((c) => [c.name, c.labels.worker])).toEqual([
      ["FlamencoRenderHung", "render-03"],
    ]);
    expect(hung[0]!.description).toMatch(/add-ons.*log tail/);
    expect(workerStalled(input)).toEqual([]);
  });

  it("stays silent while the node's GPU is busy", () => {
    const busy = node({ node: "render-03" });
    const f = farm({
      problems: {
        stalledTasks: [stalled()],
        stuckJobs: [],
        unservableJobs: [],
        pathMappingSuspects: [],
      },
    });
    expect(renderHung(ruleInput({ farm: f, nodes: nodes(busy) }))).toEqual([]);
  });

  it("waits for three times the job's median task time when that is longer than 30 min", () => {
    const s = stalled({ noProgressSeconds: 2400, medianTaskSeconds: 1200 });
    const f = farm({
      problems: {
        stalledTasks: [s],
        stuckJobs: [],
        unservableJobs: [],
        pathMappingSuspects: [],
      },
    });
    expect(renderHung(ruleInput({ farm: f, nodes: nodes(idleNode) }))).toEqual(
      [],
    );
  });
});
