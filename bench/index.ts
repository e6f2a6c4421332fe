// Local index benchmark: `npx hardhat run bench/index.ts`. Seeds a local chain with four events
// of 5,000 tickets each (20,000 mints) plus check-ins, transfers, gifts, listings and resales;
// backfills a new index of it in a process of its own (bench/index-worker.ts) and measures the
// throughput; then times the event page and 1,000-ticket gate snapshot pages over HTTP, and reads
// the index process's RSS. Writes bench/results/index.json.
//
// Targets: backfill >= 3,000 events/s; event page p95 <= 10 ms; gate snapshot page p95 <= 50 ms;
// RSS < 500 MB.
import { mkdirSync, writeFileSync } from "node:fs";

import type { Address, Hex } from "viem";

import { EVENT_PAGE, GATE_SNAPSHOT, queryIndex, type EventPage, type GateSnapshotPage } from "../lib/index/index.js";
import { createEvent, deployPlatform, localAccount, localClients, startLocalNode } from "../scripts/lib/local-chain.js";
import { runMain, supervise } from "../scripts/lib/supervisor.js";
import { SUBGRAPH_BUILD, SubgraphRunner } from "../server/subgraph-host/runner.js";
import { eventWriter, GATE_ROLE, tempDatabase } from "../test/helpers/server.js";
import { readBlocks } from "../test/helpers/subgraph-store.js";
import type { WorkerReport, WorkerStart } from "./index-worker.js";
import { updateReadmeSection } from "./readme.js";

const EVENTS = 4;
const TIERS = [
  { name: "General admission", supply: 3_000 },
  { name: "Balcony", supply: 1_500 },
  { name: "VIP", supply: 500 },
];
const PER_PURCHASE = 50;
const CHECK_INS_PER_EVENT = 1_000;
const CHECK_IN_BATCH = 100;
const TRANSFERS_PER_EVENT = 100;
const GIFTS_PER_EVENT = 50;
const LISTINGS_PER_EVENT = 50;
const RESALES_PER_EVENT = 25;
const EVENT_PAGE_REQUESTS = 400;
const SNAPSHOT_REQUESTS = 100;
const PRICE = 10n ** 12n;
const TOKENS_PER_TIER = 1_000_000n;
const log = (message: string) => console.log(`[bench:index] ${message}`);
const now = () => Math.floor(Date.now() / 1000);

