import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { request } from "../../bench/faults/http.js";
import { DownableProxy } from "../../bench/faults/proxy.js";

describe("DownableProxy", () => {
  let server: Server | undefined;
  let proxy: DownableProxy | undefined;
  afterEach(async () => {
    await proxy?.down();
    await new Promise((r) => server?.close(r));
  });

  async function start(): Promise<DownableProxy> {
    server = createServer((_req, res) => res.end("pong"));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    proxy = new DownableProxy((server.address() as AddressInfo).port);
    await proxy.up();
    return proxy;
  }

  it("refuses connections while down", async () => {
    const p = await start();
    await p.down();
    const got = await request(`http://127.0.0.1:${p.port}/`);
    expect(got.status).toBe(0);
  });

  it("passes requests again on the same port once back up", async () => {
    const p = await start();
    await p.down();
    await p.up();
    const got = await request(`http://127.0.0.1:${p.port}/`);
    expect(got.text).toBe("pong");
  });
});
