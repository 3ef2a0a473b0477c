import { z } from "zod";
import { listenSchema, seconds } from "./common.js";

export const AgentSchema = z
  .strictObject({
    listen: listenSchema("0.0.0.0", 9790),
    nodeName: z
      .string()
      .min(1)
      .optional()
      .describe("Name of this node; default the host name."),
    intervalSeconds: seconds(15, "How often each collector runs."),
    mounts: z
      .array(z.string().startsWith("/"))
      .default([])
      .describe("Mount points to watch, e.g. /mnt/render."),
    tailscaleInterface: z
      .string()
      .min(1)
      .default("tailscale0")
      .describe("Name of the Tailscale TUN interface."),
    procPath: z
      .string()
      .default("/proc")
      .describe("Where procfs is read from (a fixture in tests)."),
    sysPath: z
      .string()
      .default("/sys")
      .describe("Where sysfs is read from (a fixture in tests)."),
  })
  .prefault({})
  .describe("The node agent (`farmwatch agent`), on every node.");
