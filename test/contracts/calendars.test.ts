// Issue 15, requirements 4 and 5: season timed entry. A calendar describes a season of slots by a
// rule (dates, weekdays, daily start times, slot length, closed days); its capacity per slot is
// shared by every ticket type on it; a slot's sale closes at its start less a lead time; a slot's
// tickets carry the slot in their id. A seated tier on a calendar is a run of performances: the
// whole seat map once per slot. lib/calendar.ts computes the same windows as the contract.
import { expect } from "chai";
import { network } from "hardhat";

import {
  type CalendarRule,
  dayNumberOf,
  isoDateOf,
  slotCount,
  slotWindow,
  slotsPerDay,
  tokenIdOf,
  weekdayMask,
  weekdayOf,
} from "../../lib/calendar.js";
import {
  DAY,
  HOUR,
  createEvent,
  deployPlatform,
  eventInput,
  purchaseOptions,
  tierInput,
} from "../helpers/fixtures.js";

const { ethers, networkHelpers } = await network.create();

const ADULT = 2n * 10n ** 16n;
const CHILD = 10n ** 16n;
const CONCESSION = 15n * 10n ** 15n;
const STALLS = 5n * 10n ** 16n;
const CAPACITY = 5;
/** Tuesday to Sunday (closed on Mondays). */
const NOT_MONDAY = weekdayMask([0, 2, 3, 4, 5, 6]);
const section = (name: string) => ethers.hexlify(ethers.toUtf8Bytes(name)).padEnd(34, "0");

/** A museum's season of 365 days from the day after tomorrow (the day after that when it is a
 * Monday, so that the first day has every slot whatever day the tests run): 10:00-13:00 hourly
 * Tuesday to Sunday, 15:00 and 16:00 every day (6 slots a day), in UTC+1, sale closing 30 min before. */
async function seasonRule(): Promise<CalendarRule> {
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const dayAfterTomorrow = Math.floor(now / DAY) + 2;
  return {
    firstDay: weekdayOf(dayAfterTomorrow) === 1 ? dayAfterTomorrow + 1 : dayAfterTomorrow,
    dayCount: 365,
    utcOffsetMinutes: 60,
    slotMinutes: 60,
    saleLeadMinutes: 30,
    capacity: CAPACITY,
    runs: [
      { startMinute: 10 * 60, count: 4, weekdays: NOT_MONDAY },
      { startMinute: 15 * 60, count: 2, weekdays: 127 },
    ],
    closedDays: [],
  };
}

async function museumFixture() {
  const platform = await deployPlatform(ethers);
  const [, , organizer, fan, friend, stranger, gate] = await ethers.getSigners();
  const rule = await seasonRule();
  const input = await eventInput(ethers, {
    name: "Harbour Museum season",
    start: rule.firstDay * DAY,
    end: (rule.firstDay + rule.dayCount + 1) * DAY,
  });
  const onSale = { saleStart: input.start - 30 * DAY, saleEnd: input.end, supply: 999_999 };
  const ticket = await createEvent(ethers, platform.factory, organizer, input, [
    tierInput(input, { name: "Adult", price: ADULT, ...onSale }),
    tierInput(input, { name: "Child", price: CHILD, ...onSale }),
    tierInput(input, { name: "Concession", price: CONCESSION, ...onSale, maxPerWallet: 2 }),
    tierInput(input, { name: "Gift shop voucher", price: CHILD }),
  ]);
  await ticket.connect(organizer).addCalendar(rule, [1, 2, 3]);
  await ticket.connect(organizer).grantRole(await ticket.GATE_ROLE(), gate.address);
  return { ...platform, ticket, input, rule, organizer, fan, friend, stranger, gate };
}

/** The first slot of the season whose day is a Tuesday and its window. */
function firstTuesdaySlot(rule: CalendarRule) {
  const day = [...Array(7).keys()].find((d) => weekdayOf(rule.firstDay + d) === 2)!;
  return 1 + day * slotsPerDay(rule);
}

