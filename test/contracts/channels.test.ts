// Issue 16, requirement 5: sales channels. The organizer adds channels (a payout and a commission
// rate); a purchase names one; its commission is owed at settlement out of the organizer's
// proceeds, taken back when the ticket is refunded, returned or exchanged, and readable per
// channel on chain.
import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  PLATFORM_FEE_BPS,
  SETTLEMENT_DELAY,
  createEvent,
  deployPlatform,
  eventInput,
  purchaseOptions,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
const AGENCY_BPS = 1_000n; // 10%
const INFLUENCER_BPS = 500n; // 5%
const section = (name: string) => ethers.hexlify(ethers.toUtf8Bytes(name)).padEnd(34, "0");

async function channelsFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, agency, influencer, stranger] = await ethers.getSigners();
  const input = await eventInput(ethers);
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [
    tierInput(input, { price: PRICE, supply: 50 }),
    tierInput(input, { name: "Stalls", price: 3n * PRICE }),
  ]);
  await ticket.connect(organizer).setSeatMap(2, [{ section: section("Stalls"), firstRow: 1, rows: 1, firstSeat: 1, seatsPerRow: 10, letteredRows: true }]);
  await ticket.connect(organizer).addChannel(agency.address, AGENCY_BPS, "Travel agency");
  await ticket.connect(organizer).addChannel(influencer.address, INFLUENCER_BPS, "Influencer link");
  return { ...platform, ticket, input, organizer, fan, friend, agency, influencer, stranger };
}

const owedTo = async (ticket: Awaited<ReturnType<typeof channelsFixture>>["ticket"], channelId: number) => (await ticket.channel(channelId)).owed;

