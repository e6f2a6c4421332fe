// The check-in writer never makes a transaction no node takes: a batch's gas limit fits in the
// node's block gas limit and under EIP-7825's per-transaction cap, whatever CHAINPASS_GATE_BATCH_SIZE
// says, and a batch made earlier at a larger size is put back and written in pieces that fit.
import { expect } from "chai";
import { toHex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { publicClientFor, walletClientFor } from "../../server/chain.js";
import { openDatabase } from "../../server/db.js";
import { SqliteLedgerAdapter } from "../../server/gate/async-ledger.js";
import { AdmissionLedger } from "../../server/gate/ledger.js";
import { ConfigError, configFromEnv } from "../../server/config.js";
import { TRANSACTION_GAS_CAP } from "../../lib/transaction-gas.js";
import { checkInGasLimit, MAX_CHECK_IN_BATCH, ticketsPerTransaction } from "../../server/gate/check-in-gas.js";
import { CheckInWriter } from "../../server/gate/writer.js";
import { eventually } from "../helpers/eventually.js";
import { now, startLocalChain, tempDatabase, tokenId, venueFixture } from "../helpers/server.js";

/** Runs a check-in writer with `batchSize` until `count` admissions are confirmed on chain; its status then. */
async function writeOnChain(rpcUrl: string, venue: Awaited<ReturnType<typeof venueFixture>>, ledger: AdmissionLedger, batchSize: number, count: number) {
  const config = { chainId: 31337, rpcUrl };
  const writer = new CheckInWriter(new SqliteLedgerAdapter(ledger), publicClientFor(config), walletClientFor(config, toHex(venue.writer.getHdKey().privateKey!)), { batchSize, intervalMs: 50 });
  writer.start();
  try {
    await eventually(async () => ledger.counts(venue.event).confirmedOnChain === count, `the ${count} admissions confirmed on chain`);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the writer's last error: ${writer.status.lastError}`, { cause: error });
  } finally {
    await writer.stop();
  }
  return writer.status;
}

describe("Server: the check-in writer, the block gas limit and the transaction gas cap", function () {
  this.timeout(120_000);

  it("counts the tickets whose checkIn fits in a block and under the 2^24 transaction cap", function () {
    expect(TRANSACTION_GAS_CAP).to.equal(2n ** 24n);
    expect(ticketsPerTransaction(1_000_000n)).to.equal(30);
    expect(checkInGasLimit(30) <= 1_000_000n && checkInGasLimit(31) > 1_000_000n).to.equal(true);
    // A 30,000,000-gas block would take 996; the cap allows 555.
    expect(ticketsPerTransaction(30_000_000n)).to.equal(555);
    expect(ticketsPerTransaction(60_000_000n)).to.equal(555);
    expect(checkInGasLimit(555) <= TRANSACTION_GAS_CAP && checkInGasLimit(556) > TRANSACTION_GAS_CAP).to.equal(true);
    expect(ticketsPerTransaction(50_000n), "at least one").to.equal(1);
  });

  it("refuses a CHAINPASS_GATE_BATCH_SIZE larger than one transaction may carry, naming the limit", function () {
    expect(MAX_CHECK_IN_BATCH).to.equal(555);
    const local = { CHAINPASS_FACTORY: "0x5FbDB2315678afecb367f032d93F642f64180aa3", CHAINPASS_MEMBERSHIP: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" };
    const batchSize = (value: string) => configFromEnv({ ...local, CHAINPASS_GATE_BATCH_SIZE: value }).gate.batchSize;
    expect(batchSize("555")).to.equal(555);
    expect(() => batchSize("556"))
      .to.throw(ConfigError)
      .with.property("message", 'CHAINPASS_GATE_BATCH_SIZE="556" is not a whole number from 1 to 555 (see .env.example)');
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

      await writeOnChain(chain.rpcUrl, venue, ledger, 250, 40);

      const batches = ledger.batches();
      expect(batches[0]).to.deep.include({ id: early.id, state: "dropped", lastError: "40 tickets do not fit in one transaction (at most 30)" });
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

  it("writes 560 admissions with a batch size of 600 on a chain whose blocks would take 1,996 in transactions under the cap (555, then 5)", async function () {
    const chain = await startLocalChain();
    try {
      const venue = await venueFixture(chain.clients);
      const fan = venue.fans[1];
      // Serials 31–590 of the standing tier, for one fan, in purchases of 112.
      for (let i = 0; i < 5; i++) await venue.write("buy", [1n, 112n, fan.address, 112n * 10n ** 16n], fan, 112n * 10n ** 16n);
      const tickets = Array.from({ length: 560 }, (_, i) => tokenId(1, 31 + i));
      // Hardhat's node: 60,000,000 gas a block, Osaka's 2^24 a transaction.
      expect((await chain.clients.publicClient.getBlock()).gasLimit, "the node's own block gas limit").to.equal(60_000_000n);

      const ledger = new AdmissionLedger(openDatabase(tempDatabase()));
      for (const ticket of tickets) expect(ledger.tryAdmit(venue.event, ticket, venue.staff.address, fan.address, now())).to.equal(true);
      expect((await writeOnChain(chain.rpcUrl, venue, ledger, 600, 560)).lastError).to.equal(undefined);
      const batches = ledger.batches();
      expect(batches.map((b) => [b.state, b.tokenIds.length])).to.deep.equal([
        ["confirmed", 555],
        ["confirmed", 5],
      ]);
      for (const ticket of [tickets[0], tickets[554], tickets[555], tickets[559]]) {
        const checkedIn = await chain.clients.publicClient.readContract({ address: venue.event, abi: chainpassEventAbi, functionName: "isCheckedIn", args: [ticket] });
        expect(checkedIn, `ticket ${ticket} checked in on chain`).to.equal(true);
      }
    } finally {
      await chain.rpc.close();
    }
  });
});
