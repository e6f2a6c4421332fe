// Timed-entry calendars on the fan's screens: which days of a month can be booked, each day's slots
// with the places left in them, a run's performances. The slots come from the calendar's rule
// (lib/calendar.ts, the contract's arithmetic); their bookings from the index's Slot entities (a
// slot without one has none booked). Nothing of the app's setup is imported, so the unit tests load
// it as it is.
import { isoDateOf, ruleOf, slotsOfDay, type CalendarRule, type SlotWindow } from "../../../lib/calendar.js";
import type { CalendarSlot, EventCalendar, EventPageTier, Hex } from "../../../lib/index/index.js";

const DAY = 86_400;

/** What a fan can do with a slot now. */
export type SlotState = "open" | "soldOut" | "closed";

export interface SlotView extends SlotWindow {
  booked: number;
  /** Places left; undefined when nothing but the tiers' own supply limits the slot. */
  remaining?: number;
  places?: number;
  state: SlotState;
}

/**
 * What a day of the month grid is: outside the season, closed (a closed day, or no slot that day of
 * the week), past (every slot's sale closed), full (no place left in an open slot), or open.
 */
export type DayState = "outside" | "closed" | "past" | "full" | "open";

export interface DayView {
  /** Days since 1970-01-01 (the local date). */
  dayNumber: number;
  iso: string;
  /** Day index in the season, undefined outside it. */
  day?: number;
  state: DayState;
  /** Places left over the day's open slots (undefined: no limit). */
  remaining?: number;
  slots: SlotView[];
}

export interface CalendarContext {
  calendar: EventCalendar;
  rule: CalendarRule;
  closed: Set<number>;
  /** Places per slot (capacity, or a run's seats); undefined: no shared limit. */
  places?: number;
  /** Booked places by slot number. */
  booked: Map<number, number>;
  now: number;
  /** The event's end: a slot starting at or after it is not sold (the contract says not offered). */
  eventEnd: number;
}

/** Whether a tier sells a calendar's slots. */
export const tierOnCalendar = (calendar: Pick<EventCalendar, "tiers">, tierId: number) => calendar.tiers.some((t) => t.tierId === tierId);

/** The calendar whose slots `tierId` sells, if any. */
export const calendarOfTier = (calendars: EventCalendar[] | undefined, tierId: number) => calendars?.find((c) => tierOnCalendar(c, tierId));

/** Seats of a seated tier's map. */
export const seatCount = (tier: Pick<EventPageTier, "seatBlocks">) => tier.seatBlocks.reduce((n, b) => n + b.rows * b.seatsPerRow, 0);

/**
 * Places in each slot of a calendar: its capacity when it has one; for a run (capacity 0) the
 * seats of its seated tiers' maps, once per performance; otherwise no shared limit (undefined).
 */
export function placesPerSlot(calendar: EventCalendar, tiers: EventPageTier[]): number | undefined {
  if (calendar.capacity > 0) return calendar.capacity;
  const seated = tiers.filter((t) => t.seated && tierOnCalendar(calendar, t.tierId));
  return seated.length ? seated.reduce((n, t) => n + seatCount(t), 0) : undefined;
}

/** A run of performances: a calendar whose tiers are seated. */
export const isRun = (calendar: EventCalendar, tiers: EventPageTier[]) => tiers.some((t) => t.seated && tierOnCalendar(calendar, t.tierId));

export function calendarContext(calendar: EventCalendar, tiers: EventPageTier[], slots: CalendarSlot[], now: number, eventEnd: number | string): CalendarContext {
  const rule = ruleOf(calendar);
  return {
    calendar,
    rule,
    closed: new Set(calendar.closedDays),
    places: placesPerSlot(calendar, tiers),
    booked: new Map(slots.map((s) => [s.number, s.booked])),
    now,
    eventEnd: Number(eventEnd),
  };
}

export function slotView(ctx: CalendarContext, w: SlotWindow): SlotView {
  const booked = ctx.booked.get(w.slot) ?? 0;
  const remaining = ctx.places === undefined ? undefined : Math.max(0, ctx.places - booked);
  // The sale closes at the start less the lead time, that second included (as the contract counts).
  const state: SlotState = ctx.now >= w.saleClosesAt || w.start >= ctx.eventEnd ? "closed" : remaining === 0 ? "soldOut" : "open";
  return { ...w, booked, remaining, places: ctx.places, state };
}

/** A day by its local date (days since 1970-01-01): its state, places left and slots. */
export function dayView(ctx: CalendarContext, dayNumber: number): DayView {
  const iso = isoDateOf(dayNumber);
  const day = dayNumber - ctx.rule.firstDay;
  if (day < 0 || day >= ctx.rule.dayCount) return { dayNumber, iso, state: "outside", slots: [] };
  const slots = slotsOfDay(ctx.rule, day, ctx.closed).map((w) => slotView(ctx, w));
  if (slots.length === 0) return { dayNumber, iso, day, state: "closed", slots };
  const open = slots.filter((s) => s.state === "open");
  const state: DayState = open.length > 0 ? "open" : slots.some((s) => s.state === "soldOut") ? "full" : "past";
  const remaining = ctx.places === undefined ? undefined : open.reduce((n, s) => n + (s.remaining ?? 0), 0);
  return { dayNumber, iso, day, state, remaining, slots };
}

