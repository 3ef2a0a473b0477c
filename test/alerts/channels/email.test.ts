import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailChannel } from "../../../src/alerts/channels/email.js";
import { newEntry } from "../../../src/alerts/queue.js";
import type { Notice } from "../../../src/alerts/notify/notice.js";
import {
  makeCa,
  startSilentServer,
  startSmtp,
  type TestCa,
} from "../../support/smtp.js";
import { makeConfig, NOW, quietLogger, tempDir } from "../fixtures.js";

let tmp: Awaited<ReturnType<typeof tempDir>>;
let ca: TestCa;
beforeAll(async () => {
  tmp = await tempDir();
  ca = makeCa(tmp.dir);
});
afterAll(async () => tmp.cleanup());

const notice: Notice = {
  status: "firing",
  alertname: "FlamencoJobFailed",
  severity: "warning",
  group: { job: "shot_010" },
  items: [
    {
      labels: { job: "shot_010" },
      summary: "A job failed",
      description: "Job shot_010 failed (3 tasks failed).",
      jobId: "job-42",
    },
  ],
  at: new Date(NOW).toISOString(),
  origin: "rules",
};

function channel(smtp: Record<string, unknown>, codes: string[] = []) {
  const email = makeConfig({
    alerts: {
      email: {
        smtp: {
          host: "127.0.0.1",
          greetingTimeoutSeconds: 1,
          connectionTimeoutSeconds: 1,
          socketTimeoutSeconds: 2,
          ...smtp,
        },
        to: ["ops@example.org"],
      },
    },
  }).alerts.email;
  return new EmailChannel({
    email,
    logger: quietLogger(),
    managerWebUrl: "http://127.0.0.1:8080",
    onFailure: (c) => codes.push(c),
  });
}

async function sendOnce(ch: EmailChannel, attempts = 0) {
  const e = newEntry("email", "ops@example.org", [notice], NOW);
  e.attempts = attempts;
  try {
    return await ch.send(e);
  } finally {
    ch.close();
  }
}

describe("EmailChannel", () => {
  it("delivers over STARTTLS with the CA given, as text and HTML with a link to the job", async () => {
    const srv = await startSmtp({
      tls: "starttls",
      ca,
      users: { alerts: "right" },
    });
    const ch = channel({
      port: srv.port,
      secure: false,
      requireTLS: true,
      caFile: ca.caFile,
      user: "alerts",
      password: "right",
    });
    expect(await sendOnce(ch)).toEqual({ kind: "sent" });
    await srv.close();
    const raw = srv.messages[0]!;
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(raw).toContain("http://127.0.0.1:8080/app/jobs/job-42");
  });

  it("delivers over implicit TLS when the private CA is trusted through caFile", async () => {
    const srv = await startSmtp({ tls: "implicit", ca });
    const ch = channel({ port: srv.port, secure: true, caFile: ca.caFile });
    expect(await sendOnce(ch)).toEqual({ kind: "sent" });
    await srv.close();
    expect(srv.messages).toHaveLength(1);
  });

  it("diagnoses secure:true against a STARTTLS port and does not retry", async () => {
    const srv = await startSmtp({ tls: "starttls", ca });
    const out = await sendOnce(channel({ port: srv.port, secure: true }));
    await srv.close();
    expect(out).toMatchObject({ kind: "dead", code: "tls_mismatch" });
    expect((out as { error: string }).error).toMatch(
      /speaks plain SMTP with STARTTLS: set secure: false \(requireTLS: true\)/,
    );
  });

  it("diagnoses a certificate from an unknown CA without turning verification off", async () => {
    const srv = await startSmtp({ tls: "implicit", ca });
    const out = await sendOnce(channel({ port: srv.port, secure: true }));
    await srv.close();
    expect(out).toMatchObject({ kind: "dead", code: "untrusted_cert" });
    expect((out as { error: string }).error).toMatch(
      /untrusted certificate.*caFile/,
    );
  });

  it("reports a rejected login (535) clearly and gives up after maxAuthAttempts", async () => {
    const srv = await startSmtp({
      tls: "starttls",
      ca,
      users: { alerts: "right" },
    });
    const smtp = {
      port: srv.port,
      caFile: ca.caFile,
      user: "alerts",
      password: "wrong",
    };
    const codes: string[] = [];
    const first = await sendOnce(channel(smtp, codes), 0);
    const last = await sendOnce(channel(smtp, codes), 2);
    await srv.close();
    expect(first).toMatchObject({ kind: "retry", code: "auth" });
    expect(last).toMatchObject({ kind: "dead", code: "auth" });
    expect((last as { error: string }).error).toMatch(
      /SMTP login rejected \(535\)/,
    );
    expect(codes).toEqual(["auth", "auth"]);
  });

  it("gives up on a server that accepts and never greets within the greeting timeout, to retry later", async () => {
    const srv = await startSilentServer();
    const out = await sendOnce(
      channel({ port: srv.port, secure: false, requireTLS: false }),
    );
    await srv.close();
    expect(out).toMatchObject({ kind: "retry", code: "timeout" });
  });

  it("verifies the server at start and returns the diagnosis", async () => {
    const srv = await startSmtp({ tls: "starttls", ca });
    const ch = channel({ port: srv.port, secure: true });
    const d = await ch.verify();
    ch.close();
    await srv.close();
    expect(d?.code).toBe("tls_mismatch");
  });
});
