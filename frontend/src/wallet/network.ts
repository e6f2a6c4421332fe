// The chain this build of the app serves (VITE_CHAINPASS_CHAIN_ID, the local chain by default)
// and its viem chain definition.
import { defineChain } from "viem";

import { networkFor, type ChainpassNetwork } from "../../../lib/networks.js";

const chainId = Number(import.meta.env.VITE_CHAINPASS_CHAIN_ID ?? 31337);
const found = networkFor(chainId);
if (!found) throw new Error(`No Chainpass network for chain ${chainId} in lib/networks.ts`);
/** A static build (scripts/build-web.ts) bakes in absolute RPC and index URLs. */
export const network: ChainpassNetwork = {
  ...found,
  rpcUrl: import.meta.env.VITE_CHAINPASS_RPC_URL || found.rpcUrl,
  indexUrl: import.meta.env.VITE_CHAINPASS_INDEX_URL || found.indexUrl,
};

/** Relative URLs (the dev proxy) made absolute: viem's transports want full URLs. Absolute ones are kept. */
export const absoluteUrl = (url: string) => new URL(url, window.location.origin).href;

export const chain = defineChain({
  id: network.chainId,
  name: network.name,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [absoluteUrl(network.rpcUrl)] } },
  blockExplorers: network.explorer ? { default: { name: "Explorer", url: network.explorer } } : undefined,
  testnet: network.devWallet,
});
