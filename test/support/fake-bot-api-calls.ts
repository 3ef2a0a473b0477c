/**
 * The fake Bot API's log of requests, and waiting for one: a test pushes
 * an update, then waits for the bot's call instead of sleeping.
 */
import { EventEmitter } from "node:events";

/** One request the fake received. */
export interface CallRecord {
  method: string;
  params: Record<string, unknown>;
  /** Fake-clock ms when it arrived. */
  at: number;
  /** HTTP status answered; 0 while pending and for `hang`/`reset`. */
  status: number;
}

/** Options of {@link CallLog.waitFor}. */
export interface WaitOptions {
  /** Only calls at this index or later; default 0. */
  from?: number;
  where?: (call: CallRecord) => boolean;
  /** Match once the request is read, before it is answered. */
  arrived?: boolean;
  /** Safety net: reject after this long; default 10 000. */
  timeoutMs?: number;
}

/** Every request in order, with events when one is read or answered. */
export class CallLog {
  readonly calls: CallRecord[] = [];
  private readonly events = new EventEmitter();
  private readonly answered = new WeakSet<CallRecord>();
  private readonly read = new WeakSet<CallRecord>();

  constructor() {
    this.events.setMaxListeners(100);
  }

  /** Records a request as it starts; returns its record. */
  start(method: string, at: number): CallRecord {
    const record: CallRecord = { method, params: {}, at, status: 0 };
    this.calls.push(record);
    return record;
  }

  /** Marks the record's parameters as read. */
  markRead(record: CallRecord): void {
    this.read.add(record);
    this.events.emit("read", record);
  }

  /** Marks the record as handled with `status`. */
  markAnswered(record: CallRecord, status: number): void {
    record.status = status;
    this.answered.add(record);
    this.events.emit("answered", record);
  }

  /** Resolves with the first call of `method` matching `opts`. */
  waitFor(method: string, opts: WaitOptions = {}): Promise<CallRecord> {
    const seen = opts.arrived ? this.read : this.answered;
    const event = opts.arrived ? "read" : "answered";
    const matches = (c: CallRecord) =>
      this.calls.indexOf(c) >= (opts.from ?? 0) &&
      seen.has(c) &&
      c.method.toLowerCase() === method.toLowerCase() &&
      (opts.where?.(c) ?? true);
    const found = this.calls.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (c: CallRecord) => {
        if (!matches(c)) return;
        clearTimeout(timer);
        this.events.off(event, onCall);
        resolve(c);
      };
      // A safety net so a broken bot fails the test instead of hanging it.
      const timer = setTimeout(() => {
        this.events.off(event, onCall);
        reject(new Error(`fake Bot API: no ${method} call arrived`));
      }, opts.timeoutMs ?? 10_000);
      this.events.on(event, onCall);
    });
  }
}
