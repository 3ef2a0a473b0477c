import { z } from "zod";
import { seconds } from "./common.js";

export const ManagerSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        "Base URL of the Flamenco Manager, e.g. http://manager:8080. " +
          "Unset: farmwatch runs its simulated demo farm.",
      ),
    requestTimeoutSeconds: seconds(
      5,
      "Give up on one Manager request after this many seconds.",
    ),
  })
  .prefault({})
  .describe("The Flamenco Manager, used by the exporter and the bot.");
