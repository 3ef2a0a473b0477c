import { Counter, Histogram, type Registry } from "prom-client";
import type {
  RequestRecord,
  ValidationIssue,
} from "../shared/flamenco/client.js";
import type { JobTransition } from "./jobs-step.js";

/** Counters and histograms the exporter updates as things happen. */
export interface EventMetrics {
  /** Records one Manager request (the client's `onRequest`). */
  request(record: RequestRecord): void;
  /** Counts answer parts that did not match the spec. */
  issues(endpoint: string, issues: readonly ValidationIssue[]): void;
  /** Applies a poll's task transitions: failure counters, durations. */
  transitions(transitions: readonly JobTransition[]): void;
  /** Counts a poll tick skipped because one was still running. */
  skipped(): void;
}

/** Creates the event metrics in `registry` (one registry per exporter). */
export function createEventMetrics(registry: Registry): EventMetrics {
  const skipped = new Counter({
    name: "flamenco_polls_skipped_total",
    help: "Poll ticks skipped because the previous poll was still running.",
    registers: [registry],
  });
  return {
    ...requestMetrics(registry),
    transitions: taskMetrics(registry),
    skipped: () => skipped.inc(),
  };
}

function requestMetrics(
  registry: Registry,
): Pick<EventMetrics, "request" | "issues"> {
  const registers = [registry];
  const labelNames = ["endpoint"];
  const requests = new Counter({
    name: "flamenco_api_requests_total",
    help: "Requests sent to the Flamenco Manager, by route template.",
    labelNames,
    registers,
  });
  const errors = new Counter({
    name: "flamenco_api_errors_total",
    help: "Failed Manager requests, by route and HTTP status or failure kind.",
    labelNames: ["endpoint", "code"],
    registers,
  });
  const duration = new Histogram({
    name: "flamenco_api_request_duration_seconds",
    help: "Duration of Manager requests in seconds.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const bytes = new Counter({
    name: "flamenco_api_response_bytes_total",
    help: "Bytes of Manager response bodies received.",
    labelNames,
    registers,
  });
  const validation = new Counter({
    name: "flamenco_api_validation_errors_total",
    help: "Parts of Manager answers that did not match the API spec.",
    labelNames: ["endpoint", "kind"],
    registers,
  });
  return {
    request(r) {
      requests.inc({ endpoint: r.endpoint });
      duration.observe({ endpoint: r.endpoint }, r.durationSeconds);
      if (r.bytes > 0) bytes.inc({ endpoint: r.endpoint }, r.bytes);
      if (r.errorCode) errors.inc({ endpoint: r.endpoint, code: r.errorCode });
    },
    issues(endpoint, list) {
      for (const i of list) validation.inc({ endpoint, kind: i.kind });
    },
  };
}

function taskMetrics(registry: Registry): EventMetrics["transitions"] {
  const registers = [registry];
  const taskDuration = new Histogram({
    name: "flamenco_task_duration_seconds",
    help: "Duration of completed tasks in seconds, from active to completed.",
    labelNames: ["job_type", "worker"],
    buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400],
    registers,
  });
  const failed = new Counter({
    name: "flamenco_tasks_failed_total",
    help: "Tasks seen turning failed, by job type.",
    labelNames: ["job_type"],
    registers,
  });
  const softFailed = new Counter({
    name: "flamenco_tasks_soft_failed_total",
    help: "Tasks seen turning soft-failed, by job type.",
    labelNames: ["job_type"],
    registers,
  });
  return (list) => {
    for (const t of list) {
      const job_type = t.job.type;
      if (t.to === "failed") failed.inc({ job_type });
      if (t.to === "soft-failed") softFailed.inc({ job_type });
      if (t.durationSeconds === undefined) continue;
      const worker = t.task.worker?.name ?? "";
      taskDuration.observe({ job_type, worker }, t.durationSeconds);
    }
  };
}
