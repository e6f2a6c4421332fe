// Members: the event's place in its organizer's membership program (ChainpassMembership) and each
// ticket type's member perks. Whether the event counts in a program (the contract's membership(),
// the index's event.membershipProgram); if not, a button that enrolls it in the organizer's own
// (setMembership), or a link to create one. Once it counts, per ticket type: its perks in words
// with the program's level names, and an editor (members only from a level; a discount and more
// tickets per wallet from a level) that writes setTierPerks.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { isAddressEqual, zeroAddress, type Abi } from "viem";
import { useAccount, useReadContract } from "wagmi";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../../lib/abi/index.js";
import { MEMBERSHIP_PROGRAM, type EventPageTier, type MembershipProgramResult } from "../../../lib/index/index.js";
import { nowSeconds } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { FullAddress, Loading, TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import { levelName, MAX_EXTRA_PER_WALLET, MAX_LEVELS, perksInWords, type Perks } from "./member-levels.js";
import type { ConsoleEvent } from "./types.js";
import { bpsToPercent, percentToBps } from "./util.js";

/** The event's calls with the membership contract's errors too: setMembership reverts with the program's (UnknownProgram). */
const EVENT_WITH_MEMBERSHIP_ERRORS = [...chainpassEventAbi, ...chainpassMembershipAbi.filter((item) => item.type === "error")] as Abi;

const ignore = (e: unknown) => {
  if (!(e instanceof TxFailed)) throw e;
};

export function EventMembers({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const { address: me } = useAccount();
  const onChain = useReadContract({ address: ev.address, abi: chainpassEventAbi, functionName: "membership" });
  const mine = useIndexQuery<MembershipProgramResult>(MEMBERSHIP_PROGRAM, { program: me?.toLowerCase() }, { enabled: !!me });
  const tx = useTransactions({ currency: ev.currency, zone: ev.zone });
  const program = ev.info.membershipProgram;
  const myProgram = mine.data?.membershipProgram;
  // The chain says so at once; the index names the program once it has the enrollment.
  const enrolled = !!program || (onChain.data !== undefined && !isAddressEqual(onChain.data, zeroAddress));
  // The contract takes these changes only while the event is live.
  const closed = ev.info.cancelled || nowSeconds() >= Number(ev.info.end);
  const names = program?.levelNames ?? myProgram?.levelNames ?? [];

  const enroll = () =>
    void tx
      .send(t("members.txEnroll", { name: myProgram?.name ?? "" }), { address: ev.address, abi: EVENT_WITH_MEMBERSHIP_ERRORS, functionName: "setMembership", args: [network.membership] })
      .catch(ignore);

  return (
    <div>
      <h2>{t("members.title")}</h2>
      <p className="muted">{t("members.intro")}</p>
      <section className="card" data-testid="event-membership" data-enrolled={enrolled}>
        {enrolled ? (
          <>
            <p data-testid="membership-state">{program ? t("members.enrolled", { name: program.name }) : t("members.enrolledPending")}</p>
            {program && me && !isAddressEqual(program.id, me) && (
              <p className="muted small">
                {t("members.otherProgram")} <FullAddress address={program.id} />
              </p>
            )}
            {program && me && isAddressEqual(program.id, me) && (
              <p className="small">
                <Link to="/organizer?view=membership">{t("members.toProgram")}</Link>
              </p>
            )}
          </>
        ) : mine.isLoading || onChain.isLoading ? (
          <Loading />
        ) : myProgram ? (
          <>
            <p data-testid="membership-state">{t("members.notEnrolled", { name: myProgram.name })}</p>
            <button type="button" className="primary" data-testid="enroll-event" disabled={tx.busy || closed} onClick={enroll}>
              {t("members.enroll", { name: myProgram.name })}
            </button>
            {closed && <p className="muted small">{t("members.closed")}</p>}
          </>
        ) : (
          <>
            <p data-testid="membership-state">{t("members.noProgram")}</p>
            <Link to="/organizer?view=membership" className="button secondary" data-testid="create-program-link">
              {t("members.createProgram")}
            </Link>
          </>
        )}
        <TxStatus steps={tx.steps} />
      </section>
      {enrolled && (
        <>
          <h3>{t("members.perksTitle")}</h3>
          <p className="muted">{t("members.perksIntro")}</p>
          {closed && <p className="notice">{t("members.closed")}</p>}
          {ev.info.tiers.map((tier) => (
            <TierPerks key={tier.id} ev={ev} tier={tier} names={names} closed={closed} />
          ))}
        </>
      )}
    </div>
  );
}

function TierPerks({ ev, tier, names, closed }: { ev: ConsoleEvent; tier: EventPageTier; names: readonly string[]; closed: boolean }) {
  const { t, i18n } = useTranslation("organizer");
  const tx = useTransactions({ currency: ev.currency, zone: ev.zone });
  const id = tier.tierId;
  const current: Perks = { membersOnly: tier.membersOnly, minLevel: tier.minLevel, perkLevel: tier.perkLevel, discountBps: tier.discountBps, extraPerWallet: tier.extraPerWallet };
  const [membersOnly, setMembersOnly] = useState(tier.membersOnly);
  const [minLevel, setMinLevel] = useState(tier.minLevel);
  const [perkLevel, setPerkLevel] = useState(tier.perkLevel);
  const [discount, setDiscount] = useState(bpsToPercent(tier.discountBps));
  const [extra, setExtra] = useState(String(tier.extraPerWallet));
  const [tried, setTried] = useState(false);
  const bps = percentToBps(discount);
  const extraCount = /^\d{1,5}$/.test(extra.trim()) ? Number(extra.trim()) : undefined;
  const problems = {
    discount: bps === undefined || bps > 10_000 ? t("members.problem.discount") : undefined,
    extra: extraCount === undefined || extraCount > MAX_EXTRA_PER_WALLET ? t("members.problem.extra", { max: MAX_EXTRA_PER_WALLET }) : undefined,
  };
  const shown = (field: keyof typeof problems) => (tried ? problems[field] : undefined);
  // Every level the program names, and any level a perk still names beyond them.
  const levels = Array.from({ length: Math.min(MAX_LEVELS, Math.max(names.length, tier.minLevel, tier.perkLevel)) + 1 }, (_, level) => level);

  async function save() {
    setTried(true);
    if (bps === undefined || extraCount === undefined || problems.discount || problems.extra) return;
    const perks: Perks = { membersOnly, minLevel: membersOnly ? minLevel : 0, perkLevel, discountBps: bps, extraPerWallet: extraCount };
    await tx
      .send(t("members.txPerks", { tier: tier.name }), { address: ev.address, abi: chainpassEventAbi, functionName: "setTierPerks", args: [BigInt(id), perks] })
      .then(() => setTried(false), ignore);
  }

  return (
    <form
      className="card"
      data-testid={`perks-${id}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{tier.name}</h3>
      <p data-testid={`perks-text-${id}`}>{perksInWords(current, names, t, i18n.language).join(" ")}</p>
      <div className="form-grid perks-access">
        <label className="inline">
          <input type="checkbox" data-testid={`perks-members-only-${id}`} checked={membersOnly} onChange={(e) => setMembersOnly(e.target.checked)} />
          {t("members.membersOnly")}
        </label>
        <label>
          {t("members.minLevel")}
          <select data-testid={`perks-min-level-${id}`} value={membersOnly ? minLevel : 0} disabled={!membersOnly} onChange={(e) => setMinLevel(Number(e.target.value))}>
            {levels.map((level) => (
              <option key={level} value={level}>
                {level === 0 ? t("members.anyMember") : levelName(level, names, t)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="form-grid perks-offer">
        <label>
          {t("members.perkLevel")}
          <select data-testid={`perks-level-${id}`} value={perkLevel} onChange={(e) => setPerkLevel(Number(e.target.value))}>
            {levels.map((level) => (
              <option key={level} value={level}>
                {level === 0 ? t("members.everyMember") : levelName(level, names, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("members.discount")}
          <input
            data-testid={`perks-discount-${id}`}
            inputMode="decimal"
            value={discount}
            onChange={(e) => setDiscount(e.target.value)}
            aria-invalid={!!shown("discount")}
            aria-describedby={shown("discount") ? `perks-discount-problem-${id}` : undefined}
          />
          {shown("discount") && (
            <span id={`perks-discount-problem-${id}`} className="small bad-text field-problem" role="alert">
              {shown("discount")}
            </span>
          )}
        </label>
        <label>
          {t("members.extra")}
          <input
            data-testid={`perks-extra-${id}`}
            inputMode="numeric"
            value={extra}
            onChange={(e) => setExtra(e.target.value)}
            aria-invalid={!!shown("extra")}
            aria-describedby={shown("extra") ? `perks-extra-problem-${id}` : `perks-extra-help-${id}`}
          />
          {shown("extra") ? (
            <span id={`perks-extra-problem-${id}`} className="small bad-text field-problem" role="alert">
              {shown("extra")}
            </span>
          ) : (
            <span id={`perks-extra-help-${id}`} className="muted small">
              {Number(tier.maxPerWallet) === 0 ? t("members.extraNoLimit") : t("members.extraHelp", { count: Number(tier.maxPerWallet) })}
            </span>
          )}
        </label>
      </div>
      <button type="submit" className="secondary" data-testid={`save-perks-${id}`} disabled={tx.busy || closed}>
        {t("members.savePerks")}
      </button>
      <TxStatus steps={tx.steps} />
    </form>
  );
}
