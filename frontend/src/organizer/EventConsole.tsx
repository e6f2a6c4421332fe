// One event's console: Overview (stats, charts, CSV), Calendar (for a season or a run: capacity
// per day and per slot, closing days; lazily loaded with its chart), Staff, Check-ins, Offers,
// Channels (sales channels, their links and commission), Members (the event in the organizer's
// membership program, and each ticket type's member perks), Announcements (to the event's ticket
// holders: ./Announce.tsx), Deny list, Seats (holds and comps, for an event with reserved seating
// outside a calendar), Settings.
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Route, Routes, useParams } from "react-router";
import { isAddress, isAddressEqual, type Address } from "viem";
import { useAccount } from "wagmi";

import { EVENT_CALENDARS, EVENT_PAGE, EVENT_PEOPLE, type EventCalendars, type EventPage, type EventPeople } from "../../../lib/index/index.js";
import { currencyOf, formatDateTimeRange } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useEventMetadata } from "../shared/metadata.js";
import { venueZone } from "../shared/venue-time.js";
import { ErrorState, Loading, OnExplorer, RequireSession } from "../shared/ui.js";
import { EventAnnouncements } from "./Announce.js";
import { Channels } from "./Channels.js";
import { CheckIns } from "./CheckIns.js";
import { DenyList } from "./DenyList.js";
import { EventMembers } from "./EventMembers.js";
import "./messages.js";
import { Offers } from "./Offers.js";
import "./organizer.css";
import { Overview } from "./Overview.js";
import { SeatHolds } from "./SeatHolds.js";
import { Settings } from "./Settings.js";
import { Staff } from "./Staff.js";
import type { ConsoleEvent } from "./types.js";
import { CALENDARS_ONLY } from "./util.js";

const CalendarTab = lazy(() => import("./CalendarTab.js"));

export function EventConsole() {
  const { t } = useTranslation("organizer");
  const { event } = useParams();
  return (
    <section>
      <p>
        <Link to="/organizer">{t("back")}</Link>
      </p>
      {!event || !isAddress(event) ? (
        <p className="notice error">{t("console.badAddress")}</p>
      ) : (
        <RequireSession>
          <Console address={event.toLowerCase() as Address} />
        </RequireSession>
      )}
    </section>
  );
}

function Console({ address }: { address: Address }) {
  const { t, i18n } = useTranslation("organizer");
  const { address: me } = useAccount();
  const page = useIndexQuery<EventPage>(EVENT_PAGE, { event: address });
  const people = useIndexQuery<EventPeople>(EVENT_PEOPLE, { event: address });
  const calendars = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: address, ...CALENDARS_ONLY });
  const meta = useEventMetadata(page.data?.event?.metadataURI);
  // The tabs read and write times at the venue: wait for its zone (an event without one, or whose
  // metadata cannot be loaded, uses the reader's).
  if (page.isLoading || meta.isLoading) return <Loading />;
  if (page.error) return <ErrorState error={page.error} onRetry={() => void page.refetch()} />;
  const info = page.data?.event;
  if (!info) return <p className="notice">{t("console.notFound")}</p>;
  const ev: ConsoleEvent = { address, info, currency: currencyOf(info.currency), zone: venueZone(meta.data?.timezone) };
  const isOrganizer = people.data?.eventAccounts.some((a) => a.organizer && me && isAddressEqual(a.account.id, me));

  // Tiers on a calendar: a season's and a run's; a run's seats are held per performance.
  const eventCalendars = calendars.data?.event?.calendars ?? [];
  const hasCalendar = eventCalendars.length > 0;
  const seated = info.tiers.some((tier) => tier.seated);
  const tabs = (
    [
      ["", "overview"],
      ["calendar", "calendar"],
      ["staff", "staff"],
      ["checkins", "checkIns"],
      ["offers", "offers"],
      ["channels", "channels"],
      ["members", "members"],
      ["announcements", "announcements"],
      ["deny", "deny"],
      ["seats", "seats"],
      ["settings", "settings"],
    ] as const
  ).filter(([path]) => (path !== "seats" || seated) && (path !== "calendar" || hasCalendar));

  return (
    <>
      <div className="spread">
        <h1 data-testid="console-title">{info.name}</h1>
        <div className="row">
          {info.cancelled && <span className="badge bad">{t("home.cancelled")}</span>}
          <Link to={`/events/${address}`}>{t("console.publicPage")}</Link>
        </div>
      </div>
      <p className="muted small">
        <span data-testid="console-when">{formatDateTimeRange(info.start, info.end, i18n.language, ev.zone)}</span>
        <br />
        <OnExplorer kind="address" value={address}>
          <code className="break">{address}</code>
        </OnExplorer>
      </p>
      {people.data && !isOrganizer && <p className="notice error">{t("console.notOrganizer")}</p>}
      <nav className="tabs" aria-label={t("console.tabs")}>
        {tabs.map(([path, key]) => (
          <NavLink key={key} to={path ? `/organizer/${address}/${path}` : `/organizer/${address}`} end data-testid={`tab-${key}`}>
            {t(`console.tab.${key}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Overview ev={ev} />} />
        <Route
          path="calendar"
          element={
            <Suspense fallback={<Loading />}>
              <CalendarTab ev={ev} />
            </Suspense>
          }
        />
        <Route path="staff" element={<Staff ev={ev} />} />
        <Route path="checkins" element={<CheckIns ev={ev} />} />
        <Route path="offers" element={<Offers ev={ev} />} />
        <Route path="channels" element={<Channels ev={ev} />} />
        <Route path="members" element={<EventMembers ev={ev} />} />
        <Route path="announcements" element={<EventAnnouncements ev={ev} />} />
        <Route path="deny" element={<DenyList ev={ev} />} />
        <Route path="seats" element={<SeatHolds ev={ev} calendars={eventCalendars} />} />
        <Route path="settings" element={<Settings ev={ev} />} />
        <Route path="*" element={<p className="notice">{t("console.noTab")}</p>} />
      </Routes>
    </>
  );
}
