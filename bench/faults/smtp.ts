import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** How the loopback SMTP server treats the next connections. */
export type SmtpMode = "accept" | "refuse" | "timeout";

/** One mail as received, decoded enough to read notice titles. */
export interface ReceivedMail {
  subject: string;
  text: string;
  /** The Message-ID header: the same id twice is the same mail resent. */
  messageId?: string;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 without TLS or auth: an
 * inbox for the alerts part. `refuse` answers every MAIL FROM with a
 * temporary 451; `timeout` never sends the greeting.
 */
export class SmtpInbox {
  readonly mails: ReceivedMail[] = [];
  mode: SmtpMode = "accept";
  port = 0;
  private readonly server: SMTPServer;

  constructor() {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onConnect: (_session, callback) => {
        // A server that accepted the TCP connection and then says nothing.
        if (this.mode === "timeout") return;
        callback();
      },
      onMailFrom: (_address, _session, callback) => {
        if (this.mode === "refuse") {
          const err = new Error("mailbox busy, try again later") as Error & {
            responseCode: number;
          };
          err.responseCode = 451;
          callback(err);
          return;
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          this.mails.push(parseMail(Buffer.concat(chunks).toString("utf8")));
          callback();
        });
      },
    });
    this.server.on("error", () => {
      // A client dropping its connection mid-session is part of the faults.
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.listen(0, "127.0.0.1", resolve),
    );
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function decodeWords(s: string): string {
  return s.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g,
    (_m, _cs: string, enc: string, data: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQp(data.replace(/_/g, " ")),
  );
}

function decodeQp(s: string): string {
  const soft = s.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function header(head: string, name: string): string | undefined {
  const re = new RegExp(
    `^${name}:([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`,
    "im",
  );
  return re
    .exec(head)?.[1]
    ?.replace(/\r?\n[ \t]/g, " ")
    .trim();
}

/** Splits a MIME message into its text/plain body and subject. */
export function parseMail(raw: string): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const subject = decodeWords(header(head, "subject") ?? "");
  const messageId = header(head, "message-id");
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const plain = parts.find((p) => /content-type:\s*text\/plain/i.test(p));
  if (plain === undefined) return { subject, text: "", messageId };
  const at = plain.search(/\r?\n\r?\n/);
  const partHead = plain.slice(0, at);
  const body = plain.slice(at).trim();
  const enc = header(partHead, "content-transfer-encoding")?.toLowerCase();
  const text =
    enc === "base64"
      ? Buffer.from(body, "base64").toString("utf8")
      : enc === "quoted-printable"
        ? decodeQp(body)
        : body;
  return { subject, text, messageId };
}
