import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { probeShare } from "../../../src/deploy/doctor/probe.js";

const NAME = ".farmwatch-doctor-render-03";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "fw-probe-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const probe = (target: string, timeoutMs = 10_000) =>
  probeShare(target, { fileName: NAME, timeoutMs });

describe("probeShare", () => {
  it("writes, reads and removes its file on a writable directory", async () => {
    expect(await probe(dir)).toEqual({ outcome: "ok" });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reports a directory that does not exist as missing", async () => {
    expect(await probe(path.join(dir, "render"))).toEqual({
      outcome: "missing",
      code: "ENOENT",
      step: "stat",
    });
  });

  it("reports a file where the share should be", async () => {
    const file = path.join(dir, "render");
    writeFileSync(file, "");
    expect(await probe(file)).toEqual({ outcome: "not_directory" });
  });

  it("reports a write that never returns as hung", async () => {
    // Opening a FIFO for writing blocks until a reader comes, as a write
    // on a dead hard-mounted share blocks.
    execFileSync("/usr/bin/mkfifo", [path.join(dir, NAME)]);
    expect(await probe(dir, 500)).toEqual({ outcome: "hung" });
  });

  it.skipIf(process.getuid?.() !== 0)(
    "runs as the given user, so a directory it may not write is permission",
    async () => {
      const share = path.join(dir, "render");
      mkdirSync(share);
      chmodSync(dir, 0o755);
      chmodSync(share, 0o755);
      const result = await probeShare(share, {
        fileName: NAME,
        timeoutMs: 10_000,
        uid: 65534,
        gid: 65534,
      });
      expect(result).toEqual({
        outcome: "permission",
        code: "EACCES",
        step: "write",
      });
    },
  );
});
