// Following the chain: the local index resumes after a restart (or an interruption in the middle
// of a backfill) without applying anything twice, follows new blocks while running, and survives
// reorgs made with the node's evm_snapshot / evm_revert, rolling back to the common ancestor. In
// each case the index must equal, row for row, a fresh index of the same chain.
import { expect } from "chai";
import { createPublicClient, custom, type Account } from "viem";

import { publicClientFor, type PublicClient } from "../../server/chain.js";
import { dumpEntities, rpc, startIndexer, type IndexerUnderTest } from "../helpers/indexer.js";
import { subgraphDifferences } from "../helpers/subgraph-store.js";
import { startLocalChain, venueFixture } from "../helpers/server.js";

const PRICE = 10n ** 16n;

describe("Server: local index following the chain", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  const open: IndexerUnderTest[] = [];
  let reports: string[] = [];

  const start = async (options: Parameters<typeof startIndexer>[2] = {}) => {
    const index = await startIndexer(chain.rpcUrl, venue.platform, { log: (message) => reports.push(message), ...options });
    open.push(index);
    return index;
  };
  /** A fresh index of the chain as it is now: what any other index of it must equal. */
  const freshDump = async () => {
    const fresh = await start();
    await fresh.indexer.syncOnce();
    return dumpEntities(fresh.db);
  };
  const buy = (fan: Account, quantity: bigint) => venue.write("buy", [1n, quantity, fan.address, quantity * PRICE], fan, quantity * PRICE);
  const ownerOf = async (index: IndexerUnderTest, tokenId: bigint) => {
    const { ticket } = index.indexer.query({
      query: `{ ticket(id: "${venue.event.toLowerCase()}${tokenId.toString(16).padStart(64, "0")}") { owner { id } } }`,
    }).data as {
      ticket: { owner: { id: string } } | null;
    };
    return ticket?.owner.id;
  };

  beforeEach(async function () {
    reports = [];
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
  });
  afterEach(async function () {
    await Promise.all(open.splice(0).map((index) => index.close()));
    await chain.rpc.close();
  });

  describe("restarts", function () {
    it("resumes from its last block on the same database, applying nothing twice", async function () {
      const first = await start();
      const before = await first.indexer.syncOnce();
      await first.close();

      await buy(venue.fans[2], 4n);
      await venue.write("transferFrom", [venue.fans[0].address, venue.fans[1].address, 1_000_001n], venue.fans[0]);
      await venue.write("checkIn", [[1_000_002n]], venue.staff);

      const again = await start({ databasePath: first.databasePath });
      const after = await again.indexer.syncOnce();
      const fresh = await freshDump();
      expect(dumpEntities(again.db)).to.deep.equal(fresh);
      // 4 mints + 1 purchase + 1 transfer + 1 check-in: only the new logs were applied.
      expect(after.logsApplied).to.equal(7);
      expect(after.block!.number).to.be.greaterThan(before.block!.number);
      expect(await ownerOf(again, 1_000_001n)).to.equal(venue.fans[1].address.toLowerCase());
    });

    it("resumes an interrupted backfill from its last committed block", async function () {
      await buy(venue.fans[2], 5n);
      await venue.write("checkIn", [[1_000_003n, 1_000_004n]], venue.staff);
      // An RPC that fails after a number of requests: the backfill stops part way.
      const real = publicClientFor({ rpcUrl: chain.rpcUrl, chainId: 31337 });
      let budget = 12;
      const failing = createPublicClient({
        transport: custom(
          {
            request: async (args) => {
              if (budget-- <= 0) throw new Error("RPC unreachable");
              return real.request(args as never);
            },
          },
          { retryCount: 0 },
        ),
      }) as unknown as PublicClient;

      const interrupted = await start({ client: failing, range: 3n, logsPerTransaction: 4 });
      const failure = await interrupted.indexer.syncOnce().then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure?.message).to.include("RPC unreachable");
      const partial = interrupted.indexer.status();
      expect(partial.block, "some blocks were committed before the failure").to.not.equal(undefined);
      await interrupted.close();

      const resumed = await start({ databasePath: interrupted.databasePath, range: 3n, logsPerTransaction: 4 });
      await resumed.indexer.syncOnce();
      expect(dumpEntities(resumed.db)).to.deep.equal(await freshDump());
    });
  });

  it("follows new blocks while running", async function () {
    const index = await start({ pollIntervalMs: 20 });
    index.indexer.start();
    await buy(venue.fans[0], 1n);
    const head = await chain.clients.publicClient.getBlockNumber();
    for (let i = 0; i < 250 && (index.indexer.status().block?.number ?? -1n) < head; i++) await new Promise((r) => setTimeout(r, 20));
    expect(index.indexer.status().block?.number).to.equal(head);
    expect(await ownerOf(index, 1_000_031n)).to.equal(venue.fans[0].address.toLowerCase());
    await index.indexer.stop();
  });

  describe("reorgs (evm_snapshot / evm_revert, then other transactions)", function () {
    it("rolls back to the common ancestor when the new branch is shorter", async function () {
      const index = await start();
      await index.indexer.syncOnce();
      const snapshot = await rpc<string>(chain.rpcUrl, "evm_snapshot");

      // Branch 1: four blocks, indexed.
      await buy(venue.fans[2], 3n);
      await venue.write("transferFrom", [venue.fans[0].address, venue.fans[2].address, 1_000_001n], venue.fans[0]);
      await venue.write("list", [1_000_011n, PRICE], venue.fans[1]);
      await venue.write("checkIn", [[1_000_002n]], venue.staff);
      const onBranch1 = await index.indexer.syncOnce();
      expect(await ownerOf(index, 1_000_001n)).to.equal(venue.fans[2].address.toLowerCase());

      // Branch 2 replaces them with two other blocks.
      await rpc(chain.rpcUrl, "evm_revert", [snapshot]);
      await buy(venue.fans[1], 1n);
      await venue.write("transferFrom", [venue.fans[0].address, venue.fans[1].address, 1_000_003n], venue.fans[0]);
      const onBranch2 = await index.indexer.syncOnce();
      expect(reports).to.deep.equal([`reorg: rolled back from block ${onBranch1.block!.number} to block ${onBranch1.block!.number - 4n}`]);

      const head = await chain.clients.publicClient.getBlock();
      expect(onBranch2.block).to.deep.equal({ number: head.number, hash: head.hash, timestamp: head.timestamp });
      expect(await ownerOf(index, 1_000_001n)).to.equal(venue.fans[0].address.toLowerCase());
      expect(await ownerOf(index, 1_000_003n)).to.equal(venue.fans[1].address.toLowerCase());
      // Rolled back, not rebuilt: only branch 2's logs (1 mint + purchase, 1 transfer) were applied again.
      expect(onBranch2.logsApplied - onBranch1.logsApplied).to.equal(3);
      expect(dumpEntities(index.db)).to.deep.equal(await freshDump());
      // And the compiled subgraph, given only the chain as it is now, stores the same.
      expect(await subgraphDifferences(index.db, chain.clients, venue.platform.factoryBlock)).to.deep.equal([]);
    });

    it("rolls back when the new branch is as long or longer (same heights, other hashes)", async function () {
      const index = await start();
      await index.indexer.syncOnce();
      const snapshot = await rpc<string>(chain.rpcUrl, "evm_snapshot");
      await buy(venue.fans[2], 2n);
      await venue.write("setDenied", [[venue.fans[1].address], true]);
      await index.indexer.syncOnce();

      await rpc(chain.rpcUrl, "evm_revert", [snapshot]);
      await venue.write("list", [1_000_012n, PRICE], venue.fans[1]);
      await buy(venue.fans[0], 2n);
      await venue.write("gift", [1_000_001n, venue.fans[2].address], venue.fans[0]);
      await index.indexer.syncOnce();
      expect(reports).to.have.length(1);
      expect(reports[0]).to.match(/^reorg: rolled back from block \d+ to block \d+$/);
      expect(dumpEntities(index.db)).to.deep.equal(await freshDump());
      expect(await subgraphDifferences(index.db, chain.clients, venue.platform.factoryBlock)).to.deep.equal([]);
    });

    it("indexes again from the start block when a reorg goes deeper than its journal", async function () {
      const index = await start({ reorgDepth: 2n });
      await index.indexer.syncOnce();
      const snapshot = await rpc<string>(chain.rpcUrl, "evm_snapshot");
      for (let i = 0; i < 5; i++) await buy(venue.fans[i % 3], 1n);
      await index.indexer.syncOnce();

      await rpc(chain.rpcUrl, "evm_revert", [snapshot]);
      await buy(venue.fans[2], 2n);
      await index.indexer.syncOnce();
      expect(reports).to.have.length(1);
      expect(reports[0]).to.match(/beyond the 2-block journal: indexing again from block/);
      expect(dumpEntities(index.db)).to.deep.equal(await freshDump());
    });
  });
});
