import * as parse from "../../src/shared/flamenco/parse.js";
import type { ValidationIssue } from "../../src/shared/flamenco/validate.js";
import { startTestSim, call } from "../../test/support/sim.js";
import { mutateText, mutateValue, Rng } from "./mutate.js";
import { newResult, type FaultResult } from "./report.js";

/** Seeded mutations tried per Manager answer. */
export const PARSER_FUZZ_PER_ANSWER = 150;
const SEED = 4012;
const MAX_PROBLEMS_SHOWN = 5;

type Parser = (body: unknown, issues: ValidationIssue[]) => unknown;

interface Sample {
  route: string;
  parser: Parser;
  body: unknown;
}

/** Valid answers of a small simulated farm, one per parsed route. */
async function samples(): Promise<Sample[]> {
  const sim = await startTestSim({ workers: 3, jobs: 2 });
  try {
    sim.advance(600);
    const get = async (route: string) =>
      (await call(sim.url, "GET", route)).json;
    const jobs = (await get("/api/v3/jobs")) as { jobs: { id: string }[] };
    const workers = (await get("/api/v3/worker-mgt/workers")) as {
      workers: { id: string }[];
    };
    const job = jobs.jobs[0]!.id;
    const tasks = (await get(`/api/v3/jobs/${job}/tasks`)) as {
      tasks: { id: string }[];
    };
    const list: [string, Parser][] = [
      ["/api/v3/version", parse.parseVersion],
      ["/api/v3/status", parse.parseFarmStatus],
      ["/api/v3/jobs", parse.parseJobs],
      [`/api/v3/jobs/${job}`, parse.parseJob],
      ["/api/v3/worker-mgt/workers", parse.parseWorkers],
      [
        `/api/v3/worker-mgt/workers/${workers.workers[0]!.id}`,
        parse.parseWorker,
      ],
      [`/api/v3/jobs/${job}/tasks`, parse.parseTasks],
      [`/api/v3/tasks/${tasks.tasks[0]!.id}`, parse.parseTask],
      [`/api/v3/jobs/${job}/blocklist`, parse.parseBlocklist],
    ];
    const out: Sample[] = [];
    for (const [route, parser] of list) {
      out.push({ route, parser, body: await get(route) });
    }
    return out;
  } finally {
    await sim.close();
  }
}

function itemsOf(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** Items in an answer as sent: the list itself or its one list field. */
function sentItems(body: unknown): number | undefined {
  if (Array.isArray(body)) return body.length;
  if (typeof body !== "object" || body === null) return undefined;
  for (const key of ["jobs", "workers", "tasks"]) {
    const list = (body as Record<string, unknown>)[key];
    if (Array.isArray(list)) return list.length;
  }
  return undefined;
}

/** What is wrong with one parse of a mutated answer, if anything. */
function judge(s: Sample, body: unknown): string | undefined {
  const issues: ValidationIssue[] = [];
  let got: unknown;
  try {
    got = s.parser(body, issues);
  } catch (err) {
    return `crash: ${(err as Error).message}`.slice(0, 200);
  }
  const bad = issues.find(
    (i) => typeof i.kind !== "string" || typeof i.path !== "string",
  );
  if (bad) return `issue without kind or path: ${JSON.stringify(bad)}`;
  const items = itemsOf(got);
  if (items !== undefined) {
    const broken = items.find(
      (it) =>
        typeof it !== "object" ||
        it === null ||
        ("id" in it && typeof (it as { id: unknown }).id !== "string"),
    );
    if (broken !== undefined) return "returned an item without a string id";
    const sent = sentItems(body) ?? 0;
    if (items.length < sent && issues.length === 0) {
      return "dropped items without saying why";
    }
  }
  if (got === undefined && issues.length === 0) {
    return "refused the answer without saying why";
  }
  return undefined;
}

/**
 * Bad-input fuzzing of the Manager answer parsers: seeded mutations of
 * valid answers from the simulator. No parser may throw; what it drops it
 * must report as a validation issue; what it returns must be usable.
 */
export async function fuzzParsers(): Promise<FaultResult> {
  const started = Date.now();
  const all = await samples();
  const r = newResult(
    `fuzz Manager answer parsers (${all.length * PARSER_FUZZ_PER_ANSWER} inputs)`,
  );
  const rng = new Rng(SEED);
  const problems: string[] = [];
  for (const s of all) {
    for (let i = 0; i < PARSER_FUZZ_PER_ANSWER; i++) {
      let body: unknown = structuredClone(s.body);
      let what = "";
      for (let n = 1 + rng.int(3); n > 0; n--)
        what += mutateValue(body, rng) + "; ";
      if (rng.next() < 0.2) {
        try {
          body = JSON.parse(mutateText(JSON.stringify(body), rng));
          what += "text mutated";
        } catch {
          // Not JSON any more: the client rejects it before any parser.
          continue;
        }
      }
      const verdict = judge(s, body);
      if (verdict?.startsWith("crash")) r.crashes++;
      if (verdict !== undefined) {
        problems.push(`${s.route} (${what}): ${verdict}`);
      }
    }
  }
  r.problems.push(...problems.slice(0, MAX_PROBLEMS_SHOWN));
  if (problems.length > MAX_PROBLEMS_SHOWN) {
    r.problems.push(`... and ${problems.length - MAX_PROBLEMS_SHOWN} more`);
  }
  r.seconds = (Date.now() - started) / 1000;
  if (problems.length > 0) r.verdict = "FAIL";
  return r;
}
