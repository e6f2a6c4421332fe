// What the checkout needs of a membership program's terms, kept small (the checkout's route is near
// its size budget; the words are in ./perks.ts and ./MemberCheckout.tsx, loaded with the program):
// whether a tier's purchase goes through the membership contract (its ABI part: lib/abi/membershipCheckout.ts), the unit price a member pays
// after the tier's discount (ChainpassMembership.terms: `price - price * discountBps / 10000`, after
// a voucher, before points), and why a members-only tier is refused. No app imports: the unit
// tests load it (test/lib/member-perks.test.ts).
import type { EventPageTier } from "../../../lib/index/index.js";

export type Perks = Pick<EventPageTier, "membersOnly" | "minLevel" | "perkLevel" | "discountBps" | "extraPerWallet">;

/** What the wallet is in the event's program, on chain (what a purchase sees). */
export interface MemberStanding {
  joined: boolean;
  level: number;
}

/** Whether buying the tier goes through the membership contract (buyWith): members only, or a perk. */
export const hasPerks = (tier: Perks) => tier.membersOnly || tier.discountBps > 0 || tier.extraPerWallet > 0;

/** Whether the buyer gets the tier's perks (its discount, its extra tickets per wallet). */
export const getsPerks = (tier: Perks, standing: MemberStanding | undefined) =>
  !!standing?.joined && (tier.discountBps > 0 || tier.extraPerWallet > 0) && standing.level >= tier.perkLevel;

/** The tier's unit price for the buyer, from the price after any voucher. */
export const memberPrice = (tier: Perks, unit: bigint, standing: MemberStanding | undefined): bigint =>
  getsPerks(tier, standing) ? unit - (unit * BigInt(tier.discountBps)) / 10_000n : unit;

/** Why the buyer may not buy a members-only tier ("join" or "level"), if so. */
export function membersOnlyRefusal(tier: Perks, standing: MemberStanding | undefined): "join" | "level" | undefined {
  if (!tier.membersOnly || !standing) return undefined;
  if (!standing.joined) return "join";
  return standing.level < tier.minLevel ? "level" : undefined;
}
