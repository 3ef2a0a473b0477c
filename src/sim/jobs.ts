import type { JobStatus } from "../shared/flamenco/types.js";
import type { Farm } from "./farm.js";
import type { SimJob, SimTask } from "./model.js";

/** What {@link createJob} needs; omitted fields get farm defaults. */
export interface JobSpec {
  name?: string;
  /** Number of frames, starting at 1. */
  frames?: number;
  chunkSize?: number;
  status?: JobStatus;
  type?: string;
  priority?: number;
}

const PROJECTS = ["sprite-fright", "wing-it", "charge", "gold", "spring"];
const SHOTS = ["010", "020", "030", "045", "060", "075", "090", "110"];

/**
 * Builds a job and its tasks (one `blender` task per chunk of frames) and
 * adds them to the farm, without events: a submission, not a change.
 */
export function createJob(farm: Farm, spec: JobSpec): SimJob {
  const r = farm.random;
  const opts = farm.options;
  const n = ++farm.submittedCount;
  const project = r.pick(PROJECTS);
  const shot = r.pick(SHOTS);
  const name = spec.name ?? `${project}-sh${shot}-lighting-v${n}`;
  const frames = Math.max(1, spec.frames ?? opts.framesPerJob);
  const chunk = Math.max(1, spec.chunkSize ?? opts.chunkSize);
  const job: SimJob = {
    id: r.uuid(),
    name,
    type: spec.type ?? "simple-blender-render",
    priority: spec.priority ?? 50,
    status: spec.status ?? "queued",
    activity: "",
    createdMs: farm.nowMs,
    updatedMs: farm.nowMs,
    settings: jobSettings(project, shot, name, frames, chunk),
    metadata: { "user.name": r.pick(["anna", "bram", "chen"]), project },
    submitterPlatform: "linux",
    tasks: [],
    blocklist: [],
    deleteRequestedMs: undefined,
    json: undefined,
  };
  for (let start = 1, i = 0; start <= frames; start += chunk, i++) {
    const end = Math.min(frames, start + chunk - 1);
    job.tasks.push(newTask(farm, job, i, start, end));
    farm.tasks.set(job.tasks[i]!.id, job.tasks[i]!);
  }
  farm.jobs.set(job.id, job);
  farm.jobsChanged();
  return job;
}

/** Settings as the simple-blender-render job type makes them. */
function jobSettings(
  project: string,
  shot: string,
  name: string,
  frames: number,
  chunk: number,
): Record<string, unknown> {
  const root = `/render/${project}/frames/${name}`;
  return {
    blendfile: `/render/${project}/shots/sh${shot}/sh${shot}.blend`,
    render_output_root: root,
    render_output_path: `${root}/######`,
    frames: `1-${frames}`,
    chunk_size: chunk,
    fps: 24,
    format: "PNG",
    image_file_extension: ".png",
    has_previews: false,
  };
}

function newTask(
  farm: Farm,
  job: SimJob,
  index: number,
  start: number,
  end: number,
): SimTask {
  return {
    id: farm.random.uuid(),
    job,
    indexInJob: index,
    name: start === end ? `render-${start}` : `render-${start}-${end}`,
    status: "queued",
    priority: 50,
    taskType: "blender",
    activity: "",
    stepsCompleted: 0,
    stepsTotal: end - start + 1,
    frameStart: start,
    frameEnd: end,
    workerId: undefined,
    createdMs: farm.nowMs,
    updatedMs: farm.nowMs,
    lastTouchedMs: undefined,
    failedBy: [],
    logTail: "",
    failAtStep: undefined,
  };
}
