import { z } from "zod";
import { listenSchema } from "./common.js";

export const SimSchema = z
  .strictObject({
    listen: listenSchema("127.0.0.1", 18080),
    workers: z.number().int().min(0).default(6).describe("Simulated workers."),
    jobs: z.number().int().min(0).default(4).describe("Jobs at start."),
    speed: z
      .number()
      .positive()
      .default(1)
      .describe("How much faster than real time the farm's clock runs."),
    seed: z
      .number()
      .int()
      .default(1)
      .describe("Random seed; the same seed gives the same farm."),
  })
  .prefault({})
  .describe("The simulated Flamenco Manager (`farmwatch sim`, the demo).");
