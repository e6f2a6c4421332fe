import { expect } from "chai";
import { network } from "hardhat";

import { buildAllowlist, loadAllowlist, parseAllowlistCsv } from "../../lib/allowlist.js";
import {
  ANY_PRICE,
  DAY,
  HOUR,
  NO_OPTIONS_VOUCHER,
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
const EARLY = 6n * 10n ** 16n;
const noOptions = { earlyPrice: 0n, earlyUntil: 0, entryStart: 0, entryEnd: 0, presaleStart: 0, presaleRoot: ethers.ZeroHash };

async function optionsFixture() {
  const { factory } = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger] = await ethers.getSigners();
  const now = await networkHelpers.time.latest();
  const input = await eventInput(ethers);
  // Public sale opens in 10 days; the presale (when set) runs before it.
  const tier = tierInput(input, { price: PRICE, saleStart: now + 10 * DAY, maxPerWallet: 5 });
  const ticket = await createEvent(ethers, factory, organizer, input, [tier]);
  const allowlist = buildAllowlist([
    { address: fan.address as `0x${string}`, allowance: 2n },
    { address: friend.address as `0x${string}`, allowance: 1n },
  ]);
  return { ticket, organizer, fan, friend, stranger, input, tier, now, allowlist };
}

describe("Tier options", function () {
  describe("early price", function () {
    it("charges the early price until its date, then the regular price; refunds each at what was paid", async function () {
      const { ticket, organizer, fan, tier } = await networkHelpers.loadFixture(optionsFixture);
      const earlyUntil = tier.saleStart + 2 * DAY;
      await expect(ticket.connect(organizer).setTierOptions(1, { ...noOptions, earlyPrice: EARLY, earlyUntil }))
        .to.emit(ticket, "TierOptionsSet")
        .withArgs(1n, EARLY, earlyUntil, 0, 0, 0, ethers.ZeroHash);
      await networkHelpers.time.increaseTo(tier.saleStart);
      expect(await ticket.priceOf(1, fan.address, NO_OPTIONS_VOUCHER)).to.equal(EARLY);
      await ticket.connect(fan).buy(1, 1, fan.address, EARLY, { value: EARLY });
      await expect(ticket.connect(fan).buy(1, 1, fan.address, ANY_PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
        .withArgs(EARLY, PRICE);
      await networkHelpers.time.increaseTo(earlyUntil);
      expect(await ticket.priceOf(1, fan.address, NO_OPTIONS_VOUCHER)).to.equal(PRICE);
      // A buyer still bound to the early price it was shown is not charged the regular one.
      await expect(ticket.connect(fan).buy(1, 1, fan.address, EARLY, { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "PriceAboveLimit")
        .withArgs(PRICE, EARLY);
      await ticket.connect(fan).buy(1, 1, fan.address, PRICE, { value: PRICE });
      expect(await ticket.pricePaid(tokenIdOf(1, 1))).to.equal(EARLY);
      expect(await ticket.pricePaid(tokenIdOf(1, 2))).to.equal(PRICE);
      // Face value is the regular price for both; the resale cap follows what each ticket cost.
      expect(await ticket.faceValue(tokenIdOf(1, 1))).to.equal(PRICE);
      expect(await ticket.resaleCap(tokenIdOf(1, 1))).to.equal((EARLY * 11_000n) / 10_000n);
      expect(await ticket.resaleCap(tokenIdOf(1, 2))).to.equal((PRICE * 11_000n) / 10_000n);
      await ticket.connect(organizer).cancel();
      await expect(ticket.connect(fan).claimRefund(tokenIdOf(1, 1)))
        .to.emit(ticket, "Refunded")
        .withArgs(tokenIdOf(1, 1), fan.address, fan.address, EARLY);
    });

    it("needs both a price and a date, ending no later than the sale", async function () {
      const { ticket, organizer, tier } = await networkHelpers.loadFixture(optionsFixture);
      await expect(ticket.connect(organizer).setTierOptions(1, { ...noOptions, earlyPrice: EARLY }))
        .to.be.revertedWithCustomError(ticket, "InvalidEarlyPricing")
        .withArgs(1n, EARLY, 0);
      await expect(
        ticket.connect(organizer).setTierOptions(1, { ...noOptions, earlyPrice: EARLY, earlyUntil: tier.saleEnd + 1 }),
      )
        .to.be.revertedWithCustomError(ticket, "InvalidEarlyPricing")
        .withArgs(1n, EARLY, tier.saleEnd + 1);
    });
  });

  describe("timed entry", function () {
    it("exposes the entry window per ticket and in its metadata", async function () {
      const { ticket, organizer, fan, tier, input } = await networkHelpers.loadFixture(optionsFixture);
      const slot = { entryStart: input.start + HOUR, entryEnd: input.start + 2 * HOUR };
      await ticket.connect(organizer).setTierOptions(1, { ...noOptions, ...slot });
      await networkHelpers.time.increaseTo(tier.saleStart);
      await ticket.connect(fan).buy(1, 1, fan.address, PRICE, { value: PRICE });
      expect(await ticket.entryWindow(tokenIdOf(1, 1))).to.deep.equal([BigInt(slot.entryStart), BigInt(slot.entryEnd)]);
      const json = JSON.parse(
        Buffer.from((await ticket.tokenURI(tokenIdOf(1, 1))).split(",")[1], "base64").toString(),
      );
      const value = (trait: string) => json.attributes.find((a: { trait_type: string }) => a.trait_type === trait)?.value;
      expect(value("Entry from")).to.equal(slot.entryStart);
      expect(value("Entry until")).to.equal(slot.entryEnd);
      const options = await ticket.tierOptions(1);
      expect([options.entryStart, options.entryEnd]).to.deep.equal([BigInt(slot.entryStart), BigInt(slot.entryEnd)]);
    });

    it("stops selling when the slot starts: a later sale end moves to the slot's start, an earlier one (a lead time) stays", async function () {
      const { ticket, organizer, fan, tier, input } = await networkHelpers.loadFixture(optionsFixture);
      // The slot starts two hours before the tier's sale would have ended (at the event's start).
      const slot = { entryStart: input.start - 2 * HOUR, entryEnd: input.start };
      await expect(ticket.connect(organizer).setTierOptions(1, { ...noOptions, ...slot }))
        .to.emit(ticket, "TierUpdated")
        .withArgs(1n, tier.name, tier.price, tier.supply, tier.maxPerWallet, tier.saleStart, slot.entryStart);
      expect((await ticket.tier(1)).saleEnd).to.equal(BigInt(slot.entryStart));
      await networkHelpers.time.increaseTo(slot.entryStart - 60);
      await ticket.connect(fan).buy(1, 1, fan.address, PRICE, { value: PRICE });
      await networkHelpers.time.increaseTo(slot.entryStart);
      await expect(ticket.connect(fan).buy(1, 1, fan.address, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "SaleNotOpen")
        .withArgs(1n, tier.saleStart, slot.entryStart);
      // Nor can an update sell past the slot's start.
      await expect(ticket.connect(organizer).updateTier(1, { ...tier, saleEnd: slot.entryStart + 1 }))
        .to.be.revertedWithCustomError(ticket, "InvalidSaleWindow")
        .withArgs(1n, tier.saleStart, slot.entryStart + 1);
    });

    it("keeps an earlier sale end as the organizer's lead time, and refuses a slot that starts before the sale", async function () {
      const { ticket, organizer, tier, input } = await networkHelpers.loadFixture(optionsFixture);
      const leadEnd = input.start - 3 * HOUR;
      await (await ticket.connect(organizer).updateTier(1, { ...tier, saleEnd: leadEnd })).wait();
      await expect(ticket.connect(organizer).setTierOptions(1, { ...noOptions, entryStart: input.start - HOUR, entryEnd: input.start })).to.not.emit(ticket, "TierUpdated");
      expect((await ticket.tier(1)).saleEnd).to.equal(BigInt(leadEnd));
      await expect(ticket.connect(organizer).setTierOptions(1, { ...noOptions, entryStart: tier.saleStart, entryEnd: input.start }))
        .to.be.revertedWithCustomError(ticket, "InvalidEntryWindow")
        .withArgs(1n, tier.saleStart, input.start);
    });

    it("reports no window for an untimed tier, and refuses a window that closes before it opens", async function () {
      const { ticket, organizer, input } = await networkHelpers.loadFixture(optionsFixture);
      expect(await ticket.entryWindow(tokenIdOf(1, 1))).to.deep.equal([0n, 0n]);
      await expect(
        ticket.connect(organizer).setTierOptions(1, { ...noOptions, entryStart: input.start, entryEnd: input.start }),
      )
        .to.be.revertedWithCustomError(ticket, "InvalidEntryWindow")
        .withArgs(1n, input.start, input.start);
    });
  });

  describe("allowlist presale", function () {
    async function presaleFixture() {
      const ctx = await optionsFixture();
      const presaleStart = ctx.tier.saleStart - 3 * DAY;
      await ctx.ticket
        .connect(ctx.organizer)
        .setTierOptions(1, { ...noOptions, presaleStart, presaleRoot: ctx.allowlist.root });
      await networkHelpers.time.increaseTo(presaleStart);
      return { ...ctx, presaleStart };
    }

    const withProof = (ctx: Awaited<ReturnType<typeof presaleFixture>>, address: string) => {
      const entry = ctx.allowlist.proofFor(address as `0x${string}`)!;
      return purchaseOptions({ proof: entry.proof, allowance: entry.allowance });
    };

    it("sells to listed wallets with a proof, up to their allowance", async function () {
      const ctx = await networkHelpers.loadFixture(presaleFixture);
      const { ticket, fan } = ctx;
      await ticket.connect(fan).buyWith(1, 1, fan.address, withProof(ctx, fan.address), { value: PRICE });
      await ticket.connect(fan).buyWith(1, 1, fan.address, withProof(ctx, fan.address), { value: PRICE });
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, withProof(ctx, fan.address), { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "PresaleAllowanceExceeded")
        .withArgs(1n, fan.address, 1n, 0n);
      expect(await ticket.balanceOf(fan.address)).to.equal(2n);
    });

    it("refuses wallets that are not listed, lie about their allowance or bring no proof", async function () {
      const ctx = await networkHelpers.loadFixture(presaleFixture);
      const { ticket, fan, friend, stranger } = ctx;
      await expect(ticket.connect(stranger).buyWith(1, 1, stranger.address, withProof(ctx, fan.address), { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
        .withArgs(1n, stranger.address);
      const inflated = { ...withProof(ctx, friend.address), allowance: 5n };
      await expect(ticket.connect(friend).buyWith(1, 2, friend.address, inflated, { value: 2n * PRICE }))
        .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
        .withArgs(1n, friend.address);
      await expect(ticket.connect(fan).buy(1, 1, fan.address, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "NotOnAllowlist")
        .withArgs(1n, fan.address);
    });

    it("is closed before it starts, and gives way to the public sale", async function () {
      const ctx = await networkHelpers.loadFixture(optionsFixture);
      const { ticket, organizer, stranger, tier, allowlist } = ctx;
      const presaleStart = tier.saleStart - 3 * DAY;
      await ticket.connect(organizer).setTierOptions(1, { ...noOptions, presaleStart, presaleRoot: allowlist.root });
      await expect(ticket.connect(stranger).buy(1, 1, stranger.address, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "SaleNotOpen")
        .withArgs(1n, tier.saleStart, tier.saleEnd);
      await networkHelpers.time.increaseTo(tier.saleStart);
      await ticket.connect(stranger).buy(1, 1, stranger.address, PRICE, { value: PRICE });
    });

    it("must start before the public sale, with a root", async function () {
      const { ticket, organizer, tier, allowlist } = await networkHelpers.loadFixture(optionsFixture);
      await expect(
        ticket.connect(organizer).setTierOptions(1, { ...noOptions, presaleStart: tier.saleStart, presaleRoot: allowlist.root }),
      )
        .to.be.revertedWithCustomError(ticket, "InvalidPresale")
        .withArgs(1n, tier.saleStart, tier.saleStart);
      await expect(ticket.connect(organizer).setTierOptions(1, { ...noOptions, presaleStart: tier.saleStart - DAY }))
        .to.be.revertedWithCustomError(ticket, "InvalidPresale")
        .withArgs(1n, tier.saleStart - DAY, tier.saleStart);
    });
  });

  it("are the organizer's to set", async function () {
    const { ticket, stranger } = await networkHelpers.loadFixture(optionsFixture);
    await expect(ticket.connect(stranger).setTierOptions(1, noOptions)).to.be.revertedWithCustomError(
      ticket,
      "AccessControlUnauthorizedAccount",
    );
  });
});

describe("lib/allowlist", function () {
  it("parses an organizer's CSV, with a header and default allowances", function () {
    const csv = "address,allowance\n0x70997970C51812dc3A010C7d01b50e0d17dc79C8,3\n\n0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC\n";
    expect(parseAllowlistCsv(csv)).to.deep.equal([
      { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", allowance: 3n },
      { address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", allowance: 1n },
    ]);
    expect(() => parseAllowlistCsv("0x1234,2")).to.throw(/Line 1/);
  });

  it("refuses duplicates and empty lists, and survives a dump and load", function () {
    const a = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
    expect(() => buildAllowlist([{ address: a, allowance: 1n }, { address: a, allowance: 2n }])).to.throw(/twice/);
    expect(() => buildAllowlist([])).to.throw();
    const list = buildAllowlist([{ address: a, allowance: 4n }]);
    const loaded = loadAllowlist(JSON.parse(JSON.stringify(list.dump())));
    expect(loaded.root).to.equal(list.root);
    expect(loaded.proofFor(a)).to.deep.equal(list.proofFor(a));
    expect(list.proofFor(ZERO as `0x${string}`)).to.equal(undefined);
  });
});
