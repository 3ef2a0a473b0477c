import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../harness.js";

let h: Harness;

afterEach(async () => {
  await h.stop();
});

describe("/help and the command menu", () => {
  it("registers every command with Telegram at start", async () => {
    h = await startHarness({});
    expect(h.fake.commands().map((c) => c.command)).toEqual([
      "status",
      "jobs",
      "job",
      "workers",
      "worker",
      "requeue",
      "alerts",
      "silence",
      "unsilence",
      "mounts",
      "help",
    ]);
  });

  it("marks the changing commands as admin-only in /help", async () => {
    h = await startHarness({});
    const [reply] = await h.send("/help");
    const admin = reply?.text
      .split("\n")
      .filter((l) => l.endsWith("(admins)"))
      .map((l) => l.split(":")[0]);
    expect(admin).toEqual(["/requeue", "/silence", "/unsilence"]);
  });

  it("answers an unknown command with a pointer to /help", async () => {
    h = await startHarness({});
    const [reply] = await h.send("/frobnicate");
    expect(reply?.text).toBe("Unknown command. Try /help");
  });
});
