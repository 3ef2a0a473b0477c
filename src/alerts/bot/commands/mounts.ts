import type { CommandSpec } from "../env.js";
import { esc, fitLines } from "../html.js";
import { mountLine } from "./node-health.js";

/** `/mounts`: the shared storage on every node, problems first. */
export const mountsCommand: CommandSpec = {
  command: "mounts",
  description: "Shared storage on every node",
  admin: false,
  async run(env) {
    const nodes = [...env.deps.nodes().values()];
    if (nodes.length === 0) return { text: "No agent data yet." };
    const bad: string[] = [];
    let ok = 0;
    for (const node of nodes) {
      for (const m of node.mounts) {
        if (m.state === "ok") ok += 1;
        else bad.push(`<b>${esc(node.node)}</b> ${mountLine(m)}`);
      }
    }
    const summary =
      bad.length === 0
        ? `🟢 All ${ok} mount(s) ok on ${nodes.length} node(s).`
        : `🔴 ${bad.length} mount(s) in trouble, ${ok} ok.`;
    return { text: fitLines([summary, ...bad]) };
  },
};
