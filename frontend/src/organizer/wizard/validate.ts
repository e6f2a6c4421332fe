// The wizard's checks, one function per step. Each returns its problems keyed by the field they are
// about (the input's id), in the form's order, so "Next" can show each message beside its field and
// move the focus to the first; "Create" runs them all. What the contract would refuse is refused here
// first, in words.
import type { TFunction } from "i18next";
import type { Address } from "viem";

import type { Currency } from "../../shared/format.js";
import { nowSeconds } from "../../shared/format.js";
import { localToUnix, MAX_RESALE_CAP_BPS, MAX_ROYALTY_BPS, parseAmount, percentToBps, symbolFrom } from "../util.js";
import { isSeated, onCalendar, refundField, refundSecondsBefore, sectionField, seatCount, tierField, uint, type EventDraft, type Step } from "./draft.js";
import { eventTimesOf, planSchedule, readSchedule, scheduleField } from "./schedule.js";

/** Field id → what is wrong with it (the first problem found for that field). */
export type Problems = Record<string, string>;

/** What the checks need besides the draft: the messages, and what the page read from the chain. */
export interface CheckContext {
  t: TFunction<"organizer">;
  currency: Currency;
  /** The connected wallet: the payout address when none is typed. */
  account?: Address;
  /** The factory's answer for the chosen currency; undefined while it loads. */
  currencyAllowed?: boolean;
  /** The platform's fee now; undefined while it loads. */
  feeBps?: number;
}

function collector(t: TFunction<"organizer">) {
  const problems: Problems = {};
  const add = (field: string, key: string, values: Record<string, unknown> = {}) => {
    problems[field] ??= t(`create.problem.${key}`, values);
  };
  return { problems, add };
}

/** The payout address createEvent gets: the one typed, else the organizer's wallet. */
export const payoutOf = (d: EventDraft, account?: Address) => (d.payout.trim() || account || "") as Address;

/** The refund policy setRefundPolicy gets (a checked draft): steps from the earliest deadline; none: no returns. */
export const refundStepsOf = (d: EventDraft) => d.refunds.map((step) => ({ secondsBefore: refundSecondsBefore(step)!, shareBps: percentToBps(step.share)! }));

export function eventProblems(d: EventDraft, { t }: CheckContext): Problems {
  const { problems, add } = collector(t);
  if (!d.name.trim()) add("event-name", "name");
  if (!/^[A-Za-z0-9]{1,11}$/.test(d.symbol.trim() || symbolFrom(d.name))) add("event-symbol", "symbol");
  if (!d.description.trim()) add("event-description", "description");
  if (!d.venueName.trim()) add("venue-name", "venue");
  // A season's or a run's times come from its schedule (the next step checks them).
  if (d.format === "single") {
    const start = localToUnix(d.start, d.timezone);
    const end = localToUnix(d.end, d.timezone);
    if (!start) add("event-start", "start");
    if (!end) add("event-end", "end");
    else if (start && end <= start) add("event-end", "endBeforeStart");
    else if (end <= nowSeconds()) add("event-end", "past");
  }
  if (!d.artwork) add("artwork", "artwork");
  return problems;
}

/**
 * A season's or a run's schedule: each field, then the rule as the contract would check it
 * (lib/calendar.ts calendarFault, in words), then what it makes: at least one slot, the last one
 * still to come.
 */
export function scheduleProblems(d: EventDraft, { t }: CheckContext): Problems {
  const { problems, add } = collector(t);
  if (d.format === "single") return problems;
  const { rule, issues } = readSchedule(d);
  for (const issue of issues) {
    const values = issue.key === "calendar" ? { fault: t(`errors:calendarFault.${String(issue.values?.fault)}`) } : issue.values;
    add(issue.field, issue.key, values);
  }
  if (!rule) return problems;
  const plan = planSchedule(d);
  if (!plan?.first || !plan.last) add(scheduleField("runs"), "noSlots");
  else if (plan.last.end <= nowSeconds()) add(scheduleField("runs"), "schedulePast");
  return problems;
}

