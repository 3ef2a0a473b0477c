import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

/** A compiled copy of farmwatch in a temp dir, and how to run the agent. */
export interface AgentBuild {
  dir: string;
  /** Arguments for `node` that start the agent with `agentConfig`. */
  agentArgs(agentConfig: Record<string, unknown>): string[];
}

const RUNNER = `
import { startAgent } from "./dist/agent/index.js";
import { ConfigSchema } from "./dist/shared/config/schema.js";
import { createLogger } from "./dist/shared/logger.js";
const config = ConfigSchema.parse({ agent: JSON.parse(process.argv[2]) });
await startAgent({ config, logger: createLogger({ level: "error" }) });
`;

/**
 * Compiles src with tsc into a temp dir (so the measured agent runs plain
 * JavaScript, as installed, without a TypeScript loader in memory).
 */
export function buildAgent(repo: string): AgentBuild {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fw-bench-agent-"));
  const r = spawnSync(
    process.execPath,
    [
      path.join(repo, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      path.join(repo, "tsconfig.build.json"),
      "--outDir",
      path.join(dir, "dist"),
      "--incremental",
      "false",
      "--sourceMap",
      "false",
    ],
    { encoding: "utf8", timeout: 180_000 },
  );
  if (!existsSync(path.join(dir, "dist", "agent", "index.js"))) {
    throw new Error(`build the agent for the bench: ${r.stdout}${r.stderr}`);
  }
  copyFileSync(path.join(repo, "package.json"), path.join(dir, "package.json"));
  symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
  writeFileSync(path.join(dir, "run-agent.mjs"), RUNNER);
  return {
    dir,
    agentArgs: (agentConfig) => [
      path.join(dir, "run-agent.mjs"),
      JSON.stringify(agentConfig),
    ],
  };
}
