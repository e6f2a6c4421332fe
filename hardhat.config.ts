import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// No compiler downloads on these machines: solc comes from the `solc` npm package, whose
// version is pinned to this one in package.json.
const SOLC_VERSION = "0.8.30";

/**
 * A public network: its RPC URL and the deployer's key are configuration variables, read from
 * Hardhat's keystore (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`) or the environment, and
 * only when a task uses that network. Nothing secret is in the repository.
 */
const publicNetwork = (chainId: number, rpcVariable: string, chainType: "l1" | "op" = "l1") => ({
  type: "http" as const,
  chainType,
  chainId,
  url: configVariable(rpcVariable),
  accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
});

const SOLC_SETTINGS = {
  // viaIR keeps EventTicket well under the 24,576-byte limit and lowers gas.
  viaIR: true,
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "prague",
  // EventTicket and EventTicketManager share one storage; a test compares their layouts.
  outputSelection: { "*": { "*": ["storageLayout"] } },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: { version: SOLC_VERSION, path: require.resolve("solc/soljson.js"), settings: SOLC_SETTINGS },
      // `ignition deploy` to a public network builds this profile. Compiled in isolation (each
      // file alone, Hardhat's default for production), EventTicket's sales path runs out of
      // stack (`npx hardhat build --build-profile production` failed with "Stack too deep");
      // built together with the default profile's settings, as the tests build it, it compiles.
      production: { version: SOLC_VERSION, path: require.resolve("solc/soljson.js"), settings: SOLC_SETTINGS, isolated: false },
    },
  },
  networks: {
    sepolia: publicNetwork(11_155_111, "SEPOLIA_RPC_URL"),
    baseSepolia: publicNetwork(84_532, "BASE_SEPOLIA_RPC_URL", "op"),
    base: publicNetwork(8_453, "BASE_RPC_URL", "op"),
    optimism: publicNetwork(10, "OPTIMISM_RPC_URL", "op"),
    polygon: publicNetwork(137, "POLYGON_RPC_URL"),
  },
  // `ignition deploy --verify`: Etherscan's v2 API (one key for every chain it serves), Blockscout
  // and Sourcify where the chain has them.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    blockscout: { enabled: true },
    sourcify: { enabled: true },
  },
  paths: {
    tests: { mocha: "test", solidity: "test/fuzz" },
  },
  test: {
    // CHAINPASS_TEST_JOBS=N (N > 1): Mocha's parallel mode, N files at once (scripts/test-lanes.ts).
    mocha: { timeout: 120_000, ...(Number(process.env.CHAINPASS_TEST_JOBS) > 1 ? { parallel: true, jobs: Number(process.env.CHAINPASS_TEST_JOBS) } : {}) },
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 40, failOnRevert: false },
    },
  },
});
