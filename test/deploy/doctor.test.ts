import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/deploy/doctor.js";
import type {
  ProbeOptions,
  ProbeResult,
} from "../../src/deploy/doctor/probe.js";
import { farmwatchCommand } from "../support/cli.js";
import { validateResponse } from "../support/spec.js";
import { args, captureOutput } from "./install-helpers.js";
import {
  fakeNode,
  managerAnswers,
  type FakeNode,
  type NodeSpec,
} from "./fake-node.js";

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

describe("doctor on a good node", () => {
  it("finds no problem and exits 0", async () => {
    const { code, text } = await doctor({});
    expect(text).not.toContain("PROBLEM");
    for (const name of [
      "config",
      "manager",
      "share",
      "worker",
      "blender",
      "tailscale",
    ]) {
      expect(line(text, name)).toMatch(/^ {2}ok /);
    }
    expect(text).toMatch(/no problems found$/);
    expect(code).toBe(0);
  });

  it("says where the share comes from and that it is writable", async () => {
    const { text } = await doctor({});
    expect(line(text, "share")).toContain(
      `${node!.share} is mounted (nfs4 from nas01:/export/render) and writable`,
    );
  });

  it("leaves no probe file on the share", async () => {
    const { readdirSync } = await import("node:fs");
    await doctor({});
    expect(readdirSync(node!.share)).toEqual([]);
  });

  it("is checked against a fake Manager that answers as the spec says", () => {
    const answers = managerAnswers({}, "/mnt/render");
    const routes: [string, string][] = [
      ["/api/v3/version", "/api/v3/version"],
      ["/api/v3/configuration", "/api/v3/configuration"],
      [
        "/api/v3/configuration/shared-storage/workers/linux",
        "/api/v3/configuration/shared-storage/{audience}/{platform}",
      ],
      [
        "/api/v3/configuration/check/blender",
        "/api/v3/configuration/check/blender",
      ],
    ];
    for (const [url, template] of routes) {
      expect(validateResponse("GET", template, 200, answers[url])).toEqual([]);
    }
  });
});

describe("doctor on a node with a Manager problem", () => {
  it("explains an unreachable Manager and how to check the tunnel", async () => {
    const { code, text } = await doctor({ manager: "down" });
    expect(line(text, "manager")).toMatch(/PROBLEM +manager: cannot reach/);
    expect(line(text, "manager")).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/version: refused$/,
    );
    expect(text).toContain(
      "fix: check that Flamenco Manager runs on 127.0.0.1",
    );
    expect(text).toContain("`tailscale ping 127.0.0.1`");
    expect(code).toBe(1);
  });

  it("gives up on a Manager that never answers after --timeout", async () => {
    const { text } = await doctor({ manager: "hang" }, "--timeout 1");
    expect(line(text, "manager")).toMatch(/\/api\/v3\/version: timeout$/);
  });

  it("tells when the URL is not a Flamenco Manager", async () => {
    const { text } = await doctor({ manager: "not-flamenco" });
    expect(line(text, "manager")).toContain(
      "answered 404 to GET /api/v3/version: not a Flamenco Manager",
    );
  });

  it("asks for manager.url when none is set", async () => {
    const { text } = await doctor({ manager: "none" });
    expect(line(text, "manager")).toContain("manager.url is not set");
    expect(text).toContain("or pass --manager-url");
  });

  it("still checks the shares in agent.mounts without the Manager", async () => {
    node = await fakeNode({ manager: "down" });
    const { writeFileSync, readFileSync } = await import("node:fs");
    const config = readFileSync(node.configFile, "utf8");
    writeFileSync(
      node.configFile,
      `${config}agent:\n  mounts: [${node.share}]\n`,
    );
    const out = captureOutput();
    await runDoctor(
      args(`doctor --config ${node.configFile} --mountinfo ${node.mountinfo}`),
      out,
      node.host,
    );
    expect(line(out.text(), "share")).toMatch(/ok +share: \S+ is mounted/);
  });

  it("skips the share when neither Manager nor config names one", async () => {
    const { text } = await doctor({ manager: "down" });
    expect(line(text, "share")).toMatch(/skipped +share: no share to check/);
  });
});

describe("doctor on a node with a share problem", () => {
  it("reports a share missing at the Manager's path", async () => {
    const { text } = await doctor({ share: "missing" });
    expect(line(text, "share")).toMatch(
      /PROBLEM +share: \S+\/render \(the Manager's shared storage\) does not exist on this node/,
    );
    expect(text).toContain("the same path as on the Manager");
  });

  it("reports a plain directory where the share should be mounted", async () => {
    const { text } = await doctor({ share: "root-fs" });
    expect(line(text, "share")).toContain(
      "is a plain directory on this node's root file system",
    );
  });

  it("reports a hanging share within the timeout", async () => {
    const { code, text } = await doctor({ share: "hung" }, "--timeout 1");
    expect(line(text, "share")).toContain(
      "did not answer within 1 s: the share hangs",
    );
    expect(code).toBe(1);
  });

  const failing = (result: ProbeResult) => async () => result;
  const cases: [string, ProbeResult, string, string][] = [
    [
      "read-only",
      { outcome: "readonly", code: "EROFS", step: "write" },
      "is read-only (EROFS)",
      "read-write",
    ],
    [
      "stale",
      { outcome: "stale", code: "ESTALE", step: "stat" },
      "Stale file handle",
      "sudo umount -l",
    ],
    [
      "not writable",
      { outcome: "permission", code: "EACCES", step: "write" },
      "this user may not write",
      "same uid/gid",
    ],
    [
      "unreachable",
      { outcome: "permission", code: "EACCES", step: "stat" },
      "this user may not reach",
      "same uid/gid",
    ],
  ];
  for (const [what, result, summary, fix] of cases) {
    it(`explains a ${what} share and the fix`, async () => {
      const { text } = await doctor({ probe: failing(result) });
      expect(line(text, "share")).toContain(summary);
      expect(text).toContain(fix);
    });
  }

  it("probes as the Flamenco Worker's user when run as root", async () => {
    const seen: ProbeOptions[] = [];
    await doctor({
      isSuperuser: true,
      probe: async (_dir, options) => {
        seen.push(options);
        return { outcome: "ok" };
      },
    });
    expect(seen[0]).toMatchObject({ uid: 1234, gid: 1235 });
  });

  it("checks the shares in agent.mounts besides the Manager's", async () => {
    const { text } = await doctor({
      configExtra: "agent:\n  mounts: [/nonexistent-fw-share]\n",
    });
    expect(text).toContain(
      "/nonexistent-fw-share (agent.mounts) does not exist",
    );
  });
});

describe("farmwatch doctor command", () => {
  it("prints the list and exits 1 on a broken node", async () => {
    node = await fakeNode({ tailscale: "needs-login" });
    const [cmd, argv] = farmwatchCommand([
      "doctor",
      "--config",
      node.configFile,
      "--mountinfo",
      node.mountinfo,
    ]);
    const child = spawn(cmd, argv, {
      env: { PATH: `${node.bin}:/usr/bin:/bin`, FARMWATCH_TEST: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise((r) => child.on("close", r));
    expect(out).toMatch(/^farmwatch doctor: checking /);
    expect(out).toContain("PROBLEM  tailscale: Tailscale is NeedsLogin");
    expect(code).toBe(1);
  });
});
