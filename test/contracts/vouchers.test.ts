import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { codeIdFor, signVoucher, voucherTypedData, type Voucher } from "../../lib/vouchers.js";
import {
  DAY,
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

for (const currency of CURRENCIES) {
  const price = currency.price;

  describe(`Discount vouchers in ${currency.label}`, function () {
    async function voucherFixture() {
      const platform = await deployPlatform(ethers);
      const [, , organizer, fan, friend, stranger, signerStaff] = await ethers.getSigners();
      const input = await eventInput(ethers, { currency: currency.erc20 ? await platform.usdc.getAddress() : ZERO });
      const tiers = [tierInput(input, { price }), tierInput(input, { name: "VIP", price: 3n * price })];
      const ticket = await createEvent(ethers, platform.factory, organizer, input, tiers);
      const other = await createEvent(ethers, platform.factory, organizer, input, tiers);
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const address = (await ticket.getAddress()) as `0x${string}`;
      const m = money(ethers, currency, platform.usdc);
      const voucher = (overrides: Partial<Voucher> = {}): Voucher => ({
        eventAddress: address,
        tierId: 1n,
        percentOffBps: 2_000,
        amountOff: 0n,
        maxUses: 3,
        expiresAt: input.start,
        buyer: ZERO as `0x${string}`,
        signer: organizer.address as `0x${string}`,
        codeId: codeIdFor("SPRING20"),
        ...overrides,
      });
      const sign = (v: Voucher, by: HardhatEthersSigner = organizer, onChain = chainId) =>
        signVoucher(typedDataSigner(by), onChain, v);
      /** buyWith `quantity` of `tierId` with the voucher, paying `unit` each. */
      const buy = async (who: HardhatEthersSigner, v: Voucher, signature: string, unit: bigint, quantity = 1, tierId = 1) =>
        ticket
          .connect(who)
          .buyWith(
            tierId,
            quantity,
            who.address,
            purchaseOptions({ voucher: v, voucherSignature: signature }),
            await m.pay(who, address, unit * BigInt(quantity)),
          );
      return { ...platform, organizer, fan, friend, stranger, signerStaff, input, ticket, other, chainId, address, m, voucher, sign, buy };
    }

    it("takes a percentage off, records the discounted price and counts the use", async function () {
      const { ticket, fan, voucher, sign, buy, m, address } = await networkHelpers.loadFixture(voucherFixture);
      const v = voucher();
      const unit = price - (price * 2_000n) / 10_000n;
      expect(await ticket.priceOf(1, fan.address, v)).to.equal(unit);
      const before = await m.balanceOf(address);
      const tx = buy(fan, v, await sign(v), unit, 2);
      await expect(tx)
        .to.emit(ticket, "VoucherRedeemed")
        .withArgs(v.codeId, fan.address, 1n, 2n, 2n * (price - unit));
      await expect(tx)
        .to.emit(ticket, "TicketsPurchased")
        .withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1), 2n, 2n * unit);
      expect((await m.balanceOf(address)) - before).to.equal(2n * unit);
      expect(await ticket.pricePaid(tokenIdOf(1, 1))).to.equal(unit);
      expect(await ticket.faceValue(tokenIdOf(1, 1))).to.equal(price);
      expect(await ticket.voucherUses(v.codeId)).to.deep.equal([2n, false]);
    });

    it("takes a fixed amount off, never below zero", async function () {
      const { ticket, fan, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
      const v = voucher({ percentOffBps: 0, amountOff: price / 4n, codeId: codeIdFor("TAKE25") });
      await buy(fan, v, await sign(v), price - price / 4n);
      expect(await ticket.pricePaid(tokenIdOf(1, 1))).to.equal(price - price / 4n);
      const free = voucher({ percentOffBps: 0, amountOff: 10n * price, codeId: codeIdFor("COMP") });
      expect(await ticket.priceOf(1, fan.address, free)).to.equal(0n);
      await buy(fan, free, await sign(free), 0n);
      expect(await ticket.pricePaid(tokenIdOf(1, 2))).to.equal(0n);
    });

    it("applies to any tier when its tier is 0", async function () {
      const { ticket, fan, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
      const v = voucher({ tierId: 0n });
      await buy(fan, v, await sign(v), 3n * price - (3n * price * 2_000n) / 10_000n, 1, 2);
      expect(await ticket.ownerOf(tokenIdOf(2, 1))).to.equal(fan.address);
    });

    it("refunds a discounted ticket at the price actually paid", async function () {
      const { ticket, organizer, fan, voucher, sign, buy, m } = await networkHelpers.loadFixture(voucherFixture);
      const v = voucher();
      const unit = price - (price * 2_000n) / 10_000n;
      await buy(fan, v, await sign(v), unit);
      await ticket.connect(organizer).cancel();
      const before = await m.balanceOf(fan.address);
      const tx = await ticket.connect(fan).claimRefund(tokenIdOf(1, 1));
      await expect(tx).to.emit(ticket, "Refunded").withArgs(tokenIdOf(1, 1), fan.address, fan.address, unit);
      expect((await m.balanceOf(fan.address)) - before + (await m.gasCost(tx))).to.equal(unit);
    });

    describe("refuses", function () {
      it("a voucher past its uses", async function () {
        const { ticket, fan, friend, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
        const v = voucher();
        const unit = price - (price * 2_000n) / 10_000n;
        const signature = await sign(v);
        await buy(fan, v, signature, unit, 2);
        await expect(buy(friend, v, signature, unit, 2))
          .to.be.revertedWithCustomError(ticket, "VoucherUsedUp")
          .withArgs(v.codeId, 2n, 1n);
        await buy(friend, v, signature, unit, 1);
        await expect(buy(friend, v, signature, unit, 1))
          .to.be.revertedWithCustomError(ticket, "VoucherUsedUp")
          .withArgs(v.codeId, 1n, 0n);
      });

      it("a voucher for another event, however it is signed", async function () {
        const { ticket, other, fan, voucher, sign, chainId, m } = await networkHelpers.loadFixture(voucherFixture);
        const unit = price - (price * 2_000n) / 10_000n;
        // Issued for `ticket`, replayed on `other`: the event field gives it away.
        const v = voucher();
        const signature = await sign(v);
        const otherAddress = await other.getAddress();
        await expect(
          other
            .connect(fan)
            .buyWith(1, 1, fan.address, purchaseOptions({ voucher: v, voucherSignature: signature }), await m.pay(fan, otherAddress, unit)),
        )
          .to.be.revertedWithCustomError(other, "VoucherWrongEvent")
          .withArgs(v.codeId, v.eventAddress);
        // Relabelled for `other` but signed over `ticket`'s domain: the signature no longer matches.
        const relabelled = { ...v, eventAddress: otherAddress as `0x${string}` };
        const wrongDomain = await signVoucher(typedDataSigner((await ethers.getSigners())[2]), chainId, v);
        await expect(
          other
            .connect(fan)
            .buyWith(1, 1, fan.address, purchaseOptions({ voucher: relabelled, voucherSignature: wrongDomain }), await m.pay(fan, otherAddress, unit)),
        )
          .to.be.revertedWithCustomError(other, "VoucherBadSignature")
          .withArgs(v.codeId);
        expect(await ticket.getAddress()).to.not.equal(otherAddress);
      });

      it("a voucher signed for another chain", async function () {
        const { ticket, fan, voucher, sign, buy, chainId } = await networkHelpers.loadFixture(voucherFixture);
        const v = voucher();
        const signature = await sign(v, undefined, chainId + 1n);
        await expect(buy(fan, v, signature, price - (price * 2_000n) / 10_000n))
          .to.be.revertedWithCustomError(ticket, "VoucherBadSignature")
          .withArgs(v.codeId);
      });

      it("a voucher whose terms were changed after signing", async function () {
        const { ticket, fan, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
        const v = voucher();
        const signature = await sign(v);
        const greedy = { ...v, percentOffBps: 9_000 };
        await expect(buy(fan, greedy, signature, price / 10n))
          .to.be.revertedWithCustomError(ticket, "VoucherBadSignature")
          .withArgs(v.codeId);
      });

      it("a voucher signed by someone without the right", async function () {
        const { ticket, fan, stranger, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
        const v = voucher({ signer: stranger.address as `0x${string}` });
        await expect(buy(fan, v, await sign(v, stranger), price - (price * 2_000n) / 10_000n))
          .to.be.revertedWithCustomError(ticket, "VoucherSignerNotAuthorized")
          .withArgs(v.codeId, stranger.address);
      });

      it("an expired voucher", async function () {
        const { ticket, fan, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
        const expiresAt = (await networkHelpers.time.latest()) + DAY;
        const v = voucher({ expiresAt });
        const signature = await sign(v);
        await networkHelpers.time.increaseTo(expiresAt);
        await expect(buy(fan, v, signature, price - (price * 2_000n) / 10_000n))
          .to.be.revertedWithCustomError(ticket, "VoucherExpired")
          .withArgs(v.codeId, expiresAt);
      });

      it("a voucher for another tier or another buyer", async function () {
        const { ticket, fan, friend, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
        const forVip = voucher({ tierId: 2n });
        await expect(buy(fan, forVip, await sign(forVip), price - (price * 2_000n) / 10_000n))
          .to.be.revertedWithCustomError(ticket, "VoucherNotForTier")
          .withArgs(forVip.codeId, 1n);
        const forFriend = voucher({ buyer: friend.address as `0x${string}` });
        await expect(buy(fan, forFriend, await sign(forFriend), price - (price * 2_000n) / 10_000n))
          .to.be.revertedWithCustomError(ticket, "VoucherNotForBuyer")
          .withArgs(forFriend.codeId, fan.address);
        await buy(friend, forFriend, await sign(forFriend), price - (price * 2_000n) / 10_000n);
      });

      it("a revoked voucher", async function () {
        const { ticket, organizer, stranger, fan, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
        const v = voucher();
        await expect(ticket.connect(stranger).revokeVoucher(v.codeId)).to.be.revertedWithCustomError(
          ticket,
          "AccessControlUnauthorizedAccount",
        );
        await expect(ticket.connect(organizer).revokeVoucher(v.codeId)).to.emit(ticket, "VoucherRevoked").withArgs(v.codeId);
        expect(await ticket.voucherUses(v.codeId)).to.deep.equal([0n, true]);
        await expect(buy(fan, v, await sign(v), price - (price * 2_000n) / 10_000n))
          .to.be.revertedWithCustomError(ticket, "VoucherIsRevoked")
          .withArgs(v.codeId);
      });

      it("a malformed voucher (both or neither discount, over 100%)", async function () {
        const { ticket, fan, voucher } = await networkHelpers.loadFixture(voucherFixture);
        for (const bad of [
          voucher({ amountOff: 1n }),
          voucher({ percentOffBps: 0 }),
          voucher({ percentOffBps: 10_001 }),
        ]) {
          await expect(ticket.priceOf(1, fan.address, bad))
            .to.be.revertedWithCustomError(ticket, "InvalidVoucher")
            .withArgs(bad.codeId);
        }
      });
    });

    it("accepts vouchers from a VOUCHER_SIGNER and from a contract wallet (EIP-1271)", async function () {
      const { ticket, organizer, fan, signerStaff, voucher, sign, buy } = await networkHelpers.loadFixture(voucherFixture);
      await ticket.connect(organizer).grantRole(await ticket.VOUCHER_SIGNER_ROLE(), signerStaff.address);
      const staff = voucher({ signer: signerStaff.address as `0x${string}`, codeId: codeIdFor("STAFF") });
      const unit = price - (price * 2_000n) / 10_000n;
      await buy(fan, staff, await sign(staff, signerStaff), unit);

      const wallet = await ethers.deployContract("MockERC1271Wallet", [signerStaff.address]);
      await ticket.connect(organizer).grantRole(await ticket.VOUCHER_SIGNER_ROLE(), await wallet.getAddress());
      const fromWallet = voucher({ signer: (await wallet.getAddress()) as `0x${string}`, codeId: codeIdFor("SAFE") });
      await buy(fan, fromWallet, await sign(fromWallet, signerStaff), unit);
      expect(await ticket.balanceOf(fan.address)).to.equal(2n);
    });
  });
}

describe("lib/vouchers", function () {
  it("builds the typed data the contract hashes (a third-party EIP-712 signer agrees)", async function () {
    const [, , organizer] = await ethers.getSigners();
    const voucher = {
      eventAddress: "0x1111111111111111111111111111111111111111" as const,
      tierId: 2n,
      percentOffBps: 1500,
      amountOff: 0n,
      maxUses: 10,
      expiresAt: 2_000_000_000,
      buyer: ZERO as `0x${string}`,
      signer: organizer.address as `0x${string}`,
      codeId: codeIdFor("summer15"),
    };
    const typed = voucherTypedData(31337, voucher);
    const digest = ethers.TypedDataEncoder.hash(
      typed.domain as Record<string, unknown>,
      typed.types as unknown as Record<string, { name: string; type: string }[]>,
      voucher,
    );
    const signature = await signVoucher(typedDataSigner(organizer), 31337, voucher);
    expect(ethers.recoverAddress(digest, signature)).to.equal(organizer.address);
  });

  it("turns typed codes into case-insensitive bytes32 ids and rejects bad ones", function () {
    expect(codeIdFor(" summer15 ")).to.equal(codeIdFor("SUMMER15"));
    expect(codeIdFor("A")).to.equal("0x41" + "00".repeat(31));
    expect(() => codeIdFor("")).to.throw();
    expect(() => codeIdFor("X".repeat(33))).to.throw();
  });
});
