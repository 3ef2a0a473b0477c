import { describe, expect, it } from "vitest";
import {
  planFailedTasks,
  planJob,
  planTask,
  type PlanResult,
} from "../../../src/alerts/bot/requeue-plan.js";

const job = (status: string) => ({ id: "jjjjjjjj-1", name: "shot", status });
const task = (id: string, status: string) => ({ id, name: id, status });

function kind(result: PlanResult): string {
  return "plan" in result ? result.plan.kind : "refused";
}

describe("requeue rules", () => {
  it("requeues a job from failed, canceled, paused and completed only", () => {
    const statuses = [
      "failed",
      "canceled",
      "paused",
      "completed",
      "active",
      "queued",
      "requeueing",
      "cancel-requested",
      "pause-requested",
      "under-construction",
    ];
    expect(statuses.map((s) => kind(planJob(job(s), [])))).toEqual([
      "job",
      "job",
      "job",
      "job",
      "refused",
      "refused",
      "refused",
      "refused",
      "refused",
      "refused",
    ]);
  });

  it("warns that requeueing a completed job renders everything again", () => {
    const result = planJob(job("completed"), [task("t1", "completed")]);
    expect("plan" in result && result.plan.warning).toBe(
      "⚠️ The job is completed: this re-renders the whole job.",
    );
  });

  it("turns the failed tasks of a failed job into a job requeue", () => {
    const result = planFailedTasks(job("failed"), [task("t1", "failed")]);
    expect(kind(result)).toBe("job");
  });

  it("queues exactly the failed tasks of an active job", () => {
    const result = planFailedTasks(job("active"), [
      task("t1", "failed"),
      task("t2", "soft-failed"),
      task("t3", "active"),
    ]);
    expect("plan" in result && result.plan.tasks.map((t) => t.id)).toEqual([
      "t1",
    ]);
  });

  it("requeues a task from failed, canceled and completed only", () => {
    const statuses = [
      "failed",
      "canceled",
      "completed",
      "active",
      "queued",
      "soft-failed",
      "paused",
    ];
    expect(
      statuses.map((s) => kind(planTask(job("active"), task("t", s), 5))),
    ).toEqual([
      "task",
      "task",
      "task",
      "refused",
      "refused",
      "refused",
      "refused",
    ]);
  });

  it("refuses a task of a canceled job, which would not run alone", () => {
    const result = planTask(job("canceled"), task("t", "failed"), 3);
    expect(kind(result)).toBe("refused");
  });

  it("escapes names in what it says", () => {
    const result = planJob({ id: "j", name: "a<b>&c", status: "failed" }, []);
    expect("plan" in result && result.plan.summary).toMatch(
      /^Requeue job <b>a&lt;b&gt;&amp;c<\/b>/,
    );
  });
});
