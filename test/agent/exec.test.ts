import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CallStats, CollectorFailure } from "../../src/agent/collector.js";
import { SingleFlightCommand } from "../../src/agent/exec.js";
import { FakeBin } from "../support/fakes/fake-bin.js";

let bin: FakeBin;
beforeEach(() => {
  bin = new FakeBin();
});
afterEach(() => bin.remove());

async function reasonOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CollectorFailure);
  return (err as CollectorFailure).reason;
}

describe("SingleFlightCommand", () => {
  it("starts no second child while the first is running", async () => {
    const path = bin.write("slow", "sleep 1\necho done");
    const cmd = new SingleFlightCommand(new CallStats());
    const first = cmd.run(path, [], 5);
    expect(await reasonOf(cmd.run(path, [], 5))).toBe("stuck");
    expect((await first).stdout).toBe("done\n");
    expect(bin.calls()).toHaveLength(1);
  });

  it("counts a timed-out call as a timeout and frees the slot", async () => {
    const stats = new CallStats();
    const cmd = new SingleFlightCommand(stats);
    expect(await reasonOf(cmd.run(bin.hanging("hang"), [], 0.2))).toBe(
      "timeout",
    );
    await expect.poll(() => cmd.busy).toBe(false);
    expect(stats).toEqual({ timeouts: 1, stuck: 0 });
  });

  it("kills what the timed-out program started (its process group)", async () => {
    const marker = `${bin.dir}/child-alive`;
    const path = bin.write(
      "spawner",
      `(sleep 2; touch '${marker}') &\nexec sleep 600`,
    );
    const cmd = new SingleFlightCommand(new CallStats());
    expect(await reasonOf(cmd.run(path, [], 0.2))).toBe("timeout");
    await new Promise((r) => setTimeout(r, 2500));
    const { existsSync } = await import("node:fs");
    expect(existsSync(marker)).toBe(false);
  });

  it("says missing_binary for a program that does not exist", async () => {
    const cmd = new SingleFlightCommand(new CallStats());
    expect(await reasonOf(cmd.run(`${bin.dir}/nope`, [], 1))).toBe(
      "missing_binary",
    );
  });

  it("says error_exit with stderr for a failing program", async () => {
    const cmd = new SingleFlightCommand(new CallStats());
    const err = await cmd
      .run(bin.failing("bad", "it broke", 3), [], 1)
      .catch((e: CollectorFailure) => e);
    expect(err).toMatchObject({ reason: "error_exit" });
    expect((err as Error).message).toContain("exit 3: it broke");
  });
});
