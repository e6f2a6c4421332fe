// viem clients for the configured chain, and a lean reader of the head block.
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

/** A JSON-RPC error answered by the node (the request reached it). */
export class RpcError extends Error {}

/**
 * JSON-RPC over a kept-alive connection, without a client library's per-call overhead, for the
 * gate's hot path: its freshness barrier asks the head's number before nearly every admission,
 * hundreds of times a second at a busy door, and its follower reads every new block's logs.
 */
export function leanRpc(rpcUrl: string, timeoutMs: number): <T>(method: string, params?: unknown[]) => Promise<T> {
  const url = new URL(rpcUrl);
  const secure = url.protocol === "https:";
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 4 }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const send = secure ? httpsRequest : httpRequest;
  let id = 0;
  return <T>(method: string, params: unknown[] = []) =>
    new Promise<T>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params });
      const req = send(
        url,
        { method: "POST", agent, timeout: timeoutMs, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { result?: T; error?: { message?: string } };
              if (answer.error) throw new RpcError(answer.error.message ?? `${method} failed`);
              if (!("result" in answer)) throw new Error(`${method} answered ${res.statusCode} without a result`);
              resolve(answer.result as T);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} took longer than ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
}

/** The head block's header fields the freshness barrier needs, and its transactions' hashes. */
export interface HeadBlock {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  transactions: Hex[];
}

/**
 * `eth_getBlockByNumber(tag, false)` or `eth_getBlockByHash(hash, false)` over leanRpc: one small
 * request, like `eth_blockNumber`. Reads the head when called without an argument.
 */
export function blockReader(rpcUrl: string, timeoutMs: number): (hash?: Hex) => Promise<HeadBlock> {
  const rpc = leanRpc(rpcUrl, timeoutMs);
  return async (hash) => headBlockOf(await rpc<RpcBlock | null>(hash ? "eth_getBlockByHash" : "eth_getBlockByNumber", [hash ?? "latest", false]), hash ?? "latest");
}

/** The fields of a JSON-RPC block (without full transactions) that HeadBlock keeps. */
export interface RpcBlock {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  transactions: Hex[];
}

/** A node's answer to a block read as a HeadBlock; `which` names the block asked for when there was none. */
export function headBlockOf(block: RpcBlock | null | undefined, which: string): HeadBlock {
  if (!block) throw new Error(`no block ${which}`);
  return { number: BigInt(block.number), hash: block.hash, parentHash: block.parentHash, transactions: block.transactions };
}