export function ticketProblems(d: EventDraft, { t, currency, currencyAllowed }: CheckContext): Problems {
  const { problems, add } = collector(t);
  const toUnix = (value: string) => localToUnix(value, d.timezone);
  const { start: eventStart, end: eventEnd } = eventTimesOf(d);
  const calendar = onCalendar(d);
  if (currencyAllowed === false) add("currency", "currency", { currency: currency.symbol });
  const names = new Set<string>();
  d.tiers.forEach((tier, i) => {
    const at = (field: string, key: string, values?: Record<string, unknown>) => add(tierField(field, i), key, values);
    const name = tier.name.trim();
    if (!name) at("name", "tierName");
    else if (names.has(name)) at("name", "tierDuplicate");
    names.add(name);
    if (parseAmount(tier.price, currency) === undefined) at("price", "price");
    const seated = isSeated(d, tier);
    // A season's types have no cap of their own (the slot's places are the limit); a run's seated
    // type has its seat map's seats per performance; the others are counted as typed.
    const counted = d.format === "single" || (d.format === "run" && !seated);
    const supply = uint(tier.supply);
    if (!counted) {
      // nothing typed to check
    } else if (supply === undefined) at("supply", "supply");
    else if (supply < 1) at("supply", "supplyMin");
    else if (supply > 999_999) at("supply", "supplyMax");
    if (tier.maxPerWallet && (uint(tier.maxPerWallet) === undefined || uint(tier.maxPerWallet)! > 65_535)) at("max", "maxPerWallet");
    // An empty sale start is now, an empty sale end the event's start (what createEvent gets); a
    // calendar's types sell until the event's end (each slot's sale closes before it starts).
    const saleStart = tier.saleStart ? toUnix(tier.saleStart) : nowSeconds();
    const saleEnd = calendar ? eventEnd : tier.saleEnd ? toUnix(tier.saleEnd) : eventStart;
    if (!saleStart || !saleEnd || saleStart >= saleEnd) {
      if (calendar) at("sale-start", "saleStartLate");
      else at("sale-end", "saleOrder");
    } else if (eventEnd && saleEnd > eventEnd) at("sale-end", "saleAfterEnd");
    if (tier.earlyPrice || tier.earlyUntil) {
      const until = toUnix(tier.earlyUntil);
      if (!parseAmount(tier.earlyPrice, currency)) at("early-price", "earlyPrice");
      if (!until) at("early-until", "earlyUntil");
      else if (saleEnd && until > saleEnd) at("early-until", "earlyAfterSale");
    }
    if (!calendar && (tier.entryStart || tier.entryEnd)) {
      const from = toUnix(tier.entryStart);
      const until = toUnix(tier.entryEnd);
      if (!from) at("entry-start", "entryStart");
      if (!until) at("entry-end", "entryEnd");
      else if (from && from >= until) at("entry-end", "entryOrder");
    }
    if (tier.presaleStart) {
      const opens = toUnix(tier.presaleStart);
      if (!opens || !saleStart || opens >= saleStart) at("presale", "presale");
    }
    if (seated) {
      if (tier.sections.length === 0) at("seated", "noSections");
      tier.sections.forEach((s, j) => {
        const sectionName = s.name.trim();
        if (!sectionName) add(sectionField("section", i, j), "sectionName");
        else if (new TextEncoder().encode(sectionName).length > 16) add(sectionField("section", i, j), "sectionNameLong");
        if (!uint(s.rows)) add(sectionField("rows", i, j), "rows");
        if (!uint(s.seatsPerRow)) add(sectionField("seats", i, j), "seatsPerRow");
      });
      // The seat map must seat every ticket: said on the supply, which the organizer may change instead.
      const mapComplete = tier.sections.length > 0 && tier.sections.every((s, j) => !problems[sectionField("section", i, j)] && !problems[sectionField("rows", i, j)] && !problems[sectionField("seats", i, j)]);
      if (counted && mapComplete && seatCount(tier) !== supply) at("supply", "seatCount", { seats: seatCount(tier), supply: tier.supply || 0 });
      // A run's performance sells the whole seat map: its seats are the type's supply (at most 999,999).
      if (!counted && mapComplete && seatCount(tier) > 999_999) at("seated", "seatsMax");
    }
  });
  return problems;
}

export function ruleProblems(d: EventDraft, { t, account }: CheckContext): Problems {
  const { problems, add } = collector(t);
  if (!/^0x[0-9a-fA-F]{40}$/.test(payoutOf(d, account))) add("payout", "payout");
  const royaltyBps = percentToBps(d.royalty);
  if (royaltyBps === undefined || royaltyBps > MAX_ROYALTY_BPS) add("royalty", "royalty", { max: MAX_ROYALTY_BPS / 100 });
  const resaleCapBps = percentToBps(d.resaleCap);
  if (resaleCapBps === undefined || resaleCapBps > MAX_RESALE_CAP_BPS) add("resale-cap", "resaleCap");
  const gifts = uint(d.gifts);
  if (d.policy === "capped" && (gifts === undefined || gifts > 255)) add("gifts", "gifts");
  // The refund policy as setRefundPolicy refuses it (InvalidRefundPolicy): each row's deadline
  // later than the row above (fewer days or hours before) and its share smaller, 0.01-100 %.
  const shareOf = (i: number) => {
    const share = d.refunds[i] && percentToBps(d.refunds[i].share);
    return share !== undefined && share >= 1 && share <= 10_000 ? share : undefined;
  };
  const beforeOf = (i: number) => d.refunds[i] && refundSecondsBefore(d.refunds[i]);
  d.refunds.forEach((_, i) => {
    const before = beforeOf(i);
    const share = shareOf(i);
    // Compared with the row above only when that row's own value is good (else it is marked itself).
    const [aboveBefore, aboveShare] = [beforeOf(i - 1), shareOf(i - 1)];
    if (before === undefined) add(refundField("before", i), "refundBefore");
    else if (aboveBefore !== undefined && before >= aboveBefore) add(refundField("before", i), "refundBeforeOrder");
    if (share === undefined) add(refundField("share", i), "refundShare");
    else if (aboveShare !== undefined && share >= aboveShare) add(refundField("share", i), "refundShareOrder");
  });
  return problems;
}

/** The review's own condition: the fee the organizer accepts is known (it is passed as their limit). */
export function reviewProblems(_d: EventDraft, { t, feeBps }: CheckContext): Problems {
  const { problems, add } = collector(t);
  if (feeBps === undefined) add("review-fee", "fee");
  return problems;
}

export const CHECKS: Record<Step, (d: EventDraft, c: CheckContext) => Problems> = {
  event: eventProblems,
  schedule: scheduleProblems,
  tickets: ticketProblems,
  rules: ruleProblems,
  review: reviewProblems,
};
