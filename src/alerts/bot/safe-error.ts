/**
 * grammY's errors can carry the request URL, and with it the bot token,
 * in a nested cause. Everything logged about a Telegram failure goes
 * through {@link safeError} first.
 */

/** A loggable summary of `err` with every occurrence of `token` removed. */
export function safeError(
  err: unknown,
  token: string,
): { type: string; message: string; code?: string | number } {
  const e = err as {
    name?: string;
    message?: string;
    error_code?: number;
    code?: string;
    error?: { message?: string; code?: string };
  };
  const parts = [e.message ?? String(err)];
  if (e.error?.message !== undefined) parts.push(e.error.message);
  const clean = (s: string) =>
    token === "" ? s : s.split(token).join("[token]");
  const out: { type: string; message: string; code?: string | number } = {
    type: e.name ?? "Error",
    message: clean(parts.join(": ")),
  };
  const code = e.error_code ?? e.code ?? e.error?.code;
  if (code !== undefined) out.code = code;
  return out;
}
