import { execFile } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UNKNOWN_ENUM_VALUE } from "../../src/sim/faults.js";
import { validateResponse } from "../support/spec.js";
import { call, startTestSim, type TestSim } from "../support/sim.js";

let s: TestSim;

beforeEach(async () => {
  s = await startTestSim();
});

afterEach(async () => {
  await s.close();
});

function fault(body: Record<string, unknown>) {
  return call(s.url, "POST", "/sim/faults", body);
}

/** Resolves true when a TCP connection to the sim's port is refused. */
function refused(): Promise<boolean> {
  const port = Number(new URL(s.url).port);
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", (err: NodeJS.ErrnoException) =>
      resolve(err.code === "ECONNREFUSED"),
    );
  });
}

describe("sim faults", () => {
  it("answers 503 with Retry-After and the spec's Error body", async () => {
    await fault({ mode: "503", retryAfterSeconds: 7 });
    const a = await call(s.url, "GET", "/api/v3/jobs");
    expect(a.status).toBe(503);
    expect(a.headers.get("retry-after")).toBe("7");
    expect(validateResponse("GET", "/api/v3/jobs", 503, a.json)).toEqual([]);
  });

  it("answers 500 with the spec's Error body", async () => {
    await fault({ mode: "500" });
    const a = await call(s.url, "GET", "/api/v3/jobs");
    expect(a.status).toBe(500);
    expect(a.json).toEqual({ code: 500, message: expect.any(String) });
  });

  it("clears itself after `count` requests", async () => {
    await fault({ mode: "500", count: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await call(s.url, "GET", "/api/v3/status")).status);
    }
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("affects only the given route prefixes", async () => {
    await fault({ mode: "500", routes: ["/api/v3/worker-mgt"] });
    expect((await call(s.url, "GET", "/api/v3/jobs")).status).toBe(200);
    const w = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
    expect(w.status).toBe(500);
  });

  it("answers correctly but late when slow", async () => {
    const expected = await call(s.url, "GET", "/api/v3/status");
    await fault({ mode: "slow", delaySeconds: 0.3 });
    const started = Date.now();
    const a = await call(s.url, "GET", "/api/v3/status");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(a.json).toEqual(expected.json);
  });

  it("sends malformed JSON with status 200", async () => {
    await fault({ mode: "malformed" });
    const a = await call(s.url, "GET", "/api/v3/jobs");
    expect(a.status).toBe(200);
    expect(() => JSON.parse(a.text)).toThrow();
  });

  it("changes exactly one enum value with unknown-enum", async () => {
    const good = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
    await fault({ mode: "unknown-enum" });
    const a = await call(s.url, "GET", "/api/v3/worker-mgt/workers");
    const errors = validateResponse(
      "GET",
      "/api/v3/worker-mgt/workers",
      200,
      a.json,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\/workers\/0\/status must be equal to one/);
    const workers = (a.json as { workers: { status: string }[] }).workers;
    expect(workers[0]!.status).toBe(UNKNOWN_ENUM_VALUE);
    workers[0]!.status = "awake";
    expect(a.json).toEqual(good.json);
  });

  it("refuses TCP connections, then listens on the same port", async () => {
    await fault({ mode: "refuse", durationSeconds: 60 });
    await new Promise((r) => setTimeout(r, 50));
    expect(await refused()).toBe(true);
    s.sim.setFault({ mode: "none" });
    await new Promise((r) => setTimeout(r, 50));
    expect(await refused()).toBe(false);
    expect((await call(s.url, "GET", "/api/v3/version")).status).toBe(200);
  });

  it("stays alive while refusing, with nothing else holding it", async () => {
    const script = fileURLToPath(
      new URL("./fixtures/refuse-alive.ts", import.meta.url),
    );
    const result = await new Promise<{ code: number; out: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          ["--import", "tsx", script],
          { timeout: 20_000 },
          (err, stdout) =>
            resolve({
              code: err ? Number((err as { code?: number }).code ?? 1) : 0,
              out: stdout,
            }),
        );
      },
    );
    expect(result).toEqual({ code: 0, out: "reopened\n" });
  });

  it("keeps listening when refuse is cleared at once", async () => {
    s.sim.setFault({ mode: "refuse", durationSeconds: 60 });
    s.sim.setFault({ mode: "none" });
    await new Promise((r) => setTimeout(r, 50));
    expect(await refused()).toBe(false);
  });

  it("closes cleanly while refusing connections", async () => {
    await fault({ mode: "refuse", durationSeconds: 60 });
    await new Promise((r) => setTimeout(r, 50));
    await expect(s.close()).resolves.toBeUndefined();
    s = await startTestSim();
  });

  it("keeps a hanging request open until the fault is cleared", async () => {
    await fault({ mode: "hang" });
    const hanging = fetch(`${s.url}/api/v3/jobs`).then(
      () => "answered",
      () => "dropped",
    );
    const early = await Promise.race([
      hanging,
      new Promise((r) => setTimeout(() => r("pending"), 300)),
    ]);
    expect(early).toBe("pending");
    s.sim.setFault({ mode: "none" });
    expect(await hanging).toBe("dropped");
  });

  it("ends hanging requests when the simulator closes", async () => {
    await fault({ mode: "hang" });
    const hanging = fetch(`${s.url}/api/v3/jobs`).then(
      () => "answered",
      () => "dropped",
    );
    await new Promise((r) => setTimeout(r, 100));
    await s.close();
    expect(await hanging).toBe("dropped");
    s = await startTestSim();
  });

  it("leaves the control API alone", async () => {
    await fault({ mode: "503" });
    expect((await call(s.url, "GET", "/sim/stats")).status).toBe(200);
  });
});
