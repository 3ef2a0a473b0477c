/**
 * Frame ranges as Flamenco writes them: job settings `frames` such as
 * `1-250` or `1-10,20,30-35`, task names such as `render-1-10`, and the
 * `--render-frame 1..10` argument of the blender-render command.
 */

/** Number of frames in a range list like `1-10,20`; undefined if none. */
export function countFrames(spec: string): number | undefined {
  let total = 0;
  for (const part of spec.split(",")) {
    const m = /^\s*(-?\d+)\s*(?:(?:-|\.\.)\s*(-?\d+))?\s*$/.exec(part);
    if (!m) return undefined;
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start) return undefined;
    total += end - start + 1;
  }
  return total > 0 ? total : undefined;
}

/** The frame range of a task from its name, e.g. `render-11-20` -> `11-20`. */
export function framesFromTaskName(name: string): string | undefined {
  const m = /(\d+)(?:\s*(?:-|\.\.)\s*(\d+))?\s*$/.exec(name);
  if (!m || !/[-_ ]\d/.test(name)) return undefined;
  const start = Number(m[1]);
  return m[2] === undefined ? `${start}` : `${start}-${Number(m[2])}`;
}

/** The frame range from a blender-render command's `--render-frame`. */
export function framesFromCommands(
  commands: readonly { parameters?: Record<string, unknown> }[],
): string | undefined {
  for (const cmd of commands) {
    const args = cmd.parameters?.["args"];
    if (!Array.isArray(args)) continue;
    const i = args.indexOf("--render-frame");
    const value = i >= 0 ? args[i + 1] : undefined;
    if (typeof value === "string") return value.replace("..", "-");
  }
  return undefined;
}

/** Frames of a job from its `frames` setting. */
export function jobFramesTotal(
  settings: Record<string, unknown> | undefined,
): number | undefined {
  const frames = settings?.["frames"];
  if (typeof frames === "string") return countFrames(frames);
  if (typeof frames === "number") return 1;
  return undefined;
}
