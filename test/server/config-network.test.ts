// CHAINPASS_NETWORK: the server takes its chain settings from a generated network entry
// (lib/networks.deployed.ts, `npm run network:entry`), and refuses variables that disagree with it.
import { expect } from "chai";

import { LOCALHOST, NETWORKS_BY_NAME, type ChainpassNetwork } from "../../lib/networks.js";
import { ConfigError, configFromEnv } from "../../server/config.js";

const entry: ChainpassNetwork = {
  chainId: 84_532,
  name: "Base Sepolia",
  rpcUrl: "https://sepolia.base.org/",
  indexUrl: "https://api.studio.thegraph.com/query/1/chainpass/version/latest",
  factory: "0x732310865CcF97899e8c2501a99Ec7F2B3006db3",
  factoryStartBlock: 6,
  membership: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
  devWallet: false,
  explorer: "https://sepolia.basescan.org",
};
const networks = { localhost: LOCALHOST, "base-sepolia": entry };

describe("Server: configuration from a network entry (CHAINPASS_NETWORK)", function () {
  it("takes the chain id, the factory, its start block and an RPC from the entry", function () {
    const config = configFromEnv({ CHAINPASS_NETWORK: "base-sepolia" }, networks);
    expect(config).to.deep.include({ chainId: 84_532, factory: entry.factory, factoryStartBlock: 6n, rpcUrl: "https://sepolia.base.org/" });
    // The operator's own RPC for the server, the entry's for the app.
    expect(configFromEnv({ CHAINPASS_NETWORK: "base-sepolia", CHAINPASS_RPC_URL: "https://rpc.example/key" }, networks).rpcUrl).to.equal("https://rpc.example/key");
  });

  it("follows new heads on the RPC's own WebSocket unless told another or off", function () {
    const heads = (env: Record<string, string>) => configFromEnv({ CHAINPASS_NETWORK: "base-sepolia", ...env }, networks).gate.headsUrl;
    expect(heads({})).to.equal("wss://sepolia.base.org/");
    expect(heads({ CHAINPASS_RPC_URL: "http://127.0.0.1:8545" })).to.equal("ws://127.0.0.1:8545");
    expect(heads({ CHAINPASS_RPC_WS_URL: "wss://ws.example/key" })).to.equal("wss://ws.example/key");
    expect(heads({ CHAINPASS_RPC_WS_URL: "off" })).to.equal(undefined);
    expect(() => heads({ CHAINPASS_RPC_WS_URL: "https://rpc.example" })).to.throw(ConfigError, /CHAINPASS_RPC_WS_URL.*a ws\(s\) URL or off/);
  });

  it("refuses a variable that disagrees with the entry, naming it", function () {
    for (const [variable, value] of [
      ["CHAINPASS_FACTORY", "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853"],
      ["CHAINPASS_CHAIN_ID", "8453"],
      ["CHAINPASS_FACTORY_START_BLOCK", "0"],
    ]) {
      expect(() => configFromEnv({ CHAINPASS_NETWORK: "base-sepolia", [variable]: value }, networks)).to.throw(ConfigError, new RegExp(`^${variable}=.* disagrees with the base-sepolia entry`));
    }
    // Agreeing values are fine (a .env written before the entry existed).
    expect(configFromEnv({ CHAINPASS_NETWORK: "base-sepolia", CHAINPASS_FACTORY: entry.factory.toLowerCase(), CHAINPASS_CHAIN_ID: "84532" }, networks).factory).to.equal(entry.factory);
  });

  it("refuses an unknown network, listing the known ones", function () {
    expect(() => configFromEnv({ CHAINPASS_NETWORK: "base" }, networks)).to.throw(ConfigError, /CHAINPASS_NETWORK="base" is not a known network: localhost, base-sepolia/);
    expect(() => configFromEnv({ CHAINPASS_NETWORK: "constructor" }, networks)).to.throw(ConfigError, /not a known network/);
  });

  it("names the local chain localhost, and without CHAINPASS_NETWORK still needs CHAINPASS_FACTORY", function () {
    expect(NETWORKS_BY_NAME.localhost).to.equal(LOCALHOST);
    expect(configFromEnv({ CHAINPASS_NETWORK: "localhost" })).to.deep.include({ chainId: 31337, factory: LOCALHOST.factory, factoryStartBlock: BigInt(LOCALHOST.factoryStartBlock), rpcUrl: "http://127.0.0.1:8545" });
    expect(() => configFromEnv({})).to.throw(ConfigError, /Set CHAINPASS_FACTORY/);
  });
});
