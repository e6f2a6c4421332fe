// Timed-entry calendars: a season of slots described by a rule (contracts/libraries/SlotCalendar.sol
// on chain; the same arithmetic here for the app, the gate and the index), and the token-id scheme
// that carries a ticket's tier, serial (or seat) and slot.

/** `tokenId = slot * TOKENS_PER_SLOT + tierId * TOKENS_PER_TIER + serial`. */
export const TOKENS_PER_TIER = 1_000_000n;
export const TOKENS_PER_SLOT = 1_000_000_000n;
export const MAX_RUNS = 6;
export const MAX_SLOTS = 65_535;
const DAY_SECONDS = 86_400;

export const tierOfToken = (tokenId: bigint) => Number((tokenId % TOKENS_PER_SLOT) / TOKENS_PER_TIER);
/** The serial, or the seat id on a seated tier. */
export const serialOfToken = (tokenId: bigint) => Number(tokenId % TOKENS_PER_TIER);
/** The calendar slot (0: none). */
export const slotOfToken = (tokenId: bigint) => Number(tokenId / TOKENS_PER_SLOT);
export const tokenIdOf = (tierId: number | bigint, serial: number | bigint, slot: number | bigint = 0) =>
  BigInt(slot) * TOKENS_PER_SLOT + BigInt(tierId) * TOKENS_PER_TIER + BigInt(serial);

/** A run of back-to-back start times: `count` slots from `startMinute` (local), on `weekdays`. */
export interface SlotRun {
  startMinute: number;
  count: number;
  /** Bit d: open on day d of the week, 0 = Sunday. */
  weekdays: number;
}

/** The contract's CalendarParams. */
export interface CalendarRule {
  /** Days since 1970-01-01 of the first (local) date. */
  firstDay: number;
  dayCount: number;
  utcOffsetMinutes: number;
  slotMinutes: number;
  saleLeadMinutes: number;
  /** Places per slot shared by the calendar's tiers (0: no shared limit). */
  capacity: number;
  runs: SlotRun[];
  /** Day indexes closed from the start (later changes: `setDaysClosed`, read from the index). */
  closedDays: number[];
}

export interface SlotWindow {
  slot: number;
  /** Day index from the first day. */
  day: number;
  /** Unix seconds. */
  start: number;
  end: number;
  /** When its sale closes (start less the lead time). */
  saleClosesAt: number;
}

/** A calendar as the index keeps it (runs as parallel lists: the subgraph's Calendar entity). */
export interface IndexedCalendar {
  firstDay: number;
  dayCount: number;
  utcOffsetMinutes: number;
  slotMinutes: number;
  saleLeadMinutes: number;
  capacity: number;
  runStartMinutes: readonly number[];
  runCounts: readonly number[];
  runWeekdays: readonly number[];
  closedDays: readonly number[];
}

/** The rule of an indexed calendar. */
export function ruleOf(calendar: IndexedCalendar): CalendarRule {
  return {
    firstDay: calendar.firstDay,
    dayCount: calendar.dayCount,
    utcOffsetMinutes: calendar.utcOffsetMinutes,
    slotMinutes: calendar.slotMinutes,
    saleLeadMinutes: calendar.saleLeadMinutes,
    capacity: calendar.capacity,
    runs: calendar.runStartMinutes.map((startMinute, i) => ({ startMinute, count: calendar.runCounts[i], weekdays: calendar.runWeekdays[i] })),
    closedDays: [...calendar.closedDays],
  };
}

export const slotsPerDay = (rule: Pick<CalendarRule, "runs">) => rule.runs.reduce((n, r) => n + r.count, 0);
export const slotCount = (rule: CalendarRule) => slotsPerDay(rule) * rule.dayCount;

/** Day of the week (0 = Sunday) of a day number (days since 1970-01-01, a Thursday). */
export const weekdayOf = (dayNumber: number) => (dayNumber + 4) % 7;

