// Membership levels and tier perks in words, for the organizer's program page and an event's
// Members tab: level 0 is a plain member, level i + 1 is reached at the program's thresholds[i]
// and called names[i] (ChainpassMembership.setLevels).
import type { TFunction } from "i18next";

import { network } from "../wallet/network.js";
import type { CurrencyChoice } from "./util.js";

/** contracts: ChainpassMembership.MAX_LEVELS. */
export const MAX_LEVELS = 8;
/** contracts: TierPerks.extraPerWallet is a uint16. */
export const MAX_EXTRA_PER_WALLET = 65_535;

/** A level's name: "Member" for 0, the program's name for the others ("Level 5" for one it no longer names). */
export function levelName(level: number, names: readonly string[], t: TFunction<"organizer">): string {
  if (level === 0) return t("membership.plainMember");
  return names[level - 1] ?? t("membership.levelN", { n: level });
}

/** The currencies a program sets rules for: those events can sell in (ETH, and the network's stablecoin where it has one). */
export const PROGRAM_CURRENCIES: readonly CurrencyChoice[] = network.stablecoin ? ["eth", "usdc"] : ["eth"];

/** The entry for `currency` (an address) in a program's per-currency list, compared without case. */
export function forCurrency<T extends { currency: string }>(list: readonly T[], currency: string): T | undefined {
  return list.find((x) => x.currency.toLowerCase() === currency.toLowerCase());
}

export interface Perks {
  membersOnly: boolean;
  minLevel: number;
  perkLevel: number;
  discountBps: number;
  extraPerWallet: number;
}

/** Who a perk reaches: every member (from level 0), or the members at a level or above. */
function who(level: number, names: readonly string[], t: TFunction<"organizer">) {
  return level === 0 ? t("perks.everyMember") : t("perks.fromLevel", { level: levelName(level, names, t) });
}

/**
 * A tier's perks as sentences: who may buy it, then what members get (a discount, more tickets per
 * wallet), or that they get nothing more.
 */
export function perksInWords(perks: Perks, names: readonly string[], t: TFunction<"organizer">, locale: string): string[] {
  const sentences = [
    !perks.membersOnly ? t("perks.open") : perks.minLevel === 0 ? t("perks.membersOnly") : t("perks.membersFrom", { level: levelName(perks.minLevel, names, t) }),
  ];
  if (perks.discountBps > 0) {
    const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(perks.discountBps / 10_000);
    sentences.push(t("perks.discount", { who: who(perks.perkLevel, names, t), percent }));
  }
  if (perks.extraPerWallet > 0) sentences.push(t("perks.extra", { who: who(perks.perkLevel, names, t), count: perks.extraPerWallet }));
  if (perks.discountBps === 0 && perks.extraPerWallet === 0) sentences.push(t("perks.noPerk"));
  return sentences;
}
