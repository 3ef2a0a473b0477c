import type { AuditEntry } from "./audit.js";
import type { BotEnv } from "./env.js";
import { esc } from "./html.js";
import { describeManagerError, outcomeUnknown } from "./manager.js";
import { planFromManager, type RequeueTarget } from "./requeue-ask.js";
import type { RequeuePlan } from "./requeue-plan.js";

/** Who pressed the button. */
export interface Presser {
  userId: number;
  username?: string;
  chatId: number;
}

/** The new text of the confirmation message and the button's toast. */
export interface ConfirmResult {
  text: string;
  toast: string;
}

function targetOf(plan: RequeuePlan): RequeueTarget {
  return plan.kind === "task"
    ? { kind: "task", task: plan.tasks[0]!.id }
    : { kind: plan.kind };
}

function samePlan(a: RequeuePlan, b: RequeuePlan): boolean {
  const key = (p: RequeuePlan) =>
    JSON.stringify([p.kind, p.jobStatus, p.tasks.map((t) => [t.id, t.status])]);
  return key(a) === key(b);
}

/** Carries out a checked plan; returns the outcome and the answer. */
async function execute(
  env: BotEnv,
  plan: RequeuePlan,
  reason: string,
): Promise<{ outcome: string; answer: string; status?: number }> {
  const manager = env.manager!;
  if (plan.kind === "job") {
    const status = await manager.setJobStatus(plan.jobId, "requeueing", reason);
    return { outcome: "ok", answer: `accepted (${status})`, status };
  }
  let done = 0;
  const refused: string[] = [];
  for (const task of plan.tasks) {
    try {
      await manager.setTaskStatus(task.id, "queued", reason);
      done += 1;
    } catch (err) {
      if (outcomeUnknown(err) || done === 0) throw err;
      refused.push(describeManagerError(err, manager.timeoutMs));
    }
  }
  const answer =
    refused.length === 0
      ? `accepted ${done} of ${plan.tasks.length}`
      : `accepted ${done} of ${plan.tasks.length}; ${refused[0]}`;
  return { outcome: refused.length === 0 ? "ok" : "partial", answer };
}

function doneText(plan: RequeuePlan, outcome: string, answer: string) {
  const what =
    plan.kind === "job"
      ? `job <b>${esc(plan.jobName)}</b>`
      : plan.kind === "task"
        ? `task <b>${esc(plan.tasks[0]!.name)}</b> of <b>${esc(plan.jobName)}</b>`
        : `${plan.tasks.length} failed task(s) of <b>${esc(plan.jobName)}</b>`;
  const mark = outcome === "ok" ? "✅ Requeued" : "⚠️ Partly requeued";
  return `${mark} ${what}: the Manager ${esc(answer)}.`;
}

interface Outcome extends ConfirmResult {
  outcome: string;
  answer: string;
  status?: number;
}

/** Carries out the plan if the Manager's state still matches it. */
async function recheckAndRun(
  env: BotEnv,
  plan: RequeuePlan,
  reason: string,
  onChecked: (toast: string) => Promise<void>,
): Promise<Outcome> {
  const now = await planFromManager(env.manager!, plan.jobId, targetOf(plan));
  if ("refusal" in now || !samePlan(now.plan, plan)) {
    const status = "refusal" in now ? now.jobStatus : now.plan.jobStatus;
    const why =
      "refusal" in now
        ? now.refusal
        : `job <b>${esc(plan.jobName)}</b> changed meanwhile`;
    return {
      text: `Nothing done: ${why}`,
      toast: `Nothing done: the job is ${status ?? "changed"} now.`,
      outcome: "stale",
      answer: "not sent: state changed",
    };
  }
  await onChecked("Requeueing…");
  const done = await execute(env, plan, reason);
  return {
    text: doneText(plan, done.outcome, done.answer),
    toast: done.outcome === "ok" ? "Requeued." : "Partly requeued.",
    ...done,
  };
}

/** What to say when the Manager failed us; a timeout leaves it open. */
function failure(env: BotEnv, plan: RequeuePlan, err: unknown): Outcome {
  const why = describeManagerError(err, env.manager!.timeoutMs);
  const unknown = outcomeUnknown(err);
  const status = (err as { status?: number }).status;
  return {
    text: unknown
      ? `⚠️ ${esc(why)}: the requeue may or may not have happened. ` +
        `Check with /job ${esc(plan.jobId.slice(0, 8))}.`
      : `❌ Not requeued: ${esc(why)}.`,
    toast: unknown ? "No answer from the Manager." : "Not requeued.",
    outcome: unknown ? "unknown" : "error",
    answer: why,
    ...(status !== undefined ? { status } : {}),
  };
}

/**
 * Re-checks a confirmed plan against the Manager's state and carries it
 * out; a job that changed meanwhile (e.g. already requeued from the web
 * UI) is left alone. `onChecked` is called once the re-check passed,
 * before the change is sent (to answer the button press early). Every
 * outcome is counted and audited.
 */
export async function confirmRequeue(
  env: BotEnv,
  plan: RequeuePlan,
  who: Presser,
  onChecked: (toast: string) => Promise<void> = async () => undefined,
): Promise<ConfirmResult> {
  const action = `requeue-${plan.kind}`;
  const reason = `Requeued from Telegram by user ${who.userId}`;
  let result: Outcome;
  try {
    result = await recheckAndRun(env, plan, reason, onChecked);
  } catch (err) {
    result = failure(env, plan, err);
  }
  env.metrics.changes.inc({ action, outcome: result.outcome });
  const entry: AuditEntry = {
    time: env.now().toISOString(),
    userId: who.userId,
    ...(who.username !== undefined ? { username: who.username } : {}),
    chatId: who.chatId,
    action,
    target: {
      jobId: plan.jobId,
      jobName: plan.jobName,
      taskIds: plan.tasks.map((t) => t.id),
    },
    outcome: result.outcome,
    answer: result.answer,
    ...(result.status !== undefined ? { status: result.status } : {}),
  };
  await env.audit.write(entry);
  return { text: result.text, toast: result.toast };
}
