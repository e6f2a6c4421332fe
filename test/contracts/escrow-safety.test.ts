// Security review (issue 12), escrow findings: the currency allowlist, tokens that deliver less
// than they are asked to (fee on transfer) or lose funds while held (negative rebase), refunds
// shared pro rata, credits and payouts that cannot block one another, and the platform fee the
// organizer accepted.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { IChainpassEvent, MockFeeToken, RefusingHolder } from "../../types/ethers-contracts/index.js";
import {
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

const BPS = 10_000n;
const FULL = 10n ** 18n;
const ROYALTY_BPS = 500n;
const FEE_BPS = BigInt(PLATFORM_FEE_BPS);
/** 10 tokens of the 6-decimal fee token. */
const TOKEN_PRICE = 10_000_000n;
const ETH_PRICE = 10n ** 17n;

/** Mints `amount` of `token` to `who`, approves the event and buys `quantity` of tier 1 for itself. */
async function buyInToken(token: MockFeeToken, ticket: IChainpassEvent, who: HardhatEthersSigner, quantity = 1) {
  const total = TOKEN_PRICE * BigInt(quantity);
  await token.mint(who.address, total);
  await token.connect(who).approve(await ticket.getAddress(), total);
  return ticket.connect(who).buy(1, quantity, who.address, total);
}

describe("Escrow safety (review findings 1 and 7)", function () {
  async function feeTokenFixture() {
    const platform = await deployPlatform(ethers);
    const [, , organizer, fan, friend, third, reseller, stranger] = await ethers.getSigners();
    const token = (await ethers.deployContract("MockFeeToken")) as unknown as MockFeeToken;
    const tokenAddress = await token.getAddress();
    const input = await eventInput(ethers, { currency: tokenAddress });
    return { ...platform, organizer, fan, friend, third, reseller, stranger, token, tokenAddress, input };
  }

  /** The fee token allowed by the factory owner and an event selling in it. */
  async function tokenEventFixture() {
    const ctx = await feeTokenFixture();
    await ctx.factory.connect(ctx.owner).setCurrencyAllowed(ctx.tokenAddress, true);
    const ticket = await createEvent(ethers, ctx.factory, ctx.organizer, ctx.input, [
      tierInput(ctx.input, { price: TOKEN_PRICE }),
    ]);
    return { ...ctx, ticket, address: await ticket.getAddress() };
  }

  describe("currency allowlist (finding 1)", function () {
    it("lets only the factory owner allow a currency, and refuses events in any other", async function () {
      const { factory, owner, organizer, stranger, usdc, token, tokenAddress, input } =
        await networkHelpers.loadFixture(feeTokenFixture);
      const tiers = [tierInput(input, { price: TOKEN_PRICE })];
      expect(await factory.isCurrencyAllowed(ZERO)).to.equal(true);
      expect(await factory.isCurrencyAllowed(await usdc.getAddress())).to.equal(true);
      expect(await factory.isCurrencyAllowed(tokenAddress)).to.equal(false);

      await expect(factory.connect(organizer).createEvent(input, tiers, PLATFORM_FEE_BPS))
        .to.be.revertedWithCustomError(factory, "CurrencyNotAllowed")
        .withArgs(tokenAddress);
      await expect(factory.connect(stranger).setCurrencyAllowed(tokenAddress, true))
        .to.be.revertedWithCustomError(factory, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      expect(await factory.eventCount()).to.equal(0n);

      await expect(factory.connect(owner).setCurrencyAllowed(tokenAddress, true))
        .to.emit(factory, "CurrencyAllowed")
        .withArgs(tokenAddress, true);
      expect(await factory.isCurrencyAllowed(tokenAddress)).to.equal(true);
      const ticket = await createEvent(ethers, factory, organizer, input, tiers);
      expect((await ticket.eventInfo()).currency).to.equal(tokenAddress);

      // Withdrawn again: no new event, while the existing one keeps its currency and sells.
      await expect(factory.connect(owner).setCurrencyAllowed(tokenAddress, false))
        .to.emit(factory, "CurrencyAllowed")
        .withArgs(tokenAddress, false);
      await expect(factory.connect(organizer).createEvent(input, tiers, PLATFORM_FEE_BPS))
        .to.be.revertedWithCustomError(factory, "CurrencyNotAllowed")
        .withArgs(tokenAddress);
      const [, , , fan] = await ethers.getSigners();
      await buyInToken(token, ticket, fan);
      expect(await token.balanceOf(await ticket.getAddress())).to.equal(TOKEN_PRICE);
    });

    it("can take ETH off the list too", async function () {
      const { factory, owner, organizer } = await networkHelpers.loadFixture(feeTokenFixture);
      const input = await eventInput(ethers);
      await factory.connect(owner).setCurrencyAllowed(ZERO, false);
      await expect(factory.connect(organizer).createEvent(input, [tierInput(input)], PLATFORM_FEE_BPS))
        .to.be.revertedWithCustomError(factory, "CurrencyNotAllowed")
        .withArgs(ZERO);
    });
  });

  describe("fee on transfer (finding 1)", function () {
    it("refuses a purchase (buy and buyWith) whose token delivers less than the price", async function () {
      const { ticket, token, fan, address } = await networkHelpers.loadFixture(tokenEventFixture);
      await token.setFeeBps(100);
      const received = TOKEN_PRICE - (TOKEN_PRICE * 100n) / BPS;
      await token.mint(fan.address, 2n * TOKEN_PRICE);
      await token.connect(fan).approve(address, 2n * TOKEN_PRICE);

      await expect(ticket.connect(fan).buy(1, 1, fan.address, TOKEN_PRICE))
        .to.be.revertedWithCustomError(ticket, "PaymentNotReceived")
        .withArgs(TOKEN_PRICE, received);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ maxTotal: TOKEN_PRICE })))
        .to.be.revertedWithCustomError(ticket, "PaymentNotReceived")
        .withArgs(TOKEN_PRICE, received);

      expect(await token.balanceOf(fan.address)).to.equal(2n * TOKEN_PRICE);
      expect(await token.balanceOf(address)).to.equal(0n);
      expect((await ticket.tier(1)).sold).to.equal(0n);
      expect(await ticket.balanceOf(fan.address)).to.equal(0n);
    });

    it("refuses a resale whose token delivers less than the listing price", async function () {
      const { ticket, token, fan, friend, address } = await networkHelpers.loadFixture(tokenEventFixture);
      await buyInToken(token, ticket, fan);
      const tokenId = tokenIdOf(1, 1);
      await ticket.connect(fan).list(tokenId, TOKEN_PRICE);
      await token.setFeeBps(100);
      await token.mint(friend.address, TOKEN_PRICE);
      await token.connect(friend).approve(address, TOKEN_PRICE);

      await expect(ticket.connect(friend).buyListing(tokenId, TOKEN_PRICE))
        .to.be.revertedWithCustomError(ticket, "PaymentNotReceived")
        .withArgs(TOKEN_PRICE, TOKEN_PRICE - (TOKEN_PRICE * 100n) / BPS);

      expect(await ticket.ownerOf(tokenId)).to.equal(fan.address);
      expect(await token.balanceOf(friend.address)).to.equal(TOKEN_PRICE);
      expect(await token.balanceOf(fan.address)).to.equal(0n);
      expect(await token.balanceOf(address)).to.equal(TOKEN_PRICE);
      expect(await ticket.accruedRoyalties()).to.deep.equal([0n, 0n]);
    });
  });

  describe("negative rebase (finding 1)", function () {
    it("shares what is left pro rata: every holder's refund succeeds and pays the same share", async function () {
      const { ticket, token, organizer, fan, friend, third, reseller, factory, address } =
        await networkHelpers.loadFixture(tokenEventFixture);
      await buyInToken(token, ticket, fan);
      await buyInToken(token, ticket, friend);
      await buyInToken(token, ticket, third);
      // A resale leaves royalties and the platform fee in the contract, owed apart from the escrow.
      await ticket.connect(third).list(tokenIdOf(1, 3), TOKEN_PRICE);
      await token.mint(reseller.address, TOKEN_PRICE);
      await token.connect(reseller).approve(address, TOKEN_PRICE);
      await ticket.connect(reseller).buyListing(tokenIdOf(1, 3), TOKEN_PRICE);
      const royalties = (TOKEN_PRICE * ROYALTY_BPS) / BPS;
      const fees = (TOKEN_PRICE * FEE_BPS) / BPS;
      expect(await ticket.accruedRoyalties()).to.deep.equal([royalties, fees]);

      // The token takes half a ticket's price from the event's balance.
      await token.slash(address, TOKEN_PRICE / 2n);
      const owed = 3n * TOKEN_PRICE;
      const escrow = owed - TOKEN_PRICE / 2n;
      const ratio = (escrow * FULL) / owed;
      expect(ratio).to.be.lessThan(FULL);
      await expect(ticket.connect(organizer).cancel())
        .to.emit(ticket, "RefundsOpened")
        .withArgs(escrow, owed, ratio);
      expect(await ticket.refundBooks()).to.deep.equal([owed, ratio]);

      const share = (TOKEN_PRICE * ratio) / FULL;
      const holders: [HardhatEthersSigner, bigint][] = [
        [fan, tokenIdOf(1, 1)],
        [friend, tokenIdOf(1, 2)],
        [reseller, tokenIdOf(1, 3)],
      ];
      const paid: bigint[] = [];
      for (const [holder, tokenId] of holders) {
        const before = await token.balanceOf(holder.address);
        await expect(ticket.connect(holder).claimRefund(tokenId))
          .to.emit(ticket, "Refunded")
          .withArgs(tokenId, holder.address, holder.address, share);
        paid.push((await token.balanceOf(holder.address)) - before);
      }
      expect(paid).to.deep.equal([share, share, share]);
      // The last one got no less than the first.
      expect(paid[2]).to.be.greaterThanOrEqual(paid[0]);

      // Only rounding dust and what was owed apart from the escrow remain, and the fees still pay.
      const left = await token.balanceOf(address);
      expect(left - royalties - fees).to.equal(escrow - 3n * share);
      expect(escrow - 3n * share).to.be.lessThan(3n);
      await expect(ticket.withdrawPlatformFees())
        .to.emit(ticket, "PlatformFeesWithdrawn")
        .withArgs(await factory.getAddress(), fees);
      expect(await token.balanceOf(await factory.getAddress())).to.equal(fees);
    });

    it("never lets an organizer refund pay more than the escrow holds", async function () {
      const { ticket, token, organizer, fan, friend, address } = await networkHelpers.loadFixture(tokenEventFixture);
      await buyInToken(token, ticket, fan);
      await buyInToken(token, ticket, friend);
      // Of the two prices held, only half of one is left.
      await token.slash(address, 2n * TOKEN_PRICE - TOKEN_PRICE / 2n);
      expect(await ticket.escrowBalance()).to.equal(TOKEN_PRICE / 2n);

      const tx = await ticket.connect(organizer).refundTicket(tokenIdOf(1, 1), false);
      await expect(tx)
        .to.emit(ticket, "Refunded")
        .withArgs(tokenIdOf(1, 1), fan.address, fan.address, TOKEN_PRICE / 2n);
      await expect(tx).to.changeTokenBalances(ethers, token, [fan, ticket], [TOKEN_PRICE / 2n, -(TOKEN_PRICE / 2n)]);
      expect(await token.balanceOf(address)).to.equal(0n);

      // Nothing is left for the next one: it is refunded 0, not reverted and not paid from elsewhere.
      await expect(ticket.connect(organizer).refundTicket(tokenIdOf(1, 2), false))
        .to.emit(ticket, "Refunded")
        .withArgs(tokenIdOf(1, 2), friend.address, friend.address, 0n);
      expect(await token.balanceOf(friend.address)).to.equal(0n);
    });
  });

  describe("credits and payouts (finding 7)", function () {
    async function ethEventFixture() {
      const platform = await deployPlatform(ethers);
      const [, , organizer, fan, friend, other, denied] = await ethers.getSigners();
      const input = await eventInput(ethers);
      const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input, { price: ETH_PRICE })]);
      const address = await ticket.getAddress();
      const refusing = (await ethers.deployContract("RefusingHolder", [address])) as unknown as RefusingHolder;
      return { ...platform, organizer, fan, friend, other, denied, input, ticket, address, refusing };
    }

    const royalty = (ETH_PRICE * ROYALTY_BPS) / BPS;
    const resaleFee = (ETH_PRICE * FEE_BPS) / BPS;
    const proceeds = ETH_PRICE - royalty - resaleFee;

    it("credits a seller that refuses ETH, and it can withdraw its credit to another address", async function () {
      const { ticket, organizer, friend, other, denied, refusing, address } =
        await networkHelpers.loadFixture(ethEventFixture);
      const holder = await refusing.getAddress();
      await refusing.buy(1, 1, { value: ETH_PRICE });
      const tokenId = tokenIdOf(1, 1);
      await refusing.list(tokenId, ETH_PRICE);

      const sale = await ticket.connect(friend).buyListing(tokenId, ETH_PRICE, { value: ETH_PRICE });
      await expect(sale).to.emit(ticket, "PaymentCredited").withArgs(holder, proceeds);
      await expect(sale).to.emit(ticket, "ResaleSold").withArgs(tokenId, ETH_PRICE);
      expect(await ticket.ownerOf(tokenId)).to.equal(friend.address);
      expect(await ticket.credits(holder)).to.equal(proceeds);

      await expect(refusing.withdrawCreditsTo(ZERO))
        .to.be.revertedWithCustomError(ticket, "InvalidRecipient")
        .withArgs(ZERO);
      await ticket.connect(organizer).setDenied([denied.address], true);
      await expect(refusing.withdrawCreditsTo(denied.address))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(denied.address);
      expect(await ticket.credits(holder)).to.equal(proceeds);

      const tx = await refusing.withdrawCreditsTo(other.address);
      await expect(tx).to.emit(ticket, "CreditsWithdrawn").withArgs(holder, other.address, proceeds);
      await expect(tx).to.changeEtherBalances(ethers, [other, address, holder], [proceeds, -proceeds, 0n]);
      expect(await ticket.credits(holder)).to.equal(0n);

      await expect(refusing.withdrawCreditsTo(other.address))
        .to.be.revertedWithCustomError(ticket, "NothingOwed")
        .withArgs(holder);
      await expect(ticket.connect(other).withdrawCreditsTo(other.address))
        .to.be.revertedWithCustomError(ticket, "NothingOwed")
        .withArgs(other.address);
    });

    it("pays platform fees to the factory even while the payout address refuses ETH", async function () {
      const { ticket, factory, organizer, fan, friend, input, refusing, address } =
        await networkHelpers.loadFixture(ethEventFixture);
      const payout = await refusing.getAddress();
      await ticket.connect(organizer).setPayout(payout);
      await ticket.connect(fan).buy(1, 2, fan.address, 2n * ETH_PRICE, { value: 2n * ETH_PRICE });
      await ticket.connect(fan).list(tokenIdOf(1, 1), ETH_PRICE);
      await ticket.connect(friend).buyListing(tokenIdOf(1, 1), ETH_PRICE, { value: ETH_PRICE });
      expect(await ticket.accruedRoyalties()).to.deep.equal([royalty, resaleFee]);

      await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWith("no thanks");
      await expect(ticket.withdrawRoyalties()).to.be.revertedWith("no thanks");

      const factoryAddress = await factory.getAddress();
      const fees = ticket.withdrawPlatformFees();
      await expect(fees).to.emit(ticket, "PlatformFeesWithdrawn").withArgs(factoryAddress, resaleFee);
      await expect(fees).to.changeEtherBalances(ethers, [factoryAddress, address], [resaleFee, -resaleFee]);
      expect(await ticket.accruedRoyalties()).to.deep.equal([royalty, 0n]);
      await expect(ticket.withdrawPlatformFees()).to.be.revertedWithCustomError(ticket, "NothingToWithdraw");

      // Once the payout accepts, proceeds go out and their platform fee accrues apart.
      await refusing.setAccepting(true);
      const gross = 2n * ETH_PRICE;
      const fee = (gross * FEE_BPS) / BPS;
      const withdrawal = ticket.connect(organizer).withdraw();
      await expect(withdrawal)
        .to.emit(ticket, "ProceedsWithdrawn")
        .withArgs(organizer.address, payout, gross - fee, fee);
      await expect(withdrawal).to.changeEtherBalances(ethers, [payout, address], [gross - fee, -(gross - fee)]);
      expect(await ticket.accruedRoyalties()).to.deep.equal([royalty, fee]);

      await expect(ticket.withdrawPlatformFees()).to.changeEtherBalances(ethers, [factoryAddress, address], [fee, -fee]);
      await expect(ticket.withdrawRoyalties()).to.changeEtherBalances(ethers, [payout, address], [royalty, -royalty]);
      expect(await ethers.provider.getBalance(address)).to.equal(0n);
    });
  });

  describe("platform fee limit (finding 7)", function () {
    it("refuses to create an event when the fee was raised above what the organizer accepted", async function () {
      const { factory, owner } = await networkHelpers.loadFixture(feeTokenFixture);
      const [, , organizer] = await ethers.getSigners();
      const input = await eventInput(ethers);
      const tiers = [tierInput(input)];
      await factory.connect(owner).setPlatformFee(500);

      await expect(factory.connect(organizer).createEvent(input, tiers, PLATFORM_FEE_BPS))
        .to.be.revertedWithCustomError(factory, "PlatformFeeAboveLimit")
        .withArgs(500, PLATFORM_FEE_BPS);
      expect(await factory.eventCount()).to.equal(0n);

      await factory.connect(organizer).createEvent(input, tiers, 500);
      const ticket = (await ethers.getContractAt("IChainpassEvent", await factory.eventAt(0))) as unknown as IChainpassEvent;
      expect((await ticket.eventInfo()).platformFeeBps).to.equal(500n);
    });
  });
});
