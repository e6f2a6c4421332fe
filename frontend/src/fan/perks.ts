// Membership perks in words, for the event page, the checkout and the membership pages: a level by
// its program's name for it (level 0 is a member without a level), and a tier's perks as
// sentences. No app imports: the unit tests load it (test/lib/member-perks.test.ts).
import type { TFunction } from "i18next";

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