/** A month: year and month (0-11) of the local calendar. */
export interface Month {
  year: number;
  month: number;
}

export const monthOf = (dayNumber: number): Month => {
  const d = new Date(dayNumber * DAY * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
};

export const addMonths = (m: Month, n: number): Month => {
  const index = m.year * 12 + m.month + n;
  return { year: Math.floor(index / 12), month: ((index % 12) + 12) % 12 };
};

export const compareMonths = (a: Month, b: Month) => a.year * 12 + a.month - (b.year * 12 + b.month);

/** The month's days, as day numbers. */
export function daysOfMonth(m: Month): number[] {
  const first = Date.UTC(m.year, m.month, 1) / 1000 / DAY;
  const next = Date.UTC(m.year, m.month + 1, 1) / 1000 / DAY;
  return Array.from({ length: next - first }, (_, i) => first + i);
}

/** Day of the week of a day number (0 = Sunday). */
export const weekdayOfDay = (dayNumber: number) => (dayNumber + 4) % 7;

/**
 * The window of slot start times to ask the index for a month of a calendar (in a zone
 * `utcOffsetMinutes` east of UTC): a day's slots may start after its midnight by up to a day and a
 * bit (a late run of long slots) and before it by the offset, so a day's margin either side; the
 * caller keeps the month's days.
 */
export function monthStartRange(utcOffsetMinutes: number, m: Month): { from: string; to: string } {
  const days = daysOfMonth(m);
  const from = (days[0] - 1) * DAY - utcOffsetMinutes * 60;
  const to = (days[days.length - 1] + 3) * DAY - utcOffsetMinutes * 60;
  return { from: String(Math.max(0, from)), to: String(to) };
}

/** The index's Slot id: calendar id ++ int32 slot number (little-endian). */
export function slotEntityId(calendarId: Hex, slot: number): Hex {
  const bytes = [slot & 0xff, (slot >> 8) & 0xff, (slot >> 16) & 0xff, (slot >>> 24) & 0xff];
  return `${calendarId}${bytes.map((b) => b.toString(16).padStart(2, "0")).join("")}` as Hex;
}

/** "10:00" from minutes after local midnight, in the reader's locale (the venue's clock: no zone). */
export function clockTime(minutes: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: "UTC" }).format(Date.UTC(1970, 0, 4, 0, minutes));
}

/** A day number's date in the reader's locale, as the venue's calendar has it ("Dec 8, 2026"). */
export function formatDay(dayNumber: number, locale: string, style: "medium" | "full" = "medium"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: "UTC" }).format(dayNumber * DAY * 1000);
}

/** Short weekday names, Sunday first, in the reader's locale. */
export function weekdayNames(locale: string, width: "short" | "narrow" = "short"): string[] {
  const f = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, d) => f.format(Date.UTC(1970, 0, 4 + d)));
}

/** The first day of the week in the reader's locale (0 = Sunday), Monday where Intl cannot say. */
export function firstDayOfWeek(locale: string): number {
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const info = l.getWeekInfo?.() ?? l.weekInfo;
    if (info) return info.firstDay % 7;
  } catch {
    // an unknown locale: the default below
  }
  return 1;
}

/**
 * The weekdays of a mask in words, Monday first, consecutive days as a range: "Tue–Sun",
 * "Sat, Sun"; `every` when all seven.
 */
export function weekdaysText(mask: number, locale: string, every: string): string {
  if ((mask & 0x7f) === 0x7f) return every;
  const names = weekdayNames(locale);
  const order = [1, 2, 3, 4, 5, 6, 0];
  const groups: number[][] = [];
  for (const d of order) {
    if (!(mask & (1 << d))) continue;
    const last = groups.at(-1);
    if (last && order.indexOf(last.at(-1)!) === order.indexOf(d) - 1) last.push(d);
    else groups.push([d]);
  }
  return groups.map((g) => (g.length >= 3 ? `${names[g[0]]}–${names[g.at(-1)!]}` : g.map((d) => names[d]).join(", "))).join(", ");
}

/** A calendar's opening times, run by run: [weekdays, "10:00, 11:00"]. */
export function runTimes(rule: CalendarRule, locale: string, every: string): [string, string][] {
  return rule.runs.map((r) => [
    weekdaysText(r.weekdays, locale, every),
    Array.from({ length: r.count }, (_, k) => clockTime(r.startMinute + k * rule.slotMinutes, locale)).join(", "),
  ]);
}

/** Every performance (slot) of a run from `fromDay` on, in order. */
export function performances(ctx: CalendarContext): SlotView[] {
  const out: SlotView[] = [];
  for (let day = 0; day < ctx.rule.dayCount; day++) {
    for (const w of slotsOfDay(ctx.rule, day, ctx.closed)) out.push(slotView(ctx, w));
  }
  return out;
}
