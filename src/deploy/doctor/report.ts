import type { CheckResult } from "./check.js";

const LABEL = { ok: "ok      ", problem: "PROBLEM ", skipped: "skipped " };

/**
 * The doctor's list: one line per check, the fix indented below each
 * problem, and a closing count.
 */
export function formatReport(
  hostname: string,
  results: readonly CheckResult[],
): string {
  const lines = [`farmwatch doctor: checking ${hostname}`];
  for (const r of results) {
    const [first, ...rest] = r.summary.split("\n");
    lines.push(`  ${LABEL[r.status]} ${r.name}: ${first}`);
    for (const more of rest) lines.push(`             ${more.trim()}`);
    if (r.fix && r.status !== "ok") {
      const label = r.status === "problem" ? "fix" : "hint";
      lines.push(`             ${label}: ${r.fix}`);
    }
  }
  const problems = results.filter((r) => r.status === "problem").length;
  lines.push(
    problems === 0
      ? "no problems found"
      : `${problems} problem(s) found: ` +
          "fix them and run `farmwatch doctor` again",
  );
  return lines.join("\n");
}
