import { FlamencoApiError } from "../../shared/errors.js";
import { FlamencoClient } from "../../shared/flamenco/client.js";
import {
  problem,
  type CheckResult,
  type DoctorInputs,
  type Findings,
} from "./check.js";

/** `Blender 4.2.1 LTS` -> `4.2.1`; undefined when there is none. */
export function blenderVersionIn(text: string): string | undefined {
  return /Blender\s+v?(\d+\.\d+(?:\.\d+)?)/i.exec(text)?.[1];
}

/** A client bounded by the doctor's timeout; close it when done. */
export function managerClient(
  inputs: DoctorInputs,
  url: string,
): FlamencoClient {
  return new FlamencoClient({
    baseUrl: url,
    timeoutSeconds:
      inputs.timeoutSeconds ?? inputs.config.manager.requestTimeoutSeconds,
    maxConcurrentRequests: 1,
  });
}

/**
 * `GET /api/v3/version` on the Manager, as the agent and exporter would
 * reach it (over the tailnet when manager.url names a tailnet host).
 */
export async function checkManager(
  client: FlamencoClient | undefined,
  found: Findings,
): Promise<CheckResult> {
  if (client === undefined) {
    return problem(
      "manager",
      "no Manager URL: manager.url is not set in the config",
      "set manager.url to the Manager's address as this node reaches it, " +
        "e.g. http://manager:8080 (its Tailscale name), or pass --manager-url",
    );
  }
  try {
    const { body } = await client.getVersion();
    found.managerReachable = true;
    return {
      name: "manager",
      status: "ok",
      summary:
        `Flamenco Manager ${body.version} ("${body.name}") ` +
        `answers at ${client.baseUrl}`,
    };
  } catch (err) {
    found.managerReachable = false;
    return managerFailure(client.baseUrl, err);
  }
}

function managerFailure(url: string, err: unknown): CheckResult {
  if (err instanceof FlamencoApiError) {
    return problem(
      "manager",
      `${url} answered ${err.status} to GET /api/v3/version: ` +
        "not a Flamenco Manager, or the wrong port",
      "check manager.url: the Manager's web interface address, " +
        "normally port 8080",
    );
  }
  const host = new URL(url).hostname;
  return problem(
    "manager",
    `cannot reach the Manager: ${(err as Error).message}`,
    `check that Flamenco Manager runs on ${host} and that this node ` +
      `reaches it over Tailscale: \`tailscale ping ${host}\`, then ` +
      `\`curl ${url}/api/v3/version\``,
  );
}

interface StorageAnswer {
  location?: unknown;
  storageLocation?: unknown;
}

/**
 * The shared storage path as Linux workers see it (two-way variables
 * applied); Managers without that endpoint give their own path from
 * `GET /api/v3/configuration`.
 */
export async function fetchStorageLocation(
  client: FlamencoClient,
): Promise<string | undefined> {
  const paths = [
    "/api/v3/configuration/shared-storage/workers/linux",
    "/api/v3/configuration",
  ];
  for (const path of paths) {
    try {
      const { body } = await client.call<StorageAnswer>("GET", path);
      const value = body?.location ?? body?.storageLocation;
      if (typeof value === "string" && value !== "") return value;
    } catch (err) {
      if (!(err instanceof FlamencoApiError)) throw err;
      // An older Manager lacks the first endpoint; try the next one.
    }
  }
  return undefined;
}

interface BlenderFound {
  is_usable?: unknown;
  cause?: unknown;
}

/**
 * The farm's Blender version: `--blender-version`, else the one the
 * Manager finds (`GET /api/v3/configuration/check/blender`, whose `cause`
 * names the version of a usable Blender).
 */
export async function fetchFarmBlender(
  inputs: DoctorInputs,
  client: FlamencoClient | undefined,
): Promise<Findings["farmBlender"]> {
  if (inputs.blenderVersion !== undefined) {
    return { version: inputs.blenderVersion, source: "--blender-version" };
  }
  if (client === undefined) return undefined;
  try {
    const path = "/api/v3/configuration/check/blender";
    const { body } = await client.call<BlenderFound[]>("GET", path);
    for (const found of Array.isArray(body) ? body : []) {
      if (found.is_usable !== true || typeof found.cause !== "string") continue;
      const version = blenderVersionIn(found.cause);
      if (version) return { version, source: "the Manager" };
    }
  } catch (err) {
    if (!(err instanceof FlamencoApiError)) throw err;
    // The Manager has no usable Blender to report; the flag can say.
  }
  return undefined;
}
