import { z } from "zod";

/** Where a part's HTTP server listens. */
export function listenSchema(defaultHost: string, defaultPort: number) {
  return z
    .strictObject({
      host: z
        .string()
        .min(1)
        .default(defaultHost)
        .describe("Address to listen on; 0.0.0.0 for every interface."),
      port: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .default(defaultPort)
        .describe("TCP port; 0 picks a free one."),
    })
    .prefault({})
    .describe("HTTP server of this part.");
}

/** Seconds as a positive number, described with its meaning. */
export function seconds(defaultValue: number, description: string) {
  return z.number().positive().default(defaultValue).describe(description);
}
