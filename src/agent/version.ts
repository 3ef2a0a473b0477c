import { readFileSync } from "node:fs";

/** farmwatch's version from package.json, read once at start. */
export const AGENT_VERSION: string = (
  JSON.parse(
    readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
  ) as { version: string }
).version;
