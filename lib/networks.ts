// One place for what each chain needs: contract addresses, start block, RPC and index URLs. The
// web app, the server, the scripts and the subgraph manifest read it. On the local chain the
// addresses are what `deployPlatform` gives on a fresh node (deployer = development account 0),
// and `npm run dev` checks that they are.
import type { Address } from "viem";

import { DEPLOYED_NETWORKS } from "./networks.deployed.js";

export interface ChainpassNetwork {
  chainId: number;
  name: string;
  /** JSON-RPC endpoint; relative URLs are served by the app's own origin (a dev proxy). */
  rpcUrl: string;
  /** GraphQL endpoint of the index: The Graph in production, the server's local index otherwise. */
  indexUrl: string;
  factory: Address;
  factoryStartBlock: number;
  /** The platform's membership programs (ChainpassMembership), deployed right after the factory. */
  membership: Address;
  /** A USD stablecoin events may sell in (MockUSDC on the local chain). */
  stablecoin?: { address: Address; symbol: string; decimals: number };
  /** The development wallet (local accounts) is offered on this chain only. */
  devWallet: boolean;
  /** Block explorer (Etherscan or Blockscout style: /tx/<hash>, /address/<address>); none locally. */
  explorer?: string;
  /**
   * ENS Universal Resolver where the chain has ENS (lib/ens.ts: names shown for addresses and
   * accepted in address inputs). Without it the app makes no ENS lookups at all.
   */
  ensUniversalResolver?: Address;
  /**
   * Chainlink-style USD price feeds (AggregatorV3Interface) of the chain's native currency and of
   * `stablecoin`: the app shows "≈ $12.30" beside amounts in that currency, an estimate. Without a
   * feed for a currency the app shows no estimate for it. MockPriceFeed on the local chain
   * (ignition/modules/LocalDemo.ts); on public chains only feeds named in Chainlink's documentation.
   */
  priceFeeds?: { native?: Address; stablecoin?: Address };
  /**
   * Passkey accounts and sponsored gas (ERC-4337, issue 17): the EntryPoint v0.8, the contracts of
   * ignition/modules/Accounts.ts, a bundler's JSON-RPC URL and the sponsorship service's (ERC-7677).
   * Without it the app offers no passkey wallet on this chain.
   */
  passkeys?: { entryPoint: Address; accountFactory: Address; passkeyVerifier: Address; paymaster: Address; bundlerUrl: string; paymasterUrl: string };
}

export const LOCALHOST: ChainpassNetwork = {
  chainId: 31337,
  name: "Localhost",
  rpcUrl: "/rpc",
  indexUrl: "/subgraphs/name/chainpass",
  factory: "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6",
  factoryStartBlock: 9,
  membership: "0x8A791620dd6260079BF849Dc5567aDC3F2FdC318",
  stablecoin: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", symbol: "USDC", decimals: 6 },
  devWallet: true,
  priceFeeds: { native: "0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e", stablecoin: "0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0" },
  passkeys: {
    entryPoint: "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108",
    accountFactory: "0x9A676e781A523b5d0C0e43731313A708CB607508",
    passkeyVerifier: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
    paymaster: "0x959922bE3CAee4b8Cd9a407cc3ac1C251C2007B1",
    bundlerUrl: "/bundler",
    paymasterUrl: "/paymaster",
  },
};

/**
 * What a deployed network's entry is generated from (`npm run network:entry`,
 * scripts/lib/network-entry.ts): the Ignition deployment and what it does not record.
 */
export interface DeployedNetworkSource {
  /** The network's key: subgraph/networks/<name>.json, `graph build --network <name>`. */
  name: string;
  /** The Ignition deployment folder, relative to the repository (ignition/deployments/chain-<id>). */
  deployment: string;
  /** GraphQL endpoint of the subgraph (Subgraph Studio's query URL) or of a server's local index. */
  indexUrl: string;
  /** The app's JSON-RPC endpoint; default: the chain's public one (scripts/lib/known-chains.ts). */
  rpcUrl?: string;
  /** Symbol and decimals of a currency that is not the chain's USDC (a rehearsal's stand-in). */
  stablecoin?: { symbol: string; decimals: number };
}

/**
 * The networks by name: "localhost", and each network generated from an Ignition deployment under
 * the name it was given (`npm run network:entry -- --name <name>`, lib/networks.deployed.ts). The
 * server's CHAINPASS_NETWORK and `npm run build:web -- --network` take these names.
 */
export const NETWORKS_BY_NAME: Readonly<Record<string, ChainpassNetwork>> = { localhost: LOCALHOST, ...DEPLOYED_NETWORKS };

/** The same networks by chain id. */
export const NETWORKS: Record<number, ChainpassNetwork> = Object.fromEntries(Object.values(NETWORKS_BY_NAME).map((network) => [network.chainId, network]));

/** The explorer page of a transaction or an address, or undefined on a chain without an explorer. */
export function explorerUrl(network: Pick<ChainpassNetwork, "explorer">, kind: "tx" | "address", value: string): string | undefined {
  if (!network.explorer) return undefined;
  return `${network.explorer.replace(/\/+$/, "")}/${kind}/${encodeURIComponent(value)}`;
}

export function networkFor(chainId: number): ChainpassNetwork | undefined {
  return NETWORKS[chainId];
}
