import type { FaultFarm, PartName } from "./farm.js";
import { request, sleep, waitFor } from "./http.js";
import { collect, count, SINKS, type Seen, type Sink } from "./notices.js";
import { newResult, type FaultResult, type KnownFailure } from "./report.js";

/** An alert a fault must raise, and where it must arrive. */
export interface ExpectedAlert {
  alertname: string;
  /** Default every sink: outbox, Telegram and e-mail. */
  sinks?: readonly Sink[];
}

/** One scripted fault of the demo farm. */
export interface FaultCase {
  name: string;
  /** A reason the fault cannot run here (e.g. no mount rights), or none. */
  skip?(farm: FaultFarm): string | undefined;
  alerts: readonly ExpectedAlert[];
  inject(farm: FaultFarm): Promise<void>;
  /** Sinks the firing must reach before healing; default all expected. */
  fireSinks?: readonly Sink[];
  /** Checks while the fault holds; returns problems found. */
  during?(farm: FaultFarm): Promise<string[]>;
  heal(farm: FaultFarm): Promise<void>;
  /** Checks once healed and delivered; returns problems found. */
  after?(farm: FaultFarm): Promise<string[]>;
  /** Parts that cannot answer while the fault holds, by design. */
  silent?: readonly PartName[];
  /** Set when this fault is known to fail because of a part's bug. */
  known?: KnownFailure;
  /** Longest wait for the firing, ms; default {@link FIRE_TIMEOUT_MS}. */
  fireTimeoutMs?: number;
}

/** What the sinks received before and after one fault. */
export interface Window {
  before: Record<Sink, Seen[]>;
  after: Record<Sink, Seen[]>;
}

/**
 * The windows of faults marked KNOWN: their wrong deliveries are reported
 * with them and left out of the run's reconciliation.
 */
export const KNOWN_WINDOWS: Window[] = [];

/** Longest wait for an alert to fire everywhere, ms. */
export const FIRE_TIMEOUT_MS = 20_000;
/** Longest wait for every firing and resolved notice once healed, ms. */
export const RESOLVE_TIMEOUT_MS = 25_000;
/** Quiet time after the last notice before counting repeats, ms. */
const SETTLE_MS = 1500;

const PARTS: readonly PartName[] = ["sim", "exporter", "agent", "alerts"];

/**
 * Every part answers: `/healthz` with any HTTP status (the exporter says
 * 503 while the Manager is away, which is an answer) and `/metrics` 200.
 */
export async function partsAnswer(
  farm: FaultFarm,
  except: readonly PartName[] = [],
): Promise<string[]> {
  const problems: string[] = [];
  for (const part of PARTS) {
    if (!farm.parts.has(part) || except.includes(part)) continue;
    const h = await request(`${farm.url(part)}/healthz`);
    if (h.status === 0) problems.push(`${part} /healthz: ${h.text}`);
    if (part === "sim") continue;
    const m = await request(`${farm.url(part)}/metrics`);
    if (m.status !== 200) {
      problems.push(`${part} /metrics: ${m.status || m.text}`);
    }
  }
  return problems;
}

/**
 * Counts parts that died on their own since the last call and starts them
 * again, so one crash does not hide the faults after it.
 */
export async function reapCrashes(
  farm: FaultFarm,
  r: FaultResult,
): Promise<void> {
  for (const [name, p] of farm.parts) {
    if (p.exit === undefined || p.stoppedOnPurpose) continue;
    r.crashes++;
    r.problems.push(
      `${name} crashed (${p.exit.signal ?? p.exit.code}): ` +
        p.tail().split("\n").slice(-3).join(" | "),
    );
    await farm.start(name);
  }
}

function sinksOf(a: ExpectedAlert): readonly Sink[] {
  return a.sinks ?? SINKS;
}

function delta(
  now: Record<Sink, Seen[]>,
  before: Record<Sink, Seen[]>,
  sink: Sink,
  alertname: string,
  status: string,
): number {
  return (
    count(now[sink], alertname, status) - count(before[sink], alertname, status)
  );
}

