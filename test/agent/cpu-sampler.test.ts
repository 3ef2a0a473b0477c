import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CpuSampler, parseProcStatCpu } from "../../src/agent/cpu-sampler.js";
import { FIXTURES } from "./helpers.js";

let proc: string;
beforeEach(() => {
  proc = mkdtempSync(path.join(os.tmpdir(), "fw-proc-"));
  copyFileSync(path.join(FIXTURES, "proc", "stat"), path.join(proc, "stat"));
});
afterEach(() => rmSync(proc, { recursive: true, force: true }));

function advanceToT1(): void {
  copyFileSync(path.join(FIXTURES, "proc", "stat.t1"), path.join(proc, "stat"));
}

describe("CpuSampler", () => {
  it("publishes no current value at the first reading", async () => {
    const sampler = new CpuSampler(proc);
    await sampler.sample();
    expect(sampler.current()).toBeUndefined();
  });

  it("gives busy share of the window between two samples", async () => {
    const sampler = new CpuSampler(proc);
    await sampler.sample();
    advanceToT1();
    await sampler.sample();
    expect(sampler.current()).toBeCloseTo(0.975, 6);
  });

  it("lets a reader between samples leave the window untouched", async () => {
    const sampler = new CpuSampler(proc);
    await sampler.sample();
    expect(sampler.current()).toBeUndefined();
    advanceToT1();
    expect(sampler.current()).toBeUndefined();
    await sampler.sample();
    expect(sampler.current()).toBeCloseTo(0.975, 6);
  });

  it("counts idle and iowait as not busy", () => {
    const t = parseProcStatCpu("cpu  10 0 10 70 10 0 0 0 0 0\n");
    expect(t).toEqual({ busy: 20, total: 100 });
  });
});
