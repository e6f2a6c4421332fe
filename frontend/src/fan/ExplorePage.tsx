// Explore: upcoming and running events with artwork, venue, date and the lowest price; search
// by name or venue, filter by date and venue.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { CALENDAR_TIERS, EXPLORE_EVENTS, type CalendarTiers, type ExploreEvent, type ExploreEvents } from "../../../lib/index/index.js";
import { useNow } from "../shared/clock.js";
import { currencyOf, formatAmount, formatDateTime } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ipfsUrl, type EventMetadata } from "../shared/metadata.js";
import { EstimateNote, UsdEstimate } from "../shared/price-estimate.js";
import { QueryStatus } from "../shared/ui.js";
import { browserTimeZone, venueZone, zonedToUnix } from "../shared/venue-time.js";
import "./fan.css";
import "./messages.js";
import { fromPrice } from "./sale.js";
import { useManyMetadata } from "./util.js";

type DateFilter = "any" | "week" | "month" | "date";

const DAY = 86_400;

/** A picked day ("2026-06-01") in `zone`: from its midnight to the next (23 or 25 hours across a DST change). */
function dayBounds(isoDate: string, zone: string): [number, number] {
  const next = new Date(Date.parse(`${isoDate}T00:00:00Z`) + DAY * 1000).toISOString().slice(0, 10);
  return [zonedToUnix(isoDate, zone) ?? 0, zonedToUnix(next, zone) ?? 0];
}

export function ExplorePage() {
  const { t, i18n } = useTranslation("fan");
  const [endsAfter] = useState(() => String(Math.floor(Date.now() / 1000)));
  const query = useIndexQuery<ExploreEvents>(EXPLORE_EVENTS, { endsAfter });
  const events = query.data?.events ?? [];
  const metadata = useManyMetadata(events.map((e) => e.metadataURI));
  // Tiers on a calendar are limited per slot, not by their supply (a run's sold count passes it).
  const ids = events.map((e) => e.id);
  const calendarQuery = useIndexQuery<CalendarTiers>(CALENDAR_TIERS, { events: ids }, { enabled: ids.length > 0 });
  const onCalendar = useMemo(() => {
    const keys = new Set<string>();
    for (const c of calendarQuery.data?.calendars ?? []) for (const tier of c.tiers) keys.add(`${c.event.id}-${tier.tierId}`);
    return keys;
  }, [calendarQuery.data]);
  const [search, setSearch] = useState("");
  const [dateFilter, setDateFilter] = useState<DateFilter>("any");
  const [pickedDate, setPickedDate] = useState("");
  const [venue, setVenue] = useState("");
  // What is on sale changes with the time (sale windows, early prices): the cards follow it.
  const clock = useNow(30_000);

  const venues = useMemo(() => [...new Set(metadata.map((m) => m?.venue?.name).filter((v): v is string => !!v))].sort(), [metadata]);

  const now = Number(endsAfter);
  const shown = events
    .map((event, i) => ({ event, meta: metadata[i] }))
    .filter(({ event, meta }) => {
      const text = search.trim().toLowerCase();
      const name = meta?.name ?? event.name;
      if (text && !`${name} ${meta?.venue?.name ?? ""} ${event.name}`.toLowerCase().includes(text)) return false;
      if (venue && meta?.venue?.name !== venue) return false;
      const start = Number(event.start);
      const end = Number(event.end);
      if (dateFilter === "week" && !(start < now + 7 * DAY)) return false;
      if (dateFilter === "month") {
        const d = new Date();
        const monthEnd = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime() / 1000;
        if (!(start < monthEnd)) return false;
      }
      if (dateFilter === "date" && pickedDate) {
        // That day at the venue, or on the reader's clock: a card shows both when they differ.
        const on = (zone: string) => {
          const [dayStart, dayEnd] = dayBounds(pickedDate, zone);
          return start < dayEnd && end > dayStart;
        };
        if (!on(venueZone(meta?.timezone)) && !on(browserTimeZone())) return false;
      }
      return true;
    });

  return (
    <section className="fan">
      <h1>{t("explore.title")}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("explore.search")}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("explore.searchPlaceholder")} data-testid="explore-search" />
        </label>
        <label>
          {t("explore.date")}
          <select value={dateFilter} onChange={(e) => setDateFilter(e.target.value as DateFilter)} data-testid="explore-date">
            <option value="any">{t("explore.anyDate")}</option>
            <option value="week">{t("explore.thisWeek")}</option>
            <option value="month">{t("explore.thisMonth")}</option>
            <option value="date">{t("explore.pickDate")}</option>
          </select>
        </label>
        {dateFilter === "date" && (
          <label>
            {t("explore.day")}
            <input type="date" value={pickedDate} onChange={(e) => setPickedDate(e.target.value)} data-testid="explore-day" />
          </label>
        )}
        <label>
          {t("explore.venue")}
          <select value={venue} onChange={(e) => setVenue(e.target.value)} data-testid="explore-venue">
            <option value="">{t("explore.anyVenue")}</option>
            {venues.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </form>
      <QueryStatus query={query} empty={events.length === 0} emptyText={t("explore.none")} emptyClassName="card center muted" />
      {query.isSuccess && events.length > 0 && shown.length === 0 && <p className="card center muted">{t("explore.noMatch")}</p>}
      <ul className="grid event-grid" aria-live="polite">
        {shown.map(({ event, meta }) => (
          <li key={event.id}>
            <EventCard event={event} meta={meta} locale={i18n.language} now={clock} onCalendar={onCalendar} />
          </li>
        ))}
      </ul>
      {shown.length > 0 && <EstimateNote currency={currencyOf(shown[0].event.currency)} />}
    </section>
  );
}

