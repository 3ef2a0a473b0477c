import { describe, expect, it } from "vitest";
import {
  containingMount,
  parseMountinfo,
} from "../../../src/deploy/doctor/mountinfo.js";

const TABLE = [
  "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
  "412 29 0:61 / /mnt/render rw,relatime shared:231 - nfs4 " +
    "nas01:/export/render rw,vers=4.2,hard",
  "413 22 0:62 / /mnt/my\\040share rw shared:232 - cifs //nas01/share rw",
  "garbage line",
].join("\n");

describe("parseMountinfo", () => {
  it("reads mount point, type, source and options", () => {
    expect(parseMountinfo(TABLE)[1]).toEqual({
      mountPoint: "/mnt/render",
      fsType: "nfs4",
      source: "nas01:/export/render",
      options: "rw,relatime",
    });
  });

  it("decodes the kernel's octal escapes", () => {
    expect(parseMountinfo(TABLE)[2]?.mountPoint).toBe("/mnt/my share");
  });

  it("skips a malformed line", () => {
    expect(parseMountinfo(TABLE)).toHaveLength(3);
  });
});

describe("containingMount", () => {
  const mounts = parseMountinfo(TABLE);

  it("finds the share for a path inside it", () => {
    expect(containingMount(mounts, "/mnt/render/jobs")?.mountPoint).toBe(
      "/mnt/render",
    );
  });

  it("does not take /mnt/render for /mnt/render2", () => {
    expect(containingMount(mounts, "/mnt/render2")?.mountPoint).toBe("/");
  });

  it("takes the last of mounts stacked on one point", () => {
    const stacked = parseMountinfo(
      `${TABLE}\n500 412 0:70 / /mnt/render rw - autofs systemd-1 rw`,
    );
    expect(containingMount(stacked, "/mnt/render")?.fsType).toBe("autofs");
  });
});
