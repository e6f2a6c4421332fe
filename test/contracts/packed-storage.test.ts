// Data kept beside ERC-721's own words (listings and recorded prices in a token's ownership word,
// the deny flag and per-wallet purchase counts in an account's balance word): the edge cases
// where it must move out of those words, or be forgotten.
import { expect } from "chai";
import { network } from "hardhat";

import { codeIdFor, signVoucher } from "../../lib/vouchers.js";
import {
  ANY_PRICE,
  Policy,
  ZERO,
  createEvent,
  deployPlatform,
  eventInput,
  purchaseOptions,
  tierInput,
  tokenIdOf,
  typedDataSigner,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const ListingState = { Active: 0, NotListed: 1, TokenMoved: 2 } as const;
const price = 10n ** 17n;
const discounted = price - price / 5n;
/** A ticket's resale is capped at 110% of what it was bought for. */
const discountedCap = (discounted * 11_000n) / 10_000n;

async function packedFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger] = await ethers.getSigners();
  const input = await eventInput(ethers, { policy: Policy.Open });
  const tiers = Array.from({ length: 8 }, (_, i) => tierInput(input, { name: `T${i + 1}`, price, maxPerWallet: 5 }));
  const ticket = await createEvent(ethers, platform.factory, organizer, input, tiers);
  const address = (await ticket.getAddress()) as `0x${string}`;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const voucher = {
    eventAddress: address,
    tierId: 1n,
    percentOffBps: 2_000,
    amountOff: 0n,
    maxUses: 10,
    expiresAt: input.start,
    buyer: ZERO as `0x${string}`,
    signer: organizer.address as `0x${string}`,
    codeId: codeIdFor("PACKED20"),
  };
  const voucherSignature = await signVoucher(typedDataSigner(organizer), chainId, voucher);
  // fan buys token 1 of tier 1 with 20% off: its price is recorded in the ownership word.
  await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ voucher, voucherSignature }), {
    value: discounted,
  });
  return { ...platform, organizer, fan, friend, stranger, input, ticket, tokenId: tokenIdOf(1, 1) };
}

