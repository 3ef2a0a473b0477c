import { describe, expect, it } from "vitest";
import { redactConfig } from "../../../src/shared/config/load.js";
import { ConfigSchema } from "../../../src/shared/config/schema.js";

describe("bot config", () => {
  it("redacts the webhook secret token when the config is shown", () => {
    const config = ConfigSchema.parse({
      alerts: { bot: { webhook: { secretToken: "s3cret-token" } } },
    });
    expect(JSON.stringify(redactConfig(config))).not.toContain("s3cret");
  });

  it("refuses a user id that is not an integer", () => {
    const parsed = ConfigSchema.safeParse({
      alerts: { bot: { adminUserIds: ["@anna"] } },
    });
    expect(parsed.success).toBe(false);
  });
});
