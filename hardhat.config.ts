import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// No compiler downloads on these machines: solc comes from the `solc` npm package, whose
// version is pinned to this one in package.json.
const SOLC_VERSION = "0.8.30";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      // viaIR keeps EventTicket well under the 24,576-byte limit and lowers gas.
      viaIR: true,
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "prague",
      // EventTicket and EventTicketManager share one storage; a test compares their layouts.
      outputSelection: { "*": { "*": ["storageLayout"] } },
    },
  },
  paths: {
    tests: { mocha: "test", solidity: "test/fuzz" },
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 40, failOnRevert: false },
    },
  },
});
