// Issue 15, requirement 3: a ticket exchanged for another tier, slot or seat of the same event in
// one transaction, paying the difference up or refunded the difference down at the policy's share.
import { expect } from "chai";
import { network } from "hardhat";

import { DAY, ZERO, createEvent, deployPlatform, eventInput, purchaseOptions, tierInput, tokenIdOf } from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const GA = 10n ** 17n;
const VIP = 3n * 10n ** 17n;
const STALLS = 2n * 10n ** 17n;
const section = (name: string) => ethers.hexlify(ethers.toUtf8Bytes(name)).padEnd(34, "0");
/** 100% until 7 days before, 40% until 1 day before; exchanges offered. */
const POLICY = [
  { secondsBefore: 7 * DAY, shareBps: 10_000 },
  { secondsBefore: DAY, shareBps: 4_000 },
];

async function exchangeFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger] = await ethers.getSigners();
  const input = await eventInput(ethers, { policy: 1 });
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [
    tierInput(input, { name: "GA", price: GA, supply: 2 }),
    tierInput(input, { name: "VIP", price: VIP, supply: 2, maxPerWallet: 1 }),
    tierInput(input, { name: "Stalls", price: STALLS }),
  ]);
  await ticket.connect(organizer).setSeatMap(3, [{ section: section("Stalls"), firstRow: 1, rows: 1, firstSeat: 1, seatsPerRow: 6, letteredRows: true }]);
  await ticket.connect(organizer).setRefundPolicy(POLICY, true);
  await ticket.connect(fan).buy(1, 2, fan.address, 2n * GA, { value: 2n * GA }); // 1000001, 1000002
  await ticket.connect(fan).buyWith(3, 1, fan.address, purchaseOptions({ seats: [2n] }), { value: STALLS }); // 3000002
  return { ...platform, ticket, input, organizer, fan, friend, stranger };
}

