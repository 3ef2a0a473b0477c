// Regenerates test/agent/fixtures/golden.prom from the agent running on
// the fixtures with answering fakes:
//   node --import tsx test/agent/write-golden.ts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startAgent } from "../../src/agent/index.js";
import { FakeBin } from "../support/fakes/fake-bin.js";
import { answeringFakes } from "./agent-fakes.js";
import { captureLogger, FIXTURES, testConfig } from "./helpers.js";

const bin = new FakeBin();
const config = testConfig({
  nodeName: "render-03",
  intervalSeconds: 60,
  ...answeringFakes(bin),
});
const part = await startAgent({ config, logger: captureLogger().logger });
try {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${part.url}/api/v1/node`);
    const snap = (await res.json()) as {
      collectors: Record<string, { ok: boolean }>;
    };
    if (Object.values(snap.collectors).every((c) => c.ok)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const text = await (await fetch(`${part.url}/metrics`)).text();
  writeFileSync(path.join(FIXTURES, "golden.prom"), text);
} finally {
  await part.close();
  bin.remove();
}
