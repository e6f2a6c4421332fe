// My memberships: each program the connected wallet joined, from the index (MY_MEMBERSHIPS): its
// level (the one set on chain, what purchases see), the points earned and those left to spend, how
// far the earned points are from the next level, and the latest changes in plain words. The index
// derives balances from the chain as it goes; the points signer posts them within a minute, and
// only posted points can be spent (the checkout asks the server for those). Each card ends with
// the program's announcements to its members (those for a level: from the member's level).
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAccount } from "wagmi";

import { MY_MEMBERSHIPS, type MyMembership, type MyMemberships, type PointsChangeResult } from "../../../lib/index/index.js";
import { levelFor } from "../../../lib/member-proof.js";
import { formatDate, formatDateTime } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { QueryStatus, RequireWallet } from "../shared/ui.js";
import { Announcements } from "./Announcements.js";
import "./fan.css";
import "./membership-messages.js";
import { levelName } from "./perks.js";
import { lower } from "./util.js";

export function MembershipsPage() {
  const { t } = useTranslation("membership");
  return (
    <section className="fan memberships">
      <h1>{t("mine.title")}</h1>
      <RequireWallet>
        <MembershipList />
      </RequireWallet>
    </section>
  );
}

function MembershipList() {
  const { t } = useTranslation("membership");
  const { address } = useAccount();
  // Refetched often: points earned show within seconds of a purchase.
  const query = useIndexQuery<MyMemberships>(MY_MEMBERSHIPS, { account: lower(address ?? "") }, { enabled: !!address, refetchInterval: 5000 });
  const memberships = query.data?.members ?? [];
  return (
    <>
      <QueryStatus query={query} empty={memberships.length === 0} emptyText={t("mine.none")} emptyClassName="card center muted" />
      {memberships.length > 0 && <p className="small muted">{t("mine.updates")}</p>}
      {memberships.map((membership) => (
        <MembershipCard key={membership.id} membership={membership} />
      ))}
    </>
  );
}

function MembershipCard({ membership: m }: { membership: MyMembership }) {
  const { t, i18n } = useTranslation("membership");
  const locale = i18n.language;
  const count = (n: bigint) => new Intl.NumberFormat(locale).format(n);
  const names = m.program.levelNames;
  const thresholds = m.program.levelThresholds.map(BigInt);
  const earned = BigInt(m.earned);
  const credited = BigInt(m.credited);
  const spent = BigInt(m.spent);
  // Progress by the points earned (the level on chain follows them within a minute).
  const reached = levelFor(earned, thresholds);
  const next = thresholds[reached];
  const from = reached === 0 ? 0n : thresholds[reached - 1];
  const percent = next === undefined ? 100 : Number(((earned - from) * 100n) / (next - from));
  return (
    <article className="card membership-card" data-testid={`membership-${m.program.id}`}>
      <div className="spread">
        <h2>
          <Link to={`/membership/${m.program.id}`}>{m.program.name}</Link>
        </h2>
        <span className="badge ok" data-testid="member-level">
          {levelName(m.level, names, t)}
        </span>
      </div>
      <p className="small muted">{t("mine.since", { date: formatDate(m.joinedAt, locale) })}</p>
      <dl className="member-points">
        <div>
          <dt>{t("mine.earned")}</dt>
          <dd data-testid="points-earned">{count(earned)}</dd>
        </div>
        <div>
          <dt>{t("mine.available")}</dt>
          <dd data-testid="points-available">{count(credited > spent ? credited - spent : 0n)}</dd>
        </div>
      </dl>
      {next === undefined ? (
        <p className="small">{t("mine.top")}</p>
      ) : (
        <div className="level-progress">
          <p className="small" id={`next-${m.id}`} data-testid="level-next">
            {t("mine.next", { points: count(next - earned), level: levelName(reached + 1, names, t) })}
          </p>
          <div className="bar" role="progressbar" aria-labelledby={`next-${m.id}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="level-bar">
            <span style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}
      <h3>{t("mine.history")}</h3>
      {m.changes.length === 0 ? (
        <p className="muted small">{t("mine.noHistory")}</p>
      ) : (
        <ul className="points-history" data-testid="points-history">
          {m.changes.map((change) => (
            <li key={change.id} data-kind={change.kind}>
              <span className="muted small">{formatDateTime(change.timestamp, locale)}</span>
              <span>{t(`kind.${change.kind}`, { event: change.event?.name ?? "—", reason: change.reason ?? "" })}</span>
              <strong className={signOf(change) < 0n ? "minus" : "plus"}>{signed(change, count)}</strong>
            </li>
          ))}
        </ul>
      )}
      <Announcements sources={[{ kind: "program", id: m.program.id, name: m.program.name, level: m.level }]} heading="h3" />
    </article>
  );
}

/** The change to what the member can spend: Spent takes away, every other kind adds its (signed) points. */
const signOf = (change: PointsChangeResult) => (change.kind === "Spent" ? -BigInt(change.points) : BigInt(change.points));

function signed(change: PointsChangeResult, count: (n: bigint) => string) {
  const n = signOf(change);
  return n < 0n ? `−${count(-n)}` : `+${count(n)}`;
}
