import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchViews } from "../../src/alerts/fetch-views.js";
import { agentDown } from "../../src/alerts/rules/nodes.js";
import { farm, node, ruleInput, worker } from "./fixtures.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((r) => s.close(r))),
  );
});

async function serve(
  handler: (url: string) => unknown | "hang" | "down",
): Promise<string> {
  const s = createServer((req, res) => {
    const body = handler(req.url ?? "/");
    if (body === "hang") return;
    if (body === "down") {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe("fetchViews", () => {
  it("still expects an agent that vanished from the exporter's list while its worker exists", async () => {
    let listed = true;
    const agent = await serve(() =>
      listed ? node({ node: "render-03" }) : "down",
    );
    const exporter = await serve((url) =>
      url === "/api/v1/farm"
        ? farm({ workers: [worker({ name: "render-03" })] })
        : listed
          ? [
              {
                targets: [agent.replace("http://", "")],
                labels: { node: "render-03" },
              },
            ]
          : [],
    );
    const o = { exporterUrl: exporter, agentUrls: [], timeoutMs: 2000 };
    const first = await fetchViews({ discover: true, ...o, known: {} });
    listed = false;
    const second = await fetchViews({
      discover: true,
      ...o,
      known: first.agents,
    });
    const c = agentDown(ruleInput({ nodes: second.nodes }));
    expect(c.map((x) => x.labels)).toEqual([{ node: "render-03" }]);
  });

  it("shows why: reading only the current list loses the dead agent silently", async () => {
    const exporter = await serve((url) =>
      url === "/api/v1/farm"
        ? farm({ workers: [worker({ name: "render-03" })] })
        : [],
    );
    const v = await fetchViews({
      discover: true,
      exporterUrl: exporter,
      agentUrls: [],
      known: {},
      timeoutMs: 2000,
    });
    expect(agentDown(ruleInput({ nodes: v.nodes }))).toEqual([]);
  });

  it("forgets a known agent once its worker is gone from the farm", async () => {
    const exporter = await serve((url) =>
      url === "/api/v1/farm" ? farm({ workers: [] }) : [],
    );
    const v = await fetchViews({
      discover: true,
      exporterUrl: exporter,
      agentUrls: [],
      known: { "render-03": "http://127.0.0.1:9" },
      timeoutMs: 2000,
    });
    expect([...v.nodes.keys()]).toEqual([]);
  });

  it("times out a hung agent and reports it as failed", async () => {
    const agent = await serve(() => "hang");
    const exporter = await serve((url) =>
      url === "/api/v1/farm" ? farm() : [],
    );
    const v = await fetchViews({
      discover: true,
      exporterUrl: exporter,
      agentUrls: [agent],
      known: {},
      timeoutMs: 200,
    });
    expect(v.nodes.get("127.0.0.1")?.error).toMatch(/GET .*\/api\/v1\/node: /);
  });

  it("reports a missing farm view with the reason", async () => {
    const exporter = await serve(() => "down");
    const v = await fetchViews({
      discover: true,
      exporterUrl: exporter,
      agentUrls: [],
      known: {},
      timeoutMs: 2000,
    });
    expect(v.farmError).toMatch(/api\/v1\/farm: 503/);
  });

  it("names a node by what its agent reports rather than by its address", async () => {
    const agent = await serve(() => node({ node: "render-07" }));
    const exporter = await serve((url) =>
      url === "/api/v1/farm" ? farm() : [],
    );
    const o = { exporterUrl: exporter, agentUrls: [agent], timeoutMs: 2000 };
    const first = await fetchViews({ discover: true, ...o, known: {} });
    const second = await fetchViews({
      discover: true,
      ...o,
      known: first.agents,
    });
    expect([[...first.nodes.keys()], [...second.nodes.keys()]]).toEqual([
      ["render-07"],
      ["render-07"],
    ]);
  });
  it("reads only configured agents when discovery is off", async () => {
    const exporter = await serve((url) =>
      url === "/api/v1/farm"
        ? farm({ workers: [worker({ name: "render-03" })] })
        : [{ targets: ["127.0.0.1:9"], labels: { node: "render-03" } }],
    );
    const v = await fetchViews({
      discover: false,
      exporterUrl: exporter,
      agentUrls: [],
      known: {},
      timeoutMs: 2000,
    });
    expect([...v.nodes.keys()]).toEqual([]);
  });
});
