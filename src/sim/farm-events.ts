import { EventEmitter } from "node:events";
import type {
  EventJobUpdate,
  EventTaskUpdate,
  EventWorkerUpdate,
} from "../shared/flamenco/types.js";

/** Event names and payloads of {@link FarmEvents}. */
export interface FarmEventMap {
  /** A job changed: the Manager's `/jobs` SocketIO room message. */
  job: [EventJobUpdate];
  /** A task changed: message of the job's task room. */
  task: [EventTaskUpdate];
  /** A worker changed: the `/workers` room message. */
  worker: [EventWorkerUpdate];
}

/**
 * Spec-shaped change events of the farm, emitted synchronously on every
 * change, in the order the real Manager broadcasts them. A transport
 * (Socket.IO, MQTT) subscribes here.
 */
export class FarmEvents extends EventEmitter<FarmEventMap> {}
