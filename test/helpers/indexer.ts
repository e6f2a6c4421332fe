// Helpers for the local index's tests: an indexer on a temporary SQLite file, served over HTTP
// like the app serves it, and a dump of every entity table to compare two indexes row by row.
import Fastify from "fastify";

import { publicClientFor } from "../../server/chain.js";
import { openDatabase, type Database } from "../../server/db.js";
import { createIndexer, registerIndexer, SUBGRAPH_PATH, type IndexerOptions } from "../../server/indexer/index.js";
import { chainpassSchema } from "../../server/indexer/schema.js";
import { tableOf } from "../../server/indexer/store.js";
import type { Platform } from "../../scripts/lib/local-chain.js";
import { tempDatabase } from "./server.js";

export type IndexerUnderTest = Awaited<ReturnType<typeof startIndexer>>;

/** An indexer for `platform` on `databasePath` (a new temporary file by default), its GraphQL URL, and close(). */
export async function startIndexer(
  rpcUrl: string,
  platform: Platform,
  options: Partial<Omit<IndexerOptions, "db">> & { databasePath?: string } = {},
) {
  const databasePath = options.databasePath ?? tempDatabase();
  const db = openDatabase(databasePath);
  const indexer = createIndexer({
    client: publicClientFor({ rpcUrl, chainId: 31337 }),
    factory: platform.factory,
    membership: platform.membership,
    startBlock: platform.factoryBlock,
    pollIntervalMs: 50,
    ...options,
    db,
  });
  const server = Fastify();
  registerIndexer(server, indexer);
  await server.listen({ host: "127.0.0.1", port: 0 });
  const { port } = server.server.address() as { port: number };
  let closed: Promise<void> | undefined;
  return {
    indexer,
    db,
    databasePath,
    server,
    url: `http://127.0.0.1:${port}${SUBGRAPH_PATH}`,
    /** Stops the indexer, the server and the database (once, however often it is called). */
    close() {
      closed ??= (async () => {
        await indexer.stop();
        await server.close();
        db.close();
      })();
      return closed;
    },
  };
}

/** Every entity table's rows in id order: two indexes of the same chain must dump equal. */
export function dumpEntities(db: Database): Record<string, unknown[]> {
  const dump: Record<string, unknown[]> = {};
  for (const entity of chainpassSchema().entities.keys()) {
    dump[entity] = db.prepare(`SELECT * FROM ${tableOf(entity)} ORDER BY "id"`).all();
  }
  return dump;
}

/** JSON-RPC to the local node (evm_snapshot, evm_revert, evm_mine...). */
export async function rpc<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * Adds `count` synthetic tickets (of an existing ticket's tier and event) straight into an index's
 * Ticket table: a large index for load tests without minting that many tokens.
 */
export function fillTickets(db: Database, count: number) {
  const table = tableOf("Ticket");
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string }[];
  const model = db.prepare(`SELECT * FROM ${table} LIMIT 1`).get() as Record<string, unknown> | undefined;
  if (!model) throw new Error("the index has no ticket to model synthetic ones on");
  const insert = db.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
  db.exec("BEGIN");
  for (let i = 0; i < count; i++) {
    insert.run(...columns.map((c) => (c.name === "id" ? `0xaa${i.toString(16).padStart(62, "0")}` : (model[c.name] as string | number | null))));
  }
  db.exec("COMMIT");
}
