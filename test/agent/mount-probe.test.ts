import { describe, expect, it } from "vitest";
import { parseProbeOutput } from "../../src/agent/mount-probe.js";
import { errnoOf } from "../../src/agent/mount-probe-script.js";

describe("parseProbeOutput", () => {
  it("turns statfs blocks into free and total bytes", () => {
    const r = parseProbeOutput("statfs 250 1000 4096\n");
    expect(r).toEqual({
      hung: false,
      freeBytes: 250 * 4096,
      totalBytes: 1000 * 4096,
    });
  });

  it("reads ESTALE from stat's message", () => {
    const r = parseProbeOutput(
      "error stat: cannot read file system information for " +
        "'/mnt/render': Stale file handle\n",
    );
    expect(r.error).toBe("ESTALE");
  });

  it("reads the share name and the canary result", () => {
    const r = parseProbeOutput(
      "statfs 1 2 4096\nshare render-share\ncanary ok 2500000\n",
    );
    expect(r).toMatchObject({ share: "render-share", canarySeconds: 0.0025 });
    expect(r).not.toHaveProperty("canaryError");
  });

  it("tells EROFS from EACCES on the canary", () => {
    const ro = parseProbeOutput(
      "canary_error sh: 1: cannot create /mnt/r/.farmwatch/n: " +
        "Read-only file system\n",
    );
    const acc = parseProbeOutput(
      "canary_error mkdir: cannot create directory '/mnt/r/.farmwatch': " +
        "Permission denied\n",
    );
    expect([ro.canaryError, acc.canaryError]).toEqual(["EROFS", "EACCES"]);
  });
});

describe("errnoOf", () => {
  it("falls back to EIO for an unknown message", () => {
    expect(errnoOf("something odd")).toBe("EIO");
  });
});