describe("Season timed entry and runs (issue 15)", function () {
  describe("the calendar", function () {
    it("is added by the organizer with the tiers that sell it, and names each broken rule", async function () {
      const { ticket, organizer, fan, rule } = await networkHelpers.loadFixture(museumFixture);
      expect((await ticket.tier(1)).calendar).to.equal(1n);
      expect((await ticket.tier(4)).calendar).to.equal(0n);
      await expect(ticket.connect(fan).addCalendar(rule, [4]))
        .to.be.revertedWithCustomError(ticket, "AccessControlUnauthorizedAccount")
        .withArgs(fan.address, ethers.ZeroHash);

      const broken: [Partial<CalendarRule>, number, number][] = [
        [{ dayCount: 0 }, 0, 0],
        [{ slotMinutes: 0 }, 1, 0],
        [{ utcOffsetMinutes: 900 }, 2, 0],
        [{ runs: [] }, 3, 0],
        [{ runs: [rule.runs[0], { startMinute: 1440, count: 1, weekdays: 1 }] }, 4, 1],
        [{ runs: [{ startMinute: 600, count: 64, weekdays: 1 }] }, 5, 0],
        [{ runs: [{ startMinute: 600, count: 1, weekdays: 0 }] }, 6, 0],
        [{ dayCount: 65_535 }, 7, 6],
        [{ closedDays: [3, 365] }, 10, 1],
      ];
      for (const [change, fault, at] of broken) {
        await expect(ticket.connect(organizer).addCalendar({ ...rule, ...change }, [4]))
          .to.be.revertedWithCustomError(ticket, "InvalidCalendar")
          .withArgs(4n, fault, at);
      }
      // A calendar is named after its first tier; one already on a calendar (or that has sold)
      // cannot join another.
      await expect(ticket.connect(organizer).addCalendar(rule, [])).to.be.revertedWithCustomError(ticket, "InvalidCalendar").withArgs(0n, 9, 0n);
      await expect(ticket.connect(organizer).addCalendar(rule, [4, 1]))
        .to.be.revertedWithCustomError(ticket, "InvalidCalendar")
        .withArgs(4n, 8, 1n);
      const closed = { ...rule, closedDays: [2, 364] };
      await expect(ticket.connect(organizer).addCalendar(closed, [4]))
        .to.emit(ticket, "CalendarAdded")
        .withArgs(4n, Object.values({ ...closed, runs: rule.runs.map((r) => Object.values(r)) }), [4n]);
      expect((await ticket.tier(4)).calendar).to.equal(4n);
      expect((await ticket.slotInfo(4, 2 * 6 + 5)).offered).to.equal(false);
      expect((await ticket.slotInfo(4, 3 * 6 + 5)).offered).to.equal(true);
    });

    it("places every slot of a 365-day, 6-a-day season where lib/calendar.ts does, in the venue's time", async function () {
      const { ticket, rule } = await networkHelpers.loadFixture(museumFixture);
      expect(slotCount(rule)).to.equal(2_190);
      // Spread over the whole season, the first and last slots included.
      const slots = [1, 2, 4, 5, 6, 7, 500, 1_001, 1_500, 2_189, 2_190, 2_191, 0];
      for (let s = 13; s < 2_190; s += 97) slots.push(s);
      for (const slot of slots) {
        const info = await ticket.slotInfo(1, slot);
        const mine = slotWindow(rule, slot);
        expect(info.offered, `slot ${slot}`).to.equal(mine !== undefined);
        if (!mine) continue;
        expect([info.start, info.end, info.saleClosesAt, info.capacity]).to.deep.equal(
          [mine.start, mine.end, mine.saleClosesAt, CAPACITY].map(BigInt),
          `slot ${slot}`,
        );
      }
      // Slot 1 is 10:00 in UTC+1 on the first day, 09:00 UTC.
      expect(slotWindow(rule, 1)?.start).to.equal(rule.firstDay * DAY + 9 * HOUR);
      expect(new Date(slotWindow(rule, 6)!.start * 1000).toISOString()).to.equal(`${isoDateOf(rule.firstDay)}T15:00:00.000Z`);
      await expect(ticket.slotInfo(9, 1)).to.be.revertedWithCustomError(ticket, "UnknownCalendar").withArgs(9n);
    });
  });

  describe("booking a slot", function () {
    it("sells adults, children and concessions in one payment, sharing the slot's capacity", async function () {
      const { ticket, fan, friend, rule } = await networkHelpers.loadFixture(museumFixture);
      const slot = firstTuesdaySlot(rule);
      const total = 2n * ADULT + CHILD + CONCESSION;
      const tx = ticket.connect(fan).buySlot(slot, [1, 2, 3], [2, 1, 1], fan.address, total, { value: total });
      await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(fan.address, fan.address, 1n, tokenIdOf(1, 1, slot), 2n, 2n * ADULT);
      await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(fan.address, fan.address, 2n, tokenIdOf(2, 1, slot), 1n, CHILD);
      await expect(tx).to.emit(ticket, "TicketsPurchased").withArgs(fan.address, fan.address, 3n, tokenIdOf(3, 1, slot), 1n, CONCESSION);
      await expect(tx).to.changeEtherBalances(ethers, [fan, ticket], [-total, total]);
      expect(await ticket.ownerOf(tokenIdOf(1, 2, slot))).to.equal(fan.address);
      expect((await ticket.slotInfo(1, slot)).booked).to.equal(4n);
      expect(await ticket.entryWindow(tokenIdOf(2, 1, slot))).to.deep.equal([slotWindow(rule, slot)!.start, slotWindow(rule, slot)!.end].map(BigInt));
      const info = await ticket.ticketInfo(tokenIdOf(1, 2, slot));
      expect([info.tierId, info.serial, info.pricePaid]).to.deep.equal([1n, 2n, ADULT]);

      // One place left in the slot, whatever the type.
      await expect(ticket.connect(friend).buySlot(slot, [2], [2], friend.address, 2n * CHILD, { value: 2n * CHILD }))
        .to.be.revertedWithCustomError(ticket, "SlotFull")
        .withArgs(1n, slot, 2n, 1n);
      await ticket.connect(friend).buySlot(slot, [2], [1], friend.address, CHILD, { value: CHILD });
      await expect(ticket.connect(friend).buySlot(slot, [1], [1], friend.address, ADULT, { value: ADULT }))
        .to.be.revertedWithCustomError(ticket, "SlotFull")
        .withArgs(1n, slot, 1n, 0n);
      // The next slot is another slot.
      await ticket.connect(friend).buySlot(slot + 1, [1], [1], friend.address, ADULT, { value: ADULT });
      expect(await ticket.ownerOf(tokenIdOf(1, 3, slot + 1))).to.equal(friend.address);
    });

    it("refuses what the calendar does not offer, and closes each slot's sale before its start", async function () {
      const { ticket, fan, rule } = await networkHelpers.loadFixture(museumFixture);
      const buy = (slot: number | bigint, tiers = [1], quantities = [1]) =>
        ticket.connect(fan).buySlot(slot, tiers, quantities, fan.address, ADULT, { value: ADULT });
      const mondayDay = [...Array(7).keys()].find((d) => weekdayOf(rule.firstDay + d) === 1)!;
      const mondayMorning = 1 + mondayDay * 6;
      await expect(buy(mondayMorning)).to.be.revertedWithCustomError(ticket, "SlotNotOffered").withArgs(1n, mondayMorning);
      await buy(mondayMorning + 4); // 15:00 is open every day
      await expect(buy(0)).to.be.revertedWithCustomError(ticket, "SlotNotOffered").withArgs(1n, 0n);
      await expect(buy(2_191)).to.be.revertedWithCustomError(ticket, "SlotNotOffered").withArgs(1n, 2_191n);
      // A slot so far out that its token ids would overflow: the same reason, not a panic.
      await expect(buy(2n ** 255n)).to.be.revertedWithCustomError(ticket, "SlotNotOffered").withArgs(1n, 2n ** 255n);
      await expect(buy(2n ** 32n)).to.be.revertedWithCustomError(ticket, "SlotNotOffered").withArgs(1n, 2n ** 32n);
      // Tiers not on the calendar, or mixed with one that is not.
      await expect(buy(6, [4])).to.be.revertedWithCustomError(ticket, "TierNotOnCalendar").withArgs(4n, 0n);
      await expect(buy(6, [1, 4], [1, 1])).to.be.revertedWithCustomError(ticket, "TierNotOnCalendar").withArgs(4n, 1n);
      await expect(buy(6, [1], [0])).to.be.revertedWithCustomError(ticket, "InvalidQuantity").withArgs(0n);
      await expect(buy(6, [1, 2], [1])).to.be.revertedWithCustomError(ticket, "InvalidQuantity").withArgs(1n);
      // A calendar tier is bought with a slot.
      await expect(ticket.connect(fan).buy(1, 1, fan.address, ADULT, { value: ADULT }))
        .to.be.revertedWithCustomError(ticket, "SlotSelectionRequired")
        .withArgs(1n);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions(), { value: ADULT }))
        .to.be.revertedWithCustomError(ticket, "SlotSelectionRequired")
        .withArgs(1n);
      await expect(ticket.connect(fan).buyWith(4, 1, fan.address, purchaseOptions({ slot: 6n }), { value: CHILD }))
        .to.be.revertedWithCustomError(ticket, "TierNotOnCalendar")
        .withArgs(4n, 0n);
      // The price bound and the payment.
      await expect(ticket.connect(fan).buySlot(6, [1], [1], fan.address, ADULT - 1n, { value: ADULT }))
        .to.be.revertedWithCustomError(ticket, "PriceAboveLimit")
        .withArgs(ADULT, ADULT - 1n);
      await expect(ticket.connect(fan).buySlot(6, [1], [1], fan.address, ADULT, { value: ADULT - 1n }))
        .to.be.revertedWithCustomError(ticket, "IncorrectPayment")
        .withArgs(ADULT, ADULT - 1n);
      // buyWith sells a slot too.
      await ticket.connect(fan).buyWith(2, 1, fan.address, purchaseOptions({ slot: 6n }), { value: CHILD });
      expect(await ticket.ownerOf(tokenIdOf(2, 1, 6))).to.equal(fan.address);

      // 30 minutes before 10:00 on day 1 the first slot's sale is closed, the next one's open.
      const first = slotWindow(rule, 1)!;
      await networkHelpers.time.increaseTo(first.saleClosesAt - 2);
      await buy(1);
      await expect(buy(1)).to.be.revertedWithCustomError(ticket, "SlotSaleClosed");
      await buy(2);
    });

    it("counts each ticket type's per-wallet limit across slots", async function () {
      const { ticket, fan, friend } = await networkHelpers.loadFixture(museumFixture);
      await ticket.connect(fan).buySlot(6, [3], [2], fan.address, 2n * CONCESSION, { value: 2n * CONCESSION });
      await expect(ticket.connect(friend).buySlot(12, [3], [1], fan.address, CONCESSION, { value: CONCESSION }))
        .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
        .withArgs(3n, fan.address, 1n, 0n);
    });
  });

  describe("closed days", function () {
    it("closes days with no bookings, refuses a day with bookings, and opens them again", async function () {
      const { ticket, organizer, fan, rule } = await networkHelpers.loadFixture(museumFixture);
      await ticket.connect(fan).buySlot(12, [1], [1], fan.address, ADULT, { value: ADULT }); // day 1
      await expect(ticket.connect(organizer).setDaysClosed(1, [3, 1], true))
        .to.be.revertedWithCustomError(ticket, "DayHasBookings")
        .withArgs(1n, 1n);
      await expect(ticket.connect(organizer).setDaysClosed(1, [3, 300], true))
        .to.emit(ticket, "CalendarDaysClosed")
        .withArgs(1n, [3n, 300n], true);
      await expect(ticket.connect(organizer).setDaysClosed(1, [365], true))
        .to.be.revertedWithCustomError(ticket, "SlotNotOffered")
        .withArgs(1n, 1n + 365n * 6n);
      const day3 = 1 + 3 * 6 + 4;
      expect((await ticket.slotInfo(1, day3)).offered).to.equal(false);
      expect(slotWindow(rule, day3, new Set([3, 300]))).to.equal(undefined);
      await expect(ticket.connect(fan).buySlot(day3, [1], [1], fan.address, ADULT, { value: ADULT }))
        .to.be.revertedWithCustomError(ticket, "SlotNotOffered")
        .withArgs(1n, day3);
      await ticket.connect(organizer).setDaysClosed(1, [3], false);
      await ticket.connect(fan).buySlot(day3, [1], [1], fan.address, ADULT, { value: ADULT });
      expect((await ticket.slotInfo(1, 1 + 300 * 6 + 4)).offered).to.equal(false);
    });
  });

  describe("returns, exchanges and the gate", function () {
    async function withPolicy() {
      const ctx = await museumFixture();
      // Full refund until a day before the slot, half until an hour before; exchanges too.
      await ctx.ticket.connect(ctx.organizer).setRefundPolicy(
        [
          { secondsBefore: DAY, shareBps: 10_000 },
          { secondsBefore: HOUR, shareBps: 5_000 },
        ],
        true,
      );
      const slot = firstTuesdaySlot(ctx.rule) + 7 * 6; // a week later: well before its deadlines
      await ctx.ticket.connect(ctx.fan).buySlot(slot, [1, 2], [1, 1], ctx.fan.address, ADULT + CHILD, { value: ADULT + CHILD });
      return { ...ctx, slot };
    }

    it("a return pays by the slot's own deadlines and frees its place in the slot", async function () {
      const { ticket, fan, rule, slot } = await networkHelpers.loadFixture(withPolicy);
      const id = tokenIdOf(1, 1, slot);
      const start = slotWindow(rule, slot)!.start;
      expect(await ticket.returnQuote(id)).to.deep.equal([ADULT, BigInt(start - DAY)]);
      await networkHelpers.time.increaseTo(start - DAY + 1);
      expect(await ticket.returnQuote(id)).to.deep.equal([ADULT / 2n, BigInt(start - HOUR)]);
      await expect(ticket.connect(fan).returnTicket(id)).to.emit(ticket, "TicketReturned").withArgs(id, fan.address, ADULT / 2n, ADULT / 2n);
      expect((await ticket.slotInfo(1, slot)).booked).to.equal(1n);
    });

    it("an exchange moves a booking to another slot (its place freed, the new one taken), not to the same one", async function () {
      const { ticket, fan, friend, slot } = await networkHelpers.loadFixture(withPolicy);
      const id = tokenIdOf(2, 1, slot);
      await expect(ticket.connect(fan).exchangeTicket(id, 2, slot, 0, 0)).to.be.revertedWithCustomError(ticket, "InvalidExchange").withArgs(id, 2n);
      await expect(ticket.connect(fan).exchangeTicket(id, 2, 0, 0, 0)).to.be.revertedWithCustomError(ticket, "SlotSelectionRequired").withArgs(2n);
      // Fill the slot after: the exchange finds it full.
      await ticket.connect(friend).buySlot(slot + 1, [1], [CAPACITY], friend.address, BigInt(CAPACITY) * ADULT, { value: BigInt(CAPACITY) * ADULT });
      await expect(ticket.connect(fan).exchangeTicket(id, 2, slot + 1, 0, 0))
        .to.be.revertedWithCustomError(ticket, "SlotFull")
        .withArgs(1n, slot + 1, 1n, 0n);
      // A child ticket for an adult one two slots later: the difference paid.
      const tx = ticket.connect(fan).exchangeTicket(id, 1, slot + 2, 0, ADULT - CHILD, { value: ADULT - CHILD });
      const newId = tokenIdOf(1, 2 + CAPACITY, slot + 2);
      await expect(tx).to.emit(ticket, "TicketExchanged").withArgs(id, newId, fan.address, ADULT, ADULT - CHILD, 0n);
      expect(await ticket.ownerOf(newId)).to.equal(fan.address);
      expect((await ticket.slotInfo(1, slot)).booked).to.equal(1n);
      expect((await ticket.slotInfo(1, slot + 2)).booked).to.equal(1n);
    });

    it("moving a ticket to another slot of its own type does not count against the per-wallet limit again", async function () {
      const { ticket, fan, slot } = await networkHelpers.loadFixture(withPolicy);
      await ticket.connect(fan).buySlot(slot, [3], [2], fan.address, 2n * CONCESSION, { value: 2n * CONCESSION }); // the limit: 2
      const id = tokenIdOf(3, 2, slot);
      await expect(ticket.connect(fan).exchangeTicket(id, 3, slot + 1, 0, 0)).to.emit(ticket, "TicketExchanged");
      expect(await ticket.purchased(3, fan.address)).to.equal(2n);
      await expect(ticket.connect(fan).buySlot(slot, [3], [1], fan.address, CONCESSION, { value: CONCESSION }))
        .to.be.revertedWithCustomError(ticket, "WalletLimitExceeded")
        .withArgs(3n, fan.address, 1n, 0n);
    });

    it("the gate checks a slot's ticket in on chain during the season", async function () {
      const { ticket, gate, fan, slot, rule } = await networkHelpers.loadFixture(withPolicy);
      await networkHelpers.time.increaseTo(slotWindow(rule, slot)!.start);
      const id = tokenIdOf(1, 1, slot);
      await expect(ticket.connect(gate).checkIn([id])).to.emit(ticket, "CheckedIn").withArgs(id, fan.address, gate.address);
      await expect(ticket.connect(fan).returnTicket(id)).to.be.revertedWithCustomError(ticket, "TicketAlreadyUsed");
    });
  });

  describe("a run of performances (a seated tier on a calendar)", function () {
    async function runFixture() {
      const platform = await deployPlatform(ethers);
      const [, , organizer, fan, friend] = await ethers.getSigners();
      const now = (await ethers.provider.getBlock("latest"))!.timestamp;
      const firstDay = Math.floor(now / DAY) + 3;
      const input = await eventInput(ethers, { name: "The Tempest", start: firstDay * DAY, end: (firstDay + 31) * DAY });
      const ticket = await createEvent(ethers, platform.factory, organizer, input, [
        tierInput(input, { name: "Stalls", price: STALLS, saleEnd: input.end }),
      ]);
      await ticket.connect(organizer).setSeatMap(1, [{ section: section("Stalls"), firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 5, letteredRows: true }]);
      // 19:30 Tuesday to Sunday, and a 14:30 matinee on weekends, for 30 days, in UTC.
      const rule: CalendarRule = {
        firstDay,
        dayCount: 30,
        utcOffsetMinutes: 0,
        slotMinutes: 150,
        saleLeadMinutes: 0,
        capacity: 0,
        runs: [
          { startMinute: 14 * 60 + 30, count: 1, weekdays: weekdayMask([0, 6]) },
          { startMinute: 19 * 60 + 30, count: 1, weekdays: NOT_MONDAY },
        ],
        closedDays: [],
      };
      await ticket.connect(organizer).addCalendar(rule, [1]);
      await ticket.connect(organizer).setRefundPolicy([{ secondsBefore: DAY, shareBps: 10_000 }], true);
      return { ...platform, ticket, rule, organizer, fan, friend };
    }

    it("sells the same seat once per performance, and exchanges a booking to another night", async function () {
      const { ticket, rule, fan, friend } = await networkHelpers.loadFixture(runFixture);
      const evening = (day: number) => 1 + day * 2 + 1;
      const nights = [...Array(30).keys()].filter((d) => slotWindow(rule, evening(d))).map(evening);
      expect(nights.length).to.be.greaterThan(20);
      const [first, second] = nights;
      await ticket.connect(fan).buyWith(1, 2, fan.address, purchaseOptions({ seats: [3n, 4n], slot: BigInt(first) }), { value: 2n * STALLS });
      await expect(ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions({ seats: [3n], slot: BigInt(first) }), { value: STALLS }))
        .to.be.revertedWithCustomError(ticket, "SeatTaken")
        .withArgs(1n, 3n);
      await ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions({ seats: [3n], slot: BigInt(second) }), { value: STALLS });
      expect(await ticket.ownerOf(tokenIdOf(1, 3, first))).to.equal(fan.address);
      expect(await ticket.ownerOf(tokenIdOf(1, 3, second))).to.equal(friend.address);
      expect((await ticket.seatOf(tokenIdOf(1, 3, second))).number).to.equal(3n);
      expect((await ticket.slotInfo(1, first)).booked).to.equal(2n);
      // Every seat of the map sells for every night: more tickets than seats in the tier.
      await ticket.connect(friend).buyWith(1, 10, friend.address, purchaseOptions({ seats: [...Array(10).keys()].map((i) => BigInt(i + 1)), slot: BigInt(nights[2]) }), { value: 10n * STALLS });
      expect((await ticket.tier(1)).sold).to.equal(13n);

      // Seat 4 on the first night to seat 3... taken on the second: seat 5 on the second.
      const id = tokenIdOf(1, 4, first);
      await expect(ticket.connect(fan).exchangeTicket(id, 1, second, 3, 0)).to.be.revertedWithCustomError(ticket, "SeatTaken").withArgs(1n, 3n);
      await expect(ticket.connect(fan).exchangeTicket(id, 1, first, 4, 0)).to.be.revertedWithCustomError(ticket, "InvalidExchange").withArgs(id, 1n);
      await expect(ticket.connect(fan).exchangeTicket(id, 1, second, 5, 0))
        .to.emit(ticket, "TicketExchanged")
        .withArgs(id, tokenIdOf(1, 5, second), fan.address, STALLS, 0n, 0n);
      // Seat 4 of the first night is free again.
      await ticket.connect(friend).buyWith(1, 1, friend.address, purchaseOptions({ seats: [4n], slot: BigInt(first) }), { value: STALLS });
      expect(await ticket.ownerOf(tokenIdOf(1, 4, first))).to.equal(friend.address);
    });

    it("holds a run's seats per performance, releases them, and gives one away as a comp booked in its night", async function () {
      const { ticket, rule, organizer, fan, friend } = await networkHelpers.loadFixture(runFixture);
      const evening = (day: number) => 1 + day * 2 + 1;
      const [first, second] = [...Array(30).keys()].filter((d) => slotWindow(rule, evening(d))).map(evening);
      const SLOT = 1_000_000_000n;
      const key = (slot: number, seat: number) => BigInt(slot) * SLOT + BigInt(seat);
      await expect(ticket.connect(organizer).holdSeats(1, [5n])).to.be.revertedWithCustomError(ticket, "InvalidSeat").withArgs(1n, 5n);
      const monday = 1 + [...Array(7).keys()].find((d) => weekdayOf(rule.firstDay + d) === 1)! * 2 + 1;
      await expect(ticket.connect(organizer).holdSeats(1, [key(monday, 5)])).to.be.revertedWithCustomError(ticket, "SlotNotOffered").withArgs(1n, monday);
      await expect(ticket.connect(organizer).holdSeats(1, [key(first, 5), key(first, 6)]))
        .to.emit(ticket, "SeatsHeld")
        .withArgs(1n, [key(first, 5), key(first, 6)]);
      expect(await ticket.isSeatHeld(1, key(first, 5))).to.equal(true);
      expect(await ticket.isSeatTaken(1, key(first, 5))).to.equal(true);
      expect(await ticket.isSeatTaken(1, key(second, 5))).to.equal(false);
      await expect(ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [5n], slot: BigInt(first) }), { value: STALLS }))
        .to.be.revertedWithCustomError(ticket, "SeatTaken")
        .withArgs(1n, 5n);
      await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [5n], slot: BigInt(second) }), { value: STALLS });
      await ticket.connect(organizer).releaseSeats(1, [key(first, 6)]);
      await ticket.connect(fan).buyWith(1, 1, fan.address, purchaseOptions({ seats: [6n], slot: BigInt(first) }), { value: STALLS });
      await expect(ticket.connect(organizer).releaseSeats(1, [key(first, 6)])).to.be.revertedWithCustomError(ticket, "SeatNotHeld").withArgs(1n, key(first, 6));
      await expect(ticket.connect(organizer).compSeats(1, [key(first, 5)], friend.address))
        .to.emit(ticket, "TicketsPurchased")
        .withArgs(organizer.address, friend.address, 1n, tokenIdOf(1, 5, first), 1n, 0n);
      expect(await ticket.pricePaid(tokenIdOf(1, 5, first))).to.equal(0n);
      expect((await ticket.slotInfo(1, first)).booked).to.equal(2n); // seat 6 sold, seat 5 comped
    });
  });

  it("lib/calendar.ts: day numbers round-trip and the weekday of 1970-01-01 is Thursday", function () {
    expect(weekdayOf(0)).to.equal(4);
    expect(dayNumberOf("2026-12-01")).to.equal(20_788);
    expect(isoDateOf(20_788)).to.equal("2026-12-01");
    expect(weekdayOf(20_788)).to.equal(2); // a Tuesday
  });
});
