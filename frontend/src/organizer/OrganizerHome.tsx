// Organizer home: the events where the connected wallet holds the ORGANIZER role, and (the
// Membership view, ?view=membership) the organizer's membership program across their events.
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useAccount } from "wagmi";

import { MY_ROLES, type MyRoles } from "../../../lib/index/index.js";
import { formatDateTimeRange } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useEventMetadata } from "../shared/metadata.js";
import { ErrorState, Loading, RequireSession } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import "./messages.js";
import "./organizer.css";

const Membership = lazy(() => import("./Membership.js").then((m) => ({ default: m.Membership })));

export function OrganizerHome() {
  const { t } = useTranslation("organizer");
  const [params] = useSearchParams();
  const view = params.get("view") === "membership" ? "membership" : "events";
  const views = [
    ["events", "/organizer"],
    ["membership", "/organizer?view=membership"],
  ] as const;
  return (
    <section>
      <div className="spread">
        <h1>{view === "membership" ? t("home.membershipTitle") : t("home.title")}</h1>
        <Link to="/organizer/new" className="button primary" data-testid="create-event-link">
          {t("home.create")}
        </Link>
      </div>
      <nav className="tabs" aria-label={t("home.views")}>
        {views.map(([key, to]) => (
          <Link key={key} to={to} className={view === key ? "active" : undefined} aria-current={view === key ? "page" : undefined} data-testid={`home-${key}`}>
            {t(`home.view.${key}`)}
          </Link>
        ))}
      </nav>
      <RequireSession>
        {view === "membership" ? (
          <Suspense fallback={<Loading />}>
            <Membership />
          </Suspense>
        ) : (
          <MyEvents />
        )}
      </RequireSession>
    </section>
  );
}

function MyEvents() {
  const { t, i18n } = useTranslation("organizer");
  const { address } = useAccount();
  const roles = useIndexQuery<MyRoles>(MY_ROLES, { account: address?.toLowerCase() }, { enabled: !!address });
  const now = useNow(60_000);
  if (roles.isLoading) return <Loading />;
  if (roles.error) return <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />;
  const events = (roles.data?.eventAccounts ?? []).filter((a) => a.organizer).map((a) => a.event);
  events.sort((a, b) => Number(a.start) - Number(b.start));
  if (events.length === 0) return <p className="notice">{t("home.none")}</p>;
  return (
    <ul className="org-events" data-testid="organizer-events">
      {events.map((e) => (
        <li key={e.id} className="card">
          <div className="spread">
            <h2>
              <Link to={`/organizer/${e.id}`} data-testid="organizer-event-link">
                {e.name}
              </Link>
            </h2>
            {e.cancelled && <span className="badge bad">{t("home.cancelled")}</span>}
            {!e.cancelled && Number(e.end) < now && <span className="badge">{t("home.ended")}</span>}
          </div>
          <p className="muted small">
            <EventWhen event={e} locale={i18n.language} />
          </p>
          <p className="row">
            <span>{t("home.sold", { n: Number(e.ticketsSold) })}</span>
            <span aria-hidden>·</span>
            <span>{t("home.checkedIn", { n: Number(e.ticketsCheckedIn) })}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The event's start and end at its venue (the zone from its metadata). */
function EventWhen({ event, locale }: { event: { metadataURI: string; start: string; end: string }; locale: string }) {
  const meta = useEventMetadata(event.metadataURI);
  return <>{formatDateTimeRange(event.start, event.end, locale, meta.data?.timezone)}</>;
}
