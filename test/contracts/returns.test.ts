// Issue 15, requirements 1 and 2: a refund policy that can only become more generous, and
// returns by the holder within it: the refundable share paid from the escrow, the ticket burned,
// its place (a seat, a unit of supply) back on sale, the rest kept for the organizer — also
// through a later cancellation.
import { expect } from "chai";
import { network } from "hardhat";

import {
  ANY_PRICE,
  CHECK_IN_LEAD,
  DAY,
  HOUR,
  PLATFORM_FEE_BPS,
  SETTLEMENT_DELAY,
  ZERO,
  createEvent,
  deployPlatform,
  eventInput,
  purchaseOptions,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
const SEATED_PRICE = 3n * 10n ** 16n;
/** 100% until 7 days before the start, 50% until 1 day before, then nothing. */
const POLICY = [
  { secondsBefore: 7 * DAY, shareBps: 10_000 },
  { secondsBefore: DAY, shareBps: 5_000 },
];
const section = (name: string) => ethers.hexlify(ethers.toUtf8Bytes(name)).padEnd(34, "0");

async function returnsFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger, gate] = await ethers.getSigners();
  const input = await eventInput(ethers, { policy: 1 });
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [
    tierInput(input, { price: PRICE, supply: 3 }),
    tierInput(input, { name: "Stalls", price: SEATED_PRICE }),
  ]);
  await ticket.connect(organizer).setSeatMap(2, [{ section: section("Stalls"), firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 5, letteredRows: true }]);
  await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
  await ticket.connect(fan).buy(1, 2, fan.address, 2n * PRICE, { value: 2n * PRICE });
  await ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ seats: [4n] }), { value: SEATED_PRICE });
  return { ...platform, ticket, input, organizer, fan, friend, stranger, gate };
}

async function withPolicy() {
  const ctx = await returnsFixture();
  await ctx.ticket.connect(ctx.organizer).setRefundPolicy(POLICY, false);
  return ctx;
}

/** What `signer` gained in ETH from `tx`, gas included back. */
async function gained(tx: Promise<{ wait(): Promise<unknown> }>, address: string) {
  const before = await ethers.provider.getBalance(address);
  const receipt = (await (await tx).wait()) as { gasUsed: bigint; gasPrice: bigint };
  return (await ethers.provider.getBalance(address)) - before + receipt.gasUsed * receipt.gasPrice;
}

