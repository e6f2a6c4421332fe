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
});

export const seatCount = (t: TierDraft) => t.sections.reduce((sum, s) => sum + (Number(s.rows) || 0) * (Number(s.seatsPerRow) || 0), 0);

/** A whole number typed by a person; undefined when it is not one. */
export const uint = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

/** The id of a tier's field (and of a section's): the input's id and data-testid, and the key of its problem. */
export const tierField = (field: string, tier: number) => `tier-${field}-${tier}`;
export const sectionField = (field: "section" | "rows" | "seats", tier: number, section: number) => `tier-${tier}-${field}-${section}`;
