import type { Candidate, RuleInput } from "./types.js";
import { answering, fingerprint } from "./types.js";

/** Throttle reasons that mean heat or a power brake, not idling. */
const BAD_THROTTLE = /thermal|power_brake|hw_slowdown/i;

/** The GPU collector failing: query error, timeout, device lost. */
export function gpuQueryFailing(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    const c = s.collectors["gpu"];
    if (c === undefined || c.ok) continue;
    out.push({
      name: "FarmwatchGpuQueryFailing",
      labels: { node: s.node },
      source: `node:${s.node}`,
      summary: "The GPU cannot be queried",
      description: `${s.node}: ${c.reason ?? "failed"} ${c.error ?? ""}`.trim(),
    });
  }
  return out;
}

/** GPU temperature high, with a lower clear level. */
export function gpuHot(input: RuleInput): Candidate[] {
  const t = input.rules.FarmwatchGpuHot;
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    for (const g of s.gpus) {
      const c = g.temperatureCelsius;
      if (c === undefined) continue;
      const labels = { node: s.node, gpu: g.id };
      const active = input.isActive(fingerprint("FarmwatchGpuHot", labels));
      const hot = active
        ? c >= t.clearTemperatureCelsius
        : c >= t.temperatureCelsius;
      if (!hot) continue;
      out.push({
        name: "FarmwatchGpuHot",
        labels,
        source: `node:${s.node}`,
        summary: "GPU temperature high",
        description: `${s.node} ${g.name}: ${c} °C.`,
        value: c,
      });
    }
  }
  return out;
}

/** The GPU throttles for heat or power. */
export function gpuThrottled(input: RuleInput): Candidate[] {
  const out: Candidate[] = [];
  for (const s of answering(input)) {
    for (const g of s.gpus) {
      const bad = (g.throttleReasons ?? []).filter((r) => BAD_THROTTLE.test(r));
      if (bad.length === 0) continue;
      out.push({
        name: "FarmwatchGpuThrottled",
        labels: { node: s.node, gpu: g.id },
        source: `node:${s.node}`,
        summary: "GPU throttling",
        description: `${s.node} ${g.name}: ${bad.join(", ")}.`,
      });
    }
  }
  return out;
}
