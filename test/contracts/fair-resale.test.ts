// Security review (issue 12), finding 4: resale of discounted tickets cheated the buyer. The cap
// was computed on the tier's face value while a cancel refunds the recorded primary price, so a
// 100%-off comp could be resold at 110% of face and refunded 0, and a public 50% code let anyone
// flip at 2.2x what they paid. The rule now (TicketBase._resaleCap): a ticket's resale is capped
// at the price it was bought for (`pricePaid`) times `resaleCapBps`; a resale does not change
// `pricePaid`, which is what a cancel refunds whoever holds the ticket.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { codeIdFor, signVoucher, type Voucher } from "../../lib/vouchers.js";
import {
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
import { CURRENCIES, money } from "../helpers/money.js";

const { ethers, networkHelpers } = await network.create();

const BPS = 10_000n;
const CAP_BPS = 11_000n;

for (const currency of CURRENCIES) {
  const price = currency.price;
  const capOf = (paid: bigint) => (paid * CAP_BPS) / BPS;

  describe(`Fair resale of discounted tickets in ${currency.label} (review finding 4)`, function () {
    async function resaleFixture() {
      const platform = await deployPlatform(ethers);
      const [, , organizer, fan, friend, buyer, second, stranger] = await ethers.getSigners();
      const input = await eventInput(ethers, {
        currency: currency.erc20 ? await platform.usdc.getAddress() : ZERO,
        policy: Policy.Capped,
        resaleCapBps: Number(CAP_BPS),
      });
      const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input, { price })]);
      const address = (await ticket.getAddress()) as `0x${string}`;
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const m = money(ethers, currency, platform.usdc);
      const voucher = (code: string, percentOffBps: number): Voucher => ({
        eventAddress: address,
        tierId: 1n,
        percentOffBps,
        amountOff: 0n,
        maxUses: 100,
        expiresAt: input.start,
        buyer: ZERO as `0x${string}`,
        signer: organizer.address as `0x${string}`,
        codeId: codeIdFor(code),
      });
      /** Buys one ticket of tier 1 for `who`, with `v` when given, paying `unit`. */
      const buyOne = async (who: HardhatEthersSigner, unit: bigint, v?: Voucher) => {
        const options = v
          ? purchaseOptions({ voucher: v, voucherSignature: await signVoucher(typedDataSigner(organizer), chainId, v), maxTotal: unit })
          : purchaseOptions({ maxTotal: unit });
        return ticket.connect(who).buyWith(1, 1, who.address, options, await m.pay(who, address, unit));
      };
      /** `who` buys the listing of `tokenId` at `at`. */
      const buyListing = async (who: HardhatEthersSigner, tokenId: bigint, at: bigint) =>
        ticket.connect(who).buyListing(tokenId, at, await m.pay(who, address, at));
      return { ...platform, organizer, fan, friend, buyer, second, stranger, input, ticket, address, m, voucher, buyOne, buyListing };
    }

    it("rule: a comp (100%-off voucher) ticket's cap is 0: it can be passed on at 0 but never sold above", async function () {
      const { ticket, fan, buyer, voucher, buyOne, buyListing } = await networkHelpers.loadFixture(resaleFixture);
      await buyOne(fan, 0n, voucher("COMP", 10_000));
      const comp = tokenIdOf(1, 1);
      expect(await ticket.pricePaid(comp)).to.equal(0n);
      expect(await ticket.faceValue(comp)).to.equal(price);
      expect(await ticket.resaleCap(comp)).to.equal(0n);

      // The old rule's ceiling (110% of face) and the smallest positive price are both refused.
      await expect(ticket.connect(fan).list(comp, capOf(price)))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(comp, capOf(price), 0n);
      await expect(ticket.connect(fan).list(comp, 1n))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(comp, 1n, 0n);

      // At 0 it is a free hand-over through the market, and its new holder paid nothing.
      await expect(ticket.connect(fan).list(comp, 0n)).to.emit(ticket, "Listed").withArgs(comp, fan.address, 0n);
      await expect(ticket.connect(fan).updateListing(comp, 1n))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(comp, 1n, 0n);
      await expect(buyListing(buyer, comp, 0n)).to.emit(ticket, "ResaleSold").withArgs(comp, 0n);
      expect(await ticket.ownerOf(comp)).to.equal(buyer.address);
      expect(await ticket.pricePaid(comp)).to.equal(0n);
      expect(await ticket.resaleCap(comp)).to.equal(0n);
      await expect(ticket.connect(buyer).list(comp, 1n))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(comp, 1n, 0n);
    });

    it("rule: a 50%-off voucher ticket's cap is half a full-price ticket's (no flip at 2.2x what was paid)", async function () {
      const { ticket, fan, friend, voucher, buyOne } = await networkHelpers.loadFixture(resaleFixture);
      const half = price - (price * 5_000n) / BPS;
      await buyOne(fan, price);
      await buyOne(friend, half, voucher("HALF", 5_000));
      const full = tokenIdOf(1, 1);
      const discounted = tokenIdOf(1, 2);
      expect(await ticket.pricePaid(full)).to.equal(price);
      expect(await ticket.pricePaid(discounted)).to.equal(half);
      expect(await ticket.faceValue(discounted)).to.equal(price);

      expect(await ticket.resaleCap(full)).to.equal(capOf(price));
      expect(await ticket.resaleCap(discounted)).to.equal(capOf(half));
      expect(await ticket.resaleCap(discounted)).to.equal((await ticket.resaleCap(full)) / 2n);

      // 2.2x what it cost (the full ticket's cap), or even face value: refused.
      for (const tooHigh of [capOf(price), price, capOf(half) + 1n]) {
        await expect(ticket.connect(friend).list(discounted, tooHigh))
          .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
          .withArgs(discounted, tooHigh, capOf(half));
      }
      await expect(ticket.connect(friend).list(discounted, capOf(half)))
        .to.emit(ticket, "Listed")
        .withArgs(discounted, friend.address, capOf(half));
      await expect(ticket.connect(friend).updateListing(discounted, capOf(price)))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(discounted, capOf(price), capOf(half));
      // The full-price ticket keeps the usual 110% of face.
      await expect(ticket.connect(fan).list(full, capOf(price))).to.emit(ticket, "Listed").withArgs(full, fan.address, capOf(price));
      await expect(ticket.connect(fan).updateListing(full, capOf(price) + 1n))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(full, capOf(price) + 1n, capOf(price));
    });

    it("rule: a resale keeps pricePaid (and so the cap) of the ticket; the next holder cannot list higher", async function () {
      const { ticket, friend, buyer, second, voucher, buyOne, buyListing } = await networkHelpers.loadFixture(resaleFixture);
      const half = price - (price * 5_000n) / BPS;
      await buyOne(friend, half, voucher("HALF", 5_000));
      const tokenId = tokenIdOf(1, 1);
      await ticket.connect(friend).list(tokenId, capOf(half));
      await buyListing(buyer, tokenId, capOf(half));
      // buyer paid capOf(half), but the ticket's price paid is still what the primary sale recorded.
      expect(await ticket.pricePaid(tokenId)).to.equal(half);
      expect((await ticket.ticketInfo(tokenId)).pricePaid).to.equal(half);
      expect(await ticket.resaleCap(tokenId)).to.equal(capOf(half));
      await expect(ticket.connect(buyer).list(tokenId, capOf(capOf(half))))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(tokenId, capOf(capOf(half)), capOf(half));
      await ticket.connect(buyer).list(tokenId, capOf(half));
      await buyListing(second, tokenId, capOf(half));
      expect(await ticket.ownerOf(tokenId)).to.equal(second.address);
      expect(await ticket.pricePaid(tokenId)).to.equal(half);
    });

    it("rule: gifts, withdrawn listings and relistings keep pricePaid and the cap", async function () {
      const { ticket, friend, buyer, voucher, buyOne } = await networkHelpers.loadFixture(resaleFixture);
      const half = price - (price * 5_000n) / BPS;
      await buyOne(friend, half, voucher("HALF", 5_000));
      const tokenId = tokenIdOf(1, 1);
      // Given away (never listed), then listed, withdrawn and listed again by the new holder.
      await ticket.connect(friend).gift(tokenId, buyer.address);
      expect(await ticket.pricePaid(tokenId)).to.equal(half);
      await ticket.connect(buyer).list(tokenId, capOf(half));
      await ticket.connect(buyer).cancelListing(tokenId);
      expect(await ticket.pricePaid(tokenId)).to.equal(half);
      expect(await ticket.resaleCap(tokenId)).to.equal(capOf(half));
      await expect(ticket.connect(buyer).list(tokenId, capOf(price)))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(tokenId, capOf(price), capOf(half));
      await ticket.connect(buyer).list(tokenId, capOf(half));
      expect(await ticket.listing(tokenId)).to.deep.equal([buyer.address, capOf(half)]);
    });

    it("rule: after a cancel a resale buyer is refunded exactly the pricePaid the views reported (never less than price / cap)", async function () {
      const { ticket, organizer, fan, friend, stranger, buyer, second, address, m, voucher, buyOne, buyListing } =
        await networkHelpers.loadFixture(resaleFixture);
      const half = price - (price * 5_000n) / BPS;
      await buyOne(fan, price); // 1: full price
      await buyOne(friend, half, voucher("HALF", 5_000)); // 2: half price
      await buyOne(stranger, 0n, voucher("COMP", 10_000)); // 3: comp
      const sales: [HardhatEthersSigner, HardhatEthersSigner, bigint, bigint][] = [
        [fan, buyer, tokenIdOf(1, 1), capOf(price)],
        [friend, second, tokenIdOf(1, 2), capOf(half)],
        [stranger, buyer, tokenIdOf(1, 3), 0n],
      ];
      for (const [seller, to, tokenId, at] of sales) {
        await ticket.connect(seller).list(tokenId, at);
        await buyListing(to, tokenId, at);
      }
      // What the resale page shows as the refund value, read before the cancel.
      const shown = new Map<bigint, bigint>();
      for (const [, , tokenId] of sales) shown.set(tokenId, await ticket.pricePaid(tokenId));
      expect([...shown.values()]).to.deep.equal([price, half, 0n]);

      await ticket.connect(organizer).cancel();
      for (const [, holder, tokenId, resalePrice] of sales) {
        const reported = await ticket.pricePaid(tokenId);
        expect(reported).to.equal(shown.get(tokenId));
        expect((await ticket.ticketInfo(tokenId)).pricePaid).to.equal(reported);
        const before = await m.balanceOf(holder.address);
        const escrowBefore = await m.balanceOf(address);
        const tx = await ticket.connect(holder).claimRefund(tokenId);
        await expect(tx).to.emit(ticket, "Refunded").withArgs(tokenId, holder.address, holder.address, reported);
        const gas = await m.gasCost(tx);
        expect((await m.balanceOf(holder.address)) - before + gas).to.equal(reported);
        expect(escrowBefore - (await m.balanceOf(address))).to.equal(reported);
        // The cap bounds the loss: what the resale cost is at most the refund times the cap.
        expect(resalePrice).to.be.at.most(capOf(reported));
      }
    });

    it("rule: an early-price ticket is capped on the early price it was bought for", async function () {
      const { ticket, organizer, fan, input, buyOne } = await networkHelpers.loadFixture(resaleFixture);
      const early = (price * 6n) / 10n;
      await ticket.connect(organizer).setTierOptions(1, {
        earlyPrice: early,
        earlyUntil: input.start - 20 * 24 * 3600,
        entryStart: 0,
        entryEnd: 0,
        presaleStart: 0,
        presaleRoot: ethers.ZeroHash,
      });
      await buyOne(fan, early);
      const tokenId = tokenIdOf(1, 1);
      expect(await ticket.pricePaid(tokenId)).to.equal(early);
      expect(await ticket.resaleCap(tokenId)).to.equal(capOf(early));
      await expect(ticket.connect(fan).list(tokenId, capOf(price)))
        .to.be.revertedWithCustomError(ticket, "ResalePriceAboveCap")
        .withArgs(tokenId, capOf(price), capOf(early));
    });
  });
}
