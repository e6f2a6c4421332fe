// A membership program's page (/membership/:organizer): its name, how points are earned (per
// currency paid, per event attended, the first-purchase bonus), the levels and the points each
// needs, what a point pays, and the events in it; a Join button for a connected wallet that is not
// a member (one transaction, ChainpassMembership.join), or its level for one that is, and then the
// program's announcements to its members (those for a level: from the member's level on chain).
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { getAddress, isAddress, zeroAddress } from "viem";
import { useAccount, useReadContract } from "wagmi";

import { chainpassMembershipAbi } from "../../../lib/abi/index.js";
import { MEMBERSHIP_PROGRAM, type MembershipProgramResult } from "../../../lib/index/index.js";
import { openConnectDialog } from "../shared/connect.js";
import { currencyOf, formatAmount, formatDateTimeRange } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, Loading, ShortAddress, TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import { Announcements } from "./Announcements.js";
import "./fan.css";
import "./membership-messages.js";
import { levelName } from "./perks.js";
import { lower } from "./util.js";

type Program = NonNullable<MembershipProgramResult["membershipProgram"]>;

export function ProgramPage() {
  const { t, i18n } = useTranslation("membership");
  const locale = i18n.language;
  const param = useParams().organizer ?? "";
  const valid = isAddress(param, { strict: false });
  const query = useIndexQuery<MembershipProgramResult>(MEMBERSHIP_PROGRAM, { program: lower(param) }, { enabled: valid, refetchInterval: 15_000 });
  if (valid && query.isLoading) return <Loading />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const program = query.data?.membershipProgram;
  if (!valid || !program) return <p className="card center">{t("program.notFound")}</p>;
  const count = (n: bigint | string) => new Intl.NumberFormat(locale).format(BigInt(n));
  const attendance = BigInt(program.attendancePoints);
  const bonus = BigInt(program.firstPurchaseBonus);
  const values = program.pointValues.filter((v) => BigInt(v.value) > 0n);
  return (
    <section className="fan program-page">
      <h1 data-testid="program-name">{program.name}</h1>
      <p className="small">
        {t("program.organizer")} <ShortAddress address={program.id} /> · {t("program.members", { count: program.memberCount })}
      </p>
      <JoinCard program={program} />
      <MemberAnnouncements program={program} />

      <div className="grid program-rules">
        <section className="card" data-testid="program-earn">
          <h2>{t("program.earn")}</h2>
          {program.earnRates.length === 0 && attendance === 0n && bonus === 0n ? (
            <p className="muted">{t("program.noEarn")}</p>
          ) : (
            <ul className="facts">
              {program.earnRates.map((rate) => (
                <li key={rate.currency}>{t("program.earnRate", { points: count(rate.points), amount: formatAmount(rate.unit, currencyOf(rate.currency), locale) })}</li>
              ))}
              {attendance > 0n && <li>{t("program.attendance", { points: count(attendance) })}</li>}
              {bonus > 0n && <li>{t("program.firstPurchase", { points: count(bonus) })}</li>}
            </ul>
          )}
        </section>
        <section className="card" data-testid="program-levels">
          <h2>{t("program.levels")}</h2>
          <ol className="facts">
            <li>{t("program.levelBase", { level: levelName(0, program.levelNames, t) })}</li>
            {program.levelThresholds.map((threshold, i) => (
              <li key={i}>{t("program.levelAt", { level: levelName(i + 1, program.levelNames, t), points: count(threshold) })}</li>
            ))}
          </ol>
        </section>
        <section className="card" data-testid="program-worth">
          <h2>{t("program.worth")}</h2>
          {values.length === 0 ? (
            <p className="muted">{t("program.noValue")}</p>
          ) : (
            <ul className="facts">
              {values.map((v) => (
                <li key={v.currency}>{t("program.pointValue", { value: formatAmount(v.value, currencyOf(v.currency), locale) })}</li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <h2>{t("program.events")}</h2>
      {program.events.length === 0 ? (
        <p className="muted">{t("program.noEvents")}</p>
      ) : (
        <ul className="program-events" data-testid="program-events">
          {program.events.map((event) => (
            <li key={event.id}>
              <Link to={`/events/${event.id}`}>{event.name}</Link> <span className="muted small">{formatDateTimeRange(event.start, event.end, locale)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The connected wallet's membership of the program and its level, on chain. */
function useMembership(program: Program) {
  const { address } = useAccount();
  const args = [getAddress(program.id), address ?? zeroAddress] as const;
  const joined = useReadContract({ address: network.membership, abi: chainpassMembershipAbi, functionName: "isMember", args, query: { enabled: !!address } });
  const level = useReadContract({ address: network.membership, abi: chainpassMembershipAbi, functionName: "levelOf", args, query: { enabled: !!address && !!joined.data } });
  return { address, joined, level };
}

/** For a member: the program's announcements to its members, at their level. */
function MemberAnnouncements({ program }: { program: Program }) {
  const { joined, level } = useMembership(program);
  if (!joined.data || level.data === undefined) return null;
  return <Announcements sources={[{ kind: "program", id: program.id, name: program.name, level: Number(level.data) }]} initial={SHOWN_ON_PAGE} />;
}

/** Announcements shown on the program's page before "Show more". */
const SHOWN_ON_PAGE = 5;

/** Join, for a connected wallet that is not a member yet; its level for one that is. Read on chain. */
function JoinCard({ program }: { program: Program }) {
  const { t } = useTranslation("membership");
  const { address, joined, level } = useMembership(program);
  const organizer = getAddress(program.id);
  const tx = useTransactions();

  async function join() {
    tx.reset();
    try {
      // Simulated first against the membership ABI: AlreadyMember, UnknownProgram come back in words.
      await tx.send(t("program.joinStep", { program: program.name }), { address: network.membership, abi: chainpassMembershipAbi, functionName: "join", args: [organizer] });
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
    }
  }

  return (
    <div className="card join-card" data-testid="join-card">
      {!address ? (
        <div className="spread">
          <p>{t("program.connect")}</p>
          <button type="button" className="primary" onClick={openConnectDialog} data-testid="connect-in-page">
            {t("common:wallet.connect")}
          </button>
        </div>
      ) : joined.data ? (
        <p className="notice ok" data-testid="member-status">
          {t("program.member", { level: levelName(Number(level.data ?? 0n), program.levelNames, t) })} <Link to="/membership">{t("program.myPoints")}</Link>
        </p>
      ) : (
        <>
          <p className="small muted">{t("program.joinHint")}</p>
          <button type="button" className="primary big" onClick={() => void join()} disabled={tx.busy || joined.data === undefined} data-testid="join-program">
            {tx.busy ? t("program.joining") : t("program.join")}
          </button>
        </>
      )}
      <TxStatus steps={tx.steps} />
    </div>
  );
}
