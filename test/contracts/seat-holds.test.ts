// Issue 15, requirement 6: the organizer holds seats back (not for sale, read as taken), releases
// them one by one or a block at a time, and gives held seats away as free tickets recorded at 0.
import { expect } from "chai";
import { network } from "hardhat";

import { ZERO, createEvent, deployPlatform, eventInput, purchaseOptions, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
const section = (name: string) => ethers.hexlify(ethers.toUtf8Bytes(name)).padEnd(34, "0");

async function holdsFixture() {
  const { factory } = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger] = await ethers.getSigners();
  const input = await eventInput(ethers);
  const ticket = await createEvent(ethers, factory, organizer, input, [
    tierInput(input, { name: "Stalls", price: PRICE }),
    tierInput(input, { name: "Standing", price: PRICE, supply: 5 }),
  ]);
  // Row A seats 1-5, row B seats 6-10.
  await ticket.connect(organizer).setSeatMap(1, [{ section: section("Stalls"), firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 5, letteredRows: true }]);
  return { ticket, input, organizer, fan, friend, stranger };
}

describe("Seat holds and comps (issue 15)", function () {
  it("holds seats: taken for buyers, counted as sold, not owed a refund", async function () {
    const { ticket, organizer, fan } = await networkHelpers.loadFixture(holdsFixture);
    await expect(ticket.connect(organizer).holdSeats(1, [2, 3])).to.emit(ticket, "SeatsHeld").withArgs(1n, [2n, 3n]);
    expect(await ticket.isSeatTaken(1, 2)).to.equal(true);
    expect(await ticket.isSeatHeld(1, 2)).to.equal(true);
    expect(await ticket.isSeatHeld(1, 4)).to.equal(false);
    expect((await ticket.tier(1)).sold).to.equal(2n);
    await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [3n] }), { value: PRICE }))
      .to.be.revertedWithCustomError(ticket, "SeatTaken")
      .withArgs(1n, 3n);
    await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [4n] }), { value: PRICE });
    // Only the bought seat is owed a refund, and the escrow holds exactly that.
    expect(await ticket.refundBooks()).to.deep.equal([PRICE, 10n ** 18n]);
    expect(await ticket.escrowBalance()).to.equal(PRICE);
  });

  it("releases held seats one by one or as a block, and they sell again", async function () {
    const { ticket, organizer, fan } = await networkHelpers.loadFixture(holdsFixture);
    await ticket.connect(organizer).holdSeats(1, [1, 6, 7, 8, 9, 10]);
    await expect(ticket.connect(organizer).releaseSeats(1, [1])).to.emit(ticket, "SeatsReleased").withArgs(1n, [1n]);
    // Row B as a block.
    await ticket.connect(organizer).releaseSeats(1, [6, 7, 8, 9, 10]);
    expect(await ticket.isSeatTaken(1, 6)).to.equal(false);
    expect((await ticket.tier(1)).sold).to.equal(0n);
    expect(await ticket.refundBooks()).to.deep.equal([0n, 10n ** 18n]);
    await ticket.connect(fan).buyWith(1, 2, fan.address, purchaseOptions({ seats: [1n, 6n] }), { value: 2n * PRICE });
    expect(await ticket.ownerOf(tokenIdOf(1, 6))).to.equal(fan.address);
  });

  it("gives held seats as comps recorded at price 0: no refund, no resale for money", async function () {
    const { ticket, organizer, friend } = await networkHelpers.loadFixture(holdsFixture);
    await ticket.connect(organizer).holdSeats(1, [5, 9]);
    const tx = ticket.connect(organizer).compSeats(1, [5, 9], friend.address);
    await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(organizer.address, friend.address, 1n, tokenIdOf(1, 5), 2n, 0n);
    await expect(tx).to.emit(ticket, "Transfer").withArgs(ZERO, friend.address, tokenIdOf(1, 9));
    expect(await ticket.ownerOf(tokenIdOf(1, 5))).to.equal(friend.address);
    expect(await ticket.pricePaid(tokenIdOf(1, 5))).to.equal(0n);
    expect(await ticket.faceValue(tokenIdOf(1, 5))).to.equal(PRICE);
    expect(await ticket.isSeatHeld(1, 5)).to.equal(false);
    expect(await ticket.isSeatTaken(1, 5)).to.equal(true);
    expect((await ticket.tier(1)).sold).to.equal(2n);
    expect(await ticket.refundBooks()).to.deep.equal([0n, 10n ** 18n]);
    expect(await ticket.resaleCap(tokenIdOf(1, 5))).to.equal(0n);
    // A cancel refunds the comp nothing.
    await ticket.connect(organizer).cancel();
    await expect(ticket.connect(friend).claimRefund(tokenIdOf(1, 5)))
      .to.emit(ticket, "Refunded")
      .withArgs(tokenIdOf(1, 5), friend.address, friend.address, 0n);
  });

  it("refuses strangers, unseated tiers, seats off the map, taken or not held, and a denied recipient", async function () {
    const { ticket, organizer, fan, stranger, input } = await networkHelpers.loadFixture(holdsFixture);
    await expect(ticket.connect(stranger).holdSeats(1, [1]))
      .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, ethers.ZeroHash);
    await expect(ticket.connect(organizer).holdSeats(2, [1])).to.be.revertedWithCustomError(ticket, "NotSeatedTier").withArgs(2n);
    await expect(ticket.connect(organizer).holdSeats(1, [11])).to.be.revertedWithCustomError(ticket, "InvalidSeat").withArgs(1n, 11n);
    await expect(ticket.connect(organizer).holdSeats(1, [0])).to.be.revertedWithCustomError(ticket, "InvalidSeat").withArgs(1n, 0n);
    await expect(ticket.connect(organizer).holdSeats(1, [4, 4])).to.be.revertedWithCustomError(ticket, "SeatTaken").withArgs(1n, 4n);
    await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [4n] }), { value: PRICE });
    await expect(ticket.connect(organizer).holdSeats(1, [4])).to.be.revertedWithCustomError(ticket, "SeatTaken").withArgs(1n, 4n);
    // A sold seat is not a held one: neither released nor given by these.
    await expect(ticket.connect(organizer).releaseSeats(1, [4])).to.be.revertedWithCustomError(ticket, "SeatNotHeld").withArgs(1n, 4n);
    await expect(ticket.connect(organizer).compSeats(1, [4], fan.address)).to.be.revertedWithCustomError(ticket, "SeatNotHeld").withArgs(1n, 4n);
    await ticket.connect(organizer).holdSeats(1, [2]);
    await ticket.connect(organizer).setDenied([stranger.address], true);
    await expect(ticket.connect(organizer).compSeats(1, [2], stranger.address))
      .to.be.revertedWithCustomError(ticket, "AddressDenied")
      .withArgs(stranger.address);
    // Holding locks the seat map like a sale does.
    await expect(ticket.connect(organizer).setSeatMap(1, [{ section: section("X"), firstRow: 1, rows: 1, firstSeat: 1, seatsPerRow: 2, letteredRows: false }]))
      .to.be.revertedWithCustomError(ticket, "SeatMapLocked");
    await networkHelpers.time.increaseTo(input.end);
    await expect(ticket.connect(organizer).releaseSeats(1, [2])).to.be.revertedWithCustomError(ticket, "EventAlreadyEnded").withArgs(input.end);
  });

  it("a returned comp frees its seat for sale", async function () {
    const { ticket, organizer, friend, fan } = await networkHelpers.loadFixture(holdsFixture);
    await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: 0, shareBps: 10_000 }], false);
    await ticket.connect(organizer).holdSeats(1, [7]);
    await ticket.connect(organizer).compSeats(1, [7], friend.address);
    await expect(ticket.connect(friend).returnTicket(tokenIdOf(1, 7))).to.emit(ticket, "TicketReturned").withArgs(tokenIdOf(1, 7), friend.address, 0n, 0n);
    expect(await ticket.refundBooks()).to.deep.equal([0n, 10n ** 18n]);
    await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [7n] }), { value: PRICE });
    expect(await ticket.refundBooks()).to.deep.equal([PRICE, 10n ** 18n]);
  });
});
