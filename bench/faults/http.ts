/** One HTTP answer as the suite looks at it. */
export interface Got {
  status: number;
  text: string;
  json: unknown;
}

/**
 * GET or POST with a hard timeout. Never throws: a failed request is status
 * 0 with the error in `text`.
 */
export async function request(
  url: string,
  opts: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Got> {
  try {
    const res = await fetch(url, {
      method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
      headers:
        opts.body === undefined ? {} : { "content-type": "application/json" },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Prometheus text and HTML are not JSON: `text` carries them.
      json = undefined;
    }
    return { status: res.status, text, json };
  } catch (err) {
    return { status: 0, text: String((err as Error).message), json: undefined };
  }
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` every `everyMs` until it returns a value other than
 * undefined, or `timeoutMs` passed (then undefined). Bounded in time.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 250,
): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got !== undefined) return got;
    if (Date.now() >= until) return undefined;
    await sleep(everyMs);
  }
}