describe("Refund policy and returns (issue 15)", function () {
  describe("the policy", function () {
    it("starts with no returns, is the organizer's to set, and is read back as set", async function () {
      const { ticket, fan, organizer } = await networkHelpers.loadFixture(returnsFixture);
      expect(await ticket.refundPolicy()).to.deep.equal([[], false]);
      expect(await ticket.returnQuote(tokenIdOf(1, 1))).to.deep.equal([0n, 0n]);
      await expect(ticket.connect(fan).returnTicket(tokenIdOf(1, 1))).to.be.revertedWithCustomError(ticket, "ReturnsNotOffered");

      await expect(ticket.connect(fan).setRefundPolicy(POLICY, false))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(fan.address, ethers.ZeroHash);
      await expect(ticket.connect(organizer).setRefundPolicy(POLICY, true))
        .to.emit(ticket, "RefundPolicySet")
        .withArgs(POLICY.map((s) => [s.secondsBefore, s.shareBps]), true);
      expect(await ticket.refundPolicy()).to.deep.equal([POLICY.map((s) => [BigInt(s.secondsBefore), BigInt(s.shareBps)]), true]);
    });

    it("names the step that breaks the policy's shape", async function () {
      const { ticket, organizer } = await networkHelpers.loadFixture(returnsFixture);
      const set = (steps: { secondsBefore: number; shareBps: number }[]) => ticket.connect(organizer).setRefundPolicy(steps, false);
      const cases: [typeof POLICY, number][] = [
        [[{ secondsBefore: DAY, shareBps: 0 }], 0],
        [[{ secondsBefore: DAY, shareBps: 10_001 }], 0],
        [[{ secondsBefore: DAY, shareBps: 9_000 }, { secondsBefore: DAY, shareBps: 5_000 }], 1],
        [[{ secondsBefore: 7 * DAY, shareBps: 5_000 }, { secondsBefore: DAY, shareBps: 5_000 }], 1],
        [[4, 3, 2, 1, 0].map((d) => ({ secondsBefore: d * DAY, shareBps: 1_000 + d * 1_000 })), 4],
      ];
      for (const [steps, bad] of cases) {
        await expect(set(steps)).to.be.revertedWithCustomError(ticket, "InvalidRefundPolicy").withArgs(bad);
      }
    });

    it("can only become more generous, at every moment, and never takes exchanges back", async function () {
      const { ticket, organizer } = await networkHelpers.loadFixture(withPolicy);
      const set = (steps: { secondsBefore: number; shareBps: number }[], exchanges = false) =>
        ticket.connect(organizer).setRefundPolicy(steps, exchanges);
      // Less at one day before.
      await expect(set([POLICY[0], { secondsBefore: DAY, shareBps: 4_000 }]))
        .to.be.revertedWithCustomError(ticket, "RefundPolicyLessGenerous")
        .withArgs(DAY, 5_000, 4_000);
      // Full refunds for longer, but nothing left between 3 days and 1 day before.
      await expect(set([{ secondsBefore: 3 * DAY, shareBps: 10_000 }]))
        .to.be.revertedWithCustomError(ticket, "RefundPolicyLessGenerous")
        .withArgs(DAY, 5_000, 0);
      // Removing the policy is the least generous change of all.
      await expect(set([])).to.be.revertedWithCustomError(ticket, "RefundPolicyLessGenerous").withArgs(7 * DAY, 10_000, 0);
      // More: a later deadline for the full refund, and 10% until the start.
      const better = [
        { secondsBefore: 3 * DAY, shareBps: 10_000 },
        { secondsBefore: DAY, shareBps: 5_000 },
        { secondsBefore: 0, shareBps: 1_000 },
      ];
      await expect(set(better, true)).to.emit(ticket, "RefundPolicySet");
      await expect(set(better, false)).to.be.revertedWithCustomError(ticket, "ExchangesAlreadyOffered");
      await expect(set(POLICY, true))
        .to.be.revertedWithCustomError(ticket, "RefundPolicyLessGenerous")
        .withArgs(3 * DAY, 10_000, 5_000);
    });
  });

  describe("returns", function () {
    it("pays the full price until the first deadline, burns the ticket and puts one more on sale", async function () {
      const { ticket, fan, friend } = await networkHelpers.loadFixture(withPolicy);
      const id = tokenIdOf(1, 1);
      const escrow = await ticket.escrowBalance();
      expect((await ticket.tier(1)).supply).to.equal(3n);
      expect(await ticket.returnQuote(id)).to.deep.equal([PRICE, BigInt((await ticket.eventInfo()).start) - BigInt(7 * DAY)]);

      const tx = ticket.connect(fan).returnTicket(id);
      await expect(tx).to.emit(ticket, "TicketReturned").withArgs(id, fan.address, PRICE, 0n);
      await expect(tx).not.to.emit(ticket, "InventoryReleased");
      await expect(tx).to.emit(ticket, "Transfer").withArgs(fan.address, ZERO, id);
      await expect(tx).to.changeEtherBalances(ethers, [fan, ticket], [PRICE, -PRICE]);
      await expect(ticket.ownerOf(id)).to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken").withArgs(id);
      expect(await ticket.escrowBalance()).to.equal(escrow - PRICE);

      // The tier had 3, two were sold and one returned: two can be bought now, not just one.
      const tier = await ticket.tier(1);
      expect([tier.supply, tier.sold]).to.deep.equal([4n, 2n]);
      await ticket.connect(friend).buy(1, 2, friend.address, 2n * PRICE, { value: 2n * PRICE });
      expect(await ticket.ownerOf(tokenIdOf(1, 4))).to.equal(friend.address);
      expect(await ticket.refundBooks()).to.deep.equal([3n * PRICE + SEATED_PRICE, 10n ** 18n]);
    });

    it("pays the policy's share between deadlines and keeps the rest in the escrow; refuses after the last one", async function () {
      const { ticket, fan, input } = await networkHelpers.loadFixture(withPolicy);
      await networkHelpers.time.increaseTo(input.start - 3 * DAY);
      const escrow = await ticket.escrowBalance();
      expect(await ticket.returnQuote(tokenIdOf(1, 1))).to.deep.equal([PRICE / 2n, BigInt(input.start - DAY)]);
      const tx = ticket.connect(fan).returnTicket(tokenIdOf(1, 1));
      await expect(tx).to.emit(ticket, "TicketReturned").withArgs(tokenIdOf(1, 1), fan.address, PRICE / 2n, PRICE / 2n);
      expect(await gained(ticket.connect(fan).returnTicket(tokenIdOf(1, 2)), fan.address)).to.equal(PRICE / 2n);
      // The kept halves stay; what the live tickets paid (the seat) is all refunds still owe.
      expect(await ticket.escrowBalance()).to.equal(escrow - PRICE);
      expect((await ticket.refundBooks())[0]).to.equal(SEATED_PRICE);

      await networkHelpers.time.increaseTo(input.start - DAY + 1);
      expect(await ticket.returnQuote(tokenIdOf(2, 4))).to.deep.equal([0n, BigInt(input.start - DAY)]);
      await expect(ticket.connect(fan).returnTicket(tokenIdOf(2, 4)))
        .to.be.revertedWithCustomError(ticket, "ReturnsClosed")
        .withArgs(tokenIdOf(2, 4), input.start - DAY);
    });

    it("frees a returned seat for the next buyer", async function () {
      const { ticket, fan, friend } = await networkHelpers.loadFixture(withPolicy);
      const seat = tokenIdOf(2, 4);
      await expect(ticket.connect(fan).returnTicket(seat)).to.emit(ticket, "TicketReturned").withArgs(seat, fan.address, SEATED_PRICE, 0n);
      expect(await ticket.isSeatTaken(2, 4)).to.equal(false);
      expect((await ticket.tier(2)).sold).to.equal(0n);
      await ticket.connect(friend).buyWith(2, 1, friend.address, purchaseOptions({ seats: [4n] }), { value: SEATED_PRICE });
      expect(await ticket.ownerOf(seat)).to.equal(friend.address);
    });

    it("counts deadlines from a timed ticket's entry, not the event's start", async function () {
      const { ticket, fan, organizer, input } = await networkHelpers.loadFixture(withPolicy);
      const entryStart = input.start + 2 * HOUR;
      await ticket.connect(organizer).setTierOptions(1, {
        earlyPrice: 0,
        earlyUntil: 0,
        entryStart,
        entryEnd: entryStart + HOUR,
        presaleStart: 0,
        presaleRoot: ethers.ZeroHash,
      });
      // Between one day before the event's start and one day before the entry: still 50%.
      await networkHelpers.time.increaseTo(input.start - DAY + HOUR);
      expect(await ticket.returnQuote(tokenIdOf(1, 1))).to.deep.equal([PRICE / 2n, BigInt(entryStart - DAY)]);
      await expect(ticket.connect(fan).returnTicket(tokenIdOf(1, 1)))
        .to.emit(ticket, "TicketReturned")
        .withArgs(tokenIdOf(1, 1), fan.address, PRICE / 2n, PRICE / 2n);
    });

    it("refuses used, listed, denied, other people's tickets, and any after a cancellation or the end", async function () {
      const { ticket, fan, friend, stranger, organizer, gate, input } = await networkHelpers.loadFixture(returnsFixture);
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: 0, shareBps: 8_000 }], false);
      const [a, b, seat] = [tokenIdOf(1, 1), tokenIdOf(1, 2), tokenIdOf(2, 4)];

      await expect(ticket.connect(stranger).returnTicket(a))
        .to.be.revertedWithCustomError(ticket, "ERC721InsufficientApproval")
        .withArgs(stranger.address, a);

      await ticket.connect(fan).list(a, PRICE);
      await expect(ticket.connect(fan).returnTicket(a)).to.be.revertedWithCustomError(ticket, "TicketListed").withArgs(a);
      await ticket.connect(fan).cancelListing(a);

      await ticket.connect(organizer).setDenied([fan.address], true);
      await expect(ticket.connect(fan).returnTicket(a)).to.be.revertedWithCustomError(ticket, "AddressDenied").withArgs(fan.address);
      await ticket.connect(organizer).setDenied([fan.address], false);

      await networkHelpers.time.increaseTo(input.start - CHECK_IN_LEAD + 60);
      await ticket.connect(gate).checkIn([b]);
      await expect(ticket.connect(fan).returnTicket(b))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
        .withArgs(b, input.end);
      // The listing cancelled, the ticket is returnable again (80% until the start).
      await expect(ticket.connect(fan).returnTicket(a)).to.emit(ticket, "TicketReturned").withArgs(a, fan.address, (PRICE * 8n) / 10n, PRICE / 5n);

      const snapshot = await networkHelpers.takeSnapshot();
      await ticket.connect(organizer).cancel();
      await expect(ticket.connect(fan).returnTicket(seat)).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
      await snapshot.restore();
      await networkHelpers.time.increaseTo(input.end);
      await expect(ticket.connect(fan).returnTicket(seat)).to.be.revertedWithCustomError(ticket, "EventAlreadyEnded").withArgs(input.end);
      expect(friend.address).to.not.equal(fan.address);
    });

    it("returns a USDC ticket in USDC", async function () {
      const { factory, usdc, organizer, fan } = await deployPlatform(ethers).then(async (p) => {
        const [, , organizer, fan] = await ethers.getSigners();
        return { ...p, organizer, fan };
      });
      const input = await eventInput(ethers, { currency: await usdc.getAddress() });
      const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input, { price: 45_000_000n })]);
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: DAY, shareBps: 7_500 }], false);
      await usdc.connect(fan).mint(fan.address, 45_000_000n);
      await usdc.connect(fan).approve(await ticket.getAddress(), 45_000_000n);
      await ticket.connect(fan).buy(1, 1, fan.address, ANY_PRICE);
      await expect(ticket.connect(fan).returnTicket(tokenIdOf(1, 1))).to.changeTokenBalances(ethers, usdc, [fan, ticket], [33_750_000n, -33_750_000n]);
      expect(await ticket.escrowBalance()).to.equal(11_250_000n);
    });
  });

  describe("the kept shares after a cancellation", function () {
    it("refunds every live ticket in full and lets the organizer withdraw only what returns kept, after settlement", async function () {
      const { ticket, fan, organizer, input } = await networkHelpers.loadFixture(withPolicy);
      await networkHelpers.time.increaseTo(input.start - 2 * DAY);
      await ticket.connect(fan).returnTicket(tokenIdOf(1, 1)); // keeps PRICE / 2
      const kept = PRICE / 2n;
      const owed = PRICE + SEATED_PRICE;
      await expect(ticket.connect(organizer).cancel())
        .to.emit(ticket, "RefundsOpened")
        .withArgs(owed + kept, owed, 10n ** 18n);
      await expect(ticket.connect(fan).claimRefund(tokenIdOf(1, 2))).to.changeEtherBalance(ethers, fan, PRICE);

      const availableAt = input.end + SETTLEMENT_DELAY;
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "WithdrawalLocked").withArgs(availableAt);
      await networkHelpers.time.increaseTo(availableAt);
      const fee = (kept * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
      await expect(ticket.connect(organizer).withdraw())
        .to.emit(ticket, "ProceedsWithdrawn")
        .withArgs(organizer.address, organizer.address, kept - fee, fee);
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
      // The seat's refund is still all there.
      expect(await ticket.escrowBalance()).to.equal(SEATED_PRICE);
      await expect(ticket.connect(fan).claimRefund(tokenIdOf(2, 4))).to.changeEtherBalance(ethers, fan, SEATED_PRICE);
      expect(await ticket.escrowBalance()).to.equal(0n);
    });

    it("leaves a cancelled event without returns as before: nothing for the organizer", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(returnsFixture);
      await ticket.connect(organizer).cancel();
      await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
    });
  });
});
