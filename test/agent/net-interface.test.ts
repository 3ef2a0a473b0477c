import { afterEach, describe, expect, it } from "vitest";
import { notRootReason } from "../support/fuse-hang.js";
import { tunNamespace, type TunNamespace } from "../support/netns.js";

const skip = notRootReason();
let ns: TunNamespace | undefined;
afterEach(() => {
  ns?.close();
  ns = undefined;
});

function readInside(n: TunNamespace, address: string) {
  const out = n.exec(process.execPath, [
    "--import",
    "tsx",
    "test/agent/netns-reader.ts",
    address,
  ]);
  return JSON.parse(out) as Record<string, unknown>;
}

// The skip reason, when there is one, is the describe name in the report.
describe.skipIf(skip !== undefined)(
  skip ?? "readInterface on a real TUN",
  () => {
    it("calls a held TUN with operstate unknown up, by its flags", async () => {
      ns = await tunNamespace("tailscale0", "100.64.0.13");
      const state = readInside(ns, "100.64.0.13");
      expect(state).toMatchObject({
        name: "tailscale0",
        present: true,
        up: true,
        operstate: "unknown",
      });
      expect(state.addresses).toContain("100.64.0.13");
    });

    it("finds a TUN renamed with --tun by the address it carries", async () => {
      ns = await tunNamespace("ts-farm", "100.64.0.21");
      const state = readInside(ns, "100.64.0.21");
      expect(state).toMatchObject({ name: "ts-farm", present: true, up: true });
    });

    it("reports no interface when the namespace has no TUN for the address", async () => {
      ns = await tunNamespace("tailscale1", "100.64.0.22");
      const state = readInside(ns, "100.64.0.99");
      expect(state).toMatchObject({ name: "tailscale0", present: false });
    });
  },
);
