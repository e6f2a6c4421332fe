// What the create-event wizard holds while the organizer fills it in: one draft object, kept by the
// wizard (not by its steps), so moving between steps loses nothing. Values are the inputs' text.
import { browserTimeZone } from "../../shared/venue-time.js";
import type { CurrencyChoice, PolicyChoice } from "../util.js";

/** The wizard's steps, in order ("schedule" only for a season or a run: stepsFor). */
export const STEPS = ["event", "schedule", "tickets", "rules", "review"] as const;
export type Step = (typeof STEPS)[number];

/**
 * What the event is: one date (start and end), a season of timed-entry slots (a museum: places
 * per slot shared by the ticket types), or a run of performances (each performance sells the seat
 * maps once). The last two put every ticket type on one calendar (addCalendar).
 */
export const FORMATS = ["single", "season", "run"] as const;
export type EventFormat = (typeof FORMATS)[number];

/** The steps the wizard shows for a format: a season or a run adds its schedule after the event. */
export const stepsFor = (format: EventFormat): readonly Step[] => (format === "single" ? STEPS.filter((s) => s !== "schedule") : STEPS);

export const KINDS = ["adult", "child", "student", "concession", "vip", "group"] as const;
export type Kind = (typeof KINDS)[number] | "";

export interface SectionDraft {
  name: string;
  rows: string;
  seatsPerRow: string;
  lettered: boolean;
}

export interface TierDraft {
  key: number;
  kind: Kind;
  name: string;
  price: string;
  supply: string;
  maxPerWallet: string;
  saleStart: string;
  saleEnd: string;
  earlyPrice: string;
  earlyUntil: string;
  entryStart: string;
  entryEnd: string;
  presaleStart: string;
  seated: boolean;
  sections: SectionDraft[];
}

/** A refund policy's most steps (contracts: RefundPolicy.MAX_STEPS). */
export const MAX_REFUND_STEPS = 4;
export const REFUND_UNITS = ["days", "hours"] as const;
export type RefundUnit = (typeof REFUND_UNITS)[number];
const UNIT_SECONDS: Record<RefundUnit, number> = { days: 86_400, hours: 3_600 };

/** One step of the refund policy: "until `before` `unit` before the start, refund `share` %". */
export interface RefundStepDraft {
  key: number;
  before: string;
  unit: RefundUnit;
  share: string;
}

/** Start times on some days of the week: typed as a list ("10:00, 11:00, 14:30") or as a series from a time. */
export interface TimeGroupDraft {
  key: number;
  /** Days of the week, 0 = Sunday. */
  weekdays: number[];
  mode: "list" | "series";
  /** The list: times "HH:MM" separated by commas or spaces. */
  times: string;
  /** The series: the first start ("HH:MM") and how many back-to-back slots of the slot length. */
  from: string;
  count: string;
}

/** A season's or a run's dates and times, as typed (lib/calendar.ts CalendarRule once checked: wizard/schedule.ts). */
export interface ScheduleDraft {
  /** The first date at the venue, "YYYY-MM-DD". */
  firstDate: string;
  /** How the season's length is given: a number of days, or the last date. */
  until: "days" | "date";
  days: string;
  lastDate: string;
  /** A slot's length (a season's entry window; a run's performance). */
  slotMinutes: string;
  /** Each slot's sale closes this many minutes before it starts. */
  saleLead: string;
  /** Places per slot shared by the ticket types (a season; a run's seat maps are its limit). */
  capacity: string;
  groups: TimeGroupDraft[];
  /** Dates closed from the start ("YYYY-MM-DD", separated by commas or spaces), typed or picked. */
  closed: string;
}

export interface EventDraft {
  // 1. event
  /** One date, a season of timed entry, or a run of performances. */
  format: EventFormat;
  name: string;
  symbol: string;
  /** The organizer typed a symbol: stop suggesting one from the name. */
  symbolEdited: boolean;
  description: string;
  venueName: string;
  venueAddress: string;
  /** The venue's zone: every date and time of the draft is its wall clock (the organizer's zone by default). */
  timezone: string;
  start: string;
  end: string;
  artwork: { uri: string; cid: string } | null;
  // 2. schedule (a season or a run)
  schedule: ScheduleDraft;
  // 3. tickets
  currency: CurrencyChoice;
  tiers: TierDraft[];
  // 4. rules
  payout: string;
  royalty: string;
  resaleCap: string;
  /** Capped by default: under Open the resale cap binds nothing (any outside market can move a ticket). */
  policy: PolicyChoice;
  gifts: string;
  /** The refund policy's steps, the earliest deadline first; none: no returns (the default). */
  refunds: RefundStepDraft[];
}