await runMain(async () => {
  // ---------------------------------------------------------------- a seeded chain

  const { rpc, rpcUrl } = await startLocalNode();
  const clients = localClients(rpcUrl);
  const platform = await deployPlatform(clients);
  const organizer = localAccount(2);
  const staff = localAccount(3);
  const funder = localAccount(0);
  const holders = Array.from({ length: 14 }, (_, i) => localAccount(5 + i));
  const t0 = now();
  const seeding = performance.now();

  const events: Address[] = [];
  const ticketsOf: bigint[][] = [];
  for (let e = 0; e < EVENTS; e++) {
    const event = await createEvent(
      clients,
      platform.factory,
      organizer,
      { name: `Index Bench Night ${e + 1}`, symbol: `IBN${e + 1}`, metadataURI: `ipfs://bench-${e}`, start: t0 + 86_400, end: t0 + 90_000, policy: 0 },
      TIERS.map((t, i) => ({ name: t.name, price: PRICE * BigInt(i + 1), supply: t.supply, saleStart: t0 - 60, saleEnd: t0 + 80_000 })),
    );
    const write = eventWriter(clients, event, organizer);
    await write("grantRole", [GATE_ROLE, staff.address]);
    const tokens: bigint[] = [];
    let purchase = 0;
    for (const [i, tier] of TIERS.entries()) {
      for (let sold = 0; sold < tier.supply; sold += PER_PURCHASE, purchase++) {
        const holder = holders[purchase % holders.length];
        const total = PRICE * BigInt(i + 1) * BigInt(PER_PURCHASE);
        await write("buy", [BigInt(i + 1), BigInt(PER_PURCHASE), holder.address, total], funder, total);
        for (let s = 1; s <= PER_PURCHASE; s++) tokens.push(BigInt(i + 1) * TOKENS_PER_TIER + BigInt(sold + s));
      }
    }
    // Holder of token k (tier 1): purchases rotate through the holders, PER_PURCHASE tokens each.
    const holderOf = (index: number) => holders[Math.floor(index / PER_PURCHASE) % holders.length];
    await write("setCheckInLead", [25]); // the night is tomorrow: open the doors now
    for (let i = 0; i < CHECK_INS_PER_EVENT; i += CHECK_IN_BATCH) await write("checkIn", [tokens.slice(i, i + CHECK_IN_BATCH)], staff);
    let k = CHECK_INS_PER_EVENT;
    for (let i = 0; i < TRANSFERS_PER_EVENT; i++, k++)
      await write("transferFrom", [holderOf(k).address, holderOf(k + PER_PURCHASE).address, tokens[k]], holderOf(k));
    for (let i = 0; i < GIFTS_PER_EVENT; i++, k++) await write("gift", [tokens[k], holderOf(k + PER_PURCHASE).address], holderOf(k));
    for (let i = 0; i < LISTINGS_PER_EVENT; i++) {
      const index = k + i;
      await write("list", [tokens[index], PRICE], holderOf(index));
      if (i < RESALES_PER_EVENT) await write("buyListing", [tokens[index], PRICE], holderOf(index + PER_PURCHASE), PRICE);
    }
    events.push(event);
    ticketsOf.push(tokens);
    log(`event ${e + 1}/${EVENTS} seeded (${tokens.length} tickets)`);
  }
  const head = await clients.publicClient.getBlockNumber();
  log(`seeded ${head} blocks in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  // ---------------------------------------------------------------- the index, in its own process

  const worker = supervise("index worker", process.execPath, ["--no-warnings", "--import", "tsx", new URL("./index-worker.ts", import.meta.url).pathname], { ipc: true }).child;
  const reports: WorkerReport[] = [];
  const waiting: ((report: WorkerReport) => void)[] = [];
  worker.on("message", (report: WorkerReport) => (waiting.shift() ?? ((r) => reports.push(r)))(report));
  const next = () => new Promise<WorkerReport>((resolve) => (reports.length ? resolve(reports.shift()!) : waiting.push(resolve)));
  const ask = async (message: WorkerStart | "rss") => {
    worker.send(message);
    const report = await next();
    if (report.kind === "error") throw new Error(`index process failed: ${report.message}`);
    return report;
  };

  const ready = await ask({ rpcUrl, factory: platform.factory, startBlock: platform.factoryBlock.toString(), databasePath: tempDatabase() });
  if (ready.kind !== "ready") throw new Error("unexpected report");
  const backfill = { events: ready.events, eventsPerSecond: Math.round(ready.events / (ready.backfillMs / 1000)) };
  log(`backfill: ${ready.events} events in ${(ready.backfillMs / 1000).toFixed(2)} s (${backfill.eventsPerSecond}/s), RSS ${ready.rssMB} MB`);

  // ---------------------------------------------------------------- query latency over HTTP

  async function timed(requests: number, warmup: number, query: (i: number) => Promise<unknown>) {
    for (let i = 0; i < warmup; i++) await query(i);
    const ms: number[] = [];
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      await query(i);
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    const at = (p: number) => Number(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2));
    return { p50Ms: at(0.5), p95Ms: at(0.95) };
  }

  const eventPage = await timed(EVENT_PAGE_REQUESTS, 20, async (i) => {
    const page = await queryIndex<EventPage>(ready.url, EVENT_PAGE, { event: events[i % EVENTS].toLowerCase() });
    if (page.event?.tiers.length !== TIERS.length) throw new Error("event page without its tiers");
  });
  log(`event page: ${JSON.stringify(eventPage)}`);

  const ticketId = (event: Address, tokenId: bigint) => `${event.toLowerCase()}${tokenId.toString(16).padStart(64, "0")}` as Hex;
  const gateSnapshot = await timed(SNAPSHOT_REQUESTS, 5, async (i) => {
    const e = i % EVENTS;
    const tokens = ticketsOf[e];
    // A page starting anywhere in the first 4,000 tickets: always a full page of 1,000.
    const from = (i * 397) % (tokens.length - 1_000);
    const after = from === 0 ? "0x" : ticketId(events[e], tokens[from - 1]);
    const page = await queryIndex<GateSnapshotPage>(ready.url, GATE_SNAPSHOT, { event: events[e].toLowerCase(), after, first: 1_000 });
    if (page.tickets.length !== 1_000) throw new Error(`gate snapshot page of ${page.tickets.length} tickets`);
  });
  log(`gate snapshot page (1,000 tickets): ${JSON.stringify(gateSnapshot)}`);

  // ---------------------------------------------------------------- the compiled subgraph's handlers

  // Could the local index run subgraph/build's WASM instead of its TypeScript mirror (issue 18)?
  // The same logs through server/subgraph-host, timed from logs already read to the last handler:
  // WASM handlers and an in-memory store, no SQLite (the mirror's backfill above pays for that).
  const blocks = await readBlocks(clients, platform.factoryBlock);
  const runner = new SubgraphRunner(SUBGRAPH_BUILD);
  const hostStarted = performance.now();
  for (const [block, blockLogs] of blocks) runner.processBlock(block, blockLogs);
  const hostMs = performance.now() - hostStarted;
  const subgraphHost = { events: runner.triggers, eventsPerSecond: Math.round(runner.triggers / (hostMs / 1000)) };
  log(`compiled subgraph: ${runner.triggers} handlers in ${(hostMs / 1000).toFixed(2)} s (${subgraphHost.eventsPerSecond}/s)`);

  const after = await ask("rss");
  const rssMB = Math.max(ready.rssMB, after.kind === "rss" ? after.rssMB : 0);
  worker.kill();
  await rpc.close();

  // ---------------------------------------------------------------- results

  const results = { backfill, eventPage, gateSnapshot, rssMB, subgraphHost };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/index.json", JSON.stringify(results, null, 2) + "\n");
  const met = (ok: boolean) => (ok ? "yes" : "NO");
  console.table({
    "backfill events/s (>= 3,000)": { result: backfill.eventsPerSecond, met: met(backfill.eventsPerSecond >= 3_000) },
    "event page p95 ms (<= 10)": { result: eventPage.p95Ms, met: met(eventPage.p95Ms <= 10) },
    "gate snapshot page p95 ms (<= 50)": { result: gateSnapshot.p95Ms, met: met(gateSnapshot.p95Ms <= 50) },
    "index process RSS MB (< 500)": { result: rssMB, met: met(rssMB < 500) },
    "compiled subgraph handlers/s (>= 3,000 to replace the mirror)": { result: subgraphHost.eventsPerSecond, met: met(subgraphHost.eventsPerSecond >= 3_000) },
  });
  updateReadmeSection(
    "index",
    [
      "| measure | result | target | met |",
      "| --- | ---: | ---: | :---: |",
      `| backfill, ${backfill.events.toLocaleString("en-US")} events | ${backfill.eventsPerSecond.toLocaleString("en-US")} events/s | ≥ 3,000/s | ${met(backfill.eventsPerSecond >= 3_000).toLowerCase()} |`,
      `| event page query, p50 / p95 | ${eventPage.p50Ms} / ${eventPage.p95Ms} ms | p95 ≤ 10 ms | ${met(eventPage.p95Ms <= 10).toLowerCase()} |`,
      `| gate snapshot page (1,000 tickets), p50 / p95 | ${gateSnapshot.p50Ms} / ${gateSnapshot.p95Ms} ms | p95 ≤ 50 ms | ${met(gateSnapshot.p95Ms <= 50).toLowerCase()} |`,
      `| index process RSS | ${rssMB} MB | < 500 MB | ${met(rssMB < 500).toLowerCase()} |`,
      `| the compiled subgraph's handlers on the same logs (WASM, in-memory store, no SQLite) | ${subgraphHost.eventsPerSecond.toLocaleString("en-US")} events/s | ≥ 3,000/s to replace the mirror | ${met(subgraphHost.eventsPerSecond >= 3_000).toLowerCase()} |`,
    ].join("\n"),
  );
}, { name: "bench:index" });
