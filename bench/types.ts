/** One measured quantity, for farmwatch and for the peer in the same run. */
export interface BenchMeasure {
  /** What is measured, e.g. `scrape p99 with hung mount`. */
  name: string;
  /** Unit of both values, e.g. `ms`, `MB`, `requests/cycle`. */
  unit: string;
  subject: number;
  peer: number;
  /** Whether a smaller value is better (time, bytes) or larger (rate). */
  lowerIsBetter: boolean;
  /** The target as text, e.g. `< 50 ms`; checked by `targetMet`. */
  target?: string;
  targetMet?: boolean;
}

/** One comparison: farmwatch's part against a peer, measured side by side. */
export interface BenchResult {
  /** e.g. `agent vs node_exporter`. */
  name: string;
  subject: string;
  peer: string;
  measures: BenchMeasure[];
  /** Free-form notes: workload, durations, machine facts. */
  notes?: string[];
}

/** What every `bench/*.bench.ts` file exports as default. */
export type BenchFile = () => Promise<BenchResult[]>;
