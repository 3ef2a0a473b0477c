import type { CommandSpec } from "../env.js";
import { percent } from "../format.js";
import { esc, fitLines } from "../html.js";
import { jobIcon } from "./status.js";

/** Jobs shown by `/jobs`, newest change first. */
const MAX_JOBS = 15;

/** `/jobs`: recent jobs with status and progress. */
export const jobsCommand: CommandSpec = {
  command: "jobs",
  description: "Recent jobs",
  admin: false,
  async run(env) {
    const farm = env.deps.farm();
    if (farm === undefined) return { text: "No farm data yet." };
    if (farm.jobs.length === 0) return { text: "No jobs." };
    const jobs = [...farm.jobs]
      .sort((a, b) => Date.parse(b.updated) - Date.parse(a.updated))
      .slice(0, MAX_JOBS);
    const lines = jobs.map(
      (j) =>
        `${jobIcon(j.status)} <code>${esc(j.id.slice(0, 8))}</code> ` +
        `${esc(j.name)} · ${esc(j.status)} ${percent(j.progressRatio)}`,
    );
    if (farm.jobs.length > MAX_JOBS) {
      lines.push(`… ${farm.jobs.length - MAX_JOBS} older`);
    }
    lines.push("Details: /job &lt;name or id&gt;");
    return { text: fitLines(lines) };
  },
};
