import { Registry, type Metric } from "prom-client";
import type { Sample } from "./collector.js";
import { METRIC_CATALOGUE } from "./metric-catalogue.js";

/**
 * The last samples of every collector, indexed by metric name. A scrape
 * reads only this; collectors replace their own part when they finish.
 */
export class SampleStore {
  private readonly byOwner = new Map<string, Sample[]>();
  private byName = new Map<string, Sample[]>();

  /** Replaces everything `owner` published; an unknown name throws. */
  set(owner: string, samples: Sample[]): void {
    for (const s of samples) {
      if (!(s.name in METRIC_CATALOGUE)) {
        throw new Error(`agent metric ${s.name} is not in the catalogue`);
      }
    }
    this.byOwner.set(owner, samples);
    const index = new Map<string, Sample[]>();
    for (const list of this.byOwner.values()) {
      for (const s of list) {
        const bucket = index.get(s.name) ?? [];
        bucket.push(s);
        index.set(s.name, bucket);
      }
    }
    this.byName = index;
  }

  /** Samples of one metric, from every owner. */
  get(name: string): readonly Sample[] {
    return this.byName.get(name) ?? [];
  }
}

/**
 * A fresh registry (never the global one) whose metrics are read from
 * `store` at each scrape: a dropped sample is a dropped series, and a
 * metric without samples has no series at all (prom-client's own gauges
 * would show a label-less one as 0).
 */
export function createAgentRegistry(store: SampleStore): Registry {
  const registry = new Registry();
  for (const [name, [help, labelNames]] of Object.entries(METRIC_CATALOGUE)) {
    const type = name.endsWith("_total") ? "counter" : "gauge";
    const metric = {
      name,
      help,
      type,
      aggregator: "sum",
      get: () => ({
        name,
        help,
        type,
        aggregator: "sum",
        values: store.get(name).map((s) => ({
          value: s.value,
          labels: pickLabels(s.labels, labelNames),
        })),
      }),
      reset: () => undefined,
    };
    registry.registerMetric(metric as unknown as Metric);
  }
  return registry;
}

function pickLabels(
  labels: Record<string, string> | undefined,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = labels?.[n] ?? "";
  return out;
}
