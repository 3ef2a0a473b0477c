import { fuzzConfig } from "./fuzz-config.js";
import { fuzzParsers } from "./fuzz-parsers.js";
import type { FaultResult } from "./report.js";

/** A fault that needs no running farm. */
export interface StandaloneFault {
  name: string;
  run(): Promise<FaultResult>;
}

/** Bad-input fuzzing: config loader and Manager answer parsers. */
export const FUZZ_FAULTS: readonly StandaloneFault[] = [
  { name: "fuzz config loader, schema", run: () => fuzzConfig("schema") },
  { name: "fuzz config loader, text", run: () => fuzzConfig("text") },
  { name: "fuzz Manager answer parsers", run: fuzzParsers },
];
