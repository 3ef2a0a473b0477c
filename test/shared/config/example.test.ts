import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderExampleConfig } from "../../../src/shared/config/example.js";
import { ConfigSchema } from "../../../src/shared/config/schema.js";
import { parseConfigText } from "../../../src/shared/config/load.js";

describe("farmwatch.example.yaml", () => {
  it("is exactly what the schema generates (run npm run gen:example)", () => {
    const committed = readFileSync("farmwatch.example.yaml", "utf8");
    expect(committed).toBe(renderExampleConfig());
  });

  it("is itself a valid config equal to the defaults", () => {
    const parsed = ConfigSchema.parse(
      parseConfigText(renderExampleConfig(), "example"),
    );
    expect(parsed).toEqual(ConfigSchema.parse({}));
  });
});
