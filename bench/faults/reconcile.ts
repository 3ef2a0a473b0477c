import { KNOWN_WINDOWS } from "./case.js";
import type { FaultFarm } from "./farm.js";
import { collect, type Seen } from "./notices.js";
import { newResult, type FaultResult } from "./report.js";

function key(s: Seen): string {
  return `${s.status} ${s.alertname}`;
}

function counts(list: readonly Seen[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of list) m.set(key(s), (m.get(key(s)) ?? 0) + 1);
  return m;
}

/** `list` without what arrived during faults marked KNOWN. */
function outsideKnown(
  sink: "outbox" | "telegram" | "email",
  list: readonly Seen[],
): Seen[] {
  const drop = new Map<string, number>();
  for (const w of KNOWN_WINDOWS) {
    const during = w.after[sink].slice(w.before[sink].length);
    for (const s of during) drop.set(key(s), (drop.get(key(s)) ?? 0) + 1);
  }
  return list.filter((s) => {
    const n = drop.get(key(s)) ?? 0;
    if (n === 0) return true;
    drop.set(key(s), n - 1);
    return false;
  });
}

/**
 * Over the whole run, every notice in the outbox (the record of what was
 * decided) must have reached Telegram and e-mail as routed (critical and
 * warning to both, info to Telegram), no more and no less often. What
 * arrived during faults marked KNOWN is reported there and left out.
 */
export function reconcile(farm: FaultFarm): FaultResult {
  const r = newResult("every notice reached every sink");
  r.check = true;
  const all = collect(farm);
  const seen = {
    outbox: outsideKnown("outbox", all.outbox),
    telegram: outsideKnown("telegram", all.telegram),
    email: outsideKnown("email", all.email),
  };
  const routed = seen.outbox.filter((s) => s.status !== "update");
  const want = {
    telegram: counts(routed),
    email: counts(routed.filter((s) => s.severity !== "info")),
  };
  const got = {
    telegram: counts(seen.telegram.filter((s) => s.status !== "update")),
    email: counts(seen.email.filter((s) => s.status !== "update")),
  };
  for (const sink of ["telegram", "email"] as const) {
    const keys = new Set([...want[sink].keys(), ...got[sink].keys()]);
    for (const k of keys) {
      const w = want[sink].get(k) ?? 0;
      const g = got[sink].get(k) ?? 0;
      r.expected += w;
      r.delivered += Math.min(w, g);
      if (g < w) {
        r.lost += w - g;
        r.problems.push(`${k}: ${w} in the outbox, ${g} in ${sink}`);
      }
      if (g > w) {
        r.duplicates += g - w;
        r.problems.push(`${k}: ${w} in the outbox, ${g} in ${sink}`);
      }
    }
  }
  if (r.problems.length > 0) r.verdict = "FAIL";
  return r;
}