function EventCard({ event, meta, locale, now, onCalendar }: { event: ExploreEvent; meta: EventMetadata | undefined; locale: string; now: number; onCalendar: Set<string> }) {
  const { t } = useTranslation("fan");
  const currency = currencyOf(event.currency);
  // The lowest price a fan can pay now (tiers on public sale, resale listings), or why there is none;
  // a calendar's tier is not sold out by its sold count (its slots say).
  const tiers = event.tiers.map((tier) => (onCalendar.has(`${event.id}-${tier.tierId}`) ? { ...tier, sold: "0" } : tier));
  const from = fromPrice(tiers, event.listings.map((l) => l.price), now);
  return (
    <Link to={`/events/${event.id}`} className="event-card card" data-testid="event-card" data-event={event.id.toLowerCase()}>
      <div className="art">{meta?.image ? <img src={ipfsUrl(meta.image)} alt="" loading="lazy" /> : <div className="art-placeholder" />}</div>
      <div className="event-card-body">
        <h2>{meta?.name ?? event.name}</h2>
        {meta?.venue?.name && <p className="muted small">{meta.venue.name}</p>}
        <p className="small">
          <time dateTime={new Date(Number(event.start) * 1000).toISOString()}>{formatDateTime(event.start, locale, meta?.timezone)}</time>
        </p>
        <p className="spread" data-testid="from" data-kind={from?.kind}>
          {from?.kind === "price" &&
            (from.amount === 0n ? (
              <span>{t("free")}</span>
            ) : (
              <span>
                {t(from.resale ? "explore.fromResale" : "explore.from", { price: formatAmount(from.amount, currency, locale) })}
                <UsdEstimate amount={from.amount} currency={currency} testId="from-usd" />
              </span>
            ))}
          {from?.kind === "opens" && <span className="muted">{t("explore.salesOpen", { date: formatDateTime(from.at, locale, meta?.timezone) })}</span>}
          {from?.kind === "closed" && <span className="muted">{t("explore.notOnSale")}</span>}
          {from?.kind === "soldOut" && <span className="badge bad">{t("soldOut")}</span>}
        </p>
      </div>
    </Link>
  );
}
