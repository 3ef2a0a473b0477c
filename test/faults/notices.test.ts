import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readOutbox, titlesIn } from "../../bench/faults/notices.js";

describe("titlesIn", () => {
  it("reads every notice title of a digest, ignoring other lines", () => {
    const text = [
      "🔴 FIRING FlamencoWorkerStalled · worker render-02 [warning]",
      "• render-02 is silent",
      "✅ RESOLVED FlamencoManagerDown",
    ].join("\n");
    expect(titlesIn(text)).toEqual([
      { status: "firing", alertname: "FlamencoWorkerStalled" },
      { status: "resolved", alertname: "FlamencoManagerDown" },
    ]);
  });
});

describe("readOutbox", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("drops a line repeated with the same entry id and a cut last line", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "fw-outbox-"));
    const line = JSON.stringify({
      id: "e1",
      alertname: "FarmwatchMountDown",
      status: "firing",
      severity: "critical",
      group: {},
    });
    writeFileSync(
      path.join(dir, "outbox.jsonl"),
      `${line}\n${line}\n{"id":"e2","alertn`,
    );
    expect(readOutbox(dir)).toEqual([
      {
        alertname: "FarmwatchMountDown",
        status: "firing",
        severity: "critical",
      },
    ]);
  });
});