function arrived(
  farm: FaultFarm,
  before: Record<Sink, Seen[]>,
  alerts: readonly ExpectedAlert[],
  statuses: readonly string[],
  only?: readonly Sink[],
): boolean {
  const now = collect(farm);
  return alerts.every((a) =>
    sinksOf(a)
      .filter((s) => only === undefined || only.includes(s))
      .every((s) =>
        statuses.every((st) => delta(now, before, s, a.alertname, st) >= 1),
      ),
  );
}

function tally(
  farm: FaultFarm,
  before: Record<Sink, Seen[]>,
  c: FaultCase,
  r: FaultResult,
): void {
  const now = collect(farm);
  for (const a of c.alerts) {
    for (const sink of sinksOf(a)) {
      for (const status of ["firing", "resolved"]) {
        r.expected++;
        const n = delta(now, before, sink, a.alertname, status);
        if (n >= 1) r.delivered++;
        if (n === 0) {
          r.lost++;
          r.problems.push(`${a.alertname} ${status} never reached ${sink}`);
        }
        if (n > 1) {
          r.duplicates += n - 1;
          r.problems.push(`${a.alertname} ${status} reached ${sink} ${n}x`);
        }
      }
    }
  }
}

/** Inject, see it fire, check, heal, see it resolve; problems into `r`. */
async function exercise(
  farm: FaultFarm,
  c: FaultCase,
  base: Record<Sink, Seen[]>,
  r: FaultResult,
): Promise<void> {
  await c.inject(farm);
  const fired = await waitFor(
    () => arrived(farm, base, c.alerts, ["firing"], c.fireSinks) || undefined,
    c.fireTimeoutMs ?? FIRE_TIMEOUT_MS,
  );
  if (!fired) r.problems.push("alert did not fire in time");
  r.problems.push(...(await partsAnswer(farm, c.silent)));
  r.problems.push(...((await c.during?.(farm)) ?? []));
  await reapCrashes(farm, r);
  await c.heal(farm);
  await waitFor(
    () => arrived(farm, base, c.alerts, ["firing", "resolved"]) || undefined,
    RESOLVE_TIMEOUT_MS,
  );
  await sleep(SETTLE_MS);
  r.problems.push(...(await partsAnswer(farm)));
  r.problems.push(...((await c.after?.(farm)) ?? []));
  await reapCrashes(farm, r);
}

/** FAIL or KNOWN when anything went wrong; a KNOWN mark that passed fails. */
function judge(c: FaultCase, r: FaultResult): void {
  const bad =
    r.problems.length > 0 || r.lost > 0 || r.duplicates > 0 || r.crashes > 0;
  if (bad) r.verdict = c.known ? "KNOWN" : "FAIL";
  if (bad && c.known) r.known = c.known;
  if (!bad && c.known) {
    r.problems.push("marked KNOWN but passed: remove the mark");
    r.verdict = "FAIL";
  }
}

/** Runs one fault: inject, see it alert, heal, see it resolve, count. */
export async function runFault(
  farm: FaultFarm,
  c: FaultCase,
): Promise<FaultResult> {
  const r = newResult(c.name);
  const started = Date.now();
  const skip = c.skip?.(farm);
  if (skip !== undefined) {
    r.verdict = "SKIP";
    r.problems.push(skip);
    return r;
  }
  let before: Record<Sink, Seen[]> | undefined;
  try {
    await reapCrashes(farm, r);
    before = collect(farm);
    await exercise(farm, c, before, r);
  } catch (err) {
    r.problems.push(`suite error: ${(err as Error).message}`);
  }
  if (before !== undefined) {
    tally(farm, before, c, r);
    if (c.known) KNOWN_WINDOWS.push({ before, after: collect(farm) });
  }
  r.seconds = (Date.now() - started) / 1000;
  judge(c, r);
  return r;
}
