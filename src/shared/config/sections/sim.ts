import { z } from "zod";
import { listenSchema } from "./common.js";

export const SimSchema = z
  .strictObject({
    listen: listenSchema("127.0.0.1", 18080),
    workers: z
      .number()
      .int()
      .min(0)
      .max(250)
      .default(6)
      .describe("Simulated workers (addresses 127.0.0.2 and up)."),
    jobs: z
      .number()
      .int()
      .min(0)
      .default(4)
      .describe("Jobs at start, finished ones included."),
    unfinishedJobs: z
      .number()
      .int()
      .min(0)
      .default(3)
      .describe(
        "Unfinished jobs at start; new jobs are submitted to keep this many.",
      ),
    framesPerJob: z
      .number()
      .int()
      .min(1)
      .default(60)
      .describe("Frames of each generated job."),
    chunkSize: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("Frames per task of generated jobs."),
    frameSeconds: z
      .number()
      .positive()
      .default(40)
      .describe("Mean render time of one frame, in farm seconds."),
    failureRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.03)
      .describe("Share of task runs that fail (0-1)."),
    windowsWorker: z
      .boolean()
      .default(false)
      .describe("Make the last worker a windows machine."),
    blenderVersions: z
      .array(z.string().min(1))
      .min(1)
      .default(["4.2.3"])
      .describe("Blender versions the workers use, spread over them."),
    managerVersion: z
      .string()
      .regex(/^\d+\.\d+/)
      .default("3.8")
      .describe(
        "Version the Manager reports; below 3.6 it lists jobs with " +
          "POST /api/v3/jobs/query as old Managers did.",
      ),
    managerName: z
      .string()
      .default("Simulated Flamenco Manager")
      .describe("Name the Manager reports."),
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
