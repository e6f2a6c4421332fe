// A season's or a run's schedule as the organizer typed it → the contract's CalendarParams
// (lib/calendar.ts CalendarRule), and what it makes: how many slots, the first and the last, how
// many a day. Start times are grouped into runs for the contract: consecutive back-to-back starts
// (each one slot length after the previous) on the same days of the week make one run, of at most
// 63 slots; the contract holds at most 6 runs. The venue's offset from UTC is read from its zone on
// the first date and stays fixed for the season (the contract stores one offset).
import { calendarFault, dayNumberOf, isoDateOf, MAX_RUNS, slotsOfDay, weekdayMask, type CalendarRule, type SlotRun, type SlotWindow } from "../../../../lib/calendar.js";
import { zonedToUnix, zoneOffsetMinutes } from "../../shared/venue-time.js";
import { uint, type EventDraft, type ScheduleDraft, type TimeGroupDraft } from "./draft.js";

/** Minutes in a day: a start time is before midnight. */
const DAY_MINUTES = 1440;
/** A run's most slots (SlotCalendar: 6 bits). */
const MAX_RUN_SLOTS = 63;

/** "09:30" → 570; undefined when not a time of day. */
export function parseTime(value: string): number | undefined {
  const m = /^(\d{1,2})[:.h](\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/** 570 → "09:30". */
export const timeOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The pieces of a typed list (times, dates): separated by commas, semicolons or white space. */
export const splitList = (text: string) => text.split(/[\s,;、，]+/).filter(Boolean);

/** Whether `value` is a real "YYYY-MM-DD" date. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** The closed dates typed or picked, sorted and without repeats; `bad`: what is not a date. */
export function closedDatesOf(s: Pick<ScheduleDraft, "closed">): { dates: string[]; bad: string[] } {
  const items = splitList(s.closed);
  const bad = items.filter((x) => !isIsoDate(x));
  const dates = [...new Set(items.filter(isIsoDate))].sort();
  return { dates, bad };
}

/** The closed dates with `date` added or taken away (the calendar picker), as the text field shows them. */
export function toggleClosed(s: Pick<ScheduleDraft, "closed">, date: string): string {
  const { dates, bad } = closedDatesOf(s);
  const next = dates.includes(date) ? dates.filter((d) => d !== date) : [...dates, date].sort();
  return [...next, ...bad].join(", ");
}

/** The season's number of dates: typed, or from the first to the last date (both included). */
export function dayCountOf(s: ScheduleDraft): number | undefined {
  if (s.until === "days") return uint(s.days);
  if (!isIsoDate(s.firstDate) || !isIsoDate(s.lastDate)) return undefined;
  return dayNumberOf(s.lastDate) - dayNumberOf(s.firstDate) + 1;
}

/** The start times (local minutes after midnight) of a group, ascending; a problem's key when they cannot be read. */
export function groupStarts(group: TimeGroupDraft, slotMinutes: number | undefined): { starts?: number[]; problem?: { field: "times" | "from" | "count"; key: string; values?: Record<string, unknown> } } {
  if (group.mode === "list") {
    const items = splitList(group.times);
    if (items.length === 0) return { problem: { field: "times", key: "times" } };
    const bad = items.filter((x) => parseTime(x) === undefined);
    if (bad.length > 0) return { problem: { field: "times", key: "timesBad", values: { bad: bad.join(", ") } } };
    return { starts: [...new Set(items.map((x) => parseTime(x)!))].sort((a, b) => a - b) };
  }
  const from = parseTime(group.from);
  if (from === undefined) return { problem: { field: "from", key: "from" } };
  const count = uint(group.count);
  if (!count || count > 255) return { problem: { field: "count", key: "count" } };
  if (!slotMinutes) return {};
  const starts = Array.from({ length: count }, (_, k) => from + k * slotMinutes);
  if (starts[starts.length - 1]! >= DAY_MINUTES) return { problem: { field: "count", key: "pastMidnight", values: { last: timeOf(from + (count - 1) * slotMinutes - DAY_MINUTES) } } };
  return { starts };
}

/** Ascending start times → runs: each chain of starts one slot length apart (at most 63) is one run. */
export function runsOf(starts: readonly number[], slotMinutes: number, weekdays: number): SlotRun[] {
  const runs: SlotRun[] = [];
  for (const start of starts) {
    const last = runs[runs.length - 1];
    if (last && last.count < MAX_RUN_SLOTS && start === last.startMinute + last.count * slotMinutes) last.count += 1;
    else runs.push({ startMinute: start, count: 1, weekdays });
  }
  return runs;
}

/** One thing wrong with the schedule: the field it is about (an input's id) and its message's key. */
export interface ScheduleIssue {
  field: string;
  key: string;
  values?: Record<string, unknown>;
}

/** The field ids of the schedule step (the inputs' ids and data-testids, and the keys of their problems). */
export const scheduleField = (field: string, group?: number) => (group === undefined ? `schedule-${field}` : `schedule-${field}-${group}`);

/** The venue's offset from UTC (minutes east) at noon on a local date: what a season from that date keeps. */
export const offsetOn = (date: string, zone: string) => {
  const noon = zonedToUnix(`${date}T12:00`, zone);
  return noon === undefined ? 0 : zoneOffsetMinutes(zone, noon * 1000);
};

/**
 * Reads the schedule: the rule the contract will get, or what is wrong with it (field by field,
 * then what calendarFault says the contract would refuse).
 */
export function readSchedule(d: Pick<EventDraft, "format" | "schedule" | "timezone">): { rule?: CalendarRule; issues: ScheduleIssue[] } {
  const s = d.schedule;
  const issues: ScheduleIssue[] = [];
  const add = (field: string, key: string, values?: Record<string, unknown>) => issues.push({ field: scheduleField(field), key, values });
  const firstOk = isIsoDate(s.firstDate);
  if (!firstOk) add("first-date", "firstDate");
  const dayCount = dayCountOf(s);
  if (s.until === "days") {
    if (!dayCount || dayCount > 65_535) add("days", "dayCount");
  } else if (!isIsoDate(s.lastDate)) add("last-date", "lastDate");
  else if (firstOk && (!dayCount || dayCount < 1)) add("last-date", "lastBeforeFirst");
  else if (dayCount && dayCount > 65_535) add("last-date", "dayCount");
  const slotMinutes = uint(s.slotMinutes);
  if (!slotMinutes || slotMinutes > DAY_MINUTES) add("slot-minutes", "slotMinutes");
  const saleLead = uint(s.saleLead);
  if (saleLead === undefined || saleLead > 65_535) add("sale-lead", "saleLead");
  const capacity = d.format === "season" ? uint(s.capacity) : 0;
  if (d.format === "season" && (!capacity || capacity > 65_535)) add("capacity", "capacity");

  let runs: SlotRun[] = [];
  s.groups.forEach((group, i) => {
    if (group.weekdays.length === 0) issues.push({ field: scheduleField("weekdays", i), key: "weekdays" });
    const { starts, problem } = groupStarts(group, slotMinutes);
    if (problem) issues.push({ field: scheduleField(problem.field, i), key: problem.key, values: problem.values });
    if (starts && slotMinutes) runs.push(...runsOf(starts, slotMinutes, weekdayMask(group.weekdays)));
  });
  // The day's slots in order of their start (slot ids count through the runs in order).
  runs = runs.sort((a, b) => a.startMinute - b.startMinute);
  if (issues.length === 0 && runs.length > MAX_RUNS) add("runs", "runCount", { runs: runs.length, max: MAX_RUNS });

  const { dates, bad } = closedDatesOf(s);
  if (bad.length > 0) add("closed", "closedBad", { bad: bad.join(", ") });
  else if (firstOk && dayCount) {
    const outside = dates.filter((x) => dayNumberOf(x) < dayNumberOf(s.firstDate) || dayNumberOf(x) >= dayNumberOf(s.firstDate) + dayCount);
    if (outside.length > 0) add("closed", "closedOutside", { dates: outside.join(", ") });
  }
  if (issues.length > 0) return { issues };

  const firstDay = dayNumberOf(s.firstDate);
  const rule: CalendarRule = {
    firstDay,
    dayCount: dayCount!,
    utcOffsetMinutes: offsetOn(s.firstDate, d.timezone),
    slotMinutes: slotMinutes!,
    saleLeadMinutes: saleLead!,
    capacity: capacity!,
    runs,
    closedDays: dates.map((x) => dayNumberOf(x) - firstDay),
  };
  // What the contract would refuse that the fields above do not say (too many slots a day or in all).
  const fault = calendarFault(rule);
  if (fault) {
    const perDay = runs.reduce((n, r) => n + r.count, 0);
    if (fault === "TooManySlots") add("runs", "tooManySlots", { perDay, total: perDay * rule.dayCount });
    else add("runs", "calendar", { fault });
    return { issues };
  }
  return { rule, issues };
}

/** What a checked schedule makes: its rule and slots, for the preview, the review and createEvent's times. */
export interface SchedulePlan {
  rule: CalendarRule;
  /** Slots (performances) offered in all: on their days of the week and not closed. */
  slots: number;
  /** Dates with at least one slot. */
  openDays: number;
  first?: SlotWindow;
  last?: SlotWindow;
  /** Slots a day by day of the week (0 = Sunday), closed dates aside. */
  perWeekday: number[];
  /** The first date on which the zone's offset is no longer the season's (daylight saving): slots from then are that much off the venue's clock. */
  offsetChange?: { date: string; offsetMinutes: number };
}

/** Days scanned for a change of offset (a few years: zones change twice a year at most). */
const OFFSET_SCAN_DAYS = 1_500;

export function planOf(rule: CalendarRule, zone: string): SchedulePlan {
  const closed = new Set(rule.closedDays);
  let slots = 0;
  let openDays = 0;
  let first: SlotWindow | undefined;
  let last: SlotWindow | undefined;
  for (let day = 0; day < rule.dayCount; day++) {
    const windows = slotsOfDay(rule, day, closed);
    if (windows.length === 0) continue;
    slots += windows.length;
    openDays += 1;
    first ??= windows[0];
    last = windows[windows.length - 1];
  }
  const perWeekday = Array.from({ length: 7 }, (_, w) => rule.runs.reduce((n, r) => n + (r.weekdays & (1 << w) ? r.count : 0), 0));
  let offsetChange: SchedulePlan["offsetChange"];
  for (let day = 1; day < Math.min(rule.dayCount, OFFSET_SCAN_DAYS); day++) {
    const date = isoDateOf(rule.firstDay + day);
    const offset = offsetOn(date, zone);
    if (offset !== rule.utcOffsetMinutes) {
      offsetChange = { date, offsetMinutes: offset };
      break;
    }
  }
  return { rule, slots, openDays, first, last, perWeekday, offsetChange };
}

/** The last plan made, by what it was made from: every step and the review ask for it on each render. */
let cached: { key: string; plan: SchedulePlan | undefined } | undefined;

/** The plan of the draft's schedule, or undefined while it has problems (or for a single date). */
export function planSchedule(d: Pick<EventDraft, "format" | "schedule" | "timezone">): SchedulePlan | undefined {
  if (d.format === "single") return undefined;
  const key = JSON.stringify([d.format, d.timezone, d.schedule]);
  if (cached?.key !== key) {
    const { rule } = readSchedule(d);
    cached = { key, plan: rule && planOf(rule, d.timezone) };
  }
  return cached.plan;
}

/**
 * The event's start and end as createEvent gets them: typed for a single date; for a season or a
 * run, its first slot's start and its last slot's end (the event covers every slot).
 */
export function eventTimesOf(d: Pick<EventDraft, "format" | "schedule" | "timezone" | "start" | "end">): { start?: number; end?: number } {
  // (As util.ts localToUnix: kept off util.ts, which needs the app's network, so that this file runs anywhere.)
  if (d.format === "single") return { start: d.start ? zonedToUnix(d.start, d.timezone) : undefined, end: d.end ? zonedToUnix(d.end, d.timezone) : undefined };
  const plan = planSchedule(d);
  return { start: plan?.first?.start, end: plan?.last?.end };
}

/** "UTC+9", "UTC−3:30", "UTC" for an offset in minutes. */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return "UTC";
  const abs = Math.abs(minutes);
  const hm = abs % 60 === 0 ? String(abs / 60) : `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
  return `UTC${minutes > 0 ? "+" : "−"}${hm}`;
}
