/** A shortcoming of a part that a fault exposes, printed as KNOWN. */
export interface KnownFailure {
  /** What is wrong, observed. */
  what: string;
  /** Why it stays for now (whose part, why not fixed here). */
  why: string;
  /** What would fix it. */
  fix: string;
}

/** The outcome of one injected fault. */
export interface FaultResult {
  name: string;
  /** `ok`, `FAIL`, `KNOWN` (failed as documented) or `SKIP`. */
  verdict: "ok" | "FAIL" | "KNOWN" | "SKIP";
  /** Deliveries expected: alerts x (firing, resolved) x sinks. */
  expected: number;
  /** Of those, how many arrived exactly once. */
  delivered: number;
  /** Expected deliveries that never arrived. */
  lost: number;
  /** Deliveries that arrived more than once. */
  duplicates: number;
  /** Parts that died without being told to. */
  crashes: number;
  seconds: number;
  problems: string[];
  known?: KnownFailure;
  /** A check over the whole run rather than an injected fault. */
  check?: boolean;
}

/** A fresh result for `name`, to be filled in by the fault's run. */
export function newResult(name: string): FaultResult {
  return {
    name,
    verdict: "ok",
    expected: 0,
    delivered: 0,
    lost: 0,
    duplicates: 0,
    crashes: 0,
    seconds: 0,
    problems: [],
  };
}

/** One summary line per fault, then the KNOWN and FAIL details. */
export function formatResult(r: FaultResult): string {
  const head =
    `${r.verdict.padEnd(5)} ${r.name.padEnd(34)} ` +
    `alerts ${r.delivered}/${r.expected} lost ${r.lost} ` +
    `dup ${r.duplicates} crashes ${r.crashes} ${r.seconds.toFixed(1)}s`;
  const lines = [head];
  for (const p of r.problems) lines.push(`      - ${p}`);
  if (r.known) {
    lines.push(`      KNOWN: ${r.known.what}`);
    lines.push(`      why: ${r.known.why}`);
    lines.push(`      fix: ${r.known.fix}`);
  }
  return lines.join("\n");
}

/** Totals over the run. */
export interface Totals {
  faults: number;
  ok: number;
  failed: number;
  known: number;
  skipped: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  crashes: number;
  /** Of `lost`, `duplicates` and `crashes`: those in faults marked KNOWN. */
  knownLost: number;
  knownDuplicates: number;
  knownCrashes: number;
}

/**
 * Adds up the faults. Run-wide checks only count when they fail: what
 * they find is already counted by the faults it happened in.
 */
export function totalsOf(results: readonly FaultResult[]): Totals {
  const t: Totals = {
    faults: 0,
    ok: 0,
    failed: 0,
    known: 0,
    skipped: 0,
    expected: 0,
    delivered: 0,
    lost: 0,
    duplicates: 0,
    crashes: 0,
    knownLost: 0,
    knownDuplicates: 0,
    knownCrashes: 0,
  };
  for (const r of results) {
    if (r.verdict === "FAIL") t.failed++;
    if (r.check) continue;
    if (r.verdict !== "SKIP") t.faults++;
    if (r.verdict === "ok") t.ok++;
    if (r.verdict === "KNOWN") t.known++;
    if (r.verdict === "SKIP") t.skipped++;
    t.expected += r.expected;
    t.delivered += r.delivered;
    t.lost += r.lost;
    t.duplicates += r.duplicates;
    t.crashes += r.crashes;
    if (r.verdict !== "KNOWN") continue;
    t.knownLost += r.lost;
    t.knownDuplicates += r.duplicates;
    t.knownCrashes += r.crashes;
  }
  return t;
}

/**
 * Whether the run passes: no failed fault, and nothing lost, duplicated
 * or crashed outside the faults marked KNOWN.
 */
export function passed(results: readonly FaultResult[]): boolean {
  const counted = results.filter((r) => r.verdict !== "KNOWN");
  const t = totalsOf(counted);
  return (
    t.failed === 0 && t.lost === 0 && t.duplicates === 0 && t.crashes === 0
  );
}
