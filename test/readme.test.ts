import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../src/shared/config/load.js";
import { ConfigSchema } from "../src/shared/config/schema.js";

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("README", () => {
  it("shows the two set-up commands and the test command", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });

  it("has only configuration examples that the schema accepts", () => {
    const blocks = yamlBlocks(readFileSync("README.md", "utf8"));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const result = ConfigSchema.safeParse(parseConfigText(block, "README"));
      expect(result.error?.issues ?? []).toEqual([]);
    }
  });
});
