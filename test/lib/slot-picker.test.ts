// The fan's slot picker (frontend/src/fan/slots.ts): which days of a month can be booked and why
// not, each day's slots with the places left (capacity less the index's booked count; none booked
// without a Slot entity), sale-closed and sold-out slots, a run's seats per performance, the
// opening times in words, and the index's Slot id for a performance's taken seats.
import { expect } from "chai";

import { dayNumberOf, weekdayMask } from "../../lib/calendar.js";
import type { CalendarSlot, EventCalendar, EventPageTier } from "../../lib/index/index.js";
import { calendarContext, dayView, daysOfMonth, monthOf, monthStartRange, performances, runTimes, slotEntityId, weekdaysText } from "../../frontend/src/fan/slots.js";

const EVENT = "0x00000000000000000000000000000000000000aa";
/** Tuesday 1 December 2026, the season's first day. */
const FIRST = dayNumberOf("2026-12-01");
const OFFSET = 480; // UTC+8
const NOT_MONDAY = weekdayMask([0, 2, 3, 4, 5, 6]);

const calendar = (over: Partial<EventCalendar> = {}): EventCalendar => ({
  id: `${EVENT}01000000`,
  calendarId: 1,
  firstDay: FIRST,
  dayCount: 31,
  utcOffsetMinutes: OFFSET,
  slotMinutes: 60,
  saleLeadMinutes: 30,
  capacity: 10,
  runStartMinutes: [600, 900],
  runCounts: [4, 2],
  runWeekdays: [NOT_MONDAY, 127],
  closedDays: [24],
  tiers: [{ tierId: 1 }, { tierId: 2 }],
  slots: [],
  ...over,
});
const tier = (tierId: number, over: Partial<EventPageTier> = {}) => ({ tierId, seated: false, seatBlocks: [], ...over }) as unknown as EventPageTier;
const booked = (number: number, n: number) => ({ number, booked: n }) as CalendarSlot;
/** Unix seconds at a local time of a day of the season. */
const at = (day: number, minute: number) => (FIRST + day) * 86_400 + (minute - OFFSET) * 60;
const END = at(40, 0);

describe("The fan's slot picker", function () {
  it("tells each day of the month apart: open with its places left, closed, full, past, outside the season", function () {
    const ctx = calendarContext(calendar(), [tier(1), tier(2)], [booked(1, 3), booked(2, 10), booked(7 * 6 + 5, 10), booked(7 * 6 + 6, 10)], at(0, 0), END);
    const day0 = dayView(ctx, FIRST);
    expect(day0.state).to.equal("open");
    expect(day0.slots.map((s) => [s.remaining, s.state])).to.deep.equal([[7, "open"], [0, "soldOut"], [10, "open"], [10, "open"], [10, "open"], [10, "open"]]);
    expect(day0.remaining).to.equal(7 + 10 * 4);
    // Monday 7 December: the afternoon only.
    expect(dayView(ctx, FIRST + 6).slots.map((s) => s.start)).to.deep.equal([at(6, 900), at(6, 960)]);
    // Christmas Day is closed; the day before the season and after it are outside.
    expect(dayView(ctx, FIRST + 24).state).to.equal("closed");
    expect(dayView(ctx, FIRST - 1).state).to.equal("outside");
    expect(dayView(ctx, FIRST + 31).state).to.equal("outside");
    // Day 7 (a Tuesday) with its afternoon booked out and its morning's sale closed: full; a day later, when everything has closed: past.
    const later = calendarContext(calendar(), [tier(1)], [booked(7 * 6 + 5, 10), booked(7 * 6 + 6, 10)], at(7, 600 - 30), END);
    expect(dayView(later, FIRST + 7).slots.map((s) => s.state)).to.deep.equal(["closed", "open", "open", "open", "soldOut", "soldOut"]);
    const evening = calendarContext(calendar(), [tier(1)], [booked(7 * 6 + 5, 10), booked(7 * 6 + 6, 10)], at(7, 14 * 60 + 31), END);
    expect(dayView(evening, FIRST + 7).state).to.equal("full");
    expect(dayView(evening, FIRST + 6).state).to.equal("past");
    // A slot starting at or after the event's end is not sold.
    expect(dayView(calendarContext(calendar(), [tier(1)], [], at(0, 0), at(0, 900)), FIRST).slots.map((s) => s.state)).to.deep.equal(["open", "open", "open", "open", "closed", "closed"]);
  });

  it("counts a run's seats once per performance: every seated tier's map, less the performance's bookings", function () {
    const stalls = tier(1, { seated: true, seatBlocks: [{ rows: 10, seatsPerRow: 18 }, { rows: 2, seatsPerRow: 5 }] as EventPageTier["seatBlocks"] });
    const circle = tier(2, { seated: true, seatBlocks: [{ rows: 5, seatsPerRow: 14 }] as EventPageTier["seatBlocks"] });
    const run = calendar({ capacity: 0, runStartMinutes: [14 * 60 + 30, 19 * 60 + 30], runCounts: [1, 1], runWeekdays: [weekdayMask([0, 6]), NOT_MONDAY], closedDays: [], dayCount: 7 });
    const list = performances(calendarContext(run, [stalls, circle], [booked(2, 4)], at(0, 0), END));
    // Tuesday to Sunday evenings, weekend matinees; dark on Monday.
    expect(list.map((p) => p.slot)).to.deep.equal([2, 4, 6, 8, 9, 10, 11, 12]);
    expect(list[0]).to.include({ places: 260, remaining: 256, state: "open" });
    // Without a shared capacity nor seats: no limit but the tiers' own.
    expect(dayView(calendarContext(calendar({ capacity: 0 }), [tier(1)], [], at(0, 0), END), FIRST).remaining).to.equal(undefined);
  });

  it("says the opening times in words, Monday first, consecutive days as a range", function () {
    expect(weekdaysText(NOT_MONDAY, "en-US", "Every day")).to.equal("Tue–Sun");
    expect(weekdaysText(weekdayMask([0, 6]), "en-US", "Every day")).to.equal("Sat, Sun");
    expect(weekdaysText(weekdayMask([1, 3, 5]), "en-US", "Every day")).to.equal("Mon, Wed, Fri");
    expect(weekdaysText(127, "en-US", "Every day")).to.equal("Every day");
    expect(runTimes({ ...calendar(), runs: [{ startMinute: 600, count: 4, weekdays: NOT_MONDAY }, { startMinute: 900, count: 2, weekdays: 127 }], closedDays: [] }, "en-US", "Every day")).to.deep.equal([
      ["Tue–Sun", "10:00 AM, 11:00 AM, 12:00 PM, 1:00 PM"],
      ["Every day", "3:00 PM, 4:00 PM"],
    ]);
  });

  it("pages by month in local dates, and names a performance's Slot as the index does", function () {
    expect(monthOf(FIRST)).to.deep.equal({ year: 2026, month: 11 });
    expect(daysOfMonth({ year: 2027, month: 1 })).to.have.length(28);
    const range = monthStartRange(OFFSET, { year: 2026, month: 11 });
    expect(Number(range.from)).to.be.lessThan(at(0, 0));
    expect(Number(range.to)).to.be.greaterThan(at(30, 24 * 60));
    // Calendar id ++ int32 slot number, little-endian (server/indexer/mappings/helpers.ts slotKey).
    expect(slotEntityId(`${EVENT}01000000`, 258)).to.equal(`${EVENT}0100000002010000`);
  });
});