/** Days since 1970-01-01 of a "YYYY-MM-DD" date. */
export function dayNumberOf(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new Error(`not a date: ${isoDate}`);
  return ms / 1000 / DAY_SECONDS;
}

/** The "YYYY-MM-DD" date of a day number. */
export const isoDateOf = (dayNumber: number) => new Date(dayNumber * DAY_SECONDS * 1000).toISOString().slice(0, 10);

/**
 * Where `slot` falls, or undefined when the rule does not offer it (outside the season, its run
 * closed that day of the week, or the day in `closedDays`). The same arithmetic as
 * SlotCalendar.window: the local date's day number, the run's local start less the offset.
 */
export function slotWindow(
  rule: CalendarRule,
  slot: number,
  closedDays: ReadonlySet<number> = new Set(rule.closedDays),
): SlotWindow | undefined {
  const perDay = slotsPerDay(rule);
  if (!Number.isInteger(slot) || slot < 1 || perDay === 0 || slot > perDay * rule.dayCount) return undefined;
  const day = Math.floor((slot - 1) / perDay);
  let k = (slot - 1) % perDay;
  let run = 0;
  while (k >= rule.runs[run].count) k -= rule.runs[run++].count;
  const r = rule.runs[run];
  const date = rule.firstDay + day;
  if ((r.weekdays & (1 << weekdayOf(date))) === 0 || closedDays.has(day)) return undefined;
  const start = date * DAY_SECONDS + (r.startMinute - rule.utcOffsetMinutes + k * rule.slotMinutes) * 60;
  return { slot, day, start, end: start + rule.slotMinutes * 60, saleClosesAt: start - rule.saleLeadMinutes * 60 };
}

/** The slots offered on day index `day`, in order. */
export function slotsOfDay(rule: CalendarRule, day: number, closedDays: ReadonlySet<number> = new Set(rule.closedDays)): SlotWindow[] {
  const perDay = slotsPerDay(rule);
  const out: SlotWindow[] = [];
  if (day < 0 || day >= rule.dayCount) return out;
  for (let k = 0; k < perDay; k++) {
    const w = slotWindow(rule, 1 + day * perDay + k, closedDays);
    if (w) out.push(w);
  }
  return out;
}

/** The day index of a local "YYYY-MM-DD" date in the season, or undefined outside it. */
export function dayIndexOf(rule: CalendarRule, isoDate: string): number | undefined {
  const day = dayNumberOf(isoDate) - rule.firstDay;
  return day >= 0 && day < rule.dayCount ? day : undefined;
}

/** Which rule the contract would refuse (the CalendarFault's name), or undefined when it is valid. */
export function calendarFault(rule: CalendarRule): string | undefined {
  if (rule.dayCount < 1 || rule.dayCount > 65_535 || rule.firstDay < 1 || rule.firstDay >= 2 ** 24) return "NoDays";
  if (rule.slotMinutes < 1 || rule.slotMinutes > 1440) return "SlotLength";
  if (Math.abs(rule.utcOffsetMinutes) > 840) return "UtcOffset";
  if (rule.runs.length < 1 || rule.runs.length > MAX_RUNS) return "RunCount";
  for (const r of rule.runs) {
    if (r.startMinute < 0 || r.startMinute >= 1440) return "RunStart";
    if (r.count < 1 || r.count > 63) return "RunSlots";
    if (r.weekdays < 1 || r.weekdays > 127) return "RunWeekdays";
  }
  const perDay = slotsPerDay(rule);
  if (perDay > 255 || perDay * rule.dayCount > MAX_SLOTS) return "TooManySlots";
  if (rule.closedDays.some((d) => !Number.isInteger(d) || d < 0 || d >= rule.dayCount)) return "ClosedDay";
  return undefined;
}

/** A weekday mask from days of the week (0 = Sunday). */
export const weekdayMask = (days: readonly number[]) => days.reduce((m, d) => m | (1 << d), 0);
