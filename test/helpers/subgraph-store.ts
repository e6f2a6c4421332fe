// The two entity stores of one chain side by side: the local index's (SQLite, the TypeScript
// mappings) and the compiled subgraph's (server/subgraph-host, the AssemblyScript mappings), each
// as type → id → field → plain value (bigint, number, boolean, lowercase hex, string, list, null).
import { existsSync } from "node:fs";
import type { Log } from "viem";

import type { Database } from "../../server/db.js";
import { Journal } from "../../server/indexer/journal.js";
import { chainpassSchema } from "../../server/indexer/schema.js";
import { EntityStore, tableOf, type EntityName, type Row } from "../../server/indexer/store.js";
import { fromColumn } from "../../server/indexer/values.js";
import { SUBGRAPH_BUILD, SubgraphRunner, type BlockInfo } from "../../server/subgraph-host/runner.js";
import type { StoreValue } from "../../server/subgraph-host/values.js";
import type { LocalClients, Platform } from "../../scripts/lib/local-chain.js";
import { eventually } from "./eventually.js";
import { startIndexer, type IndexerUnderTest } from "./indexer.js";

export type PlainStore = Map<string, Map<string, Record<string, unknown>>>;

export function localIndexStore(db: Database): PlainStore {
  const store: PlainStore = new Map();
  for (const model of chainpassSchema().entities.values()) {
    const rows = db.prepare(`SELECT * FROM ${tableOf(model.name)}`).all() as Row[];
    store.set(model.name, new Map(rows.map((row) => [String(row.id), Object.fromEntries(model.columns.map((f) => [f.name, fromColumn(f, row[f.name])]))])));
  }
  return store;
}

const plain = (value: StoreValue): unknown => (value.kind === "Null" ? null : value.kind === "Array" ? value.value.map(plain) : value.value);

export function subgraphStore(runner: SubgraphRunner): PlainStore {
  const store: PlainStore = new Map();
  for (const model of runner.schema.entities.values()) {
    const entities = runner.entities(model.name);
    store.set(model.name, new Map([...entities].map(([id, entity]) => [id, Object.fromEntries(model.columns.map((f) => [f.name, entity.has(f.name) ? plain(entity.get(f.name)!) : null]))])));
  }
  return store;
}

const show = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));

/** Every difference between two stores, entity by entity and field by field, in words. */
export function storeDifferences(a: PlainStore, b: PlainStore, names = ["local index", "subgraph"]): string[] {
  const out: string[] = [];
  for (const type of new Set([...a.keys(), ...b.keys()])) {
    const left = a.get(type) ?? new Map();
    const right = b.get(type) ?? new Map();
    for (const id of new Set([...left.keys(), ...right.keys()])) {
      const l = left.get(id);
      const r = right.get(id);
      if (!l || !r) {
        out.push(`${type} ${id}: only in the ${l ? names[0] : names[1]}`);
        continue;
      }
      for (const field of new Set([...Object.keys(l), ...Object.keys(r)])) {
        if (show(l[field]) !== show(r[field])) out.push(`${type} ${id}.${field}: ${names[0]} ${show(l[field])}, ${names[1]} ${show(r[field])}`);
      }
    }
  }
  return out;
}

/** Every log of blocks `from`..head, grouped by block in order, with what a mapping sees of the block. */
export async function readBlocks(clients: LocalClients, from: bigint): Promise<[BlockInfo, Log[]][]> {
  const head = await clients.publicClient.getBlockNumber();
  const logs: Log[] = [];
  // In ranges: a node's answer for a whole seeded chain outgrows viem's response limit.
  for (let start = from; start <= head; start += 200n) {
    logs.push(...(await clients.publicClient.getLogs({ fromBlock: start, toBlock: start + 199n > head ? head : start + 199n })));
  }
  const byBlock = new Map<bigint, Log[]>();
  for (const log of logs) byBlock.set(log.blockNumber!, [...(byBlock.get(log.blockNumber!) ?? []), log]);
  const blocks: [BlockInfo, Log[]][] = [];
  for (const [number, blockLogs] of [...byBlock].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const block = await clients.publicClient.getBlock({ blockNumber: number });
    blocks.push([{ number, hash: block.hash!, parentHash: block.parentHash, timestamp: block.timestamp }, blockLogs]);
  }
  return blocks;
}

/** Feeds every log of blocks `from`..head to the runner, block by block, as graph-node would. */
export async function runSubgraph(runner: SubgraphRunner, clients: LocalClients, from: bigint) {
  for (const [block, logs] of await readBlocks(clients, from)) runner.processBlock(block, logs);
}

/**
 * The local index's GraphQL API over the compiled subgraph's store instead of its own (it never
 * syncs): every lib/index document can then be answered from what the subgraph stored.
 */
export async function serveSubgraphStore(runner: SubgraphRunner, rpcUrl: string, platform: Platform, clients: LocalClients): Promise<IndexerUnderTest> {
  const served = await startIndexer(rpcUrl, platform);
  const store = new EntityStore(served.db, chainpassSchema());
  for (const [type, entities] of subgraphStore(runner)) {
    for (const fields of entities.values()) store.save(type as EntityName, fields as never);
  }
  store.flush();
  const head = await clients.publicClient.getBlock();
  new Journal(served.db, store).setCursor({ number: head.number, hash: head.hash, timestamp: head.timestamp });
  return served;
}

/**
 * The differences between the local index's store in `db` and what the compiled subgraph stores
 * from the same chain's logs since `from` (none, when the two copies of the mappings agree).
 */
export async function subgraphDifferences(db: Database, clients: LocalClients, from: bigint): Promise<string[]> {
  const runner = await compiledSubgraph();
  await runSubgraph(runner, clients, from);
  return storeDifferences(localIndexStore(db), subgraphStore(runner));
}

/**
 * The compiled subgraph (subgraph/build). Under `npm test` the checks build it beside the tests
 * and write CHAINPASS_SUBGRAPH_DONE_FILE when it is done (scripts/test-lanes.ts): wait for that.
 */
export async function compiledSubgraph(timeoutMs = 15 * 60_000): Promise<SubgraphRunner> {
  const done = process.env.CHAINPASS_SUBGRAPH_DONE_FILE;
  if (done) await eventually(async () => existsSync(done), `the subgraph's build (${done}, written by the checks lane)`, timeoutMs);
  return new SubgraphRunner(SUBGRAPH_BUILD);
}
