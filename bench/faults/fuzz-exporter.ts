import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { FarmView } from "../../src/shared/views.js";
import type { FaultFarm } from "./farm.js";
import { request, sleep, waitFor } from "./http.js";
import { mutateText, mutateValue, Rng } from "./mutate.js";
import { freePort, startPart, stopPart } from "./proc.js";
import { newResult, type FaultResult } from "./report.js";

/** Real seconds of mutated answers. */
const FUZZ_SECONDS = 15;
/** Share of Manager answers that are mutated while fuzzing. */
const MUTATED_SHARE = 0.5;
const SEED = 77;
/** How long the exporter may take to see the farm right again, ms. */
const RECOVER_MS = 15_000;

/**
 * An HTTP proxy in front of the simulator that mutates a share of its
 * JSON answers (seeded): fields deleted or retyped, text cut or garbled.
 */
class MutatingProxy {
  mutating = true;
  mutated = 0;
  port = 0;
  private readonly rng = new Rng(SEED);
  private readonly server: Server;

  constructor(private readonly target: string) {
    this.server = createServer((req, res) => {
      void this.forward(req.method ?? "GET", req.url ?? "/").then((a) => {
        res.writeHead(a.status, { "content-type": a.type }).end(a.body);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async forward(method: string, url: string) {
    const got = await request(`${this.target}${url}`, { method });
    const type = got.json === undefined ? "text/plain" : "application/json";
    const answer = { status: got.status || 502, type, body: got.text };
    if (!this.mutating || got.json === undefined) return answer;
    if (this.rng.next() >= MUTATED_SHARE) return answer;
    this.mutated++;
    if (this.rng.next() < 0.3) {
      return { ...answer, body: mutateText(got.text, this.rng) };
    }
    const value = got.json;
    mutateValue(value, this.rng);
    return { ...answer, body: JSON.stringify(value) };
  }
}

async function viewProblem(url: string): Promise<string | undefined> {
  const got = await request(`${url}/api/v1/farm`);
  const view = got.json as FarmView | undefined;
  if (got.status !== 200 || !Array.isArray(view?.workers)) {
    return `farm view answered ${got.status}: ${got.text.slice(0, 120)}`;
  }
  if (!view!.up && typeof view!.lastError?.message !== "string") {
    return "farm view not up and without lastError saying why";
  }
  return undefined;
}

/**
 * A second exporter polls the simulator through {@link MutatingProxy}:
 * it must never exit, its farm view must always answer, and once the
 * answers are sound again it must show the farm as it is.
 */
export async function fuzzExporter(farm: FaultFarm): Promise<FaultResult> {
  const r = newResult(`fuzz exporter with mutated answers (${FUZZ_SECONDS}s)`);
  const started = Date.now();
  const proxy = new MutatingProxy(farm.url("sim"));
  await proxy.listen();
  const port = await freePort();
  const config = structuredClone(farm.configObject()) as Record<
    string,
    Record<string, unknown>
  >;
  config.manager!.url = `http://127.0.0.1:${proxy.port}`;
  config.exporter!.listen = { host: "127.0.0.1", port };
  const file = path.join(farm.layout.root, "fuzz-exporter.yaml");
  writeFileSync(file, JSON.stringify(config));
  const part = startPart("exporter-fuzz", ["exporter", "--config", file]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => ((await viewProblem(url)) ? undefined : true),
      30_000,
    );
    const until = Date.now() + FUZZ_SECONDS * 1000;
    while (Date.now() < until && part.exit === undefined) {
      const problem = await viewProblem(url);
      if (problem && r.problems.length < 5) r.problems.push(problem);
      await sleep(500);
    }
    proxy.mutating = false;
    const healed = await waitFor(async () => {
      const v = (await request(`${url}/api/v1/farm`)).json as FarmView;
      return v?.up && !v.stale && v.workers.length === 4 ? true : undefined;
    }, RECOVER_MS);
    if (!healed) r.problems.push("farm view not right again once answers were");
    if (part.exit !== undefined) {
      r.crashes++;
      r.problems.push(
        `exporter exited: ${part.tail().split("\n").slice(-3).join(" | ")}`,
      );
    }
    r.name = `fuzz exporter: ${proxy.mutated} mutated answers`;
  } finally {
    await stopPart(part);
    await proxy.close();
  }
  r.seconds = (Date.now() - started) / 1000;
  if (r.problems.length > 0 || r.crashes > 0) r.verdict = "FAIL";
  return r;
}
