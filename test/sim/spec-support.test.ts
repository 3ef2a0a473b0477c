import { describe, expect, it } from "vitest";
import {
  loadSpec,
  responseContentTypes,
  validateResponse,
  validateSchema,
} from "../support/spec.js";

describe("spec support", () => {
  it("accepts a conformant version answer", () => {
    const body = { version: "3.8", shortversion: "3.8", name: "m", git: "v" };
    expect(validateResponse("GET", "/api/v3/version", 200, body)).toEqual([]);
  });

  it("reports a missing required field with its path", () => {
    const errors = validateResponse("GET", "/api/v3/version", 200, {
      version: "3.8",
      shortversion: "3.8",
      name: "m",
    });
    expect(errors).toEqual(["(root) must have required property 'git'"]);
  });

  it("reports an unknown enum value", () => {
    const errors = validateSchema("FarmStatusReport", { status: "zzz" });
    expect(errors[0]).toContain("/status must be equal to one of");
  });

  it("falls back to the default answer for an error status", () => {
    const body = { code: 404, message: "no such job" };
    expect(
      validateResponse("GET", "/api/v3/jobs/{job_id}/tasks", 404, body),
    ).toEqual([]);
  });

  it("validates text/plain answers as strings", () => {
    expect(
      responseContentTypes("GET", "/api/v3/tasks/{task_id}/logtail", 200),
    ).toEqual(["text/plain"]);
    expect(
      validateResponse(
        "GET",
        "/api/v3/tasks/{task_id}/logtail",
        200,
        "line\n",
        "text/plain; charset=utf-8",
      ),
    ).toEqual([]);
  });

  it("checks date-time formats", () => {
    const errors = validateSchema("WorkerSummary", {
      id: "a",
      name: "b",
      status: "awake",
      version: "3.8",
      can_restart: false,
      last_seen: "yesterday",
    });
    expect(errors).toEqual(['/last_seen must match format "date-time"']);
  });

  it("honours OpenAPI 3.0 nullable", () => {
    const validate = loadSpec().ajv.compile({
      type: "string",
      nullable: true,
    });
    expect([validate(null), validate("a"), validate(1)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("reports an answer status the spec does not define", () => {
    expect(validateResponse("GET", "/api/v3/version", 404, {})).toEqual([
      "spec has no 404 answer for GET /api/v3/version",
    ]);
  });
});
