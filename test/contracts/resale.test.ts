import { expect } from "chai";
import { network } from "hardhat";

import {
  CHECK_IN_LEAD,
  PLATFORM_FEE_BPS,
  Policy,
  SETTLEMENT_DELAY,
  ZERO,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";
import { resaleSplit } from "../../lib/resale.js";
import { CURRENCIES, money } from "../helpers/money.js";

const { ethers, networkHelpers } = await network.create();

const ListingState = {
  Active: 0,
  NotListed: 1,
  TokenMoved: 2,
  CheckedIn: 3,
  EventCancelled: 4,
  EventEnded: 5,
  SellerDenied: 6,
} as const;

const ROYALTY_BPS = 500n;
const CAP_BPS = 11_000n;

for (const currency of CURRENCIES) {
  // A price that does not divide evenly, so rounding shows.
  const face = currency.price + 7n;
  const cap = (face * CAP_BPS) / 10_000n;

  describe(`Resale in ${currency.label}`, function () {
    async function resaleFixture(policy: number = Policy.Open) {
      const platform = await deployPlatform(ethers, { blocklistToken: true });
      const [, , organizer, seller, buyer, stranger, gate] = await ethers.getSigners();
      const input = await eventInput(ethers, {
        policy,
        currency: currency.erc20 ? await platform.usdc.getAddress() : ZERO,
      });
      const ticket = await createEvent(ethers, platform.factory, organizer, input, [
        tierInput(input, { price: face }),
      ]);
      await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
      const m = money(ethers, currency, platform.usdc);
      const address = await ticket.getAddress();
      await ticket.connect(seller).buy(1, 3, seller.address, 3n * face, await m.pay(seller, address, 3n * face));
      return { ...platform, organizer, seller, buyer, stranger, gate, input, ticket, m, address };
    }
    const openFixture = () => resaleFixture(Policy.Open);
    const cappedFixture = () => resaleFixture(Policy.Capped);
    Object.defineProperty(openFixture, "name", { value: `open${currency.label}` });
    Object.defineProperty(cappedFixture, "name", { value: `capped${currency.label}` });

    const tokenA = tokenIdOf(1, 1);
    const tokenB = tokenIdOf(1, 2);

    describe("list", function () {
      it("lists at exactly the cap", async function () {
        const { ticket, seller } = await networkHelpers.loadFixture(openFixture);
        expect(await ticket.resaleCap(tokenA)).to.equal(cap);
        await expect(ticket.connect(seller).list(tokenA, cap))
          .to.emit(ticket, "Listed")
          .withArgs(tokenA, seller.address, cap);
        const listing = await ticket.listing(tokenA);
        expect([listing.seller, listing.price]).to.deep.equal([seller.address, cap]);
        expect(await ticket.listingState(tokenA)).to.equal(ListingState.Active);
      });

      it("refuses 1 unit above the cap", async function () {
        const { ticket, seller } = await networkHelpers.loadFixture(openFixture);
        await expect(ticket.connect(seller).list(tokenA, cap + 1n))
          .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
          .withArgs(tokenA, cap + 1n, cap);
      });

      it("is for the holder only, once", async function () {
        const { ticket, seller, stranger } = await networkHelpers.loadFixture(openFixture);
        await expect(ticket.connect(stranger).list(tokenA, face))
          .to.be.revertedWithCustomError(ticket, "NotTokenHolder")
          .withArgs(tokenA, stranger.address);
        await ticket.connect(seller).list(tokenA, face);
        await expect(ticket.connect(seller).list(tokenA, face))
          .to.be.revertedWithCustomError(ticket, "ListingExists")
          .withArgs(tokenA, seller.address);
      });

      it("refuses denied sellers, cancelled and ended events", async function () {
        const { ticket, organizer, seller, input } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(organizer).setDenied([seller.address], true);
        await expect(ticket.connect(seller).list(tokenA, face))
          .to.be.revertedWithCustomError(ticket, "AddressDenied")
          .withArgs(seller.address);
        await ticket.connect(organizer).setDenied([seller.address], false);
        await networkHelpers.time.increaseTo(input.end);
        await expect(ticket.connect(seller).list(tokenA, face))
          .to.be.revertedWithCustomError(ticket, "EventAlreadyEnded")
          .withArgs(input.end);
        const fresh = await networkHelpers.loadFixture(openFixture);
        await fresh.ticket.connect(fresh.organizer).cancel();
        await expect(fresh.ticket.connect(fresh.seller).list(tokenA, face)).to.be.revertedWithCustomError(
          fresh.ticket,
          "EventIsCancelled",
        );
      });
    });

    describe("updateListing and cancelListing", function () {
      it("reprices within the cap", async function () {
        const { ticket, seller, stranger } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, face);
        await expect(ticket.connect(seller).updateListing(tokenA, face - 1n))
          .to.emit(ticket, "ListingUpdated")
          .withArgs(tokenA, seller.address, face - 1n);
        expect((await ticket.listing(tokenA)).price).to.equal(face - 1n);
        await expect(ticket.connect(seller).updateListing(tokenA, cap + 1n))
          .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
          .withArgs(tokenA, cap + 1n, cap);
        await expect(ticket.connect(stranger).updateListing(tokenA, face))
          .to.be.revertedWithCustomError(ticket, "NotTokenHolder")
          .withArgs(tokenA, stranger.address);
      });

      it("lets the seller withdraw the listing", async function () {
        const { ticket, seller } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, face);
        await expect(ticket.connect(seller).cancelListing(tokenA))
          .to.emit(ticket, "ListingCancelled")
          .withArgs(tokenA, seller.address);
        expect(await ticket.listingState(tokenA)).to.equal(ListingState.NotListed);
        await expect(ticket.connect(seller).cancelListing(tokenA))
          .to.be.revertedWithCustomError(ticket, "ListingUnavailable")
          .withArgs(tokenA, ListingState.NotListed);
      });

      it("lets the new holder clear a stale listing, and no one else", async function () {
        const { ticket, seller, buyer, stranger } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, face);
        await ticket.connect(seller).transferFrom(seller.address, buyer.address, tokenA);
        await expect(ticket.connect(stranger).cancelListing(tokenA))
          .to.be.revertedWithCustomError(ticket, "NotTokenHolder")
          .withArgs(tokenA, stranger.address);
        await expect(ticket.connect(buyer).cancelListing(tokenA))
          .to.emit(ticket, "ListingCancelled")
          .withArgs(tokenA, seller.address);
      });
    });

    describe("buyListing", function () {
      it("pays royalty, fee and seller exactly the price, and moves the ticket", async function () {
        const { ticket, seller, buyer, m, address } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, cap);
        // lib/resale.ts, what the app shows a seller before listing, against what the contract pays.
        const { royalty, platformFee: fee, seller: sellerShare } = resaleSplit(cap, Number(ROYALTY_BPS), PLATFORM_FEE_BPS);
        expect(royalty + fee + sellerShare).to.equal(cap);
        expect(cap % 10_000n).to.not.equal(0n); // the split really rounds

        const sellerBefore = await m.balanceOf(seller.address);
        const escrowBefore = await ticket.escrowBalance();
        const tx = ticket.connect(buyer).buyListing(tokenA, cap, await m.pay(buyer, address, cap));
        // Seller and buyer are the Transfer's; royalty and fee follow from the price.
        await expect(tx).to.emit(ticket, "ResaleSold").withArgs(tokenA, cap);
        await expect(tx).to.emit(ticket, "Transfer").withArgs(seller.address, buyer.address, tokenA);
        expect(await ticket.ownerOf(tokenA)).to.equal(buyer.address);
        expect((await m.balanceOf(seller.address)) - sellerBefore).to.equal(sellerShare);
        expect(await ticket.accruedRoyalties()).to.deep.equal([royalty, fee]);
        expect(await ticket.escrowBalance()).to.equal(escrowBefore); // primary escrow untouched
        expect(await ticket.listingState(tokenA)).to.equal(ListingState.NotListed);
      });

      it("refuses a payment that is not exact", async function () {
        const { ticket, seller, buyer, m, address } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, face);
        if (currency.erc20) {
          await m.pay(buyer, address, face);
          await expect(ticket.connect(buyer).buyListing(tokenA, face, { value: 1n }))
            .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
            .withArgs(0n, 1n);
        } else {
          await expect(ticket.connect(buyer).buyListing(tokenA, face, { value: face - 1n }))
            .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
            .withArgs(face, face - 1n);
        }
        expect(await ticket.ownerOf(tokenA)).to.equal(seller.address);
      });

      it("refuses a denied buyer", async function () {
        const { ticket, organizer, seller, buyer, m, address } = await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, face);
        await ticket.connect(organizer).setDenied([buyer.address], true);
        await expect(ticket.connect(buyer).buyListing(tokenA, face, await m.pay(buyer, address, face)))
          .to.be.revertedWithCustomError(ticket, "AddressDenied")
          .withArgs(buyer.address);
      });

      describe("a void listing fails with its reason and nothing moves", function () {
        /**
         * listingState reports why the listing is void; buyListing refuses it with ListingUnavailable,
         * or, for a used ticket or a denied seller, with the transfer's own error (`refusal`).
         */
        async function expectVoid(
          ctx: Awaited<ReturnType<typeof resaleFixture>>,
          state: number,
          tokenId = tokenA,
          refusal: { error: string; args: unknown[] } = { error: "ListingUnavailable", args: [tokenId, state] },
        ) {
          const { ticket, buyer, m, address } = ctx;
          expect(await ticket.listingState(tokenId)).to.equal(state);
          const overrides = await m.pay(buyer, address, face);
          const before = await m.balanceOf(address);
          const holder = await ticket.ownerOf(tokenId).catch(() => undefined); // none once refunded
          await expect(ticket.connect(buyer).buyListing(tokenId, face, overrides))
            .to.be.revertedWithCustomError(ticket, refusal.error)
            .withArgs(...refusal.args);
          expect(await m.balanceOf(address)).to.equal(before);
          if (holder) expect(await ticket.ownerOf(tokenId)).to.equal(holder);
        }

        it("when the token moved by another path", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await ctx.ticket.connect(ctx.seller).transferFrom(ctx.seller.address, ctx.stranger.address, tokenA);
          await expectVoid(ctx, ListingState.TokenMoved);
          expect(await ctx.ticket.ownerOf(tokenA)).to.equal(ctx.stranger.address);
        });

        it("when it was given away (the gift deletes the listing)", async function () {
          const ctx = await networkHelpers.loadFixture(cappedFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await ctx.ticket.connect(ctx.seller).gift(tokenA, ctx.stranger.address);
          await expectVoid(ctx, ListingState.NotListed);
        });

        it("when the ticket was checked in", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await networkHelpers.time.increaseTo(ctx.input.start - CHECK_IN_LEAD);
          await ctx.ticket.connect(ctx.gate).checkIn([tokenA]);
          await expectVoid(ctx, ListingState.CheckedIn, tokenA, {
            error: "TicketAlreadyUsed",
            args: [tokenA, ctx.input.end],
          });
          expect(await ctx.ticket.ownerOf(tokenA)).to.equal(ctx.seller.address);
        });

        it("when the ticket was refunded", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await ctx.ticket.connect(ctx.organizer).refundTicket(tokenA, false);
          await expectVoid(ctx, ListingState.NotListed);
        });

        it("when the event was cancelled", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await ctx.ticket.connect(ctx.organizer).cancel();
          await expectVoid(ctx, ListingState.EventCancelled);
        });

        it("when the event has ended", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await networkHelpers.time.increaseTo(ctx.input.end);
          await expectVoid(ctx, ListingState.EventEnded);
        });

        it("when the seller was denied", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await ctx.ticket.connect(ctx.seller).list(tokenA, face);
          await ctx.ticket.connect(ctx.organizer).setDenied([ctx.seller.address], true);
          await expectVoid(ctx, ListingState.SellerDenied, tokenA, {
            error: "AddressDenied",
            args: [ctx.seller.address],
          });
        });

        it("when it was never listed", async function () {
          const ctx = await networkHelpers.loadFixture(openFixture);
          await expectVoid(ctx, ListingState.NotListed, tokenB);
        });
      });

      it("works under the Capped policy, where plain transfers are refused", async function () {
        const { ticket, seller, buyer, m, address } = await networkHelpers.loadFixture(cappedFixture);
        await expect(
          ticket.connect(seller).transferFrom(seller.address, buyer.address, tokenA),
        ).to.be.revertedWithCustomError(ticket, "TransferRestricted");
        await ticket.connect(seller).list(tokenA, face);
        await ticket.connect(buyer).buyListing(tokenA, face, await m.pay(buyer, address, face));
        expect(await ticket.ownerOf(tokenA)).to.equal(buyer.address);
      });
    });

    describe("a seller who cannot be paid", function () {
      it("cannot block the sale: its share is credited and withdrawn later", async function () {
        const ctx = await networkHelpers.loadFixture(openFixture);
        const { ticket, buyer, m, address } = ctx;
        const usdc = await ethers.getContractAt("MockBlocklistUSDC", await ctx.usdc.getAddress());
        const holder = await ethers.deployContract("RefusingHolder", [address]);
        const holderAddress = await holder.getAddress();
        // Give the contract a ticket and list it.
        await ticket.connect(ctx.seller).transferFrom(ctx.seller.address, holderAddress, tokenA);
        await holder.list(tokenA, face);
        if (currency.erc20) await usdc.setBlocked(holderAddress, true); // transfers to it revert

        const royalty = (face * ROYALTY_BPS) / 10_000n;
        const fee = (face * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
        const share = face - royalty - fee;
        const tx = ticket.connect(buyer).buyListing(tokenA, face, await m.pay(buyer, address, face));
        await expect(tx).to.emit(ticket, "PaymentCredited").withArgs(holderAddress, share);
        expect(await ticket.ownerOf(tokenA)).to.equal(buyer.address);
        expect(await ticket.credits(holderAddress)).to.equal(share);
        expect(await ticket.escrowBalance()).to.equal(3n * face);

        if (currency.erc20) await usdc.setBlocked(holderAddress, false);
        else await holder.setAccepting(true);
        await expect(holder.withdrawCredits())
          .to.emit(ticket, "CreditsWithdrawn")
          .withArgs(holderAddress, holderAddress, share);
        expect(await m.balanceOf(holderAddress)).to.equal(share);
        expect(await ticket.credits(holderAddress)).to.equal(0n);
        await expect(ticket.connect(buyer).withdrawCredits())
          .to.be.revertedWithCustomError(ticket, "NothingOwed")
          .withArgs(buyer.address);
      });
    });

    describe("withdrawRoyalties", function () {
      it("pays accrued royalties to the payout address, and fees to the factory separately", async function () {
        const { ticket, factory, seller, buyer, stranger, m, address, input } =
          await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, cap);
        await ticket.connect(buyer).buyListing(tokenA, cap, await m.pay(buyer, address, cap));
        const [royalty, fee] = await ticket.accruedRoyalties();
        expect([royalty, fee]).to.deep.equal([(cap * ROYALTY_BPS) / 10_000n, (cap * BigInt(PLATFORM_FEE_BPS)) / 10_000n]);
        const factoryAddress = await factory.getAddress();
        const payoutBefore = await m.balanceOf(input.payout);
        const factoryBefore = await m.balanceOf(factoryAddress);
        await expect(ticket.connect(stranger).withdrawRoyalties())
          .to.emit(ticket, "RoyaltiesWithdrawn")
          .withArgs(input.payout, royalty);
        expect((await m.balanceOf(input.payout)) - payoutBefore).to.equal(royalty);
        expect(await m.balanceOf(factoryAddress)).to.equal(factoryBefore);
        expect(await ticket.accruedRoyalties()).to.deep.equal([0n, fee]);
        await expect(ticket.connect(stranger).withdrawPlatformFees())
          .to.emit(ticket, "PlatformFeesWithdrawn")
          .withArgs(factoryAddress, fee);
        expect((await m.balanceOf(factoryAddress)) - factoryBefore).to.equal(fee);
        await expect(ticket.connect(stranger).withdrawRoyalties()).to.be.revertedWithCustomError(
          ticket,
          "NothingToWithdraw",
        );
        await expect(ticket.connect(stranger).withdrawPlatformFees()).to.be.revertedWithCustomError(
          ticket,
          "NothingToWithdraw",
        );
      });

      it("keeps royalties out of the primary escrow, before and after settlement", async function () {
        const { ticket, factory, organizer, seller, buyer, m, address, input } =
          await networkHelpers.loadFixture(openFixture);
        await ticket.connect(seller).list(tokenA, cap);
        await ticket.connect(buyer).buyListing(tokenA, cap, await m.pay(buyer, address, cap));
        const [royalty, fee] = await ticket.accruedRoyalties();
        expect(await ticket.escrowBalance()).to.equal(3n * face);
        await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
        const primary = 3n * face;
        const platformCut = (primary * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
        await expect(ticket.connect(organizer).withdraw())
          .to.emit(ticket, "ProceedsWithdrawn")
          .withArgs(organizer.address, input.payout, primary - platformCut, platformCut);
        // Royalties and every platform fee (resale and proceeds) are still held.
        expect(await m.balanceOf(address)).to.equal(royalty + fee + platformCut);
        expect(await ticket.accruedRoyalties()).to.deep.equal([royalty, fee + platformCut]);
        await ticket.withdrawRoyalties();
        await ticket.withdrawPlatformFees();
        expect(await m.balanceOf(address)).to.equal(0n);
        expect(await m.balanceOf(await factory.getAddress())).to.equal(platformCut + fee);
      });
    });
  });
}

