import { expect } from "chai";
import { network } from "hardhat";

import {
  CHECK_IN_LEAD,
  PLATFORM_FEE_BPS,
  SETTLEMENT_DELAY,
  ZERO,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const currencies = [
  { label: "ETH", erc20: false, adult: 10n ** 17n, child: 3n * 10n ** 16n + 7n },
  { label: "USDC (6 decimals)", erc20: true, adult: 45_000_000n, child: 12_333_333n },
];

for (const currency of currencies) {
  describe(`Settlement in ${currency.label}`, function () {
    async function soldFixture() {
      const platform = await deployPlatform(ethers);
      const [, , organizer, fan, friend, stranger, finance] = await ethers.getSigners();
      const input = await eventInput(ethers, {
        currency: currency.erc20 ? await platform.usdc.getAddress() : ZERO,
      });
      const ticket = await createEvent(ethers, platform.factory, organizer, input, [
        tierInput(input, { price: currency.adult }),
        tierInput(input, { name: "Child", price: currency.child }),
      ]);
      const buy = async (who: typeof fan, tierId: number, quantity: number) => {
        const total = (tierId === 1 ? currency.adult : currency.child) * BigInt(quantity);
        if (currency.erc20) {
          await platform.usdc.connect(who).mint(who.address, total);
          await platform.usdc.connect(who).approve(await ticket.getAddress(), total);
          return ticket.connect(who).buy(tierId, quantity, who.address, total);
        }
        return ticket.connect(who).buy(tierId, quantity, who.address, total, { value: total });
      };
      await buy(fan, 1, 2);
      await buy(fan, 2, 1);
      await buy(friend, 1, 1);
      const gross = 3n * currency.adult + currency.child;
      return { ...platform, organizer, fan, friend, stranger, finance, input, ticket, gross };
    }

    async function balanceOf(ctx: Awaited<ReturnType<typeof soldFixture>>, who: string) {
      return currency.erc20 ? ctx.usdc.balanceOf(who) : ethers.provider.getBalance(who);
    }

    describe("cancel", function () {
      it("cancels with an event and opens refunds in full", async function () {
        const { ticket, organizer, gross } = await networkHelpers.loadFixture(soldFixture);
        const at = (await networkHelpers.time.latest()) + 5;
        await networkHelpers.time.setNextBlockTimestamp(at);
        const tx = ticket.connect(organizer).cancel();
        await expect(tx).to.emit(ticket, "EventCancelled").withArgs(organizer.address, at);
        await expect(tx).to.emit(ticket, "RefundsOpened").withArgs(gross, gross, 10n ** 18n);
        expect((await ticket.eventInfo()).cancelled).to.equal(true);
        expect(await ticket.refundBooks()).to.deep.equal([gross, 10n ** 18n]);
      });

      it("refuses a second cancel, an organizer cancel after the end, and a cancel by others", async function () {
        const { ticket, organizer, stranger, input } = await networkHelpers.loadFixture(soldFixture);
        const closesAt = BigInt(input.end + SETTLEMENT_DELAY);
        await expect(ticket.connect(stranger).cancel())
          .to.be.revertedWithCustomError(ticket, "CancelNotAllowed")
          .withArgs(stranger.address, closesAt);
        await ticket.connect(organizer).cancel();
        await expect(ticket.connect(organizer).cancel()).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
        const fresh = await networkHelpers.loadFixture(soldFixture);
        await networkHelpers.time.increaseTo(input.end);
        // After the end only the platform may cancel (see platform-powers.test.ts).
        await expect(fresh.ticket.connect(fresh.organizer).cancel())
          .to.be.revertedWithCustomError(fresh.ticket, "CancelNotAllowed")
          .withArgs(fresh.organizer.address, closesAt);
      });
    });

    describe("claimRefund", function () {
      it("pays each holder back the token's primary price and burns it", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, organizer, fan } = ctx;
        await ticket.connect(organizer).cancel();
        const child = tokenIdOf(2, 1);
        const before = await balanceOf(ctx, fan.address);
        const tx = await ticket.connect(fan).claimRefund(child);
        const receipt = (await tx.wait())!;
        await expect(tx).to.emit(ticket, "Refunded").withArgs(child, fan.address, fan.address, currency.child);
        await expect(tx).to.emit(ticket, "Transfer").withArgs(fan.address, ZERO, child);
        const gas = currency.erc20 ? 0n : receipt.gasUsed * receipt.gasPrice;
        expect((await balanceOf(ctx, fan.address)) - before + gas).to.equal(currency.child);
        await expect(ticket.ownerOf(child)).to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken");
      });

      it("refunds every ticket and leaves nothing behind", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, organizer, fan, friend } = ctx;
        await ticket.connect(organizer).cancel();
        await ticket.connect(fan).claimRefund(tokenIdOf(1, 1));
        await ticket.connect(fan).claimRefund(tokenIdOf(1, 2));
        await ticket.connect(fan).claimRefund(tokenIdOf(2, 1));
        await ticket.connect(friend).claimRefund(tokenIdOf(1, 3));
        expect(await balanceOf(ctx, await ticket.getAddress())).to.equal(0n);
      });

      it("refunds the current holder, not the original buyer", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, organizer, fan, friend } = ctx;
        await ticket.connect(fan).transferFrom(fan.address, friend.address, tokenIdOf(1, 1));
        await ticket.connect(organizer).cancel();
        await expect(ticket.connect(fan).claimRefund(tokenIdOf(1, 1)))
          .to.be.revertedWithCustomError(ticket, "ERC721InsufficientApproval")
          .withArgs(fan.address, tokenIdOf(1, 1));
        await expect(ticket.connect(friend).claimRefund(tokenIdOf(1, 1)))
          .to.emit(ticket, "Refunded")
          .withArgs(tokenIdOf(1, 1), friend.address, friend.address, currency.adult);
      });

      it("refuses a second refund of the same token", async function () {
        const { ticket, organizer, fan } = await networkHelpers.loadFixture(soldFixture);
        await ticket.connect(organizer).cancel();
        await ticket.connect(fan).claimRefund(tokenIdOf(1, 1));
        await expect(ticket.connect(fan).claimRefund(tokenIdOf(1, 1)))
          .to.be.revertedWithCustomError(ticket, "ERC721NonexistentToken")
          .withArgs(tokenIdOf(1, 1));
      });

      it("is closed while the event is on", async function () {
        const { ticket, fan } = await networkHelpers.loadFixture(soldFixture);
        await expect(ticket.connect(fan).claimRefund(tokenIdOf(1, 1))).to.be.revertedWithCustomError(
          ticket,
          "EventNotCancelled",
        );
      });

      it("pays another address on request, and refunds a checked-in ticket too", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, organizer, fan, stranger, input } = ctx;
        await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), organizer.address);
        await networkHelpers.time.increaseTo(input.start - CHECK_IN_LEAD);
        await ticket.connect(organizer).checkIn([tokenIdOf(1, 1)]);
        await ticket.connect(organizer).cancel();
        const before = await balanceOf(ctx, stranger.address);
        await expect(ticket.connect(fan).claimRefundTo(tokenIdOf(1, 1), stranger.address))
          .to.emit(ticket, "Refunded")
          .withArgs(tokenIdOf(1, 1), fan.address, stranger.address, currency.adult);
        expect((await balanceOf(ctx, stranger.address)) - before).to.equal(currency.adult);
      });

      it("refunds a denied holder only to itself", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, organizer, fan, stranger } = ctx;
        await ticket.connect(organizer).setDenied([fan.address], true);
        await ticket.connect(organizer).cancel();
        await expect(ticket.connect(fan).claimRefundTo(tokenIdOf(1, 1), stranger.address))
          .to.be.revertedWithCustomError(ticket, "RefundRecipientNotAllowed")
          .withArgs(fan.address, stranger.address);
        await expect(ticket.connect(fan).claimRefund(tokenIdOf(1, 1)))
          .to.emit(ticket, "Refunded")
          .withArgs(tokenIdOf(1, 1), fan.address, fan.address, currency.adult);
      });

      it("never pays a denied address or the zero address", async function () {
        const { ticket, organizer, fan, stranger } = await networkHelpers.loadFixture(soldFixture);
        await ticket.connect(organizer).setDenied([stranger.address], true);
        await ticket.connect(organizer).cancel();
        await expect(ticket.connect(fan).claimRefundTo(tokenIdOf(1, 1), stranger.address))
          .to.be.revertedWithCustomError(ticket, "AddressDenied")
          .withArgs(stranger.address);
        await expect(ticket.connect(fan).claimRefundTo(tokenIdOf(1, 1), ZERO))
          .to.be.revertedWithCustomError(ticket, "RefundRecipientNotAllowed")
          .withArgs(fan.address, ZERO);
      });

      it("closes withdrawal for good", async function () {
        const { ticket, organizer, input } = await networkHelpers.loadFixture(soldFixture);
        await ticket.connect(organizer).cancel();
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
        await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
      });
    });

    describe("withdraw", function () {
      it("is locked until the end plus the settlement delay", async function () {
        const { ticket, organizer, input } = await networkHelpers.loadFixture(soldFixture);
        const availableAt = BigInt(input.end + SETTLEMENT_DELAY);
        await expect(ticket.connect(organizer).withdraw())
          .to.be.revertedWithCustomError(ticket, "WithdrawalLocked")
          .withArgs(availableAt);
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY - 2);
        await expect(ticket.connect(organizer).withdraw())
          .to.be.revertedWithCustomError(ticket, "WithdrawalLocked")
          .withArgs(availableAt);
      });

      it("pays the proceeds to the payout address; the platform fee accrues for the factory", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, factory, organizer, stranger, input, gross } = ctx;
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
        expect(await ticket.escrowBalance()).to.equal(gross);
        const fee = (gross * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
        const factoryAddress = await factory.getAddress();
        const factoryBefore = await balanceOf(ctx, factoryAddress);
        const payoutBefore = await balanceOf(ctx, input.payout);
        const tx = await ticket.connect(organizer).withdraw();
        const receipt = (await tx.wait())!;
        await expect(tx)
          .to.emit(ticket, "ProceedsWithdrawn")
          .withArgs(organizer.address, input.payout, gross - fee, fee);
        // The payout address is the organizer here, which also paid the gas.
        const gas = currency.erc20 ? 0n : receipt.gasUsed * receipt.gasPrice;
        expect((await balanceOf(ctx, input.payout)) - payoutBefore + gas).to.equal(gross - fee);
        expect(await ticket.escrowBalance()).to.equal(0n);
        // The fee stays in the contract, owed to the platform, until anyone sends it to the factory.
        expect(await ticket.accruedRoyalties()).to.deep.equal([0n, fee]);
        expect(await balanceOf(ctx, await ticket.getAddress())).to.equal(fee);
        expect(await balanceOf(ctx, factoryAddress)).to.equal(factoryBefore);
        await expect(ticket.connect(stranger).withdrawPlatformFees())
          .to.emit(ticket, "PlatformFeesWithdrawn")
          .withArgs(factoryAddress, fee);
        expect((await balanceOf(ctx, factoryAddress)) - factoryBefore).to.equal(fee);
        expect(await balanceOf(ctx, await ticket.getAddress())).to.equal(0n);
        await expect(ticket.connect(stranger).withdrawPlatformFees()).to.be.revertedWithCustomError(
          ticket,
          "NothingToWithdraw",
        );
      });

      it("can be triggered by FINANCE, paying the payout address", async function () {
        const ctx = await networkHelpers.loadFixture(soldFixture);
        const { ticket, organizer, finance, input, gross } = ctx;
        await ticket.connect(organizer).grantRole(await ticket.FINANCE_ROLE(), finance.address);
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
        const fee = (gross * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
        await expect(ticket.connect(finance).withdraw())
          .to.emit(ticket, "ProceedsWithdrawn")
          .withArgs(finance.address, input.payout, gross - fee, fee);
      });

      it("refuses anyone else", async function () {
        const { ticket, stranger, input } = await networkHelpers.loadFixture(soldFixture);
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
        await expect(ticket.connect(stranger).withdraw())
          .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, await ticket.FINANCE_ROLE());
      });

      it("refuses when there is nothing left", async function () {
        const { ticket, organizer, input } = await networkHelpers.loadFixture(soldFixture);
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
        await ticket.connect(organizer).withdraw();
        await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "NothingToWithdraw");
      });
    });
  });
}

