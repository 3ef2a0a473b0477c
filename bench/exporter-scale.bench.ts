import { startTestSim } from "../test/support/sim.js";
import { FARM, runChild, type ChildResult } from "./exporter.bench.js";
import type { BenchMeasure, BenchResult } from "./types.js";

/** Farm sizes of the scale curve, in workers; the first is the baseline. */
const SIZES = [10, 100, 500] as const;

async function atSize(workers: number): Promise<ChildResult> {
  const sim = await startTestSim({ ...FARM, workers });
  try {
    return await runChild("farmwatch", sim.url, 3, false);
  } finally {
    await sim.close();
  }
}

/**
 * How the exporter's CPU per poll and memory grow with the farm: 10, 100
 * and 500 workers on the same 2,000 jobs. Each size is compared with the
 * 10-worker baseline, so "advantage" below 1 is the growth factor.
 */
export default async function run(): Promise<BenchResult[]> {
  const results: ChildResult[] = [];
  for (const workers of SIZES) results.push(await atSize(workers));
  const base = results[0]!;
  const measures: BenchMeasure[] = [];
  SIZES.forEach((workers, i) => {
    const r = results[i]!;
    measures.push(
      {
        name: `CPU per poll, ${workers} workers`,
        unit: "ms",
        subject: r.cpuMsPerCycle,
        peer: base.cpuMsPerCycle,
        lowerIsBetter: true,
      },
      {
        name: `RSS, ${workers} workers`,
        unit: "MB",
        subject: r.rssMb,
        peer: base.rssMb,
        lowerIsBetter: true,
      },
      {
        name: `requests per poll, ${workers} workers`,
        unit: "requests",
        subject: r.requestsPerCycle,
        peer: base.requestsPerCycle,
        lowerIsBetter: true,
      },
    );
  });
  return [
    {
      name: "exporter scale curve (2,000 jobs, 20 unfinished)",
      subject: "farmwatch exporter at N workers",
      peer: "farmwatch exporter at 10 workers",
      measures,
      notes: ["three polls per size after two warm-up polls"],
    },
  ];
}
