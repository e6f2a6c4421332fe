// viem clients for the configured chain.
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { ServerConfig } from "./config.js";

export function chainFor(config: Pick<ServerConfig, "chainId" | "rpcUrl">) {
  return defineChain({
    id: config.chainId,
    name: config.chainId === 31337 ? "Localhost" : `Chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

export function publicClientFor(config: Pick<ServerConfig, "chainId" | "rpcUrl">) {
  // No retries: the gate must notice an unreachable RPC at once and say so.
  // cacheTime 0: viem would otherwise answer getBlockNumber from a 4-second cache.
  return createPublicClient({
    chain: chainFor(config),
    cacheTime: 0,
    transport: http(config.rpcUrl, { retryCount: 0, timeout: 5_000 }),
  });
}

export function walletClientFor(config: Pick<ServerConfig, "chainId" | "rpcUrl">, key: Hex) {
  return createWalletClient({
    account: privateKeyToAccount(key),
    chain: chainFor(config),
    transport: http(config.rpcUrl, { retryCount: 0, timeout: 10_000 }),
  });
}

export type PublicClient = ReturnType<typeof publicClientFor>;
export type WalletClient = ReturnType<typeof walletClientFor>;
