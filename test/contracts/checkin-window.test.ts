// Security review (issue 12), finding 3: one GATE key could freeze every ticket, irreversibly.
// Check-in is now open only from `start - checkInLeadHours` (6 h unless the organizer changes it)
// until `end + settlementDelay`; the organizer can undo check-ins (one, a batch, or everything a
// revoked gate key admitted), which makes the tickets valid again. A reschedule keeps the
// check-ins already made (the holders were let in); the organizer undoes those that should not
// stand.
import { expect } from "chai";
import { network } from "hardhat";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { IChainpassEvent } from "../../types/ethers-contracts/index.js";
import {
  CHECK_IN_LEAD,
  DAY,
  HOUR,
  SETTLEMENT_DELAY,
  createEvent,
  deployPlatform,
  eventInput,
  tierInput,
  tokenIdOf,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const PRICE = 10n ** 17n;
const ORGANIZER_ROLE = ethers.ZeroHash;
/** IEventTicketTypes' ListingState values used here. */
const ListingState = { Active: 0n, CheckedIn: 3n } as const;

describe("Check-in window and undo (review finding 3)", function () {
  async function gateFixture() {
    const platform = await deployPlatform(ethers);
    const [, , organizer, fan, friend, stranger, gate, leakedGate, buyer] = await ethers.getSigners();
    const input = await eventInput(ethers);
    const ticket = await createEvent(ethers, platform.factory, organizer, input, [tierInput(input, { price: PRICE })]);
    const GATE_ROLE = await ticket.GATE_ROLE();
    await ticket.connect(organizer).grantRole(GATE_ROLE, gate.address);
    await ticket.connect(organizer).grantRole(GATE_ROLE, leakedGate.address);
    // fan: tokens 1..3, friend: 4..5
    await ticket.connect(fan).buy(1, 3, fan.address, 3n * PRICE, { value: 3n * PRICE });
    await ticket.connect(friend).buy(1, 2, friend.address, 2n * PRICE, { value: 2n * PRICE });
    const opensAt = input.start - CHECK_IN_LEAD;
    const closesAt = input.end + SETTLEMENT_DELAY;
    return { ...platform, organizer, fan, friend, stranger, gate, leakedGate, buyer, input, ticket, GATE_ROLE, opensAt, closesAt };
  }

  /** Moves to `opensAt` (the first second gates may admit) and checks `tokenIds` in through `gate`. */
  async function checkInAtOpening(
    ticket: IChainpassEvent,
    gate: HardhatEthersSigner,
    tokenIds: bigint[],
    opensAt: number,
  ) {
    await networkHelpers.time.setNextBlockTimestamp(opensAt);
    await ticket.connect(gate).checkIn(tokenIds);
  }

  describe("the window", function () {
    it("rule: opens 6 h before the start by default, CheckInNotOpen(opensAt) one second earlier", async function () {
      const { ticket, fan, gate, input, opensAt } = await networkHelpers.loadFixture(gateFixture);
      expect(CHECK_IN_LEAD).to.equal(6 * HOUR);
      expect((await ticket.eventInfo()).checkInLeadHours).to.equal(6n);
      const tokenId = tokenIdOf(1, 1);

      await networkHelpers.time.setNextBlockTimestamp(opensAt - 1);
      await expect(ticket.connect(gate).checkIn([tokenId]))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(opensAt);
      expect(await ticket.isCheckedIn(tokenId)).to.equal(false);

      await networkHelpers.time.setNextBlockTimestamp(opensAt);
      await expect(ticket.connect(gate).checkIn([tokenId]))
        .to.emit(ticket, "CheckedIn")
        .withArgs(tokenId, fan.address, gate.address);
      expect(await ticket.isCheckedIn(tokenId)).to.equal(true);
      expect(opensAt).to.equal(input.start - 6 * HOUR);
    });

    it("rule: stays open until end + settlementDelay, CheckInClosed(closesAt) from that second", async function () {
      const { ticket, friend, gate, closesAt } = await networkHelpers.loadFixture(gateFixture);
      // A gate that was offline during the night can still record its admissions afterwards.
      await networkHelpers.time.setNextBlockTimestamp(closesAt - 1);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 4)]))
        .to.emit(ticket, "CheckedIn")
        .withArgs(tokenIdOf(1, 4), friend.address, gate.address);

      await networkHelpers.time.setNextBlockTimestamp(closesAt);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 5)]))
        .to.be.revertedWithCustomError(ticket, "CheckInClosed")
        .withArgs(closesAt);
      await networkHelpers.time.increase(30 * DAY);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 5)]))
        .to.be.revertedWithCustomError(ticket, "CheckInClosed")
        .withArgs(closesAt);
      expect(await ticket.isCheckedIn(tokenIdOf(1, 5))).to.equal(false);
    });

    it("rule: a leaked gate key cannot check tickets in weeks early, whatever the lead", async function () {
      const { ticket, organizer, fan, friend, stranger, leakedGate, input, opensAt } =
        await networkHelpers.loadFixture(gateFixture);
      const all = [1, 2, 3, 4, 5].map((serial) => tokenIdOf(1, serial));
      // Right now (30 days ahead) and two weeks before the start.
      await expect(ticket.connect(leakedGate).checkIn(all))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(opensAt);
      // Even the longest lead the organizer can set (255 h, under 11 days) keeps two weeks out.
      await ticket.connect(organizer).setCheckInLead(255);
      const widest = input.start - 255 * HOUR;
      await networkHelpers.time.increaseTo(input.start - 14 * DAY);
      await expect(ticket.connect(leakedGate).checkIn(all))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(widest);

      for (const tokenId of all) expect(await ticket.isCheckedIn(tokenId)).to.equal(false);
      // The tickets still move and sell.
      await ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenIdOf(1, 1));
      await ticket.connect(friend).list(tokenIdOf(1, 4), PRICE);
      expect(await ticket.listingState(tokenIdOf(1, 4))).to.equal(ListingState.Active);
    });

    it("rule: setCheckInLead is the organizer's only; it emits CheckInLeadChanged and moves the opening", async function () {
      const { ticket, organizer, fan, stranger, gate, input, opensAt } = await networkHelpers.loadFixture(gateFixture);
      for (const who of [stranger, gate, fan]) {
        await expect(ticket.connect(who).setCheckInLead(48))
          .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ORGANIZER_ROLE);
      }
      expect((await ticket.eventInfo()).checkInLeadHours).to.equal(6n);

      // Shorter: 2 h. The former opening (6 h before) is now too early.
      await expect(ticket.connect(organizer).setCheckInLead(2)).to.emit(ticket, "CheckInLeadChanged").withArgs(2);
      expect((await ticket.eventInfo()).checkInLeadHours).to.equal(2n);
      const twoHours = input.start - 2 * HOUR;
      await networkHelpers.time.setNextBlockTimestamp(opensAt);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)]))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(twoHours);
      await networkHelpers.time.setNextBlockTimestamp(twoHours - 1);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)]))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(twoHours);
      await networkHelpers.time.setNextBlockTimestamp(twoHours);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)]))
        .to.emit(ticket, "CheckedIn")
        .withArgs(tokenIdOf(1, 1), fan.address, gate.address);

      // Zero: doors open at the start itself.
      await expect(ticket.connect(organizer).setCheckInLead(0)).to.emit(ticket, "CheckInLeadChanged").withArgs(0);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 2)]))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(input.start);
      await networkHelpers.time.setNextBlockTimestamp(input.start);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 2)]))
        .to.emit(ticket, "CheckedIn")
        .withArgs(tokenIdOf(1, 2), fan.address, gate.address);
    });

    it("rule: a longer lead opens earlier (24 h)", async function () {
      const { ticket, organizer, fan, gate, input, opensAt } = await networkHelpers.loadFixture(gateFixture);
      await ticket.connect(organizer).setCheckInLead(24);
      const dayBefore = input.start - 24 * HOUR;
      expect(dayBefore).to.be.lessThan(opensAt);
      await networkHelpers.time.setNextBlockTimestamp(dayBefore - 1);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)]))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(dayBefore);
      await networkHelpers.time.setNextBlockTimestamp(dayBefore);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1)]))
        .to.emit(ticket, "CheckedIn")
        .withArgs(tokenIdOf(1, 1), fan.address, gate.address);
    });
  });

  describe("undoCheckIn", function () {
    it("rule: only the organizer may undo, and not once the event is cancelled", async function () {
      const { ticket, organizer, fan, stranger, gate, opensAt } = await networkHelpers.loadFixture(gateFixture);
      const tokenId = tokenIdOf(1, 1);
      await checkInAtOpening(ticket, gate, [tokenId], opensAt);
      const finance = stranger;
      await ticket.connect(organizer).grantRole(await ticket.FINANCE_ROLE(), finance.address);
      for (const who of [gate, finance, fan]) {
        await expect(ticket.connect(who).undoCheckIn([tokenId]))
          .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ORGANIZER_ROLE);
      }
      expect(await ticket.isCheckedIn(tokenId)).to.equal(true);

      await ticket.connect(organizer).cancel();
      await expect(ticket.connect(organizer).undoCheckIn([tokenId])).to.be.revertedWithCustomError(
        ticket,
        "EventIsCancelled",
      );
    });

    it("rule: an undone ticket emits CheckInUndone + ERC-4906 MetadataUpdate, and is transferable and checkable again", async function () {
      const { ticket, organizer, fan, stranger, gate, input, opensAt } = await networkHelpers.loadFixture(gateFixture);
      const tokenId = tokenIdOf(1, 1);
      await checkInAtOpening(ticket, gate, [tokenId], opensAt);
      await expect(ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenId))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
        .withArgs(tokenId, input.end);

      expect(await ticket.connect(organizer).undoCheckIn.staticCall([tokenId])).to.equal(1n);
      const tx = ticket.connect(organizer).undoCheckIn([tokenId]);
      await expect(tx).to.emit(ticket, "CheckInUndone").withArgs(tokenId, organizer.address);
      await expect(tx).to.emit(ticket, "MetadataUpdate").withArgs(tokenId);
      await expect(tx).not.to.emit(ticket, "BatchMetadataUpdate");
      expect(await ticket.isCheckedIn(tokenId)).to.equal(false);
      expect((await ticket.ticketInfo(tokenId)).checkedIn).to.equal(false);

      await ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenId);
      expect(await ticket.ownerOf(tokenId)).to.equal(stranger.address);
      // ... and admitted again, now under its new holder.
      await expect(ticket.connect(gate).checkIn([tokenId]))
        .to.emit(ticket, "CheckedIn")
        .withArgs(tokenId, stranger.address, gate.address);
      expect(await ticket.isCheckedIn(tokenId)).to.equal(true);
    });

    it("rule: an undone ticket can be resold again (its listing goes from CheckedIn to Active)", async function () {
      const { ticket, organizer, fan, buyer, gate, opensAt } = await networkHelpers.loadFixture(gateFixture);
      const tokenId = tokenIdOf(1, 2);
      await ticket.connect(fan).list(tokenId, PRICE);
      await checkInAtOpening(ticket, gate, [tokenId], opensAt);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.CheckedIn);
      await expect(ticket.connect(buyer).buyListing(tokenId, PRICE, { value: PRICE }))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed");

      await ticket.connect(organizer).undoCheckIn([tokenId]);
      expect(await ticket.listingState(tokenId)).to.equal(ListingState.Active);
      await expect(ticket.connect(buyer).buyListing(tokenId, PRICE, { value: PRICE }))
        .to.emit(ticket, "ResaleSold")
        .withArgs(tokenId, PRICE);
      expect(await ticket.ownerOf(tokenId)).to.equal(buyer.address);
    });

    it("rule: an undone ticket can be refunded by the organizer again", async function () {
      const { ticket, organizer, fan, gate, input, opensAt } = await networkHelpers.loadFixture(gateFixture);
      const tokenId = tokenIdOf(1, 3);
      await checkInAtOpening(ticket, gate, [tokenId], opensAt);
      await expect(ticket.connect(organizer).refundTicket(tokenId, false))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
        .withArgs(tokenId, input.end);

      await ticket.connect(organizer).undoCheckIn([tokenId]);
      const refund = ticket.connect(organizer).refundTicket(tokenId, false);
      await expect(refund).to.emit(ticket, "Refunded").withArgs(tokenId, fan.address, fan.address, PRICE);
      await expect(refund).to.changeEtherBalances(ethers, [fan, ticket], [PRICE, -PRICE]);
    });

    it("rule: a batch emits one BatchMetadataUpdate over the undone tickets, skipping the rest", async function () {
      const { ticket, organizer, gate, opensAt } = await networkHelpers.loadFixture(gateFixture);
      await checkInAtOpening(ticket, gate, [tokenIdOf(1, 2), tokenIdOf(1, 3), tokenIdOf(1, 4)], opensAt);
      // 1 and 5 are not checked in, 999 was never minted: skipped, and outside the reported range.
      const list = [tokenIdOf(1, 1), tokenIdOf(1, 4), tokenIdOf(1, 2), tokenIdOf(1, 999), tokenIdOf(1, 5), tokenIdOf(1, 3)];
      expect(await ticket.connect(organizer).undoCheckIn.staticCall(list)).to.equal(3n);
      const tx = ticket.connect(organizer).undoCheckIn(list);
      for (const serial of [2, 3, 4]) {
        await expect(tx).to.emit(ticket, "CheckInUndone").withArgs(tokenIdOf(1, serial), organizer.address);
      }
      await expect(tx).to.emit(ticket, "BatchMetadataUpdate").withArgs(tokenIdOf(1, 2), tokenIdOf(1, 4));
      await expect(tx).not.to.emit(ticket, "MetadataUpdate");
      const receipt = (await (await tx).wait())!;
      const undone = receipt.logs
        .map((log) => ticket.interface.parseLog(log))
        .filter((log) => log?.name === "CheckInUndone");
      expect(undone.map((log) => log!.args.tokenId)).to.deep.equal([tokenIdOf(1, 4), tokenIdOf(1, 2), tokenIdOf(1, 3)]);
      for (const serial of [1, 2, 3, 4, 5]) expect(await ticket.isCheckedIn(tokenIdOf(1, serial))).to.equal(false);
    });

    it("rule: tickets that are not checked in are skipped silently (no event, count 0), never reverted", async function () {
      const { ticket, organizer, gate, opensAt } = await networkHelpers.loadFixture(gateFixture);
      const notCheckedIn = [tokenIdOf(1, 1), tokenIdOf(1, 999), tokenIdOf(7, 1)];
      expect(await ticket.connect(organizer).undoCheckIn.staticCall(notCheckedIn)).to.equal(0n);
      const tx = ticket.connect(organizer).undoCheckIn(notCheckedIn);
      await expect(tx).not.to.emit(ticket, "CheckInUndone");
      await expect(tx).not.to.emit(ticket, "MetadataUpdate");
      await expect(tx).not.to.emit(ticket, "BatchMetadataUpdate");
      expect(await ticket.connect(organizer).undoCheckIn.staticCall([])).to.equal(0n);

      // Undoing twice: the second time there is nothing to undo.
      await checkInAtOpening(ticket, gate, [tokenIdOf(1, 1)], opensAt);
      await ticket.connect(organizer).undoCheckIn([tokenIdOf(1, 1)]);
      expect(await ticket.connect(organizer).undoCheckIn.staticCall([tokenIdOf(1, 1)])).to.equal(0n);
      await expect(ticket.connect(organizer).undoCheckIn([tokenIdOf(1, 1)])).not.to.emit(ticket, "CheckInUndone");
    });

    it("rule: everything a revoked gate key checked in is undone in one call, from its CheckedIn logs", async function () {
      const { ticket, organizer, fan, friend, gate, leakedGate, GATE_ROLE, opensAt } =
        await networkHelpers.loadFixture(gateFixture);
      // The leaked key admits four tickets (in two batches, one repeated), the real gate one.
      await checkInAtOpening(ticket, leakedGate, [tokenIdOf(1, 1), tokenIdOf(1, 2), tokenIdOf(1, 4)], opensAt);
      await ticket.connect(gate).checkIn([tokenIdOf(1, 5)]);
      await ticket.connect(leakedGate).checkIn([tokenIdOf(1, 3), tokenIdOf(1, 1)]);

      // Every admission by that key, from the chain's own record.
      const logs = await ticket.queryFilter(ticket.filters.CheckedIn());
      expect(logs).to.have.length(5);
      const byLeakedKey = logs.filter((log) => log.args.gate === leakedGate.address).map((log) => log.args.tokenId);
      expect(byLeakedKey).to.deep.equal([tokenIdOf(1, 1), tokenIdOf(1, 2), tokenIdOf(1, 4), tokenIdOf(1, 3)]);

      await expect(ticket.connect(organizer).revokeRole(GATE_ROLE, leakedGate.address))
        .to.emit(ticket, "RoleRevoked")
        .withArgs(GATE_ROLE, leakedGate.address, organizer.address);
      await expect(ticket.connect(leakedGate).checkIn([tokenIdOf(1, 5)]))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(leakedGate.address, GATE_ROLE);

      expect(await ticket.connect(organizer).undoCheckIn.staticCall(byLeakedKey)).to.equal(4n);
      const tx = ticket.connect(organizer).undoCheckIn(byLeakedKey);
      for (const tokenId of byLeakedKey) {
        await expect(tx).to.emit(ticket, "CheckInUndone").withArgs(tokenId, organizer.address);
      }
      await expect(tx).to.emit(ticket, "BatchMetadataUpdate").withArgs(tokenIdOf(1, 1), tokenIdOf(1, 4));
      for (const tokenId of byLeakedKey) expect(await ticket.isCheckedIn(tokenId)).to.equal(false);
      // The real gate's admission stands.
      expect(await ticket.isCheckedIn(tokenIdOf(1, 5))).to.equal(true);

      // At the door the real gate admits the holders normally.
      expect(await ticket.connect(gate).checkIn.staticCall(byLeakedKey)).to.equal(4n);
      const admit = ticket.connect(gate).checkIn(byLeakedKey);
      await expect(admit).to.emit(ticket, "CheckedIn").withArgs(tokenIdOf(1, 1), fan.address, gate.address);
      await expect(admit).to.emit(ticket, "CheckedIn").withArgs(tokenIdOf(1, 4), friend.address, gate.address);
    });
  });

  describe("reschedule", function () {
    it("rule: check-ins made before a reschedule are kept; the window moves; the organizer may undo them", async function () {
      const { ticket, organizer, fan, stranger, gate, input, opensAt } = await networkHelpers.loadFixture(gateFixture);
      await checkInAtOpening(ticket, gate, [tokenIdOf(1, 1)], opensAt);

      const start = input.start + 7 * DAY;
      const end = input.end + 7 * DAY;
      await expect(ticket.connect(organizer).reschedule(start, end))
        .to.emit(ticket, "EventRescheduled")
        .withArgs(start, end);
      // Kept: still checked in, still bound to its holder until the new end.
      expect(await ticket.isCheckedIn(tokenIdOf(1, 1))).to.equal(true);
      await expect(ticket.connect(fan).transferFrom(fan.address, stranger.address, tokenIdOf(1, 1)))
        .to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed")
        .withArgs(tokenIdOf(1, 1), end);
      // The window follows the new dates: the gate that was open is closed again.
      const newOpensAt = start - CHECK_IN_LEAD;
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 2)]))
        .to.be.revertedWithCustomError(ticket, "CheckInNotOpen")
        .withArgs(newOpensAt);

      await expect(ticket.connect(organizer).undoCheckIn([tokenIdOf(1, 1)]))
        .to.emit(ticket, "CheckInUndone")
        .withArgs(tokenIdOf(1, 1), organizer.address);
      expect(await ticket.isCheckedIn(tokenIdOf(1, 1))).to.equal(false);
      await networkHelpers.time.setNextBlockTimestamp(newOpensAt);
      await expect(ticket.connect(gate).checkIn([tokenIdOf(1, 1), tokenIdOf(1, 2)]))
        .to.emit(ticket, "BatchMetadataUpdate")
        .withArgs(tokenIdOf(1, 1), tokenIdOf(1, 2));
    });
  });
});