/** Changes some of the draft: the fields given, or those computed from the latest draft (for lists). */
export type PatchDraft = (change: Partial<EventDraft> | ((draft: EventDraft) => Partial<EventDraft>)) => void;

let nextKey = 1;
export const newTier = (): TierDraft => ({
  key: nextKey++,
  kind: "",
  name: "",
  price: "",
  supply: "",
  maxPerWallet: "",
  saleStart: "",
  saleEnd: "",
  earlyPrice: "",
  earlyUntil: "",
  entryStart: "",
  entryEnd: "",
  presaleStart: "",
  seated: false,
  sections: [],
});

export const newRefundStep = (): RefundStepDraft => ({ key: nextKey++, before: "", unit: "days", share: "" });

export const newSection = (): SectionDraft => ({ name: "", rows: "", seatsPerRow: "", lettered: true });

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** A group of start times: a season's opening days by default; a run's evenings (Tuesday to Saturday) or its matinees (weekends). */
export const newTimeGroup = (kind: "season" | "evening" | "matinee" = "season"): TimeGroupDraft => ({
  key: nextKey++,
  weekdays: kind === "season" ? [...EVERY_DAY] : kind === "evening" ? [2, 3, 4, 5, 6] : [0, 6],
  mode: kind === "season" ? "series" : "list",
  times: kind === "evening" ? "19:30" : kind === "matinee" ? "14:30" : "",
  from: kind === "season" ? "10:00" : "",
  count: "",
});

/** A schedule's starting values for a format: a season's hourly slots, a run's evening performances. */
export const newSchedule = (format: EventFormat): ScheduleDraft => ({
  firstDate: "",
  until: format === "run" ? "date" : "days",
  days: "",
  lastDate: "",
  slotMinutes: format === "run" ? "150" : "60",
  saleLead: "0",
  capacity: "",
  groups: [newTimeGroup(format === "run" ? "evening" : "season")],
  closed: "",
});

export const newDraft = (): EventDraft => ({
  format: "single",
  name: "",
  symbol: "",
  symbolEdited: false,
  description: "",
  venueName: "",
  venueAddress: "",
  timezone: browserTimeZone(),
  start: "",
  end: "",
  artwork: null,
  schedule: newSchedule("season"),
  currency: "eth",
  tiers: [newTier()],
  payout: "",
  royalty: "5",
  resaleCap: "110",
  policy: "capped",
  gifts: "1",
  refunds: [],
});

/** The draft's ticket types sell calendar slots (a season or a run). */
export const onCalendar = (d: Pick<EventDraft, "format">) => d.format !== "single";

/** A tier is seated when reserved seating is on, and the format has seats (a season's places are counted per slot instead). */
export const isSeated = (d: Pick<EventDraft, "format">, t: TierDraft) => t.seated && d.format !== "season";

/** A season's ticket types have no cap of their own (the contract's MAX_SUPPLY_PER_TIER): each slot's places are the limit. */
export const UNCAPPED_SUPPLY = 999_999;

export const seatCount = (t: TierDraft) => t.sections.reduce((sum, s) => sum + (Number(s.rows) || 0) * (Number(s.seatsPerRow) || 0), 0);

/** A whole number typed by a person; undefined when it is not one. */
export const uint = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

/** A step's deadline in seconds before the start; undefined when its number is not a whole one in range. */
export function refundSecondsBefore(step: RefundStepDraft): number | undefined {
  const n = uint(step.before);
  if (n === undefined) return undefined;
  const seconds = n * UNIT_SECONDS[step.unit];
  return seconds <= 0xffff_ffff ? seconds : undefined;
}

/** The id of a refund step's field: "refund-before-0", "refund-unit-0", "refund-share-0". */
export const refundField = (field: "before" | "unit" | "share", step: number) => `refund-${field}-${step}`;

/** The id of a tier's field (and of a section's): the input's id and data-testid, and the key of its problem. */
export const tierField = (field: string, tier: number) => `tier-${field}-${tier}`;
export const sectionField = (field: "section" | "rows" | "seats", tier: number, section: number) => `tier-${tier}-${field}-${section}`;
