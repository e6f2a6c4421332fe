// viem clients for the configured chain, and a lean reader of the head's number.
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

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

export function publicClientFor(config: Pick<ServerConfig, "chainId" | "rpcUrl">, timeoutMs = 5_000) {
  // No retries: the gate must notice an unreachable RPC at once and say so.
  // cacheTime 0: viem would otherwise answer getBlockNumber from a 4-second cache.
  return createPublicClient({
    chain: chainFor(config),
    cacheTime: 0,
    transport: http(config.rpcUrl, { retryCount: 0, timeout: timeoutMs }),
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

/**
 * `eth_blockNumber` over a kept-alive connection, without a client library's per-call overhead:
 * the gate asks it before nearly every admission (its freshness barrier), hundreds of times a
 * second at a busy door.
 */
export function headNumberReader(rpcUrl: string, timeoutMs: number): () => Promise<bigint> {
  const url = new URL(rpcUrl);
  const secure = url.protocol === "https:";
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 4 }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const send = secure ? httpsRequest : httpRequest;
  const body = '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}';
  return () =>
    new Promise<bigint>((resolve, reject) => {
      const req = send(
        url,
        { method: "POST", agent, timeout: timeoutMs, headers: { "content-type": "application/json", "content-length": body.length } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            try {
              const answer = JSON.parse(text) as { result?: string; error?: { message?: string } };
              if (typeof answer.result !== "string") throw new Error(answer.error?.message ?? `eth_blockNumber answered ${res.statusCode}`);
              resolve(BigInt(answer.result));
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`eth_blockNumber took longer than ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
}