describe("Packed per-token and per-account data", function () {
  describe("a ticket bought below its tier's price", function () {
    it("keeps its price paid through listing, resale and a refund", async function () {
      const { ticket, organizer, fan, friend, tokenId } = await networkHelpers.loadFixture(packedFixture);
      expect(await ticket.pricePaid(tokenId)).to.equal(discounted);
      // The resale cap follows the recorded price, not the tier's.
      expect(await ticket.resaleCap(tokenId)).to.equal(discountedCap);
      await expect(ticket.connect(fan).list(tokenId, price))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(tokenId, price, discountedCap);
      await ticket.connect(fan).list(tokenId, discountedCap);
      expect(await ticket.pricePaid(tokenId)).to.equal(discounted);
      expect(await ticket.resaleCap(tokenId)).to.equal(discountedCap);
      expect(await ticket.listing(tokenId)).to.deep.equal([fan.address, discountedCap]);
      await ticket.connect(friend).buyListing(tokenId, discountedCap, { value: discountedCap });
      expect(await ticket.ownerOf(tokenId)).to.equal(friend.address);
      expect(await ticket.pricePaid(tokenId)).to.equal(discounted);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.NotListed);
      await ticket.connect(organizer).cancel();
      await expect(ticket.connect(friend).claimRefund(tokenId)).to.changeEtherBalance(ethers, friend, discounted);
    });

    it("keeps its price paid through a plain transfer", async function () {
      const { ticket, fan, stranger, tokenId } = await networkHelpers.loadFixture(packedFixture);
      await ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenId);
      expect(await ticket.ownerOf(tokenId)).to.equal(stranger.address);
      expect(await ticket.pricePaid(tokenId)).to.equal(discounted);
      expect(await ticket.balanceOf(stranger.address)).to.equal(1n);
    });
  });

  describe("a listing whose token moved by another path", function () {
    it("reads TokenMoved, revives if the token comes back, and can be bought then", async function () {
      const { ticket, fan, friend, stranger, tokenId } = await networkHelpers.loadFixture(packedFixture);
      await ticket.connect(fan).list(tokenId, discounted - 1n);
      await ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenId);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.TokenMoved);
      expect(await ticket.listing(tokenId)).to.deep.equal([fan.address, discounted - 1n]);
      await ticket.connect(stranger).transferFrom(stranger.address, fan.address, tokenId);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.Active);
      await expect(ticket.connect(fan).list(tokenId, discounted))
        .to.be.revertedWithCustomError(ticket, "ListingExists")
        .withArgs(tokenId, fan.address);
      await ticket.connect(fan).updateListing(tokenId, discounted);
      await ticket.connect(friend).buyListing(tokenId, discounted, { value: discounted });
      expect(await ticket.ownerOf(tokenId)).to.equal(friend.address);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.NotListed);
      expect(await ticket.pricePaid(tokenId)).to.equal(discounted);
    });

    it("is replaced when the new holder lists, who can then cancel it", async function () {
      const { ticket, fan, stranger, tokenId } = await networkHelpers.loadFixture(packedFixture);
      await ticket.connect(fan).list(tokenId, discounted);
      await ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenId);
      await ticket.connect(stranger).list(tokenId, discounted - 2n);
      expect(await ticket.listing(tokenId)).to.deep.equal([stranger.address, discounted - 2n]);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.Active);
      await ticket.connect(stranger).cancelListing(tokenId);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.NotListed);
      await expect(ticket.connect(stranger).cancelListing(tokenId))
        .to.be.revertedWithCustomError(ticket, "ListingUnavailable")
        .withArgs(tokenId, ListingState.NotListed);
    });
  });

  describe("single-token approvals", function () {
    it("are cleared by a transfer, so the old operator cannot move the token again", async function () {
      const { ticket, fan, friend, stranger, tokenId } = await networkHelpers.loadFixture(packedFixture);
      await ticket.connect(fan).approve(stranger.address, tokenId);
      await ticket.connect(stranger).transferFrom(fan.address, friend.address, tokenId);
      expect(await ticket.getApproved(tokenId)).to.equal(ZERO);
      await expect(ticket.connect(stranger).transferFrom(friend.address, stranger.address, tokenId))
        .to.be.revertedWithCustomError(ticket, "ERC721InsufficientApproval")
        .withArgs(stranger.address, tokenId);
      await ticket.connect(friend).approve(fan.address, tokenId);
      await ticket.connect(friend).list(tokenId, discounted);
      await ticket.connect(stranger).buyListing(tokenId, discounted, { value: discounted });
      expect(await ticket.getApproved(tokenId)).to.equal(ZERO);
    });
  });

  describe("per-wallet purchase counts", function () {
    it("stay exact across more tiers than the account word holds", async function () {
      const { ticket, friend } = await networkHelpers.loadFixture(packedFixture);
      for (let tierId = 1; tierId <= 8; tierId++) {
        await ticket.connect(friend).buy(tierId, 2, friend.address, 2n * price, { value: 2n * price });
        await ticket.connect(friend).buy(tierId, 3, friend.address, 3n * price, { value: 3n * price });
      }
      for (let tierId = 1; tierId <= 8; tierId++) {
        expect(await ticket.purchased(tierId, friend.address)).to.equal(5n);
        await expect(ticket.connect(friend).buy(tierId, 1, friend.address, price, { value: price }))
          .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
          .withArgs(tierId, friend.address, 1n, 0n);
      }
      expect(await ticket.balanceOf(friend.address)).to.equal(40n);
    });

    it("are unaffected by the deny flag kept beside them, and the flag by the balance", async function () {
      const { ticket, organizer, fan, friend } = await networkHelpers.loadFixture(packedFixture);
      await ticket.connect(organizer).setDenied([fan.address], true);
      expect(await ticket.isDenied(fan.address)).to.equal(true);
      expect(await ticket.balanceOf(fan.address)).to.equal(1n);
      expect(await ticket.purchased(1, fan.address)).to.equal(1n);
      await expect(ticket.connect(friend).buy(1, 1, fan.address, ANY_PRICE, { value: price }))
        .to.be.revertedWithCustomError(ticket, "AddressDenied")
        .withArgs(fan.address);
      await ticket.connect(organizer).setDenied([fan.address], false);
      expect(await ticket.isDenied(fan.address)).to.equal(false);
      await ticket.connect(friend).buy(1, 1, fan.address, ANY_PRICE, { value: price });
      expect(await ticket.balanceOf(fan.address)).to.equal(2n);
      expect(await ticket.purchased(1, fan.address)).to.equal(2n);
    });
  });

  describe("a refunded seat sold again", function () {
    it("carries nothing of the burned ticket", async function () {
      const { factory, organizer, fan, friend, input } = await networkHelpers.loadFixture(packedFixture);
      const seated = await createEvent(ethers, factory, organizer, input, [tierInput(input, { price })]);
      await seated.connect(organizer).setSeatMap(1, [
        { section: ethers.encodeBytes32String("Stalls").slice(0, 34), firstRow: 1, rows: 1, firstSeat: 1, seatsPerRow: 4, letteredRows: false },
      ]);
      await seated.connect(organizer).setTierOptions(1, {
        earlyPrice: discounted,
        earlyUntil: input.start - 1,
        entryStart: 0,
        entryEnd: 0,
        presaleStart: 0,
        presaleRoot: ethers.ZeroHash,
      });
      const seat = tokenIdOf(1, 2);
      await seated.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [2n] }), { value: discounted });
      await seated.connect(fan).list(seat, discounted);
      await seated.connect(organizer).refundTicket(seat, true);
      await seated.connect(organizer).setTierOptions(1, {
        earlyPrice: 0,
        earlyUntil: 0,
        entryStart: 0,
        entryEnd: 0,
        presaleStart: 0,
        presaleRoot: ethers.ZeroHash,
      });
      await seated.connect(friend).buyWith(1, 1, friend.address, purchaseOptions({ seats: [2n] }), { value: price });
      expect(await seated.ownerOf(seat)).to.equal(friend.address);
      expect(await seated.pricePaid(seat)).to.equal(price);
      expect(await seated.listingState(seat)).to.equal(ListingState.NotListed);
      expect(await seated.listing(seat)).to.deep.equal([ZERO, 0n]);
    });
  });
});
