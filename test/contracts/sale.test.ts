import { expect } from "chai";
import { network } from "hardhat";

import {
  ANY_PRICE,
  DAY,
  Policy,
  ZERO,
  buyTickets,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

// The money paths run twice: native ETH and a 6-decimal ERC-20.
const currencies = [
  { label: "ETH", erc20: false, price: 10n ** 17n },
  { label: "USDC (6 decimals)", erc20: true, price: 45_500_000n },
];

for (const currency of currencies) {
  describe(`Primary sale in ${currency.label}`, function () {
    async function saleFixture() {
      const platform = await deployPlatform(ethers);
      const [, , organizer, fan, friend, stranger] = await ethers.getSigners();
      const input = await eventInput(ethers, {
        currency: currency.erc20 ? await platform.usdc.getAddress() : ZERO,
      });
      const ticket = await createEvent(ethers, platform.factory, organizer, input, [
        tierInput(input, { name: "Adult", price: currency.price, supply: 10 }),
        tierInput(input, { name: "Student", price: currency.price / 2n, supply: 100, maxPerWallet: 2 }),
        tierInput(input, { name: "Late", price: currency.price, saleStart: input.start - 2 * DAY }),
      ]);
      return { ...platform, organizer, fan, friend, stranger, input, ticket };
    }

    /** Prepares `quantity` tickets' payment and returns the overrides for `buy`. */
    async function pay(ctx: Awaited<ReturnType<typeof saleFixture>>, from: typeof ctx.fan, amount: bigint) {
      if (!currency.erc20) return { value: amount };
      await ctx.usdc.connect(from).mint(from.address, amount);
      await ctx.usdc.connect(from).approve(await ctx.ticket.getAddress(), amount);
      return {};
    }

    async function balanceOf(ctx: Awaited<ReturnType<typeof saleFixture>>, who: string) {
      return currency.erc20 ? ctx.usdc.balanceOf(who) : ethers.provider.getBalance(who);
    }

    it("mints consecutive token ids in the tier's range to the recipient", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan, friend } = ctx;
      await ticket.connect(fan).buy(1, 2, fan.address, 2n * currency.price, await pay(ctx, fan, 2n * currency.price));
      await ticket.connect(fan).buy(1, 3, friend.address, 3n * currency.price, await pay(ctx, fan, 3n * currency.price));
      expect(await ticket.ownerOf(tokenIdOf(1, 1))).to.equal(fan.address);
      expect(await ticket.ownerOf(tokenIdOf(1, 2))).to.equal(fan.address);
      for (const serial of [3, 4, 5]) expect(await ticket.ownerOf(tokenIdOf(1, serial))).to.equal(friend.address);
      expect((await ticket.tier(1)).sold).to.equal(5n);
      const info = await ticket.ticketInfo(tokenIdOf(1, 4));
      expect([info.holder, info.tierId, info.serial, info.pricePaid, info.checkedIn]).to.deep.equal([
        friend.address,
        1n,
        4n,
        currency.price,
        false,
      ]);
    });

    it("emits TicketsPurchased with buyer, recipient, tier, first id, quantity and total", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan, friend } = ctx;
      await ticket.connect(fan).buy(1, 1, fan.address, currency.price, await pay(ctx, fan, currency.price));
      const overrides = await pay(ctx, fan, 3n * currency.price);
      await expect(ticket.connect(fan).buy(1, 3, friend.address, 3n * currency.price, overrides))
        .to.emit(ticket, "TicketsPurchased")
        .withArgs(fan.address, friend.address, 1n, tokenIdOf(1, 2), 3n, 3n * currency.price);
    });

    it("takes exactly the price and keeps it in the contract", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan } = ctx;
      const overrides = await pay(ctx, fan, 2n * (currency.price / 2n));
      const before = await balanceOf(ctx, await ticket.getAddress());
      await ticket.connect(fan).buy(2, 2, fan.address, 2n * (currency.price / 2n), overrides);
      expect((await balanceOf(ctx, await ticket.getAddress())) - before).to.equal(2n * (currency.price / 2n));
      expect(await ticket.pricePaid(tokenIdOf(2, 1))).to.equal(currency.price / 2n);
    });

    it("refuses a payment that is not exact", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan } = ctx;
      if (currency.erc20) {
        await pay(ctx, fan, currency.price);
        await expect(ticket.connect(fan).buy(1, 1, fan.address, currency.price, { value: 1n }))
          .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
          .withArgs(0n, 1n);
        // Approved less than the price: the token's own error surfaces, nothing is minted.
        await ctx.usdc.connect(fan).approve(await ticket.getAddress(), currency.price - 1n);
        await expect(ticket.connect(fan).buy(1, 1, fan.address, currency.price)).to.be.revertedWithCustomError(
          ctx.usdc,
          "ERC20InsufficientAllowance",
        );
      } else {
        await expect(ticket.connect(fan).buy(1, 2, fan.address, ANY_PRICE, { value: currency.price }))
          .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
          .withArgs(2n * currency.price, currency.price);
        await expect(ticket.connect(fan).buy(1, 1, fan.address, ANY_PRICE, { value: currency.price + 1n }))
          .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
          .withArgs(currency.price, currency.price + 1n);
      }
      expect((await ticket.tier(1)).sold).to.equal(0n);
    });

    describe("when the sale has not opened or has closed", function () {
      it("refuses with the window", async function () {
        const ctx = await networkHelpers.loadFixture(saleFixture);
        const { ticket, fan, input } = ctx;
        const late = await ticket.tier(3);
        await expect(ticket.connect(fan).buy(3, 1, fan.address, currency.price, await pay(ctx, fan, currency.price)))
          .to.be.revertedWithCustomError(ticket, "SaleNotOpen")
          .withArgs(3n, late.saleStart, late.saleEnd);
        await networkHelpers.time.increaseTo(input.start);
        await expect(ticket.connect(fan).buy(3, 1, fan.address, currency.price, await pay(ctx, fan, currency.price)))
          .to.be.revertedWithCustomError(ticket, "SaleNotOpen")
          .withArgs(3n, late.saleStart, late.saleEnd);
      });

      it("sells from the first second of the window", async function () {
        const ctx = await networkHelpers.loadFixture(saleFixture);
        const { ticket, fan } = ctx;
        const late = await ticket.tier(3);
        const overrides = await pay(ctx, fan, currency.price);
        await networkHelpers.time.setNextBlockTimestamp(late.saleStart);
        await ticket.connect(fan).buy(3, 1, fan.address, currency.price, overrides);
        expect(await ticket.ownerOf(tokenIdOf(3, 1))).to.equal(fan.address);
      });
    });

    it("refuses a paused tier", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, organizer, fan } = ctx;
      await ticket.connect(organizer).setTierPaused(1, true);
      await expect(ticket.connect(fan).buy(1, 1, fan.address, currency.price, await pay(ctx, fan, currency.price)))
        .to.be.revertedWithCustomError(ticket, "TierIsPaused")
        .withArgs(1n);
    });

    it("refuses more than the remaining supply, then sells the rest", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan } = ctx;
      await ticket.connect(fan).buy(1, 7, fan.address, 7n * currency.price, await pay(ctx, fan, 7n * currency.price));
      await expect(ticket.connect(fan).buy(1, 4, fan.address, 4n * currency.price, await pay(ctx, fan, 4n * currency.price)))
        .to.be.revertedWithCustomError(ticket, "SoldOut")
        .withArgs(1n, 4n, 3n);
      await ticket.connect(fan).buy(1, 3, fan.address, 3n * currency.price, await pay(ctx, fan, 3n * currency.price));
      await expect(ticket.connect(fan).buy(1, 1, fan.address, currency.price, await pay(ctx, fan, currency.price)))
        .to.be.revertedWithCustomError(ticket, "SoldOut")
        .withArgs(1n, 1n, 0n);
    });

    it("limits tickets bought for one wallet, whoever pays and wherever they go next", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan, friend, stranger } = ctx;
      const half = currency.price / 2n;
      await ticket.connect(fan).buy(2, 1, fan.address, half, await pay(ctx, fan, half));
      await ticket.connect(friend).buy(2, 1, fan.address, half, await pay(ctx, friend, half));
      expect(await ticket.purchased(2, fan.address)).to.equal(2n);
      await expect(ticket.connect(stranger).buy(2, 1, fan.address, half, await pay(ctx, stranger, half)))
        .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
        .withArgs(2n, fan.address, 1n, 0n);
      // Passing a ticket on does not free up the limit.
      await ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenIdOf(2, 1));
      await expect(
        ticket.connect(fan).buy(2, 1, fan.address, half, await pay(ctx, fan, half)),
      ).to.be.revertedWithCustomError(ticket, "WalletLimitExceeded");
      await expect(ticket.connect(fan).buy(2, 3, friend.address, 3n * half, await pay(ctx, fan, 3n * half)))
        .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
        .withArgs(2n, friend.address, 3n, 2n);
    });

    it("refuses zero tickets and unknown tiers", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, fan } = ctx;
      await expect(ticket.connect(fan).buy(1, 0, fan.address, ANY_PRICE))
        .to.be.revertedWithCustomError(ticket, "InvalidQuantity")
        .withArgs(0n);
      await expect(ticket.connect(fan).buy(4, 1, fan.address, ANY_PRICE))
        .to.be.revertedWithCustomError(ticket, "UnknownTier")
        .withArgs(4n);
    });

    it("refuses denied buyers and denied recipients", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, organizer, fan, friend } = ctx;
      await expect(ticket.connect(organizer).setDenied([fan.address], true))
        .to.emit(ticket, "DenyListUpdated")
        .withArgs(fan.address, true);
      await expect(ticket.connect(fan).buy(1, 1, friend.address, currency.price, await pay(ctx, fan, currency.price)))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(fan.address);
      await expect(ticket.connect(friend).buy(1, 1, fan.address, currency.price, await pay(ctx, friend, currency.price)))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(fan.address);
      await ticket.connect(organizer).setDenied([fan.address], false);
      expect(await ticket.isDenied(fan.address)).to.equal(false);
      await ticket.connect(fan).buy(1, 1, fan.address, currency.price, await pay(ctx, fan, currency.price));
    });

    it("stops selling once the event is cancelled", async function () {
      const ctx = await networkHelpers.loadFixture(saleFixture);
      const { ticket, organizer, fan } = ctx;
      await ticket.connect(organizer).cancel();
      await expect(
        ticket.connect(fan).buy(1, 1, fan.address, currency.price, await pay(ctx, fan, currency.price)),
      ).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
    });
  });
}

describe("Primary sale under the Locked policy", function () {
  it("announces each minted ticket as locked (ERC-5192)", async function () {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer, fan] = await ethers.getSigners();
    const input = await eventInput(ethers, { policy: Policy.Locked });
    const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
    const tx = buyTickets(ticket, fan, 1, 2);
    await expect(tx).to.emit(ticket, "Locked").withArgs(tokenIdOf(1, 1));
    await expect(tx).to.emit(ticket, "Locked").withArgs(tokenIdOf(1, 2));
    expect(await ticket.locked(tokenIdOf(1, 1))).to.equal(true);
  });
});
