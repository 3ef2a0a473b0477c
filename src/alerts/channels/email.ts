import { readFileSync } from "node:fs";
import nodemailer, { type Transporter } from "nodemailer";
import type { Config } from "../../shared/config/schema.js";
import type { Logger } from "../../shared/logger.js";
import { titleOf, toEmailHtml, toText } from "../notify/notice.js";
import type { Channel, QueueEntry, SendOutcome } from "../queue.js";
import { diagnoseSmtp, type SmtpDiagnosis } from "./email-diagnose.js";

type EmailConfig = Config["alerts"]["email"];

/** Options of {@link EmailChannel}. */
export interface EmailOptions {
  email: EmailConfig;
  logger: Logger;
  managerWebUrl?: string;
  /** Counts a failed attempt by diagnosis code. */
  onFailure(code: string): void;
}

/** The nodemailer transport options from the config; one pooled connection. */
export function transportOptions(email: EmailConfig) {
  const s = email.smtp;
  return {
    pool: true,
    maxConnections: 1,
    host: s.host,
    port: s.port,
    secure: s.secure,
    // With implicit TLS there is no STARTTLS to require.
    requireTLS: s.secure ? false : s.requireTLS,
    auth:
      s.user === undefined
        ? undefined
        : { user: s.user, pass: s.password ?? "" },
    tls: s.caFile === undefined ? undefined : { ca: readFileSync(s.caFile) },
    connectionTimeout: s.connectionTimeoutSeconds * 1000,
    greetingTimeout: s.greetingTimeoutSeconds * 1000,
    socketTimeout: s.socketTimeoutSeconds * 1000,
  };
}

/**
 * E-mail delivery through one pooled nodemailer transport: text and HTML
 * bodies with a link to the job in the Manager's web UI. A rejected login
 * is retried only `maxAuthAttempts` times; TLS misconfiguration is given
 * up at once with a diagnosis.
 */
export class EmailChannel implements Channel {
  readonly name = "email" as const;
  private readonly transport: Transporter;

  constructor(private readonly o: EmailOptions) {
    this.transport = nodemailer.createTransport(transportOptions(o.email));
  }

  private diagnose(err: unknown): SmtpDiagnosis {
    const s = this.o.email.smtp;
    return diagnoseSmtp(err, {
      port: s.port,
      secure: s.secure,
      timeoutSeconds: s.greetingTimeoutSeconds,
    });
  }

  /** Checks the server and login; logs a diagnosis, never throws. */
  async verify(): Promise<SmtpDiagnosis | undefined> {
    try {
      await this.transport.verify();
      this.o.logger.info({ host: this.o.email.smtp.host }, "smtp verified");
      return undefined;
    } catch (err) {
      const d = this.diagnose(err);
      this.o.logger.error(
        { host: this.o.email.smtp.host, code: d.code, hint: d.hint },
        "smtp check failed",
      );
      return d;
    }
  }

  async send(entry: QueueEntry): Promise<SendOutcome> {
    const web = this.o.managerWebUrl;
    const subject =
      entry.notices.length === 1
        ? `[farmwatch] ${titleOf(entry.notices[0]!)}`
        : `[farmwatch] ${entry.notices.length} notices`;
    try {
      await this.transport.sendMail({
        from: this.o.email.from,
        to: entry.target.split(","),
        subject,
        text: entry.notices.map((n) => toText(n, web)).join("\n\n"),
        html: entry.notices.map((n) => toEmailHtml(n, web)).join("<hr>"),
      });
      return { kind: "sent" };
    } catch (err) {
      const d = this.diagnose(err);
      this.o.onFailure(d.code);
      const error = `send mail via ${this.o.email.smtp.host}: ${d.hint}`;
      if (
        d.code === "auth" &&
        entry.attempts + 1 < this.o.email.maxAuthAttempts
      ) {
        return { kind: "retry", error, code: d.code };
      }
      if (!d.retryable) return { kind: "dead", error, code: d.code };
      return { kind: "retry", error, code: d.code };
    }
  }

  /** Closes the pooled connection. */
  close(): void {
    this.transport.close();
  }
}