describe("Resale settings and approvals", function () {
  async function eventWith(policy: number, resaleCapBps = 11_000) {
    const { factory } = await deployPlatform(ethers);
    const [, , organizer, holder, operator] = await ethers.getSigners();
    const input = await eventInput(ethers, { policy, resaleCapBps });
    const ticket = await createEvent(ethers, factory, organizer, input, [tierInput(input)]);
    const total = 2n * (await ticket.tier(1)).price;
    await ticket.connect(holder).buy(1, 2, holder.address, total, { value: total });
    return { ticket, organizer, holder, operator, input };
  }

  it("refuses listings when the organizer disabled resale (cap 0)", async function () {
    const { ticket, holder } = await eventWith(Policy.Open, 0);
    await expect(ticket.connect(holder).list(tokenIdOf(1, 1), 1n)).to.be.revertedWithCustomError(
      ticket,
      "ResaleDisabled",
    );
  });

  it("refuses listings of soulbound (Locked) tickets", async function () {
    const { ticket, holder, input } = await eventWith(Policy.Locked);
    await expect(ticket.connect(holder).list(tokenIdOf(1, 1), 1n))
      .to.be.revertedWithCustomError(ticket, "TransferLocked")
      .withArgs(tokenIdOf(1, 1), input.end);
  });

  for (const [label, policy] of [
    ["Capped", Policy.Capped],
    ["Locked", Policy.Locked],
  ] as const) {
    it(`refuses every ERC-721 approval under ${label} until the event ends`, async function () {
      const { ticket, holder, operator, input } = await eventWith(policy);
      await expect(ticket.connect(holder).approve(operator.address, tokenIdOf(1, 1))).to.be.revertedWithCustomError(
        ticket,
        "ApprovalsDisabled",
      );
      await expect(ticket.connect(holder).setApprovalForAll(operator.address, true)).to.be.revertedWithCustomError(
        ticket,
        "ApprovalsDisabled",
      );
      // Withdrawing approval is always allowed.
      await ticket.connect(holder).setApprovalForAll(operator.address, false);
      await networkHelpers.time.increaseTo(input.end);
      await ticket.connect(holder).approve(operator.address, tokenIdOf(1, 1));
      expect(await ticket.getApproved(tokenIdOf(1, 1))).to.equal(operator.address);
    });
  }

  it("leaves approvals alone under Open", async function () {
    const { ticket, holder, operator } = await eventWith(Policy.Open);
    await ticket.connect(holder).setApprovalForAll(operator.address, true);
    expect(await ticket.isApprovedForAll(holder.address, operator.address)).to.equal(true);
  });
});
