import { describe, expect, it } from "vitest";
import { createAgentRegistry, SampleStore } from "../../src/agent/registry.js";

describe("createAgentRegistry", () => {
  it("shows no series for a metric without samples, not a 0", async () => {
    const store = new SampleStore();
    const text = await createAgentRegistry(store).metrics();
    expect(text).not.toMatch(/^farmwatch_node_cpu_utilization_ratio /m);
    expect(text).toContain("# TYPE farmwatch_node_cpu_utilization_ratio gauge");
  });

  it("types names ending in _total as counters", async () => {
    const store = new SampleStore();
    store.set("x", [
      {
        name: "farmwatch_gpu_field_parse_errors_total",
        labels: { field: "fan.speed" },
        value: 3,
      },
    ]);
    const text = await createAgentRegistry(store).metrics();
    expect(text).toContain(
      "# TYPE farmwatch_gpu_field_parse_errors_total counter",
    );
    expect(text).toContain(
      'farmwatch_gpu_field_parse_errors_total{field="fan.speed"} 3',
    );
  });

  it("replaces an owner's samples as a whole", async () => {
    const store = new SampleStore();
    store.set("host", [{ name: "farmwatch_node_load1", value: 1 }]);
    store.set("host", []);
    const text = await createAgentRegistry(store).metrics();
    expect(text).not.toMatch(/^farmwatch_node_load1 /m);
  });
});

describe("SampleStore", () => {
  it("refuses a metric name that is not in the catalogue", () => {
    const store = new SampleStore();
    expect(() =>
      store.set("x", [{ name: "farmwatch_nope", value: 1 }]),
    ).toThrow("agent metric farmwatch_nope is not in the catalogue");
  });
});
