// Run inside a test's network namespace: prints what the agent's
// interface reader sees for the Tailscale address given as argument.
import {
  findInterfaceName,
  listAddresses,
  readInterface,
} from "../../src/agent/net-interface.js";

const address = process.argv[2] ?? "";
const byInterface = listAddresses();
const name = findInterfaceName([address], byInterface, "tailscale0");
const state = await readInterface("/sys", name, byInterface);
process.stdout.write(JSON.stringify(state));
