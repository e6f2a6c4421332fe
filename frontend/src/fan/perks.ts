// Membership perks in words, for the event page, the checkout and the membership pages: a level by
// its program's name for it (level 0 is a member without a level), and a tier's perks as
// sentences. And the errors a purchase through the membership contract can revert with, to decode
// them into sentences. No app imports: the unit tests load it (test/lib/member-perks.test.ts).
import type { TFunction } from "i18next";
import type { Abi } from "viem";

import type { Perks } from "./member-terms.js";

const percent = (bps: number) => `${(bps / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`;

/** A level's name: the program's (level i is levelNames[i - 1]); level 0 "Member". */
export const levelName = (level: number, names: readonly string[], t: TFunction) => (level === 0 ? t("membership:perk.member") : (names[level - 1] ?? String(level)));

/** "Silver members and above only", "Gold members: 10% off", "Members: 2 more per wallet". */
export function perkSentences(tier: Perks, names: readonly string[], t: TFunction): string[] {
  const who = (level: number) =>
    level === 0 ? t("membership:perk.members") : t(level < names.length ? "membership:perk.levelAndAbove" : "membership:perk.level", { level: levelName(level, names, t) });
  const out: string[] = [];
  if (tier.membersOnly) out.push(tier.minLevel === 0 ? t("membership:perk.membersOnly") : t("membership:perk.levelOnly", { level: levelName(tier.minLevel, names, t) }));
  if (tier.discountBps > 0) out.push(t("membership:perk.discount", { who: who(tier.perkLevel), percent: percent(tier.discountBps) }));
  if (tier.extraPerWallet > 0) out.push(t("membership:perk.extra", { who: who(tier.perkLevel), count: tier.extraPerWallet }));
  return out;
}

/**
 * The errors ChainpassMembership passes through a purchase (lib/abi's entries, not its whole ABI),
 * for shared/errors.ts to put into words.
 */
export const memberErrors = [
  { type: "error", name: "NotAMember", inputs: [{ name: "organizer", type: "address" }, { name: "member", type: "address" }] },
  { type: "error", name: "LevelTooLow", inputs: [{ name: "member", type: "address" }, { name: "level", type: "uint256" }, { name: "required", type: "uint256" }] },
  { type: "error", name: "NotEnoughPoints", inputs: [{ name: "member", type: "address" }, { name: "available", type: "uint256" }, { name: "requested", type: "uint256" }] },
  { type: "error", name: "PointsNotAccepted", inputs: [{ name: "organizer", type: "address" }, { name: "currency", type: "address" }] },
  { type: "error", name: "PointsAbovePrice", inputs: [{ name: "value", type: "uint256" }, { name: "price", type: "uint256" }] },
  { type: "error", name: "InvalidMemberProof", inputs: [{ name: "organizer", type: "address" }, { name: "member", type: "address" }] },
  { type: "error", name: "NotEnrolled", inputs: [{ name: "eventAddress", type: "address" }] },
] as const satisfies Abi;
