import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchFile, BenchMeasure, BenchResult } from "./types.js";

/** Ratio subject/peer, oriented so that > 1 means farmwatch is better. */
export function advantage(m: BenchMeasure): number {
  if (m.subject === 0 && m.peer === 0) return 1;
  if (m.lowerIsBetter) return m.subject === 0 ? Infinity : m.peer / m.subject;
  return m.peer === 0 ? Infinity : m.subject / m.peer;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return "inf";
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

function printResult(r: BenchResult): void {
  const rows = r.measures.map((m) => [
    m.name,
    `${fmt(m.subject)} ${m.unit}`,
    `${fmt(m.peer)} ${m.unit}`,
    `${fmt(advantage(m))}x`,
    m.target === undefined
      ? ""
      : `${m.target} ${m.targetMet ? "met" : "MISSED"}`,
  ]);
  const head = ["measure", r.subject, r.peer, "advantage", "target"];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
  process.stdout.write(`\n## ${r.name}\n${line(head)}\n`);
  process.stdout.write(`${widths.map((w) => "-".repeat(w)).join("-|-")}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  for (const note of r.notes ?? []) process.stdout.write(`  note: ${note}\n`);
}

async function main(): Promise<void> {
  const dir = path.dirname(new URL(import.meta.url).pathname);
  const only = process.argv[2];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only === undefined || f.startsWith(only))
    .sort();
  const results: BenchResult[] = [];
  let failed = 0;
  for (const file of files) {
    process.stdout.write(`running ${file} ...\n`);
    try {
      const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
        default: BenchFile;
      };
      const got = await mod.default();
      for (const r of got) printResult(r);
      results.push(...got);
    } catch (err) {
      failed++;
      process.stdout.write(`${file} failed: ${(err as Error).stack}\n`);
    }
  }
  const out = path.join(dir, "results");
  mkdirSync(out, { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const report = { time: new Date().toISOString(), machine, results };
  writeFileSync(path.join(out, "latest.json"), JSON.stringify(report, null, 2));
  process.stdout.write(`\nwritten ${path.join(out, "latest.json")}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
