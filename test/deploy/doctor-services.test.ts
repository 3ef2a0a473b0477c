import { afterEach, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/deploy/doctor.js";
import { args, captureOutput } from "./install-helpers.js";
import { fakeNode, type FakeNode, type NodeSpec } from "./fake-node.js";

let node: FakeNode | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

/** Runs doctor on a fake node; returns exit code and printed lines. */
async function doctor(spec: NodeSpec, flags = "") {
  node = await fakeNode(spec);
  const out = captureOutput();
  const code = await runDoctor(
    args(
      `doctor --config ${node.configFile} --mountinfo ${node.mountinfo} ${flags}`,
    ),
    out,
    node.host,
  );
  return { code, text: out.text(), lines: out.lines };
}

/** The line of one check, e.g. `share`. */
function line(text: string, name: string): string {
  return text.split("\n").find((l) => l.includes(` ${name}: `)) ?? "";
}

describe("doctor on a node with a service problem", () => {
  it("names a different Blender version than the farm's", async () => {
    const { text } = await doctor({ blender: "4.1.1" });
    expect(line(text, "blender")).toContain(
      "Blender 4.1.1 here, but the Manager says the farm uses 4.2.1",
    );
  });

  it("compares with --blender-version when given", async () => {
    const { text } = await doctor({}, "--blender-version 4.3.0");
    expect(line(text, "blender")).toContain(
      "but --blender-version says the farm uses 4.3.0",
    );
  });

  it("gives a hint when the farm's Blender version is unknown", async () => {
    const { code, text } = await doctor({ managerBlender: "none" });
    expect(line(text, "blender")).toMatch(
      /skipped +blender: Blender 4\.2\.1 here; the farm's version is unknown/,
    );
    expect(text).toContain("hint: pass --blender-version X.Y.Z");
    expect(code).toBe(0);
  });

  it("explains a failed Worker unit with where to read why", async () => {
    const { text } = await doctor({ worker: "failed" });
    expect(line(text, "worker")).toContain(
      "flamenco-worker.service has failed (exit-code)",
    );
    expect(text).toContain("journalctl -u flamenco-worker.service -n 50");
  });

  it("explains a missing Worker unit and how to skip it", async () => {
    const { text } = await doctor({ worker: "not-found" });
    expect(line(text, "worker")).toContain("does not exist on this node");
    expect(text).toContain("--skip worker,blender");
  });

  it("gives up on a systemctl that never answers", async () => {
    const { text } = await doctor({ worker: "hang" }, "--timeout 1");
    expect(line(text, "worker")).toContain("did not answer within 1 s");
  });

  it("reports Tailscale logged out although tailscale0 exists", async () => {
    const { text } = await doctor({ tailscale: "needs-login" });
    expect(line(text, "tailscale")).toContain("Tailscale is NeedsLogin");
    expect(text).toContain("sudo tailscale up");
  });

  it("warns of this node's Tailscale key expiring within a week", async () => {
    const { text } = await doctor({ tailscale: "key-expiring" });
    expect(line(text, "tailscale")).toContain(
      "its node key expires at 2025-06-04T09:00:00.000Z",
    );
    expect(text).toContain("sudo tailscale up --force-reauth");
  });

  it("reports an expired key of the file server peer", async () => {
    const { text } = await doctor({
      tailscale: "peer-expired",
      configExtra: "agent:\n  tailscale:\n    nasPeers: [nas01]\n",
    });
    expect(line(text, "tailscale")).toContain(
      "but the key of nas01 has expired",
    );
  });

  it("ignores expired peers the farm does not need", async () => {
    const { text } = await doctor({ tailscale: "peer-expired" });
    expect(line(text, "tailscale")).toMatch(
      /ok +tailscale: Tailscale is Running/,
    );
  });

  it("reports Tailscale not installed", async () => {
    const { text } = await doctor({ tailscale: "missing" });
    expect(line(text, "tailscale")).toContain("`tailscale` is not installed");
  });

  it("skips what --skip names and finds no problem there", async () => {
    const { code, text } = await doctor(
      { worker: "not-found", blender: "missing" },
      "--skip worker,blender",
    );
    expect(line(text, "worker")).toMatch(/skipped +worker/);
    expect(line(text, "blender")).toMatch(/skipped +blender/);
    expect(code).toBe(0);
  });
});

describe("doctor config check", () => {
  // KNOWN: skipped as root (CI runs as root): root reads a mode-000 file,
  // so the denial never happens; it stays because the check needs another
  // user; running doctor in a child process as uid 65534 would cover it.
  it.skipIf(process.getuid?.() === 0)(
    "tells a user who may not read the config to run as root",
    async () => {
      const { chmodSync } = await import("node:fs");
      node = await fakeNode({});
      chmodSync(node.configFile, 0o000);
      const out = captureOutput();
      await runDoctor(
        args(
          `doctor --config ${node.configFile} --mountinfo ${node.mountinfo}`,
        ),
        out,
        node.host,
      );
      expect(out.text()).toContain("fix: run doctor as root");
    },
  );

  it("reports an invalid config and still runs the other checks", async () => {
    const { text } = await doctor({ configExtra: "agent:\n  mountz: []\n" });
    expect(line(text, "config")).toMatch(
      /PROBLEM +config: invalid configuration/,
    );
    expect(text).toContain("agent.mountz: expected no such key");
    expect(line(text, "tailscale")).toMatch(/ok +tailscale/);
  });
});
