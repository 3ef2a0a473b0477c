import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/shared/config/schema.js";

describe("alerts config", () => {
  it("rejects a quiet-hours pattern node-cron cannot read", () => {
    const r = ConfigSchema.safeParse({
      alerts: { quietHours: [{ cron: "at night" }] },
    });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["alerts.quietHours.0.cron", "a 5-field cron pattern"],
    ]);
  });

  it("gives every built-in rule a for, a severity and an on switch by default", () => {
    const rules = ConfigSchema.parse({}).alerts.rules as Record<
      string,
      { forSeconds: number; severity: string; enabled: boolean }
    >;
    expect(
      Object.values(rules).every(
        (r) => r.enabled && r.forSeconds >= 0 && r.severity !== undefined,
      ),
    ).toBe(true);
  });

  it("rejects an unknown rule name", () => {
    const r = ConfigSchema.safeParse({
      alerts: { rules: { FlamencoWorkerStuck: {} } },
    });
    expect(r.success).toBe(false);
  });
});
