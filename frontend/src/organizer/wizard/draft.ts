// What the create-event wizard holds while the organizer fills it in: one draft object, kept by the
// wizard (not by its steps), so moving between steps loses nothing. Values are the inputs' text.
import { browserTimeZone } from "../../shared/venue-time.js";
import type { CurrencyChoice, PolicyChoice } from "../util.js";

/** The wizard's steps, in order. */
export const STEPS = ["event", "tickets", "rules", "review"] as const;
export type Step = (typeof STEPS)[number];

export const KINDS = ["adult", "child", "student", "vip", "group"] as const;
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

export interface EventDraft {
  // 1. event
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
  // 2. tickets
  currency: CurrencyChoice;
  tiers: TierDraft[];
  // 3. rules
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

export const newDraft = (): EventDraft => ({
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
  currency: "eth",
  tiers: [newTier()],
  payout: "",
  royalty: "5",
  resaleCap: "110",
  policy: "capped",
  gifts: "1",
  refunds: [],
});

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
