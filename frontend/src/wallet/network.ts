// The chain this build of the app serves and its viem chain definition: the network entry a static
// build baked in (VITE_CHAINPASS_NETWORK, scripts/build-web.ts), else lib/networks.ts's entry for
// VITE_CHAINPASS_CHAIN_ID (the local chain by default).
import { defineChain } from "viem";

import { networkFor, type ChainpassNetwork } from "../../../lib/networks.js";

function buildNetwork(): ChainpassNetwork {
  // `?.`: Node (unit tests of modules that reach this one) has no import.meta.env.
  const baked = import.meta.env?.VITE_CHAINPASS_NETWORK;
  if (baked) return JSON.parse(baked) as ChainpassNetwork;
  const chainId = Number(import.meta.env?.VITE_CHAINPASS_CHAIN_ID ?? 31337);
  const found = networkFor(chainId);
  if (!found) throw new Error(`No Chainpass network for chain ${chainId} in lib/networks.ts`);
  return found;
}

export const network: ChainpassNetwork = buildNetwork();

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
