// A tier's sale state and price now, and the lowest price a fan can pay for an event now (explore's
// "from"). Nothing of the app's setup is imported, so the unit tests load it as it is.
import { zeroHash } from "viem";

import type { EventPageTier } from "../../../lib/index/index.js";

export type SaleState = "cancelled" | "paused" | "soldOut" | "notOpen" | "presale" | "open" | "closed";

type TierTimes = Pick<EventPageTier, "paused" | "supply" | "sold" | "saleStart" | "saleEnd" | "presaleStart" | "presaleRoot">;

export const hasPresale = (t: Pick<EventPageTier, "presaleRoot" | "presaleStart">) =>
  !!t.presaleRoot && t.presaleRoot !== zeroHash && BigInt(t.presaleStart) > 0n;

export function saleState(t: TierTimes, now: number, cancelled = false): SaleState {
  if (cancelled) return "cancelled";
  const n = BigInt(now);
  if (BigInt(t.sold) >= BigInt(t.supply)) return "soldOut";
  if (t.paused) return "paused";
  if (n >= BigInt(t.saleEnd)) return "closed";
  if (n >= BigInt(t.saleStart)) return "open";
  if (hasPresale(t) && n >= BigInt(t.presaleStart)) return "presale";
  return "notOpen";
}

export const isEarly = (t: Pick<EventPageTier, "earlyPrice" | "earlyUntil">, now: number) =>
  BigInt(t.earlyPrice) > 0n && BigInt(t.earlyUntil) > BigInt(now);

export const priceNow = (t: Pick<EventPageTier, "price" | "earlyPrice" | "earlyUntil">, now: number) =>
  isEarly(t, now) ? BigInt(t.earlyPrice) : BigInt(t.price);

/** What explore needs of a tier to say what a fan can pay now. */
export type PricedTier = TierTimes & Pick<EventPageTier, "price" | "earlyPrice" | "earlyUntil">;

/**
 * What an event costs a fan now:
 * - `price`: the lowest price anyone can pay now, over the tiers on public sale (open, not sold out
 *   or paused; an allowlist presale is not open to everyone) at their price now (an early price
 *   while it lasts) and the resale listings that can be bought (`resale`: a listing is the cheapest);
 * - `opens`: nothing payable now, and a public sale opens at `at` (the soonest);
 * - `soldOut`: every tier sold out and nothing on resale;
 * - `closed`: nothing on sale now, and no sale to come (ended or paused).
 * Undefined for an event without tiers.
 */
export type FromPrice = { kind: "price"; amount: bigint; resale: boolean } | { kind: "opens"; at: bigint } | { kind: "soldOut" } | { kind: "closed" };

export function fromPrice(tiers: PricedTier[], listingPrices: (bigint | string)[], now: number): FromPrice | undefined {
  if (tiers.length === 0 && listingPrices.length === 0) return undefined;
  const states = tiers.map((tier) => saleState(tier, now));
  const min = (values: bigint[]) => (values.length ? values.reduce((a, b) => (b < a ? b : a)) : undefined);
  const primary = min(tiers.filter((_, i) => states[i] === "open").map((tier) => priceNow(tier, now)));
  const resale = min(listingPrices.map(BigInt));
  if (resale !== undefined && (primary === undefined || resale < primary)) return { kind: "price", amount: resale, resale: true };
  if (primary !== undefined) return { kind: "price", amount: primary, resale: false };
  const opens = min(tiers.filter((_, i) => states[i] === "notOpen" || states[i] === "presale").map((tier) => BigInt(tier.saleStart)));
  if (opens !== undefined) return { kind: "opens", at: opens };
  return states.every((s) => s === "soldOut") ? { kind: "soldOut" } : { kind: "closed" };
}
