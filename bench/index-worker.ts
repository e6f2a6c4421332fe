// The indexer process of bench/index.ts (forked by it, so its memory is the index's alone): on
// the parent's message it backfills a new SQLite index of the seeded chain, times it, then serves
// GraphQL over HTTP and reports its RSS when asked.
import Fastify from "fastify";
import type { Address } from "viem";

import { publicClientFor } from "../server/chain.js";
import { openDatabase } from "../server/db.js";
import { createIndexer, registerIndexer, SUBGRAPH_PATH } from "../server/indexer/index.js";

export interface WorkerStart {
  rpcUrl: string;
  factory: Address;
  startBlock: string;
  databasePath: string;
}

export type WorkerReport =
  | { kind: "ready"; url: string; backfillMs: number; events: number; rssMB: number }
  | { kind: "rss"; rssMB: number }
  | { kind: "error"; message: string };

const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const report = (message: WorkerReport) => process.send!(message);

async function handle(message: WorkerStart | "rss") {
  if (message === "rss") return report({ kind: "rss", rssMB: rssMB() });
  try {
    const db = openDatabase(message.databasePath);
    const indexer = createIndexer({
      db,
      client: publicClientFor({ rpcUrl: message.rpcUrl, chainId: 31337 }),
      factory: message.factory,
      startBlock: BigInt(message.startBlock),
    });
    const started = performance.now();
    const status = await indexer.syncOnce();
    const backfillMs = performance.now() - started;
    const server = Fastify();
    registerIndexer(server, indexer);
    await server.listen({ host: "127.0.0.1", port: 0 });
    const { port } = server.server.address() as { port: number };
    report({ kind: "ready", url: `http://127.0.0.1:${port}${SUBGRAPH_PATH}`, backfillMs, events: status.logsApplied, rssMB: rssMB() });
  } catch (error) {
    report({ kind: "error", message: (error as Error).stack ?? String(error) });
  }
}
process.on("message", (message: WorkerStart | "rss") => void handle(message));
