// The check-in writer never makes a transaction no block can take: a batch's gas limit fits in the
// node's block gas limit, whatever CHAINPASS_GATE_BATCH_SIZE says, and a batch made earlier at a
// larger size is put back and written in pieces that fit.
import { expect } from "chai";
import { toHex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { publicClientFor, walletClientFor } from "../../server/chain.js";
import { openDatabase } from "../../server/db.js";
import { SqliteLedgerAdapter } from "../../server/gate/async-ledger.js";
import { AdmissionLedger } from "../../server/gate/ledger.js";
import { checkInGasLimit, CheckInWriter, ticketsPerBlock } from "../../server/gate/writer.js";
import { eventually } from "../helpers/eventually.js";
import { now, startLocalChain, tempDatabase, tokenId, venueFixture } from "../helpers/server.js";

describe("Server: the check-in writer and the block gas limit", function () {
  this.timeout(120_000);

  it("counts the tickets whose checkIn fits in a block", function () {
    expect(ticketsPerBlock(30_000_000n)).to.equal(996);
    expect(checkInGasLimit(996) <= 30_000_000n && checkInGasLimit(997) > 30_000_000n).to.equal(true);
    expect(ticketsPerBlock(1_000_000n)).to.equal(30);
    expect(ticketsPerBlock(50_000n), "at least one").to.equal(1);
  });

  it("writes 40 admissions in batches that fit a 1,000,000-gas block, after putting back a batch of 40 made before", async function () {
    const chain = await startLocalChain();
    try {
      const venue = await venueFixture(chain.clients);
      const fan = venue.fans[1];
      // The fixture's fans hold standing tickets 1–30; 30 more for one of them.
      await venue.write("buy", [1n, 30n, fan.address, 30n * 10n ** 16n], fan, 30n * 10n ** 16n);
      const tickets = Array.from({ length: 40 }, (_, i) => tokenId(1, 21 + i));
      const gasLimit = 1_000_000n;
      await chain.clients.publicClient.request({ method: "evm_setBlockGasLimit" as never, params: [toHex(gasLimit)] as never });
      await chain.clients.publicClient.request({ method: "evm_mine" as never }); // the latest block has the new limit
      expect((await chain.clients.publicClient.getBlock()).gasLimit).to.equal(gasLimit);
      expect(checkInGasLimit(40), "a batch of 40 would not fit").to.be.greaterThan(gasLimit);

      const ledger = new AdmissionLedger(openDatabase(tempDatabase()));
      for (const ticket of tickets) expect(ledger.tryAdmit(venue.event, ticket, venue.staff.address, fan.address, now())).to.equal(true);
      // As a writer with CHAINPASS_GATE_BATCH_SIZE 250 would have made it on a chain with larger blocks.
      const early = ledger.createBatch(250, now())!;
      expect(early.tokenIds).to.have.length(40);

      const config = { chainId: 31337, rpcUrl: chain.rpcUrl };
      const writer = new CheckInWriter(new SqliteLedgerAdapter(ledger), publicClientFor(config), walletClientFor(config, toHex(venue.writer.getHdKey().privateKey!)), {
        batchSize: 250,
        intervalMs: 50,
      });
      writer.start();
      try {
        await eventually(async () => ledger.counts(venue.event).confirmedOnChain === 40, "the 40 admissions confirmed on chain");
      } catch (error) {
        throw new Error(`${(error as Error).message}; the writer's last error: ${writer.status.lastError}`, { cause: error });
      } finally {
        writer.stop();
      }

      const batches = ledger.batches();
      expect(batches[0]).to.deep.include({ id: early.id, state: "dropped", lastError: "40 tickets do not fit in a block (at most 30)" });
      const written = batches.slice(1);
      expect(written.map((b) => b.state)).to.deep.equal(["confirmed", "confirmed"]);
      expect(written.map((b) => b.tokenIds.length)).to.deep.equal([30, 10]);
      expect(written.flatMap((b) => b.tokenIds).sort()).to.deep.equal([...tickets].sort());
      for (const ticket of tickets) {
        const checkedIn = await chain.clients.publicClient.readContract({ address: venue.event, abi: chainpassEventAbi, functionName: "isCheckedIn", args: [ticket] });
        expect(checkedIn, `ticket ${ticket} checked in on chain`).to.equal(true);
      }
    } finally {
      await chain.rpc.close();
    }
  });
});
