import { main } from "./main.js";

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Parts close their handles on stop; this only ends a process that some
// library keeps alive past that, and never delays a clean exit.
setTimeout(() => process.exit(code), 3000).unref();
