import type { SimTask, SimWorker } from "./model.js";
import type { Random } from "./random.js";

// Log lines shaped like what Flamenco Worker writes around Blender's output.

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

function renderLines(task: SimTask, w: SimWorker, frame: number): string[] {
  const mem = 180 + ((frame * 37) % 400);
  return [
    `Fra:${frame} Mem:${mem}.21M (Peak ${mem + 90}.02M) | Time:00:41.17 | ` +
      `Mem:2311.84M, Peak:2311.84M | Scene, ViewLayer | Sample 128/128`,
    `Fra:${frame} Mem:${mem}.21M | Time:00:42.03 | Finished`,
    `Saved: '${String(task.job.settings["render_output_root"])}/` +
      `${String(frame).padStart(6, "0")}.png'`,
    ` Time: 00:42.61 (Saving: 00:00.44)`,
    `Blender ${w.blenderVersion} quit after frame ${frame}`,
  ];
}

/** Tail of the log of a run that rendered up to `lastFrame`. */
export function progressTail(
  task: SimTask,
  worker: SimWorker,
  lastFrame: number,
  nowMs: number,
): string {
  const first = Math.max(task.frameStart, lastFrame - 1);
  const lines: string[] = [];
  for (let f = first; f <= lastFrame; f++) {
    lines.push(...renderLines(task, worker, f));
  }
  return (
    lines
      .map((l) => `${stamp(nowMs)} pid=${4000 + task.indexInJob} > ${l}`)
      .join("\n") + "\n"
  );
}

const FAILURES = [
  [
    "Error: CUDA error: Out of memory in cuMemAlloc(&device_pointer, size)",
    "Error: System is out of GPU memory",
    "Fra:{f} Mem:7841.20M (Peak 7990.51M) | Cancelled",
  ],
  [
    "Read blend: {blend}",
    "Warning: Unable to open '/render/textures/rock_albedo_8k.png'",
    "Error: Cannot read file '{blend}': Input/output error",
  ],
  [
    "Fra:{f} Mem:2211.48M | Time:01:12.94 | Synchronizing object | Rock.017",
    "Writing: /tmp/blender.crash.txt",
    "Segmentation fault (core dumped)",
  ],
  [
    "Saved: '{out}/{f6}.png' failed: No space left on device",
    "Error: Render error (No such file or directory) cannot save: '{out}'",
  ],
] as const;

// What a windows worker without a two-way variable for the shared storage
// sees: the Linux path glued to its own working directory.
const PATH_MAPPING_FAILURE = [
  "Read blend: C:\\flamenco-worker{blend}",
  'Error: Cannot read file "C:\\flamenco-worker{blend}": No such file or directory',
] as const;

/** Tail of a failed run, with one of the usual Blender failures. */
export function failureTail(
  task: SimTask,
  worker: SimWorker,
  random: Random,
  nowMs: number,
): string {
  const frame = task.frameStart + task.stepsCompleted;
  const fill = (l: string): string =>
    l
      .replaceAll("{f}", String(frame))
      .replaceAll("{f6}", String(frame).padStart(6, "0"))
      .replaceAll("{blend}", String(task.job.settings["blendfile"]))
      .replaceAll("{out}", String(task.job.settings["render_output_root"]));
  const failure =
    worker.platform === "windows"
      ? PATH_MAPPING_FAILURE
      : random.pick(FAILURES);
  const lines = [
    `Blender ${worker.blenderVersion} (hash 8ef8a1f7a9d2 built 2025-03-18)`,
    ...failure.map(fill),
    "Blender quit",
    "command exited abnormally with code 1",
  ];
  return (
    lines
      .map((l) => `${stamp(nowMs)} pid=${4000 + task.indexInJob} > ${l}`)
      .join("\n") + "\n"
  );
}
