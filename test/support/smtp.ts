/**
 * Real SMTP servers on loopback for e-mail tests (the smtp-server package),
 * and a private CA made with `openssl` at test time.
 *
 * `startSmtp({ tls: "starttls" | "implicit" | "none", users?, cert? })`
 * listens on 127.0.0.1, port 0, and collects every accepted message's raw
 * text in `messages`. `startSilentServer()` accepts TCP connections and
 * never greets (the blackholed or wrong-port server). `makeCa(dir)` writes
 * a CA and a server certificate for 127.0.0.1/localhost signed by it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

/** PEM files of a test CA and a server certificate it signed. */
export interface TestCa {
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

/** Makes a CA and a server certificate for 127.0.0.1 in `dir`. */
export function makeCa(dir: string): TestCa {
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) =>
    execFileSync("openssl", args, { stdio: "pipe" });
  run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=farmwatch test CA",
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
  ]);
  run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
  ]);
  const ext = f("ext.cnf");
  execFileSync("sh", [
    "-c",
    `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${ext}'`,
  ]);
  run([
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    ext,
    "-out",
    f("server.pem"),
  ]);
  return {
    caFile: f("ca.pem"),
    key: readFileSync(f("server.key")),
    cert: readFileSync(f("server.pem")),
  };
}

/** A running SMTP server. */
export interface TestSmtp {
  port: number;
  /** Raw messages accepted, in order. */
  messages: string[];
  close(): Promise<void>;
}

/** Options of {@link startSmtp}. */
export interface SmtpOptions {
  /** `starttls`: plain with STARTTLS; `implicit`: TLS from the first byte. */
  tls: "starttls" | "implicit" | "none";
  /** Accepted logins; empty or unset: no auth. */
  users?: Record<string, string>;
  ca?: TestCa;
}

/** Starts an SMTP server on 127.0.0.1, port 0. */
export async function startSmtp(o: SmtpOptions): Promise<TestSmtp> {
  const messages: string[] = [];
  const users = o.users ?? {};
  const auth = Object.keys(users).length > 0;
  const server = new SMTPServer({
    secure: o.tls === "implicit",
    key: o.ca?.key,
    cert: o.ca?.cert,
    disabledCommands: [
      ...(auth ? [] : ["AUTH"]),
      ...(o.tls === "none" ? ["STARTTLS"] : []),
    ],
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(a, _s, cb) {
      if (a.username !== undefined && users[a.username] === a.password) {
        cb(null, { user: a.username });
      } else {
        const err = new Error("Invalid username or password") as Error & {
          responseCode: number;
        };
        err.responseCode = 535;
        cb(err);
      }
    },
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push(Buffer.concat(chunks).toString("utf8"));
        cb();
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A TCP server that accepts and never says a word. */
export async function startSilentServer(): Promise<{
  port: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
