import { describe, expect, it } from "vitest";
import {
  exporterDown,
  farmInoperative,
  managerDown,
  workersVanished,
} from "../../../src/alerts/rules/farm.js";
import { farm, node, nodes, ruleInput, worker } from "../fixtures.js";

describe("farm rules", () => {
  it("fires FarmwatchExporterDown when the farm view is missing", () => {
    const c = exporterDown(ruleInput({ farm: undefined, farmError: "x" }));
    expect(c.map((x) => x.name)).toEqual(["FarmwatchExporterDown"]);
  });

  it("stays silent about the exporter when the farm view arrived", () => {
    expect(exporterDown(ruleInput())).toEqual([]);
  });

  it("fires FlamencoManagerDown when the exporter reports up false", () => {
    const f = farm({ up: false, lastError: { code: "x", message: "503" } });
    expect(managerDown(ruleInput({ farm: f })).map((x) => x.name)).toEqual([
      "FlamencoManagerDown",
    ]);
  });

  it("waits out a Manager that is only busy (503) for under five minutes", () => {
    const busy = (ageSeconds: number) =>
      managerDown(
        ruleInput({
          farm: farm({ up: false, stale: true, busy: true, ageSeconds }),
        }),
      ).map((x) => x.name);
    expect([busy(299), busy(300)]).toEqual([[], ["FlamencoManagerDown"]]);
  });

  it("stays silent about the Manager while the exporter reaches it", () => {
    expect(managerDown(ruleInput())).toEqual([]);
  });

  it("fires FlamencoFarmInoperative for farm status inoperative", () => {
    const f = farm({ farmStatus: "inoperative" });
    expect(farmInoperative(ruleInput({ farm: f }))).toHaveLength(1);
  });

  it("stays silent for an active farm", () => {
    expect(farmInoperative(ruleInput())).toEqual([]);
  });

  it("alerts when the worker list empties while their agents still answer", () => {
    const six = Array.from({ length: 6 }, (_, i) =>
      worker({ name: `render-0${i + 1}` }),
    );
    const memory = {};
    const n = nodes(node({ node: "render-01" }));
    expect(
      workersVanished(
        ruleInput({ farm: farm({ workers: six }), memory, nodes: n }),
      ),
    ).toEqual([]);
    const after = workersVanished(
      ruleInput({ farm: farm({ workers: [] }), memory, nodes: n }),
    );
    expect(after.map((c) => [c.name, c.value])).toEqual([
      ["FlamencoWorkersVanished", 6],
    ]);
  });

  it("does not call an empty farm vanished when it never had workers", () => {
    const c = workersVanished(ruleInput({ farm: farm({ workers: [] }) }));
    expect(c).toEqual([]);
  });
});
