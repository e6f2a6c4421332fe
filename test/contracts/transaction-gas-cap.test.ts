// EIP-7825: a transaction asks for at most 2^24 gas (Hardhat's node refuses more, as Osaka
// chains do). The console splits each list it sends into transactions of PER_TRANSACTION
// entries (lib/transaction-gas.ts); here a full one of each, in its costliest case (every entry
// in a storage word of its own), stays under the cap. The gas figures in lib/transaction-gas.ts
// are these transactions' gas divided by their entries.
import { expect } from "chai";
import { Wallet } from "ethers";
import { network } from "hardhat";

import { inBatches, PER_TRANSACTION, TRANSACTION_GAS_CAP } from "../../lib/transaction-gas.js";
import { HOUR, createEvent, deployPlatform, eventInput, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

/** Seats one bitmap word apart (256 token ids): every seat writes a storage slot of its own, the costliest list. */
const scattered = (count: number, from = 1) => Array.from({ length: count }, (_, i) => BigInt(from + i * 256));

async function seatedFixture() {
  const { factory } = await deployPlatform(ethers);
  const [, , organizer, gate] = await ethers.getSigners();
  const input = await eventInput(ethers);
  // 1,000 rows of 256 seats: room for lists of up to 1,000 seats each in a word of its own.
  const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input, { name: "Stalls", supply: 256_000 })]);
  const section = ethers.hexlify(ethers.toUtf8Bytes("Stalls")).padEnd(34, "0");
  await ticket.connect(organizer).setSeatMap(1, [{ section, firstRow: 1, rows: 1000, firstSeat: 1, seatsPerRow: 256, letteredRows: false }]);
  await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
  return { ticket, input, organizer, gate };
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) {
  return (await (await tx).wait())!.gasUsed;
}

describe("Lists sent in one transaction stay under EIP-7825's 2^24 gas (lib/transaction-gas.ts)", function () {
  this.timeout(300_000);

  it("setDenied: PER_TRANSACTION.setDenied accounts never listed before", async function () {
    const { ticket, organizer } = await networkHelpers.loadFixture(seatedFixture);
    const accounts = Array.from({ length: 2 * PER_TRANSACTION.setDenied }, () => Wallet.createRandom().address);
    const gas = await gasOf(ticket.connect(organizer).setDenied(accounts.slice(0, PER_TRANSACTION.setDenied), true));
    expect(gas < TRANSACTION_GAS_CAP, `${gas} gas`).to.equal(true);
    // Twice the list at the same gas an account would need more than the cap, and the node refuses
    // any transaction that asks for more.
    expect(2n * gas > TRANSACTION_GAS_CAP, "twice the list would not fit").to.equal(true);
    const refused = await ticket
      .connect(organizer)
      .setDenied(accounts, true, { gasLimit: TRANSACTION_GAS_CAP + 1n })
      .then(() => "sent", (error: Error) => error.message);
    expect(refused).to.match(/exceeds transaction gas cap of 16777216/);
  });

  it("holdSeats, compSeats and releaseSeats: full lists of seats each in a storage word of its own", async function () {
    const { ticket, organizer } = await networkHelpers.loadFixture(seatedFixture);
    const holdAll = async (seats: bigint[]) => {
      for (const slice of inBatches(seats, PER_TRANSACTION.holdSeats)) {
        const gas = await gasOf(ticket.connect(organizer).holdSeats(1, slice));
        expect(gas < TRANSACTION_GAS_CAP, `holdSeats of ${slice.length}: ${gas} gas`).to.equal(true);
      }
    };
    const comped = scattered(PER_TRANSACTION.compSeats);
    await holdAll(comped);
    const recipient = Wallet.createRandom().address;
    const compGas = await gasOf(ticket.connect(organizer).compSeats(1, comped, recipient));
    expect(compGas < TRANSACTION_GAS_CAP, `compSeats: ${compGas} gas`).to.equal(true);
    expect(await ticket.balanceOf(recipient)).to.equal(BigInt(comped.length));

    const released = scattered(PER_TRANSACTION.releaseSeats, 2);
    await holdAll(released);
    const releaseGas = await gasOf(ticket.connect(organizer).releaseSeats(1, released));
    expect(releaseGas < TRANSACTION_GAS_CAP, `releaseSeats: ${releaseGas} gas`).to.equal(true);
    expect(await ticket.isSeatHeld(1, released.at(-1)!)).to.equal(false);
  });

  it("undoCheckIn: PER_TRANSACTION.undoCheckIn tickets each in a storage word of its own", async function () {
    const { ticket, organizer, gate, input } = await networkHelpers.loadFixture(seatedFixture);
    const tickets = scattered(PER_TRANSACTION.undoCheckIn, 3);
    await ticket.connect(organizer).holdSeats(1, tickets);
    await ticket.connect(organizer).compSeats(1, tickets, organizer.address);
    const ids = tickets.map((seat) => tokenIdOf(1, seat));
    await networkHelpers.time.increaseTo(input.start - HOUR);
    await ticket.connect(gate).checkIn(ids);
    const gas = await gasOf(ticket.connect(organizer).undoCheckIn(ids));
    expect(gas < TRANSACTION_GAS_CAP, `${gas} gas`).to.equal(true);
    for (const id of ids.slice(0, 3)) expect(await ticket.isCheckedIn(id)).to.equal(false);
  });

  it("inBatches: consecutive slices of at most the size, in order", function () {
    expect(inBatches([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(inBatches([1, 2], 2)).to.deep.equal([[1, 2]]);
    expect(inBatches([], 3)).to.deep.equal([]);
  });
});
