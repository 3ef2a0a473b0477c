import { runFault, type FaultCase } from "./case.js";
import { badConfigRestart } from "./config-faults.js";
import { CRASH_FAULTS } from "./crash-faults.js";
import { DELIVERY_FAULTS } from "./delivery-faults.js";
import { FARM_FAULTS } from "./farm-faults.js";
import { FaultFarm } from "./farm.js";
import { FUZZ_FAULTS } from "./fuzz.js";
import { fuzzExporter } from "./fuzz-exporter.js";
import { MANAGER_FAULTS } from "./manager-faults.js";
import { NODE_FAULTS } from "./node-faults.js";
import { stopAll } from "./proc.js";
import { reconcile } from "./reconcile.js";
import { formatResult, passed, totalsOf, type FaultResult } from "./report.js";

/** The whole suite must end within this, ms; then it aborts and fails. */
const SUITE_BUDGET_MS = 8 * 60_000;

/** Faults run against the live demo farm, in this order. */
const LIVE_FAULTS: readonly FaultCase[] = [
  ...MANAGER_FAULTS,
  ...FARM_FAULTS,
  ...NODE_FAULTS,
  ...DELIVERY_FAULTS,
  ...CRASH_FAULTS,
];

/** The farm being run, so an abort can still take it down. */
let current: FaultFarm | undefined;

/** Stops processes, unmounts and removes temp dirs; then exits 1. */
function abort(): void {
  void Promise.allSettled([stopAll(), current?.close()]).finally(() =>
    process.exit(1),
  );
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function report(results: FaultResult[], r: FaultResult): void {
  results.push(r);
  out(formatResult(r));
}

async function runLiveFaults(
  filter: string | undefined,
  results: FaultResult[],
): Promise<void> {
  const wanted = (name: string) =>
    filter === undefined || name.includes(filter);
  const cases = LIVE_FAULTS.filter((c) => wanted(c.name));
  const fuzz = wanted("fuzz exporter");
  if (cases.length === 0 && !wanted("bad config") && !fuzz) return;
  const farm = new FaultFarm();
  current = farm;
  try {
    await farm.prepare();
    await farm.startAll();
    for (const c of cases) report(results, await runFault(farm, c));
    if (wanted("bad config")) report(results, await badConfigRestart(farm));
    if (fuzz) report(results, await fuzzExporter(farm));
    report(results, reconcile(farm));
  } finally {
    await farm.close();
    current = undefined;
  }
}

function printTotals(results: FaultResult[], startedMs: number): void {
  const t = totalsOf(results);
  out("");
  out(
    `faults injected ${t.faults} (ok ${t.ok}, failed ${t.failed}, ` +
      `known ${t.known}, skipped ${t.skipped})`,
  );
  out(`alerts expected ${t.expected}, delivered ${t.delivered}`);
  out(
    `messages lost ${t.lost} (${t.knownLost} in KNOWN faults), ` +
      `duplicated ${t.duplicates} (${t.knownDuplicates} in KNOWN faults)`,
  );
  out(`crashes ${t.crashes} (${t.knownCrashes} in KNOWN faults)`);
  out(`runtime ${((Date.now() - startedMs) / 1000).toFixed(1)}s`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const filter = process.argv[2];
  const results: FaultResult[] = [];
  const budget = setTimeout(() => {
    out(`fault suite over its budget of ${SUITE_BUDGET_MS / 1000}s: abort`);
    abort();
  }, SUITE_BUDGET_MS);
  budget.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, abort);
  }
  try {
    for (const fuzz of FUZZ_FAULTS) {
      if (filter === undefined || fuzz.name.includes(filter)) {
        report(results, await fuzz.run());
      }
    }
    await runLiveFaults(filter, results);
  } catch (err) {
    out(`fault suite error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await stopAll();
    clearTimeout(budget);
    printTotals(results, started);
  }
  return passed(results) ? 0 : 1;
}

process.exitCode = await main();
