// Security review (issue 12), findings 2 and 9: fans are protected without the organizer (the
// platform's owner or its arbiter can cancel, until the dispute window after the end closes),
// and FINANCE moves proceeds but cannot refund or cancel.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { IChainpassEvent } from "../../types/ethers-contracts/index.js";
import {
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

const PRICE = 10n ** 17n;
const FULL = 10n ** 18n;
const ORGANIZER_ROLE = ethers.ZeroHash;

describe("Platform powers (review findings 2 and 9)", function () {
  async function soldFixture() {
    const platform = await deployPlatform(ethers);
    const [, , organizer, fan, friend, stranger, finance, arbiter, gate] = await ethers.getSigners();
    const input = await eventInput(ethers);
    const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input, { price: PRICE })]);
    await ticket.connect(organizer).grantRole(await ticket.FINANCE_ROLE(), finance.address);
    await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
    await ticket.connect(fan).buy(1, 2, fan.address, 2n * PRICE, { value: 2n * PRICE });
    await ticket.connect(friend).buy(1, 1, friend.address, PRICE, { value: PRICE });
    await platform.factory.connect(platform.owner).setArbiter(arbiter.address);
    const closesAt = input.end + SETTLEMENT_DELAY;
    return { ...platform, organizer, fan, friend, stranger, finance, arbiter, gate, input, ticket, closesAt };
  }

  /** Claims every ticket sold in the fixture and checks each is refunded its full price. */
  async function expectFullRefunds(ticket: IChainpassEvent, fan: HardhatEthersSigner, friend: HardhatEthersSigner) {
    const claims: [HardhatEthersSigner, bigint][] = [
      [fan, tokenIdOf(1, 1)],
      [fan, tokenIdOf(1, 2)],
      [friend, tokenIdOf(1, 3)],
    ];
    for (const [holder, tokenId] of claims) {
      const tx = ticket.connect(holder).claimRefund(tokenId);
      await expect(tx).to.emit(ticket, "Refunded").withArgs(tokenId, holder.address, holder.address, PRICE);
      await expect(tx).to.changeEtherBalances(ethers, [holder, ticket], [PRICE, -PRICE]);
    }
    expect(await ethers.provider.getBalance(await ticket.getAddress())).to.equal(0n);
  }

  describe("arbiter appointment", function () {
    it("is the factory owner's to make", async function () {
      const { factory, owner, stranger, arbiter } = await networkHelpers.loadFixture(soldFixture);
      expect(await factory.arbiter()).to.equal(arbiter.address);
      await expect(factory.connect(stranger).setArbiter(stranger.address))
        .to.be.revertedWithCustomError(factory, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await expect(factory.connect(owner).setArbiter(ZERO)).to.emit(factory, "ArbiterChanged").withArgs(ZERO);
      expect(await factory.arbiter()).to.equal(ZERO);
    });
  });

  describe("cancel by the platform (finding 2)", function () {
    it("lets the factory owner cancel before the end, opening refunds as an organizer cancel does", async function () {
      const { ticket, owner, fan, friend } = await networkHelpers.loadFixture(soldFixture);
      const at = (await networkHelpers.time.latest()) + 10;
      await networkHelpers.time.setNextBlockTimestamp(at);
      const tx = ticket.connect(owner).cancel();
      await expect(tx).to.emit(ticket, "EventCancelled").withArgs(owner.address, at);
      await expect(tx).to.emit(ticket, "RefundsOpened").withArgs(3n * PRICE, 3n * PRICE, FULL);
      expect((await ticket.eventInfo()).cancelled).to.equal(true);
      await expectFullRefunds(ticket, fan, friend);
    });

    it("lets the arbiter cancel when the dispute window opens, at the end", async function () {
      const { ticket, arbiter, organizer, fan, friend, input } = await networkHelpers.loadFixture(soldFixture);
      await networkHelpers.time.setNextBlockTimestamp(input.end);
      const tx = ticket.connect(arbiter).cancel();
      await expect(tx).to.emit(ticket, "EventCancelled").withArgs(arbiter.address, input.end);
      await expect(tx).to.emit(ticket, "RefundsOpened").withArgs(3n * PRICE, 3n * PRICE, FULL);
      await expectFullRefunds(ticket, fan, friend);
      // The organizer's money went back to the fans: nothing is left to withdraw.
      await networkHelpers.time.increaseTo(input.end + SETTLEMENT_DELAY);
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
    });

    it("lets the owner cancel in the last second of the dispute window, and then withdraw refuses", async function () {
      const { ticket, owner, organizer, fan, friend, closesAt } = await networkHelpers.loadFixture(soldFixture);
      await networkHelpers.time.setNextBlockTimestamp(closesAt - 1);
      await expect(ticket.connect(owner).cancel())
        .to.emit(ticket, "RefundsOpened")
        .withArgs(3n * PRICE, 3n * PRICE, FULL);
      await networkHelpers.time.setNextBlockTimestamp(closesAt);
      await expect(ticket.connect(organizer).withdraw()).to.be.revertedWithCustomError(ticket, "EventIsCancelled");
      await expectFullRefunds(ticket, fan, friend);
    });

    it("refuses the owner and the arbiter once the dispute window has closed", async function () {
      const { ticket, owner, arbiter, closesAt } = await networkHelpers.loadFixture(soldFixture);
      await networkHelpers.time.increaseTo(closesAt);
      await expect(ticket.connect(owner).cancel())
        .to.be.revertedWithCustomError(ticket, "CancelNotAllowed")
        .withArgs(owner.address, closesAt);
      await expect(ticket.connect(arbiter).cancel())
        .to.be.revertedWithCustomError(ticket, "CancelNotAllowed")
        .withArgs(arbiter.address, closesAt);
      expect((await ticket.eventInfo()).cancelled).to.equal(false);
    });

    it("never lets a stranger, FINANCE, a gate or a former arbiter cancel", async function () {
      const { ticket, factory, owner, stranger, finance, gate, arbiter, input, closesAt } =
        await networkHelpers.loadFixture(soldFixture);
      const [, , , , , , , , , successor] = await ethers.getSigners();
      await factory.connect(owner).setArbiter(successor.address);
      for (const at of [input.start - 1, input.end]) {
        await networkHelpers.time.increaseTo(at);
        for (const who of [stranger, finance, gate, arbiter]) {
          await expect(ticket.connect(who).cancel())
            .to.be.revertedWithCustomError(ticket, "CancelNotAllowed")
            .withArgs(who.address, closesAt);
        }
      }
      expect((await ticket.eventInfo()).cancelled).to.equal(false);
    });

    it("does not let the organizer cancel after the end", async function () {
      const { ticket, organizer, input, closesAt } = await networkHelpers.loadFixture(soldFixture);
      await networkHelpers.time.increaseTo(input.end);
      await expect(ticket.connect(organizer).cancel())
        .to.be.revertedWithCustomError(ticket, "CancelNotAllowed")
        .withArgs(organizer.address, closesAt);
    });

    it("keeps withdraw locked for the whole dispute window", async function () {
      const { ticket, organizer, input, closesAt } = await networkHelpers.loadFixture(soldFixture);
      await networkHelpers.time.increaseTo(input.end);
      await expect(ticket.connect(organizer).withdraw())
        .to.be.revertedWithCustomError(ticket, "WithdrawalLocked")
        .withArgs(closesAt);
      await networkHelpers.time.setNextBlockTimestamp(closesAt - 1);
      await expect(ticket.connect(organizer).withdraw())
        .to.be.revertedWithCustomError(ticket, "WithdrawalLocked")
        .withArgs(closesAt);
      await networkHelpers.time.setNextBlockTimestamp(closesAt);
      const fee = (3n * PRICE * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
      await expect(ticket.connect(organizer).withdraw())
        .to.emit(ticket, "ProceedsWithdrawn")
        .withArgs(organizer.address, organizer.address, 3n * PRICE - fee, fee);
    });
  });

  describe("FINANCE (finding 9)", function () {
    it("can withdraw proceeds but not refund a ticket", async function () {
      const { ticket, organizer, finance, fan, stranger, closesAt } = await networkHelpers.loadFixture(soldFixture);
      await expect(ticket.connect(finance).refundTicket(tokenIdOf(1, 1), false))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(finance.address, ORGANIZER_ROLE);
      expect(await ticket.ownerOf(tokenIdOf(1, 1))).to.equal(fan.address);
      expect(await ticket.ORGANIZER_ROLE()).to.equal(ORGANIZER_ROLE);

      await networkHelpers.time.increaseTo(closesAt);
      await expect(ticket.connect(stranger).withdraw())
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await ticket.FINANCE_ROLE());
      const gross = 3n * PRICE;
      const fee = (gross * BigInt(PLATFORM_FEE_BPS)) / 10_000n;
      const tx = ticket.connect(finance).withdraw();
      await expect(tx)
        .to.emit(ticket, "ProceedsWithdrawn")
        .withArgs(finance.address, organizer.address, gross - fee, fee);
      await expect(tx).to.changeEtherBalances(ethers, [organizer, ticket], [gross - fee, -(gross - fee)]);
      expect(await ticket.accruedRoyalties()).to.deep.equal([0n, fee]);
    });
  });
});
