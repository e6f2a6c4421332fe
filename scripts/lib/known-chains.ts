// What the public chains Chainpass deploys to have that a deployment does not record: the name The
// Graph knows the chain by (its networks registry), the block explorer, a public RPC for the app,
// Circle's USDC, and ENS where the chain has it. Used by the network-entry generator (network-entry.ts).
import { getAddress, type Address, type Chain } from "viem";
import { base, baseSepolia, optimism, polygon, sepolia } from "viem/chains";

export interface KnownChain {
  /** Shown in the app. */
  label: string;
  /** The chain's name in graph-cli's networks registry (`network:` of the subgraph manifest). */
  graphNetwork: string;
  explorer: string;
  /** A public JSON-RPC endpoint the app may use (an operator passes their own with --rpc-url). */
  rpcUrl: string;
  /** Circle's USDC on this chain. */
  usdc: Address;
  /** ENS Universal Resolver, where the chain has ENS (viem's chain definition names it). */
  ensUniversalResolver?: Address;
  /**
   * Chainlink's USD price feeds (proxies) for the native currency and for `usdc`, only where
   * Chainlink's documentation names the address; without one the app shows no estimate in US
   * dollars for that currency.
   */
  priceFeeds?: { native?: Address; usdc?: Address };
}

/** The Universal Resolver viem names for a chain (Ethereum and Sepolia have one; the L2s here none). */
const ens = (chain: Chain): Pick<KnownChain, "ensUniversalResolver"> => {
  const resolver = chain.contracts?.ensUniversalResolver?.address;
  return resolver ? { ensUniversalResolver: getAddress(resolver) } : {};
};

export const KNOWN_CHAINS: Readonly<Record<number, KnownChain>> = {
  11_155_111: {
    label: "Sepolia",
    graphNetwork: "sepolia",
    explorer: "https://sepolia.etherscan.io",
    rpcUrl: "https://ethereum-sepolia-rpc.publicnode.com",
    usdc: "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238",
    ...ens(sepolia),
    // ETH / USD: the Sepolia feed of Chainlink's Data Feeds API reference (docs.chain.link/data-feeds/api-reference).
    priceFeeds: { native: "0x694AA1769357215DE4FAC081bf1f309aDC325306" },
  },
  84_532: {
    label: "Base Sepolia",
    graphNetwork: "base-sepolia",
    explorer: "https://sepolia.basescan.org",
    rpcUrl: "https://sepolia.base.org",
    usdc: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    ...ens(baseSepolia),
  },
  8_453: {
    label: "Base",
    graphNetwork: "base",
    explorer: "https://basescan.org",
    rpcUrl: "https://mainnet.base.org",
    usdc: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    ...ens(base),
  },
  10: {
    label: "OP Mainnet",
    graphNetwork: "optimism",
    explorer: "https://optimistic.etherscan.io",
    rpcUrl: "https://mainnet.optimism.io",
    usdc: "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85",
    ...ens(optimism),
  },
  137: {
    label: "Polygon",
    graphNetwork: "matic",
    explorer: "https://polygonscan.com",
    rpcUrl: "https://polygon-rpc.com",
    usdc: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359",
    ...ens(polygon),
  },
};
