import { describe, expect, it } from "vitest";
import { AlertEngine } from "../../src/alerts/engine.js";
import type { Candidate } from "../../src/alerts/rules/types.js";
import { makeConfig, NOW } from "./fixtures.js";

const hung: Candidate = {
  name: "FarmwatchMountHung",
  labels: { node: "render-03", mountpoint: "/mnt/render" },
  source: "node:render-03",
  summary: "s",
  description: "d",
};

function engine(forSeconds: number, keepFiringForSeconds = 0) {
  const rules = makeConfig({
    alerts: { rules: { FarmwatchMountHung: { forSeconds } } },
  }).alerts.rules;
  return new AlertEngine({ rules, keepFiringForSeconds });
}

/** C30's series at 1 min steps: 0 = probe failing, s = scrape gap. */
const SERIES = "0 0 0 s 0 0 s s 0 0 s 0 0 0 0".split(" ");

function replay(e: AlertEngine, gapIsMissing: boolean) {
  const log: string[] = [];
  SERIES.forEach((v, minute) => {
    const gap = v === "s";
    const missing = new Set(gap && gapIsMissing ? [hung.source] : []);
    const r = e.step(gap ? [] : [hung], NOW + minute * 60_000, missing);
    for (const a of r.fired) log.push(`fired@${minute}`);
    for (const a of r.resolved) log.push(`resolved@${minute}`);
  });
  return log;
}

describe("AlertEngine", () => {
  it("keeps a hung-mount alert firing through scrape gaps without a false resolve", () => {
    expect(replay(engine(180, 120), true)).toEqual(["fired@3"]);
  });

  it("shows why: a naive evaluator treating gaps as recovery fires only at t=14m", () => {
    expect(replay(engine(180, 120), false)).toEqual(["fired@14"]);
  });

  it("stays pending until the condition held for the rule's for", () => {
    const e = engine(120);
    expect(e.step([hung], NOW, new Set()).fired).toEqual([]);
    expect(e.step([hung], NOW + 119_000, new Set()).fired).toEqual([]);
    expect(e.step([hung], NOW + 120_000, new Set()).fired).toHaveLength(1);
  });

  it("drops a pending alert silently when the condition clears", () => {
    const e = engine(120);
    e.step([hung], NOW, new Set());
    const r = e.step([], NOW + 60_000, new Set());
    expect([r.fired, r.resolved, e.alerts.size]).toEqual([[], [], 0]);
  });

  it("does not resolve on one cleared evaluation within keepFiringFor (flapping input)", () => {
    const e = engine(0, 120);
    e.step([hung], NOW, new Set());
    const flap = e.step([], NOW + 60_000, new Set());
    e.step([hung], NOW + 90_000, new Set());
    expect([
      flap.resolved,
      e.alerts.get([...e.alerts.keys()][0]!)?.state,
    ]).toEqual([[], "firing"]);
  });

  it("resolves once the condition stayed false for keepFiringFor", () => {
    const e = engine(0, 120);
    e.step([hung], NOW, new Set());
    e.step([], NOW + 60_000, new Set());
    expect(e.step([], NOW + 120_000, new Set()).resolved).toHaveLength(1);
  });

  it("fires an event once and forgets it", () => {
    const e = engine(0);
    const ev = { ...hung, event: true };
    const r = e.step([ev], NOW, new Set());
    expect([r.fired.length, r.resolved.length, e.alerts.size]).toEqual([
      1, 1, 0,
    ]);
  });
});
