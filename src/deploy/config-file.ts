import { parseDocument } from "yaml";
import { renderExampleConfig } from "../shared/config/example.js";
import { parseConfigText } from "../shared/config/load.js";
import { ConfigSchema } from "../shared/config/schema.js";
import { STATE_DIR } from "./paths.js";

/** Settings that `farmwatch install` puts into a new config file. */
export interface NodeSettings {
  /** The Manager's base URL, e.g. `http://manager:8080`. */
  managerUrl: string;
  /** Shares the agent probes, e.g. `/mnt/render`. */
  mounts: readonly string[];
}

/**
 * The documented example config with this node's settings filled in, the
 * agent's write canary on when shares are given, and alert state under
 * {@link STATE_DIR}. Every role reads the same file, so
 * one file serves `install all` and a later `install exporter` alike.
 * Throws ConfigError when the settings do not validate.
 */
export function renderNodeConfig(settings: NodeSettings): string {
  const doc = parseDocument(renderExampleConfig());
  doc.setIn(["manager", "url"], settings.managerUrl);
  doc.setIn(["agent", "mounts"], doc.createNode([...settings.mounts]));
  // Only a write proves a share writable; the unit opens these for it.
  if (settings.mounts.length > 0) {
    doc.setIn(["agent", "mountProbe", "canaryWriteEnabled"], true);
  }
  doc.setIn(["alerts", "stateDir"], STATE_DIR);
  const text = doc.toString();
  const parsed = ConfigSchema.safeParse(parseConfigText(text, "new config"));
  if (!parsed.success) {
    throw new Error(
      `render config: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
    );
  }
  return text;
}
