// The gate's chain follower in a worker thread (started by chain-view.ts): RPC round trips, log
// decoding and reorg handling happen here, never on the thread that answers scans. So does the
// check-in writer, which reads the admission ledger through its own connection.
import { leanRpc, publicClientFor, walletClientFor } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { openDatabase } from "../db.js";
import { emit, moduleData, serve } from "../workers/runtime.js";
import { GateChainFollower } from "./chain-follower.js";
import { SqliteLedgerAdapter } from "./async-ledger.js";
import { AdmissionLedger } from "./ledger.js";
import { CheckInWriter } from "./writer.js";

export type ChainRequest = { type: "open"; event: string } | { type: "fresh" } | { type: "start" } | { type: "stop" };

const { config } = moduleData<{ config: ServerConfig }>();
const client = publicClientFor(config, config.gate.rpcTimeoutMs);
const follower = new GateChainFollower({
  client,
  rpc: leanRpc(config.rpcUrl, config.gate.rpcTimeoutMs),
  factory: config.factory,
  factoryStartBlock: config.factoryStartBlock,
  range: config.gate.logRange,
  reorgDepth: config.gate.reorgDepth,
  indexUrl: config.gate.indexUrl,
  indexTimeoutMs: config.gate.rpcTimeoutMs * 4,
  emit,
});

// The background loop: reorgs and changes are picked up even when nobody scans.
let timer: NodeJS.Timeout | undefined;
let running = false;
const loop = () => {
  if (!running) return;
  void follower
    .fresh(true)
    .catch(() => undefined) // reported through the health message
    .finally(() => {
      if (running) timer = setTimeout(loop, config.gate.snapshotIntervalMs);
    });
};

// The main thread writes the ledger without checkpointing the WAL itself (a checkpoint writes and
// syncs the database file: milliseconds the scan would wait); this thread does it, every second.
const ledgerDb = openDatabase(config.databasePath);
const writer = config.gate.writerKey
  ? new CheckInWriter(new SqliteLedgerAdapter(new AdmissionLedger(ledgerDb)), client, walletClientFor(config, config.gate.writerKey), {
      batchSize: config.gate.batchSize,
      intervalMs: config.gate.batchIntervalMs,
      onStatus: (status) => emit({ type: "writer", status }),
    })
  : undefined;
if (writer) emit({ type: "writer", status: { ...writer.status } });
setInterval(() => {
  try {
    ledgerDb.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch {
    // busy: next second
  }
}, 1000).unref();

serve<ChainRequest, unknown>(async (request) => {
  switch (request.type) {
    case "open":
      return follower.open(request.event);
    case "fresh":
      await follower.fresh();
      return true;
    case "start":
      if (!running) {
        running = true;
        timer = setTimeout(loop, config.gate.snapshotIntervalMs);
        writer?.start();
      }
      return true;
    case "stop":
      running = false;
      clearTimeout(timer);
      writer?.stop();
      return true;
  }
});