describe("Exchanges (issue 15)", function () {
  it("upgrades GA to VIP for the difference: the old ticket burned, its place back on sale, the new one minted", async function () {
    const { ticket, fan, friend } = await networkHelpers.loadFixture(exchangeFixture);
    const escrow = await ticket.escrowBalance();
    const tx = ticket.connect(fan).exchangeTicket(tokenIdOf(1, 1), 2, 0, 0, VIP - GA, { value: VIP - GA });
    await expect(tx).to.emit(ticket, "TicketExchanged").withArgs(tokenIdOf(1, 1), tokenIdOf(2, 1), fan.address, VIP, VIP - GA, 0n);
    await expect(tx).to.emit(ticket, "Transfer").withArgs(fan.address, ZERO, tokenIdOf(1, 1));
    await expect(tx).to.emit(ticket, "Transfer").withArgs(ZERO, fan.address, tokenIdOf(2, 1));
    await expect(tx).to.changeEtherBalance(ethers, ticket, VIP - GA);
    expect(await ticket.ownerOf(tokenIdOf(2, 1))).to.equal(fan.address);
    expect(await ticket.pricePaid(tokenIdOf(2, 1))).to.equal(VIP);
    await expect(ticket.ownerOf(tokenIdOf(1, 1))).to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken");
    expect(await ticket.escrowBalance()).to.equal(escrow + VIP - GA);
    // GA had 2 and both sold: the exchanged place is back (supply 3), so a friend can buy one.
    expect([(await ticket.tier(1)).supply, (await ticket.tier(1)).sold]).to.deep.equal([3n, 2n]);
    expect((await ticket.tier(2)).sold).to.equal(1n);
    await ticket.connect(friend).buy(1, 1, friend.address, GA, { value: GA });
    // The books owe every live ticket its price: GA 1000002, 1000003, VIP 2000001, seat 3000002.
    expect((await ticket.refundBooks())[0]).to.equal(2n * GA + VIP + STALLS);
    // The exchange counted against VIP's one-per-wallet limit.
    expect(await ticket.purchased(2, fan.address)).to.equal(1n);
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(1, 2), 2, 0, 0, VIP, { value: VIP - GA }))
      .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
      .withArgs(2n, fan.address, 1n, 0n);
  });

  it("downgrades a seat to GA: the difference refunded at the policy's share, the rest kept; the seat free again", async function () {
    const { ticket, fan, input } = await networkHelpers.loadFixture(exchangeFixture);
    await networkHelpers.time.increaseTo(input.start - 3 * DAY); // 40% now
    const seat = tokenIdOf(3, 2);
    const refund = ((STALLS - GA) * 4_000n) / 10_000n;
    const before = await ticket.escrowBalance();
    // GA is sold out: a return puts a place back (40% of its price refunded).
    await ticket.connect(fan).returnTicket(tokenIdOf(1, 2));
    const tx = ticket.connect(fan).exchangeTicket(seat, 1, 0, 0, 0);
    await expect(tx).to.emit(ticket, "TicketExchanged").withArgs(seat, tokenIdOf(1, 3), fan.address, GA, 0n, refund);
    await expect(tx).to.changeEtherBalance(ethers, fan, refund);
    expect(await ticket.isSeatTaken(3, 2)).to.equal(false);
    expect(await ticket.pricePaid(tokenIdOf(1, 3))).to.equal(GA);
    // Escrow: less the return's 40% of GA and the exchange's refund; what is left covers every live ticket and the kept shares.
    expect(await ticket.escrowBalance()).to.equal(before - (GA * 4_000n) / 10_000n - refund);
    expect((await ticket.refundBooks())[0]).to.equal(2n * GA);
  });

  it("moves to another seat of the same tier, for nothing", async function () {
    const { ticket, fan } = await networkHelpers.loadFixture(exchangeFixture);
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(3, 2), 3, 0, 5, 0))
      .to.emit(ticket, "TicketExchanged")
      .withArgs(tokenIdOf(3, 2), tokenIdOf(3, 5), fan.address, STALLS, 0n, 0n);
    expect(await ticket.isSeatTaken(3, 2)).to.equal(false);
    expect(await ticket.ownerOf(tokenIdOf(3, 5))).to.equal(fan.address);
    expect((await ticket.tier(3)).sold).to.equal(1n);
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(3, 5), 3, 0, 5, 0))
      .to.be.revertedWithCustomError(ticket, "InvalidExchange")
      .withArgs(tokenIdOf(3, 5), 3n);
    await ticket.connect(fan).buyWith(3, 1, fan.address, purchaseOptions({ seats: [6n] }), { value: STALLS });
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(3, 5), 3, 0, 6, 0))
      .to.be.revertedWithCustomError(ticket, "SeatTaken")
      .withArgs(3n, 6n);
  });

  it("refuses without the offer, after the start, for used, listed or others' tickets, a closed or full target, a bad seat, too little money", async function () {
    const { ticket, fan, stranger, organizer, input } = await networkHelpers.loadFixture(exchangeFixture);
    const id = tokenIdOf(1, 1);
    await expect(ticket.connect(stranger).exchangeTicket(id, 2, 0, 0, VIP))
      .to.be.revertedWithCustomError(ticket, "ERC721InsufficientApproval")
      .withArgs(stranger.address, id);
    await expect(ticket.connect(fan).exchangeTicket(id, 1, 0, 0, 0)).to.be.revertedWithCustomError(ticket, "InvalidExchange").withArgs(id, 1n);
    await expect(ticket.connect(fan).exchangeTicket(id, 3, 0, 0, STALLS)).to.be.revertedWithCustomError(ticket, "InvalidSeat").withArgs(3n, 0n);
    await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 4, VIP)).to.be.revertedWithCustomError(ticket, "NotSeatedTier").withArgs(2n);
    await expect(ticket.connect(fan).exchangeTicket(id, 9, 0, 0, VIP)).to.be.revertedWithCustomError(ticket, "UnknownTier").withArgs(9n);
    await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 0, VIP - GA - 1n, { value: VIP - GA }))
      .to.be.revertedWithCustomError(ticket, "PriceAboveLimit")
      .withArgs(VIP - GA, VIP - GA - 1n);
    await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 0, VIP, { value: VIP }))
      .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
      .withArgs(VIP - GA, VIP);
    await ticket.connect(organizer).setTierPaused(2, true);
    await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 0, VIP, { value: VIP - GA })).to.be.revertedWithCustomError(ticket, "TierIsPaused").withArgs(2n);
    await ticket.connect(organizer).setTierPaused(2, false);
    await ticket.connect(fan).list(id, GA);
    await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 0, VIP, { value: VIP - GA })).to.be.revertedWithCustomError(ticket, "TicketListed").withArgs(id);
    await ticket.connect(fan).cancelListing(id);
    // Tier 1 is sold out: tier 3's seat cannot move there.
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(3, 2), 1, 0, 0, 0)).to.be.revertedWithCustomError(ticket, "SoldOut").withArgs(1n, 1n, 0n);

    // Sales close at the start; exchanges too.
    await networkHelpers.time.increaseTo(input.start);
    await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 0, VIP, { value: VIP - GA }))
      .to.be.revertedWithCustomError(ticket, "ExchangeClosed")
      .withArgs(id, input.start);
  });

  it("needs the policy's offer", async function () {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer, fan] = await ethers.getSigners();
    const input = await eventInput(ethers);
    const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input, { price: GA }), tierInput(input, { name: "VIP", price: VIP })]);
    await ticket.connect(fan).buy(1, 1, fan.address, GA, { value: GA });
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(1, 1), 2, 0, 0, VIP, { value: VIP - GA })).to.be.revertedWithCustomError(
      ticket,
      "ExchangesNotOffered",
    );
    await ticket.connect(organizer).setRefundPolicy([], true);
    await ticket.connect(fan).exchangeTicket(tokenIdOf(1, 1), 2, 0, 0, VIP, { value: VIP - GA });
    expect(await ticket.ownerOf(tokenIdOf(2, 1))).to.equal(fan.address);
  });

  it("exchanges a USDC ticket, paying the difference in USDC", async function () {
    const { factory, usdc } = await deployPlatform(ethers);
    const [, , organizer, fan] = await ethers.getSigners();
    const input = await eventInput(ethers, { currency: await usdc.getAddress() });
    const ticket = await createEvent(ethers, factory, organizer, input, [
      tierInput(input, { price: 20_000_000n }),
      tierInput(input, { name: "VIP", price: 50_000_000n }),
    ]);
    await ticket.connect(organizer).setRefundPolicy([], true);
    await usdc.connect(fan).mint(fan.address, 50_000_000n);
    await usdc.connect(fan).approve(await ticket.getAddress(), 50_000_000n);
    await ticket.connect(fan).buy(1, 1, fan.address, 20_000_000n);
    await expect(ticket.connect(fan).exchangeTicket(tokenIdOf(1, 1), 2, 0, 0, 30_000_000n)).to.changeTokenBalances(
      ethers,
      usdc,
      [fan, ticket],
      [-30_000_000n, 30_000_000n],
    );
    expect(await ticket.escrowBalance()).to.equal(50_000_000n);
  });
});
