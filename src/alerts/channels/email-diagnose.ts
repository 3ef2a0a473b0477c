/** What went wrong talking SMTP, in words an owner can act on. */
export interface SmtpDiagnosis {
  /** Stable code for metrics: `tls_mismatch`, `untrusted_cert`, ... */
  code: string;
  /** What to do about it. */
  hint: string;
  /** Whether sending again later may succeed as configured. */
  retryable: boolean;
}

interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * Diagnoses a nodemailer error from the transport settings: the
 * STARTTLS/implicit TLS port mix-up, an untrusted certificate, a rejected
 * login, a server that never answers.
 */
export function diagnoseSmtp(
  err: unknown,
  smtp: { port: number; secure: boolean; timeoutSeconds: number },
): SmtpDiagnosis {
  const e = err as SmtpErrorLike;
  const msg = e.message ?? String(err);
  if (
    /wrong version number|ssl3_get_record|packet length too long/i.test(msg)
  ) {
    return {
      code: "tls_mismatch",
      hint:
        `port ${smtp.port} speaks plain SMTP with STARTTLS: set ` +
        "secure: false (requireTLS: true)",
      retryable: false,
    };
  }
  if (/self[- ]signed|unable to verify|local issuer|certificate/i.test(msg)) {
    return {
      code: "untrusted_cert",
      hint:
        "untrusted certificate: give the server's CA in " +
        "alerts.email.smtp.caFile (certificate checks stay on)",
      retryable: false,
    };
  }
  if (e.code === "EAUTH" || e.responseCode === 535) {
    return {
      code: "auth",
      hint: `SMTP login rejected (${e.responseCode ?? "EAUTH"}): check user and password`,
      retryable: false,
    };
  }
  if (e.code === "ETIMEDOUT" || /timeout|greeting never/i.test(msg)) {
    const tls =
      !smtp.secure && smtp.port === 465
        ? "; port 465 expects implicit TLS: set secure: true"
        : "";
    return {
      code: "timeout",
      hint: `no answer within ${smtp.timeoutSeconds} s${tls}`,
      retryable: true,
    };
  }
  if (e.code === "ECONNECTION" || e.code === "ESOCKET" || e.code === "EDNS") {
    return {
      code: "connection",
      hint: `cannot connect: ${msg}`,
      retryable: true,
    };
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    return { code: String(e.responseCode), hint: msg, retryable: false };
  }
  return { code: e.code ?? "unknown", hint: msg, retryable: true };
}
