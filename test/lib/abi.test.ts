// The committed ABIs in lib/abi must match the contracts just compiled.
import { readFileSync } from "node:fs";

import { expect } from "chai";

import { ABI_SOURCES, ABI_SUBSETS, abiFileName, renderAbiModule } from "../../scripts/export-abi.js";

describe("lib/abi", function () {
  for (const [name, path] of Object.entries(ABI_SOURCES)) {
    it(`${name} matches artifacts/contracts/${path} (run \`npm run abi\` after changing a contract)`, function () {
      expect(readFileSync(abiFileName(name), "utf8")).to.equal(renderAbiModule(name, path));
    });
  }
  for (const [name, { source, ...subset }] of Object.entries(ABI_SUBSETS)) {
    it(`${name} is ${subset.names.join(", ")}${subset.everyError ? " and every error" : ""} of artifacts/contracts/${source}`, function () {
      expect(readFileSync(abiFileName(name), "utf8")).to.equal(renderAbiModule(name, source, subset));
    });
  }
});
