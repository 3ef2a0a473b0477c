/**
 * Error classes, one per failure source. Each carries a stable `code` that
 * logs, metrics and tests can match on, and the original `cause`.
 * Messages say what was attempted, on what, and what happened; they never
 * contain tokens, passwords or chat ids.
 */
export class FarmwatchError extends Error {
  /** Stable machine-readable code, e.g. `FW_CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in the configuration, located by its key path. */
export interface ConfigProblem {
  /** Dotted key path, e.g. `exporter.pollIntervalSeconds`. */
  path: string;
  /** What the schema expected there. */
  expected: string;
  /** What the file or environment gave, shortened for display. */
  received: string;
}

/** The configuration could not be read or is invalid. */
export class ConfigError extends FarmwatchError {
  readonly problems: readonly ConfigProblem[];

  constructor(
    message: string,
    problems: readonly ConfigProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super("FW_CONFIG_INVALID", message, options);
    this.problems = problems;
  }
}

/** The Flamenco Manager answered, with an error status or unusable body. */
export class FlamencoApiError extends FarmwatchError {
  /** HTTP status of the answer; 200 when the body itself was unusable. */
  readonly status: number;
  /** Seconds the Manager asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: string,
    message: string,
    status: number,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(code, message, options);
    this.status = status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The Flamenco Manager could not be reached: refused, reset or timed out. */
export class FlamencoUnreachableError extends FarmwatchError {}

/** A notification could not be delivered (Telegram or e-mail). */
export class NotifyError extends FarmwatchError {
  /** Whether sending the same message again later may succeed. */
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.retryable = retryable;
  }
}
