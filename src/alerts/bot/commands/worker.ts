import type { NodeSnapshot } from "../../../shared/views.js";
import type { CommandSpec } from "../env.js";
import { esc, fitLines } from "../html.js";
import { findWorkers, matchByName } from "../lookup.js";
import { nodeHealthLines } from "./node-health.js";
import { workerLine } from "./workers.js";

function nodeOf(
  nodes: ReadonlyMap<string, NodeSnapshot>,
  name: string,
): NodeSnapshot | undefined {
  const list = [...nodes.values()].map((n) => ({
    ...n,
    id: n.node,
    name: n.node,
  }));
  const found = matchByName(list, name);
  return found.length === 1 ? nodes.get(found[0]!.node) : undefined;
}

/** `/worker <name>`: state, task, and the node's health from its agent. */
export const workerCommand: CommandSpec = {
  command: "worker",
  description: "One worker and its node: /worker <name>",
  admin: false,
  async run(env, req) {
    if (req.args === "") return { text: "Usage: /worker &lt;name&gt;" };
    const workers = findWorkers(env, req.args);
    if (workers.length > 1) {
      const names = workers.slice(0, 10).map((w) => esc(w.name));
      return { text: `${workers.length} workers match: ${names.join(", ")}` };
    }
    const worker = workers[0];
    const node = nodeOf(env.deps.nodes(), worker?.name ?? req.args);
    if (worker === undefined && node === undefined) {
      return { text: `No worker or node matches <b>${esc(req.args)}</b>.` };
    }
    const lines: string[] = [];
    if (worker !== undefined) {
      lines.push(workerLine(worker));
      const extra = [worker.version, worker.platform].filter(Boolean);
      if (extra.length > 0) lines.push(extra.map((e) => esc(e)).join(" · "));
      lines.push(
        `Tasks: ${worker.tasksCompleted} done, ${worker.tasksFailed} failed`,
      );
    }
    lines.push(
      ...(node !== undefined
        ? nodeHealthLines(node, env.now())
        : ["No agent data for this node."]),
    );
    return { text: fitLines(lines) };
  },
};
