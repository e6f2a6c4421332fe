import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  HOUR,
  PLATFORM_FEE_BPS,
  buyTickets,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

async function eventFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, stranger, finance] = await ethers.getSigners();
  const input = await eventInput(ethers);
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input)]);
  return { ...platform, organizer, fan, stranger, finance, input, ticket };
}

describe("EventTicket setup", function () {
  describe("initialize (through createEvent)", function () {
    async function create(overrides: Parameters<typeof eventInput>[1], tiers?: ReturnType<typeof tierInput>[]) {
      const { factory, organizer } = await networkHelpers.loadFixture(eventFixture);
      const input = await eventInput(ethers, overrides);
      const implementation = await ethers.getContractAt("IChainpassEvent", await factory.implementation());
      return { call: factory.connect(organizer).createEvent(input, tiers ?? [], PLATFORM_FEE_BPS), implementation, input };
    }

    it("refuses an empty name", async function () {
      const { call, implementation } = await create({ name: "" });
      await expect(call).to.be.revertedWithCustomError(implementation, "EmptyName");
    });

    it("refuses an end before the start", async function () {
      const now = await networkHelpers.time.latest();
      const { call, implementation } = await create({ start: now + 2 * DAY, end: now + DAY });
      await expect(call)
        .to.be.revertedWithCustomError(implementation, "InvalidEventTimes")
        .withArgs(BigInt(now + 2 * DAY), BigInt(now + DAY));
    });

    it("refuses an event that has already ended", async function () {
      const now = await networkHelpers.time.latest();
      const { call, implementation } = await create({ start: now - 2 * DAY, end: now - DAY });
      await expect(call).to.be.revertedWithCustomError(implementation, "InvalidEventTimes");
    });

    it("caps the royalty", async function () {
      const { call, implementation } = await create({ royaltyBps: 1001 });
      await expect(call).to.be.revertedWithCustomError(implementation, "RoyaltyTooHigh").withArgs(1001n, 1000n);
    });

    it("refuses a zero payout address", async function () {
      const { call, implementation } = await create({ payout: ethers.ZeroAddress });
      await expect(call)
        .to.be.revertedWithCustomError(implementation, "InvalidPayout")
        .withArgs(ethers.ZeroAddress);
    });

    it("validates the first tiers like addTier", async function () {
      const input = await eventInput(ethers);
      const { call, implementation } = await create({}, [tierInput(input, { supply: 1_000_000 })]);
      await expect(call)
        .to.be.revertedWithCustomError(implementation, "InvalidTierSupply")
        .withArgs(1n, 1_000_000n, 0n);
    });
  });

  describe("tiers", function () {
    it("adds a tier with the next id and an event", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      const vip = tierInput(input, { name: "VIP", price: 10n ** 18n, supply: 40, maxPerWallet: 2 });
      await expect(ticket.connect(organizer).addTier(vip))
        .to.emit(ticket, "TierAdded")
        .withArgs(2n, "VIP", vip.price, 40n, 2n, vip.saleStart, vip.saleEnd);
      const stored = await ticket.tier(2);
      expect([stored.name, stored.price, stored.supply, stored.sold, stored.paused]).to.deep.equal([
        "VIP",
        10n ** 18n,
        40n,
        0n,
        false,
      ]);
    });

    it("refuses tiers from anyone but the organizer", async function () {
      const { ticket, stranger, input } = await networkHelpers.loadFixture(eventFixture);
      await expect(ticket.connect(stranger).addTier(tierInput(input)))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.ZeroHash);
    });

    it("refuses a sale window that closes after the event ends or before it opens", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      const late = tierInput(input, { saleEnd: input.end + 1 });
      await expect(ticket.connect(organizer).addTier(late))
        .to.be.revertedWithCustomError(ticket, "InvalidSaleWindow")
        .withArgs(2n, late.saleStart, late.saleEnd);
      const backwards = tierInput(input, { saleStart: input.start, saleEnd: input.start - 1 });
      await expect(ticket.connect(organizer).addTier(backwards)).to.be.revertedWithCustomError(
        ticket,
        "InvalidSaleWindow",
      );
    });

    it("refuses a tier without a name", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      await expect(ticket.connect(organizer).addTier(tierInput(input, { name: "" }))).to.be.revertedWithCustomError(
        ticket,
        "EmptyName",
      );
    });

    it("updates a tier's terms with an event", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      const update = tierInput(input, { name: "Adult (standing)", price: 2n * 10n ** 17n, supply: 800 });
      await expect(ticket.connect(organizer).updateTier(1, update))
        .to.emit(ticket, "TierUpdated")
        .withArgs(1n, update.name, update.price, 800n, 0n, update.saleStart, update.saleEnd);
      expect((await ticket.tier(1)).price).to.equal(2n * 10n ** 17n);
    });

    it("refuses to change the price once a ticket of the tier has sold", async function () {
      const { ticket, organizer, fan, input } = await networkHelpers.loadFixture(eventFixture);
      await buyTickets(ticket, fan, 1, 3);
      await expect(ticket.connect(organizer).updateTier(1, tierInput(input, { price: 1n })))
        .to.be.revertedWithCustomError(ticket, "TierPriceLocked")
        .withArgs(1n, 3n);
      // Other terms may still change.
      await ticket.connect(organizer).updateTier(1, tierInput(input, { supply: 3, name: "Adult (last 3)" }));
      expect((await ticket.tier(1)).supply).to.equal(3n);
    });

    it("refuses to cut supply below what is sold", async function () {
      const { ticket, organizer, fan, input } = await networkHelpers.loadFixture(eventFixture);
      await buyTickets(ticket, fan, 1, 3);
      await expect(ticket.connect(organizer).updateTier(1, tierInput(input, { supply: 2 })))
        .to.be.revertedWithCustomError(ticket, "InvalidTierSupply")
        .withArgs(1n, 2n, 3n);
    });

    it("refuses to update a tier that does not exist", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      await expect(ticket.connect(organizer).updateTier(7, tierInput(input)))
        .to.be.revertedWithCustomError(ticket, "UnknownTier")
        .withArgs(7n);
      await expect(ticket.tier(0)).to.be.revertedWithCustomError(ticket, "UnknownTier").withArgs(0n);
    });

    it("pauses and resumes a tier", async function () {
      const { ticket, organizer } = await networkHelpers.loadFixture(eventFixture);
      await expect(ticket.connect(organizer).setTierPaused(1, true)).to.emit(ticket, "TierPauseChanged").withArgs(1n, true);
      expect((await ticket.tier(1)).paused).to.equal(true);
      await expect(ticket.connect(organizer).setTierPaused(1, false))
        .to.emit(ticket, "TierPauseChanged")
        .withArgs(1n, false);
      expect((await ticket.tier(1)).paused).to.equal(false);
      await expect(ticket.connect(organizer).setTierPaused(9, true))
        .to.be.revertedWithCustomError(ticket, "UnknownTier")
        .withArgs(9n);
    });

    it("refuses tier changes after the event ends or is cancelled", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      await ticket.connect(organizer).cancel();
      await expect(ticket.connect(organizer).addTier(tierInput(input))).to.be.revertedWithCustomError(
        ticket,
        "EventIsCancelled",
      );
      const fresh = await networkHelpers.loadFixture(eventFixture);
      await networkHelpers.time.increaseTo(input.end);
      await expect(fresh.ticket.connect(fresh.organizer).updateTier(1, tierInput(input)))
        .to.be.revertedWithCustomError(fresh.ticket, "EventAlreadyEnded")
        .withArgs(input.end);
    });

    it("allows at most 255 tiers", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      for (let i = 2; i <= 255; i++) await ticket.connect(organizer).addTier(tierInput(input, { supply: 1 }));
      await expect(ticket.connect(organizer).addTier(tierInput(input)))
        .to.be.revertedWithCustomError(ticket, "TooManyTiers")
        .withArgs(255n);
    });
  });

  describe("event terms", function () {
    it("changes the payout address, which also receives royalties", async function () {
      const { ticket, organizer, finance } = await networkHelpers.loadFixture(eventFixture);
      await expect(ticket.connect(organizer).setPayout(finance.address))
        .to.emit(ticket, "PayoutChanged")
        .withArgs(finance.address);
      const [receiver, amount] = await ticket.royaltyInfo(1_000_001, 10_000n);
      expect(receiver).to.equal(finance.address);
      expect(amount).to.equal(500n);
      await expect(ticket.connect(organizer).setPayout(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(ticket, "InvalidPayout")
        .withArgs(ethers.ZeroAddress);
    });

    it("replaces the metadata URI with ERC-7572 and ERC-4906 events", async function () {
      const { ticket, organizer, stranger } = await networkHelpers.loadFixture(eventFixture);
      const uri = "ipfs://bafkreidjwuqwxkqsxjw7etugy5p7oz3v2s6dvvtrfbuj4pdeigr5gg7kbu";
      const tx = ticket.connect(organizer).setMetadataURI(uri);
      await expect(tx).to.emit(ticket, "MetadataURIChanged").withArgs(uri);
      await expect(tx).to.emit(ticket, "ContractURIUpdated");
      await expect(tx).to.emit(ticket, "BatchMetadataUpdate").withArgs(0n, ethers.MaxUint256);
      expect(await ticket.contractURI()).to.equal(uri);
      expect((await ticket.eventInfo()).metadataURI).to.equal(uri);
      await expect(ticket.connect(stranger).setMetadataURI(uri)).to.be.revertedWithCustomError(
        ticket,
        "AccessControlUnauthorizedAccount",
      );
    });

    it("postpones the event but never brings it forward", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(eventFixture);
      await expect(ticket.connect(organizer).reschedule(input.start + DAY, input.end + DAY))
        .to.emit(ticket, "EventRescheduled")
        .withArgs(input.start + DAY, input.end + DAY);
      expect((await ticket.eventInfo()).end).to.equal(input.end + DAY);
      await expect(ticket.connect(organizer).reschedule(input.start, input.end + DAY))
        .to.be.revertedWithCustomError(ticket, "RescheduleNotLater")
        .withArgs(input.start, input.end + DAY);
      await expect(ticket.connect(organizer).reschedule(input.end + 3 * DAY, input.end + 3 * DAY - HOUR))
        .to.be.revertedWithCustomError(ticket, "RescheduleNotLater");
    });

    it("pays an ERC-2981 royalty capped at 10% to the payout address", async function () {
      const { ticket, input } = await networkHelpers.loadFixture(eventFixture);
      const [receiver, amount] = await ticket.royaltyInfo(1_000_001, 3n * 10n ** 17n);
      expect(receiver).to.equal(input.payout);
      expect(amount).to.equal((3n * 10n ** 17n * 500n) / 10_000n);
    });
  });

  describe("ERC-165", function () {
    const interfaces: Record<string, string> = {
      "ERC-165": "0x01ffc9a7",
      "ERC-721": "0x80ac58cd",
      "ERC-721 Metadata": "0x5b5e139f",
      "ERC-2981": "0x2a55205a",
      "ERC-4906": "0x49064906",
      "ERC-5192": "0xb45a3c0e",
      AccessControl: "0x7965db0b",
    };
    for (const [name, id] of Object.entries(interfaces)) {
      it(`supports ${name} (${id})`, async function () {
        const { ticket } = await networkHelpers.loadFixture(eventFixture);
        expect(await ticket.supportsInterface(id)).to.equal(true);
      });
    }

    it("does not claim ERC-721 Enumerable or the invalid id", async function () {
      const { ticket } = await networkHelpers.loadFixture(eventFixture);
      expect(await ticket.supportsInterface("0x780e9d63")).to.equal(false);
      expect(await ticket.supportsInterface("0xffffffff")).to.equal(false);
    });
  });
});
