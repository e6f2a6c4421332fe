// The gate's chain follower in a worker thread (started by chain-view.ts): RPC round trips, log
// decoding and reorg handling happen here, never on the thread that answers scans. So does the
// check-in writer, which reads the admission ledger through its own connection.
import type { Address } from "viem";

import { leanRpc, publicClientFor, walletClientFor } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { openDatabase } from "../db.js";
import { emit, moduleData, serve } from "../workers/runtime.js";
import { GateChainFollower } from "./chain-follower.js";
import { SqliteLedgerAdapter, type AsyncAdmissionLedger } from "./async-ledger.js";
import { AdmissionLedger } from "./ledger.js";
import { openPgLedger } from "./pg-ledger.js";
import { readUsedTickets, type UsedTickets } from "./used-tickets.js";
import { CheckInWriter, type WriterStatus } from "./writer.js";
import { WriterLease } from "./writer-lease.js";

export type ChainRequest =
  | { type: "open"; event: string }
  | { type: "fresh" }
  | { type: "used"; event: string }
  | { type: "start" }
  | { type: "stop" };

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
/** The ledger over it (SQLite only), shared by the writer and ledgerReader. */
let sqliteLedger: AdmissionLedger | undefined;
const writerWallet = config.gate.writerKey ? walletClientFor(config, config.gate.writerKey) : undefined;
const writerOptions = {
  batchSize: config.gate.batchSize,
  intervalMs: config.gate.batchIntervalMs,
  onStatus: (status: WriterStatus) => emit({ type: "writer", status }),
};
/**
 * The check-in writer. With PostgreSQL, on the shared ledger and under the gate key's lease (one
 * writer across every server with the key); opened in the background, so the follower never waits
 * for the database (a writer that cannot open says so in its status, and is tried again).
 */
const writer: Promise<CheckInWriter | undefined> = (async () => {
  if (!writerWallet) return undefined;
  if (!config.databaseUrl) return new CheckInWriter(new SqliteLedgerAdapter((sqliteLedger ??= new AdmissionLedger(ledgerDb))), client, writerWallet, writerOptions);
  for (;;) {
    try {
      // A writer frozen inside a batch change holds the lease row: the database ends that
      // transaction once the lease has run out, so another server can take the lease over.
      const ledger = await openPgLedger(config.databaseUrl, { max: 4, idleInTransactionMs: config.gate.writerLeaseMs });
      const lease = new WriterLease(ledger.pool, `${config.chainId}:${writerWallet.account.address.toLowerCase()}`, config.gate.writerLeaseMs);
      return new CheckInWriter(ledger, client, writerWallet, { ...writerOptions, lease: { lease, setFence: (fence) => (ledger.fence = fence) } });
    } catch (error) {
      emit({ type: "writer", status: { account: writerWallet.account.address, running: false, lastError: `PostgreSQL: ${(error as Error).message}` } });
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
})();
let openedWriter: CheckInWriter | undefined;
void writer.then((opened) => (openedWriter = opened));
if (writerWallet) emit({ type: "writer", status: { account: writerWallet.account.address, running: false } });
setInterval(() => {
  try {
    ledgerDb.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch {
    // busy: next second
  }
}, 1000).unref();

/**
 * The ledger as this thread reads it for the main thread (its own connection: a pool of one for
 * PostgreSQL, this thread's SQLite connection otherwise). What the scanners' status polls need of
 * it is read here, not on the thread that answers scans: late in a stadium event the used tickets
 * are tens of thousands of ids read and merged with the chain's (39-83 ms there, measured with
 * 40,000). Their counts are a few rows the ledger keeps: the main thread reads those itself.
 */
let reader: Promise<Pick<AsyncAdmissionLedger, "usedFeedCursor" | "admittedTokenIdsJson">> | undefined;
function ledgerReader() {
  if (!reader) {
    reader = config.databaseUrl ? openPgLedger(config.databaseUrl, { max: 1 }) : Promise.resolve(new SqliteLedgerAdapter((sqliteLedger ??= new AdmissionLedger(ledgerDb))));
    reader.catch(() => (reader = undefined)); // opened again at the next request
  }
  return reader;
}

/** An opened event's used tickets (undefined if it is not opened here). */
async function usedTickets(event: string): Promise<UsedTickets | undefined> {
  const onChain = follower.checkedInOnChain(event);
  if (!onChain) return undefined;
  return readUsedTickets(await ledgerReader(), event as Address, onChain);
}

serve<ChainRequest, unknown>(async (request) => {
  switch (request.type) {
    case "open":
      return follower.open(request.event);
    case "fresh":
      await follower.fresh();
      return true;
    case "used":
      return usedTickets(request.event);
    case "start":
      if (!running) {
        running = true;
        timer = setTimeout(loop, config.gate.snapshotIntervalMs);
        void writer.then((w) => {
          if (running) w?.start();
        });
      }
      return true;
    case "stop":
      running = false;
      clearTimeout(timer);
      await openedWriter?.stop(); // one still opening never starts: `running` is false
      return true;
  }
});