describe("Reentrancy", function () {
  async function attackFixture() {
    const platform = await deployPlatform(ethers);
    const [, , organizer] = await ethers.getSigners();
    const input = await eventInput(ethers);
    const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input)]);
    const price = (await ticket.tier(1)).price;
    return { ...platform, organizer, input, ticket, price };
  }

  it("stops a holder contract from claiming a second refund while being paid the first", async function () {
    const { ticket, organizer, price } = await networkHelpers.loadFixture(attackFixture);
    const attacker = await ethers.deployContract("ReentrantRefundClaimer", [await ticket.getAddress()]);
    await attacker.buy(1, 2, { value: 2n * price });
    await ticket.connect(organizer).cancel();
    await attacker.claim(tokenIdOf(1, 1), tokenIdOf(1, 2));
    expect(await attacker.reentryAttempts()).to.equal(1n);
    expect(await attacker.reentryError()).to.equal(ticket.interface.getError("ReentrancyGuardReentrantCall")!.selector);
    expect(await attacker.received()).to.equal(price);
    expect(await ticket.ownerOf(tokenIdOf(1, 2))).to.equal(await attacker.getAddress());
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(price);
  });

  it("stops a payout contract from withdrawing twice", async function () {
    const { ticket, factory, organizer, input, price } = await networkHelpers.loadFixture(attackFixture);
    const attacker = await ethers.deployContract("ReentrantPayout", [await ticket.getAddress()]);
    await ticket.connect(organizer).setPayout(await attacker.getAddress());
    await ticket.connect(organizer).grantRole(await ticket.FINANCE_ROLE(), await attacker.getAddress());
    await ticket.connect(organizer).buy(1, 3, organizer.address, 3n * price, { value: 3n * price });
    await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
    await attacker.withdraw();
    const fee = (3n * price * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
    expect(await attacker.reentryAttempts()).to.equal(1n);
    expect(await attacker.reentryError()).to.equal(ticket.interface.getError("ReentrancyGuardReentrantCall")!.selector);
    expect(await attacker.received()).to.equal(3n * price - fee);
    // Only the platform fee is left, and it goes to the factory.
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(fee);
    await ticket.withdrawPlatformFees();
    expect(await ethers.provider.getBalance(await factory.getAddress())).to.equal(fee);
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(0n);
  });
});