describe("Sales channels", function () {
  describe("adding and managing channels", function () {
    it("numbers channels from 1 and reads them back, with an event naming each", async function () {
      const { ticket, organizer, agency, stranger } = await networkHelpers.loadFixture(channelsFixture);
      expect(await ticket.channelCount()).to.equal(2n);
      const info = await ticket.channel(1);
      expect([info.payout, info.commissionBps, info.open, info.owed]).to.deep.equal([agency.address, AGENCY_BPS, true, 0n]);
      await expect(ticket.connect(organizer).addChannel(stranger.address, 0, "Box office"))
        .to.emit(ticket, "ChannelAdded")
        .withArgs(3n, stranger.address, 0n, "Box office");
      await expect(ticket.channel(4)).to.be.revertedWithCustomError(ticket, "UnknownChannel").withArgs(4n);
    });

    it("is the organizer's alone, with a payout and a commission of at most 50%", async function () {
      const { ticket, organizer, stranger } = await networkHelpers.loadFixture(channelsFixture);
      await expect(ticket.connect(stranger).addChannel(stranger.address, 100, "x")).to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount");
      await expect(ticket.connect(organizer).addChannel(ethers.ZeroAddress, 100, "x")).to.be.revertedWithCustomError(ticket, "InvalidPayout");
      await expect(ticket.connect(organizer).addChannel(stranger.address, 5_001, "x"))
        .to.be.revertedWithCustomError(ticket, "CommissionTooHigh")
        .withArgs(5_001n, 5_000n);
      await expect(ticket.connect(stranger).setChannelPayout(1, stranger.address)).to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount");
      await expect(ticket.connect(stranger).closeChannel(1)).to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount");
    });

    it("stops at 255 channels", async function () {
      const { ticket, organizer, stranger } = await networkHelpers.loadFixture(channelsFixture);
      for (let i = 3; i <= 255; i++) await ticket.connect(organizer).addChannel(stranger.address, 100, `c${i}`);
      await expect(ticket.connect(organizer).addChannel(stranger.address, 100, "one too many"))
        .to.be.revertedWithCustomError(ticket, "TooManyChannels")
        .withArgs(255n);
    });

    it("changes a payout, and a closed channel takes no sales but keeps what it earned", async function () {
      const { ticket, organizer, fan, stranger } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(fan).buyThrough(1, 1, fan.address, PRICE, 1, { value: PRICE });
      await expect(ticket.connect(organizer).setChannelPayout(1, stranger.address)).to.emit(ticket, "ChannelPayoutChanged").withArgs(1n, stranger.address);
      await expect(ticket.connect(organizer).setChannelPayout(9, stranger.address)).to.be.revertedWithCustomError(ticket, "UnknownChannel");
      await expect(ticket.connect(organizer).closeChannel(1)).to.emit(ticket, "ChannelClosed").withArgs(1n);
      await expect(ticket.connect(organizer).closeChannel(1)).to.be.revertedWithCustomError(ticket, "UnknownChannel").withArgs(1n);
      const info = await ticket.channel(1);
      expect([info.payout, info.open, info.owed]).to.deep.equal([stranger.address, false, (PRICE * AGENCY_BPS) / 10_000n]);
      await expect(ticket.connect(fan).buyThrough(1, 1, fan.address, PRICE, 1, { value: PRICE })).to.be.revertedWithCustomError(ticket, "UnknownChannel").withArgs(1n);
    });
  });

  describe("purchases through a channel", function () {
    it("credits the channel its commission on each ticket and says so after the purchase", async function () {
      const { ticket, fan } = await networkHelpers.loadFixture(channelsFixture);
      const tx = ticket.connect(fan).buyThrough(1, 3, fan.address, 3n * PRICE, 1, { value: 3n * PRICE });
      const each = (PRICE * AGENCY_BPS) / 10_000n;
      await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 3n, 3n * PRICE);
      await expect(tx).to.emit(ticket, "ChannelSale").withArgs(1n, tokenIdOf(1, 1), 3n, 3n * each);
      expect(await owedTo(ticket, 1)).to.equal(3n * each);
      expect(await owedTo(ticket, 2)).to.equal(0n);
    });

    it("refuses an unknown channel, and a plain purchase earns no channel anything", async function () {
      const { ticket, fan } = await networkHelpers.loadFixture(channelsFixture);
      await expect(ticket.connect(fan).buyThrough(1, 1, fan.address, PRICE, 3, { value: PRICE })).to.be.revertedWithCustomError(ticket, "UnknownChannel").withArgs(3n);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ channel: 77n }), { value: PRICE })).to.be.revertedWithCustomError(ticket, "UnknownChannel").withArgs(77n);
      await expect(ticket.connect(fan).buy(1, 1, fan.address, PRICE, { value: PRICE })).not.to.emit(ticket, "ChannelSale");
      expect(await owedTo(ticket, 1)).to.equal(0n);
    });

    it("names a channel in buyWith's options too: seats, on the price actually paid", async function () {
      const { ticket, fan } = await networkHelpers.loadFixture(channelsFixture);
      await expect(ticket.connect(fan).buyWith(2, 2, fan.address, purchaseOptions({ seats: [3n, 4n], channel: 2n }), { value: 6n * PRICE }))
        .to.emit(ticket, "ChannelSale")
        .withArgs(2n, tokenIdOf(2, 3), 2n, 2n * ((3n * PRICE * INFLUENCER_BPS) / 10_000n));
    });
  });

  describe("taking commissions back", function () {
    it("an organizer's refund takes back the ticket's commission, also after the ticket changed hands", async function () {
      const { ticket, organizer, fan, friend } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(fan).buyThrough(1, 2, fan.address, 2n * PRICE, 1, { value: 2n * PRICE });
      await ticket.connect(fan).transferFrom(fan.address, friend.address, tokenIdOf(1, 1));
      const each = (PRICE * AGENCY_BPS) / 10_000n;
      await expect(ticket.connect(organizer).refundTicket(tokenIdOf(1, 1), true))
        .to.emit(ticket, "ChannelCommissionReversed")
        .withArgs(1n, tokenIdOf(1, 1), each);
      expect(await owedTo(ticket, 1)).to.equal(each);
    });

    it("a listing and its withdrawal keep the ticket's channel", async function () {
      const { ticket, organizer, fan } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(fan).buyThrough(1, 1, fan.address, PRICE, 2, { value: PRICE });
      await ticket.connect(fan).list(tokenIdOf(1, 1), PRICE);
      await ticket.connect(fan).cancelListing(tokenIdOf(1, 1));
      await expect(ticket.connect(organizer).refundTicket(tokenIdOf(1, 1), false))
        .to.emit(ticket, "ChannelCommissionReversed")
        .withArgs(2n, tokenIdOf(1, 1), (PRICE * INFLUENCER_BPS) / 10_000n);
      expect(await owedTo(ticket, 2)).to.equal(0n);
    });

    it("a resale keeps the channel of the primary sale: the buyer's refund after a cancellation takes it back", async function () {
      const { ticket, organizer, fan, friend } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(fan).buyThrough(1, 1, fan.address, PRICE, 1, { value: PRICE });
      await ticket.connect(fan).list(tokenIdOf(1, 1), PRICE);
      await ticket.connect(friend).buyListing(tokenIdOf(1, 1), PRICE, { value: PRICE });
      await ticket.connect(organizer).cancel();
      await expect(ticket.connect(friend).claimRefund(tokenIdOf(1, 1))).to.emit(ticket, "ChannelCommissionReversed");
      expect(await owedTo(ticket, 1)).to.equal(0n);
    });

    it("a return under the refund policy takes it back", async function () {
      const { ticket, organizer, fan } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: DAY, shareBps: 8_000 }], true);
      await ticket.connect(fan).buyThrough(1, 1, fan.address, PRICE, 1, { value: PRICE });
      await expect(ticket.connect(fan).returnTicket(tokenIdOf(1, 1))).to.emit(ticket, "ChannelCommissionReversed").withArgs(1n, tokenIdOf(1, 1), (PRICE * AGENCY_BPS) / 10_000n);
      expect(await owedTo(ticket, 1)).to.equal(0n);
    });

    it("an exchange moves the channel to the new ticket, on its new price; a closed channel's ticket leaves it", async function () {
      const { ticket, organizer, fan } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: DAY, shareBps: 10_000 }], true);
      await ticket.connect(fan).buyThrough(1, 2, fan.address, 2n * PRICE, 1, { value: 2n * PRICE });
      const tx = ticket.connect(fan).exchangeTicket(tokenIdOf(1, 1), 2, 0, 5, 2n * PRICE, { value: 2n * PRICE });
      await expect(tx).to.emit(ticket, "ChannelCommissionReversed").withArgs(1n, tokenIdOf(1, 1), (PRICE * AGENCY_BPS) / 10_000n);
      await expect(tx).to.emit(ticket, "ChannelSale").withArgs(1n, tokenIdOf(2, 5), 1n, (3n * PRICE * AGENCY_BPS) / 10_000n);
      expect(await owedTo(ticket, 1)).to.equal(((PRICE + 3n * PRICE) * AGENCY_BPS) / 10_000n);

      await ticket.connect(organizer).closeChannel(1);
      const closed = ticket.connect(fan).exchangeTicket(tokenIdOf(1, 2), 2, 0, 6, 2n * PRICE, { value: 2n * PRICE });
      await expect(closed).to.emit(ticket, "ChannelCommissionReversed");
      await expect(closed).not.to.emit(ticket, "ChannelSale");
      expect(await owedTo(ticket, 1)).to.equal((3n * PRICE * AGENCY_BPS) / 10_000n);
      // The new ticket has no channel: refunding it takes nothing back.
      await expect(ticket.connect(organizer).refundTicket(tokenIdOf(2, 6), false)).not.to.emit(ticket, "ChannelCommissionReversed");
    });
  });

  describe("settlement", function () {
    it("credits each channel's commission to its payout out of the organizer's share", async function () {
      const { ticket, input, organizer, fan, friend, agency, influencer, stranger } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(fan).buyThrough(1, 4, fan.address, 4n * PRICE, 1, { value: 4n * PRICE });
      await ticket.connect(friend).buyThrough(1, 2, friend.address, 2n * PRICE, 2, { value: 2n * PRICE });
      await ticket.connect(friend).buy(1, 1, friend.address, PRICE, { value: PRICE });
      await ticket.connect(organizer).setChannelPayout(2, stranger.address);
      await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);

      const gross = 7n * PRICE;
      const fee = (gross * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
      const agencyCut = (4n * PRICE * AGENCY_BPS) / 10_000n;
      const influencerCut = (2n * PRICE * INFLUENCER_BPS) / 10_000n;
      const payout = await ethers.provider.getBalance(organizer.address);
      const tx = ticket.connect(organizer).withdraw();
      await expect(tx).to.emit(ticket, "ChannelCommissionPaid").withArgs(1n, agency.address, agencyCut);
      await expect(tx).to.emit(ticket, "ChannelCommissionPaid").withArgs(2n, stranger.address, influencerCut);
      await expect(tx).to.emit(ticket, "ProceedsWithdrawn").withArgs(organizer.address, organizer.address, gross - fee - agencyCut - influencerCut, fee);
      const receipt = await (await tx).wait();
      expect((await ethers.provider.getBalance(organizer.address)) - payout + receipt!.gasUsed * receipt!.gasPrice).to.equal(gross - fee - agencyCut - influencerCut);

      expect(await ticket.credits(agency.address)).to.equal(agencyCut);
      expect(await ticket.credits(stranger.address)).to.equal(influencerCut);
      expect(await ticket.credits(influencer.address)).to.equal(0n);
      expect(await owedTo(ticket, 1)).to.equal(0n);
      await expect(ticket.connect(agency).withdrawCredits()).to.changeEtherBalances(ethers, [agency, ticket], [agencyCut, -agencyCut]);
      // Nothing is left for a second settlement, and the escrow holds exactly the platform fee.
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "NothingToWithdraw");
      expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(fee + influencerCut);
    });

    it("pays no commission on a cancelled event: every sale is refunded", async function () {
      const { ticket, input, organizer, fan, agency } = await networkHelpers.loadFixture(channelsFixture);
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: DAY, shareBps: 5_000 }], false);
      await ticket.connect(fan).buyThrough(1, 2, fan.address, 2n * PRICE, 1, { value: 2n * PRICE });
      // A return keeps half for the organizer before the cancellation: the surplus it withdraws later.
      await ticket.connect(fan).returnTicket(tokenIdOf(1, 1));
      await ticket.connect(organizer).cancel();
      expect(await owedTo(ticket, 1)).to.equal((PRICE * AGENCY_BPS) / 10_000n); // the live ticket's, until it is refunded
      await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
      await expect(ticket.connect(organizer).withdraw()).not.to.emit(ticket, "ChannelCommissionPaid");
      expect(await ticket.credits(agency.address)).to.equal(0n);
    });
  });
});
