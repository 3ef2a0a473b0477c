import { readFileSync } from "node:fs";
import { ConfigError } from "../shared/errors.js";
import { loadConfig, redactConfig } from "../shared/config/load.js";
import type { Config } from "../shared/config/schema.js";
import { renderExampleConfig } from "../shared/config/example.js";
import { createLogger, type Logger } from "../shared/logger.js";
import { numberFlag, parseArgs, UsageError, type ParsedArgs } from "./args.js";
import { Supervisor } from "./supervise.js";

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or invalid config. */
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

interface Command {
  summary: string;
  run(args: ParsedArgs): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  agent: {
    summary: "run the node agent (every node)",
    run: (args) => serve(args, ["agent"]),
  },
  exporter: {
    summary: "run the Flamenco exporter (beside the Manager)",
    run: (args) => serve(args, ["exporter"]),
  },
  alerts: {
    summary: "run the alerts part and its Telegram bot",
    run: (args) => serve(args, ["alerts"]),
  },
  all: {
    summary: "run agent, exporter and alerts in one process",
    run: (args) => serve(args, ["agent", "exporter", "alerts"]),
  },
  sim: {
    summary: "run the simulated Flamenco Manager",
    run: (args) => serve(args, ["sim"]),
  },
  "check-config": {
    summary: "validate the config and print it, secrets redacted",
    run: checkConfig,
  },
  "example-config": {
    summary: "print a documented config with every key and default",
    run: async () => {
      process.stdout.write(renderExampleConfig());
      return EXIT_OK;
    },
  },
  install: {
    summary: "install systemd units for a role (--dry-run to preview)",
    run: async (args) =>
      (await import("../deploy/install.js")).runInstall(args),
  },
  uninstall: {
    summary: "remove what install put in place",
    run: async (args) =>
      (await import("../deploy/install.js")).runUninstall(args),
  },
  doctor: {
    summary: "check this node the way an owner would, and explain",
    run: async (args) => (await import("../deploy/doctor.js")).runDoctor(args),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return [
    "usage: farmwatch <command> [--config FILE] [options]",
    "",
    "commands:",
    ...lines,
    "",
    "options:",
    "  --config FILE   config file (default $FARMWATCH_CONFIG, ./farmwatch.yaml)",
    "  --help          show this help",
    "  --version       show the version",
    "  sim: --workers N --jobs N --speed X --seed N",
    "  install <role>: --manager-url URL --mount DIR[,DIR] --uid N",
    "                  --root DIR --dry-run  (role: agent|exporter|alerts|all)",
    "  uninstall <role>: --purge --root DIR --dry-run",
    "  doctor: --manager-url URL --blender-version V --timeout S",
    "          --skip CHECK[,CHECK] --mountinfo FILE",
    "",
    "exit codes: 0 ok, 1 runtime failure, 2 usage or invalid config",
  ].join("\n");
}

/** The package version, read from package.json next to the build. */
export function packageVersion(): string {
  const url = new URL("../../package.json", import.meta.url);
  const pkg = JSON.parse(readFileSync(url, "utf8")) as { version: string };
  return pkg.version;
}

/** Loads config, applying `sim` flags; throws ConfigError or UsageError. */
export function configFromArgs(args: ParsedArgs): Config {
  const { config } = loadConfig({ configFlag: args.configFlag });
  const sim = {
    workers: numberFlag(args.flags, "workers"),
    jobs: numberFlag(args.flags, "jobs"),
    speed: numberFlag(args.flags, "speed"),
    seed: numberFlag(args.flags, "seed"),
  };
  const given = Object.fromEntries(
    Object.entries(sim).filter(([, v]) => v !== undefined),
  );
  if (Object.keys(given).length === 0) return config;
  return Object.freeze({
    ...config,
    sim: Object.freeze({ ...config.sim, ...given }),
  });
}

async function checkConfig(args: ParsedArgs): Promise<number> {
  const config = configFromArgs(args);
  process.stdout.write(JSON.stringify(redactConfig(config), null, 2) + "\n");
  return EXIT_OK;
}

async function serve(args: ParsedArgs, parts: string[]): Promise<number> {
  const config = configFromArgs(args);
  const logger = createLogger({ level: config.log.level });
  const supervisor = new Supervisor({
    parts,
    logger,
    load: () => configFromArgs(args),
  });
  try {
    await supervisor.start(config);
  } catch (err) {
    logger.fatal({ err }, "start failed");
    logger.flush();
    return EXIT_RUNTIME;
  }
  return waitForSignal(logger, supervisor);
}

/**
 * SIGINT and SIGTERM stop the parts and end the process; SIGHUP reloads
 * the config (systemd's `ExecReload=`), refusing an invalid one.
 */
function waitForSignal(
  logger: Logger,
  supervisor: Supervisor,
): Promise<number> {
  const reload = () => {
    logger.info({ signal: "SIGHUP" }, "reloading config");
    void supervisor.reload();
  };
  process.on("SIGHUP", reload);
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGHUP", reload);
      logger.info({ signal }, "stopping");
      void supervisor.stop().then((clean) => {
        logger.info("stopped");
        logger.flush();
        resolve(clean ? EXIT_OK : EXIT_RUNTIME);
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`farmwatch: ${(err as Error).message}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (args.version) {
    console.log(packageVersion());
    return EXIT_OK;
  }
  const command =
    args.command === undefined ? undefined : COMMANDS[args.command];
  if (args.help || command === undefined) {
    if (args.command !== undefined && command === undefined) {
      console.error(`farmwatch: unknown command "${args.command}"\n`);
    }
    (command === undefined && !args.help ? console.error : console.log)(
      usage(),
    );
    return args.help ? EXIT_OK : EXIT_USAGE;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`farmwatch: ${err.message}`);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      console.error(`farmwatch: ${err.message}\n\n${usage()}`);
      return EXIT_USAGE;
    }
    console.error(`farmwatch: ${(err as Error).stack ?? String(err)}`);
    return EXIT_RUNTIME;
  }
}
