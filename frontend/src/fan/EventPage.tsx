// Event page: artwork, description, venue and dates from the metadata; the refund policy in words;
// the tiers with live inventory (refetched every 5 s), sale windows, early prices, presale
// eligibility, entry slots. Tiers on a timed-entry calendar are shown together, by calendar: its
// season, opening times and ticket types, and a link to book a day and time (or, for a run of
// performances, a performance and seats) at checkout. A sales channel's link (`?ch=<id>`) is
// remembered for the checkout (./channel.ts) and named ("Sold by ...") while the channel is open.
// An event in its organizer's membership program links to the program, and each tier says its
// member perks in the program's level names (./perks.ts).
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { useAccount } from "wagmi";

import { ruleOf } from "../../../lib/calendar.js";
import { available, EVENT_CALENDARS, EVENT_PAGE, type EventCalendar, type EventCalendars, type EventPage as EventPageResult, type EventPageTier } from "../../../lib/index/index.js";
import { currencyOf, formatAmount, formatDate, formatDateTime, formatDateTimeRange } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ipfsUrl, useEventMetadata } from "../shared/metadata.js";
import { EstimateNote, UsdEstimate } from "../shared/price-estimate.js";
import { ErrorState, Loading, ShortAddress } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import "./fan.css";
import { channelParam, rememberChannel, useSalesChannel } from "./channel.js";
import "./membership-messages.js";
import "./messages.js";
import { perkSentences } from "./perks.js";
import { formatDay, runTimes, tierOnCalendar } from "./slots.js";
import { bps, hasPresale, hasSlot, isEarly, lower, priceNow, saleState, usePresaleProof } from "./util.js";

export function EventPage() {
  const { t, i18n } = useTranslation("fan");
  const eventAddress = lower(useParams().event ?? "");
  const query = useIndexQuery<EventPageResult>(EVENT_PAGE, { event: eventAddress }, { refetchInterval: 5000 });
  // Timed-entry calendars, their rules alone (no slots): the booking screen reads those.
  const calendarQuery = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: eventAddress, from: "0", to: "0" }, { refetchInterval: 30_000 });
  const calendars = calendarQuery.data?.event?.calendars ?? [];
  const event = query.data?.event;
  const meta = useEventMetadata(event?.metadataURI);
  // The venue's zone: every time on the page is shown there (the reader's own beside it).
  const zone = meta.data?.timezone;
  const now = useNow(5000);
  const locale = i18n.language;
  // A channel's link: kept for this event's checkout (a later link with another channel replaces it).
  const linked = channelParam(useSearchParams()[0].get("ch"));
  useEffect(() => {
    if (linked !== undefined) rememberChannel(eventAddress, linked);
  }, [eventAddress, linked]);
  const { channel } = useSalesChannel(eventAddress, event?.channels, linked);

  // The calendars first too, so that a calendar's tiers never show as plain tiers (an index
  // that cannot say shows them plain).
  if (query.isLoading || calendarQuery.isLoading) return <Loading />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!event) return <p className="card center">{t("event.notFound")}</p>;

  const currency = currencyOf(event.currency);
  const onCalendar = (tier: EventPageTier) => calendars.some((c) => tierOnCalendar(c, tier.tierId));
  const plainTiers = event.tiers.filter((tier) => !onCalendar(tier));
  const timedTiers = plainTiers.filter(hasSlot);
  const timed = timedTiers.length >= 2;
  const ended = BigInt(event.end) <= BigInt(now);
  const levelNames = event.membershipProgram?.levelNames ?? [];

  const days = new Map<string, EventPageTier[]>();
  if (timed) {
    for (const tier of [...plainTiers].sort((a, b) => Number(BigInt(a.entryStart) - BigInt(b.entryStart)))) {
      const day = hasSlot(tier) ? formatDate(tier.entryStart, locale, zone) : t("event.anyDay");
      days.set(day, [...(days.get(day) ?? []), tier]);
    }
  }

  return (
    <article className="fan event-page">
      <div className="event-hero">
        {meta.data?.image && <img className="hero-art" src={ipfsUrl(meta.data.image)} alt="" />}
        <div>
          <h1>{meta.data?.name ?? event.name}</h1>
          {meta.data?.venue?.name && (
            <p>
              <strong>{meta.data.venue.name}</strong>
              {meta.data.venue.address && <span className="muted"> · {meta.data.venue.address}</span>}
            </p>
          )}
          <p data-testid="event-when">{formatDateTimeRange(event.start, event.end, locale, zone)}</p>
          {event.cancelled && <p className="notice error">{t("event.cancelled")}</p>}
          {ended && !event.cancelled && <p className="notice">{t("event.ended")}</p>}
          {meta.data?.description && <p className="description">{meta.data.description}</p>}
          {channel && (
            <p className="small muted" data-testid="sold-by">
              {t("event.soldBy", { label: channel.label })}
            </p>
          )}
          {event.membershipProgram && (
            <p data-testid="event-program">
              <Link to={`/membership/${event.membershipProgram.id}`}>{t("membership:event.program", { name: event.membershipProgram.name })}</Link>
            </p>
          )}
          <ul className="facts small">
            <li data-testid="event-organizer">
              {t("event.organizer")} <ShortAddress address={event.organizer.id} />
            </li>
            <li>{t("event.currency", { symbol: currency.symbol })}</li>
            <li>{t(`policy.${event.policy}`, { count: event.giftsPerHolder })}</li>
            {event.resaleCapBps > 0 && event.policy !== "Locked" && <li>{t("event.resaleCap", { percent: bps(event.resaleCapBps) })}</li>}
            {!event.cancelled && !ended && (
              <li data-testid="refund-policy">
                <RefundPolicy event={event} now={now} zone={zone} calendarTiers={new Set(calendars.flatMap((c) => c.tiers.map((x) => x.tierId)))} />
              </li>
            )}
            {event.resaleCapBps > 0 && event.policy !== "Locked" && (
              <li data-testid="resale-fees">{t("event.resaleFees", { royalty: bps(event.royaltyBps), fee: bps(event.platformFeeBps) })}</li>
            )}
          </ul>
          {event.resaleCapBps > 0 && event.policy !== "Locked" && (
            <Link to={`/events/${eventAddress}/resale`} data-testid="resale-link">
              {t("event.resaleMarket")}
            </Link>
          )}
        </div>
      </div>
      {meta.error && <p className="muted small">{t("event.noMetadata")}</p>}

      {calendars.map((calendar) => (
        <CalendarCard key={calendar.id} calendar={calendar} event={event} eventAddress={eventAddress} now={now} />
      ))}
      {plainTiers.length > 0 && <h2>{timed ? t("event.slots") : t("event.tiers")}</h2>}
      {timed ? (
        [...days].map(([day, tiers]) => (
          <section key={day} className="slot-day" aria-label={day}>
            <h3>{day}</h3>
            <div className="grid">
              {tiers.map((tier) => (
                <TierCard key={tier.id} tier={tier} eventAddress={eventAddress} currency={event.currency} now={now} cancelled={event.cancelled} zone={zone} levelNames={levelNames} />
              ))}
            </div>
          </section>
        ))
      ) : (
        <div className="grid">
          {plainTiers.map((tier) => (
            <TierCard key={tier.id} tier={tier} eventAddress={eventAddress} currency={event.currency} now={now} cancelled={event.cancelled} zone={zone} levelNames={levelNames} />
          ))}
        </div>
      )}
      <EstimateNote currency={currency} />
    </article>
  );
}

/**
 * The refund policy in words (the index's copy of the chain's): each step's share until its
 * deadline at the venue, the passed ones left out; "before your entry time" where tiers have entry
 * slots (a timed ticket counts from its slot).
 */
function RefundPolicy({ event, now, zone, calendarTiers }: { event: NonNullable<EventPageResult["event"]>; now: number; zone: string | undefined; calendarTiers: Set<number> }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const steps = event.refundDeadlines.map((before, i) => ({ before: BigInt(before), shareBps: event.refundShares[i] ?? 0 }));
  if (steps.length === 0) return <>{t("event.noReturns")}</>;
  const share = (shareBps: number) => (shareBps === 10_000 ? t("event.fullRefund") : t("event.returnShare", { percent: bps(shareBps) }));
  const join = (parts: string[]) => t("event.returns", { steps: parts.join(t("event.returnsJoin")) });
  // Seconds before the start in the largest whole unit: "7 days", "12 hours", "90 minutes".
  const duration = (seconds: bigint) => {
    const n = Number(seconds);
    if (n % 86_400 === 0) return t("event.duration.days", { count: n / 86_400 });
    if (n % 3_600 === 0) return t("event.duration.hours", { count: n / 3_600 });
    return t("event.duration.minutes", { count: Math.ceil(n / 60) });
  };
  // A calendar's ticket counts from its own slot, as a timed tier's does.
  const slotted = (tier: EventPageTier) => hasSlot(tier) || calendarTiers.has(tier.tierId);
  if (event.tiers.some(slotted)) {
    const parts = steps.map((step) =>
      step.before === 0n ? t("event.returnStepAtEntry", { share: share(step.shareBps) }) : t("event.returnStepBefore", { share: share(step.shareBps), before: duration(step.before) }),
    );
    const untimed = event.tiers.some((tier) => !slotted(tier));
    return (
      <>
        {join(parts)}
        {untimed && <> {t("event.returnsNoSlot", { date: formatDateTime(event.start, locale, zone) })}</>}
      </>
    );
  }
  const start = BigInt(event.start);
  const deadline = (before: bigint) => (start > before ? start - before : 0n);
  // A step is open until its deadline, that second included (as the contract counts).
  const open = steps.filter((step) => deadline(step.before) >= BigInt(now));
  if (open.length === 0) return <>{t("event.returnsClosed", { date: formatDateTime(deadline(steps.at(-1)!.before), locale, zone) })}</>;
  return <>{join(open.map((step) => t("event.returnStep", { share: share(step.shareBps), date: formatDateTime(deadline(step.before), locale, zone) })))}</>;
}

function TierCard({
  tier,
  eventAddress,
  currency,
  now,
  cancelled,
  zone,
  levelNames,
}: {
  tier: EventPageTier;
  eventAddress: string;
  currency: string;
  now: number;
  cancelled: boolean;
  zone: string | undefined;
  /** The event's membership program's level names (its tiers' perks are said in them). */
  levelNames: string[];
}) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const { address } = useAccount();
  const state = saleState(tier, now, cancelled);
  const presale = hasPresale(tier) && BigInt(now) < BigInt(tier.saleStart);
  const proof = usePresaleProof(eventAddress, tier.tierId, address, presale);
  const early = isEarly(tier, now);
  const remaining = available(tier);
  const canBuy = !cancelled && (state === "open" || (state === "presale" && proof.data !== null));
  const perks = perkSentences(tier, levelNames, t);

  return (
    <div className="card tier-card" data-testid={`tier-${tier.tierId}`} data-state={state}>
      <div className="spread">
        <h3>{tier.name}</h3>
        {tier.seated && <span className="badge">{t("tier.seated")}</span>}
      </div>
      {hasSlot(tier) && (
        <p className="slot">
          {t("tier.slot", { slot: formatDateTimeRange(tier.entryStart, tier.entryEnd, locale, zone) })}
        </p>
      )}
      <p className="price">
        {early ? (
          <>
            <strong>{formatAmount(tier.earlyPrice, currency, locale)}</strong>
            <UsdEstimate amount={tier.earlyPrice} currency={currencyOf(currency)} testId={`usd-${tier.tierId}`} /> <s className="muted">{formatAmount(tier.price, currency, locale)}</s>{" "}
            <span className="small">{t("tier.earlyUntil", { date: formatDateTime(tier.earlyUntil, locale, zone) })}</span>
          </>
        ) : BigInt(tier.price) === 0n ? (
          <strong>{t("free")}</strong>
        ) : (
          <>
            <strong>{formatAmount(tier.price, currency, locale)}</strong>
            <UsdEstimate amount={tier.price} currency={currencyOf(currency)} testId={`usd-${tier.tierId}`} />
          </>
        )}
      </p>
      {perks.length > 0 && (
        <ul className="perks small" data-testid={`perks-${tier.tierId}`}>
          {perks.map((perk) => (
            <li key={perk}>{perk}</li>
          ))}
        </ul>
      )}
      <p className="small" data-testid={`remaining-${tier.tierId}`}>
        {t("tier.remaining", { remaining: remaining.toString(), supply: tier.supply })}
      </p>
      <p className="small">
        <span className={`badge ${state === "open" ? "ok" : state === "presale" ? "" : "bad"}`}>{t(`sale.${state}`)}</span>{" "}
        {state === "notOpen" && <span className="muted">{t("tier.opensAt", { date: formatDateTime(hasPresale(tier) ? tier.presaleStart : tier.saleStart, locale, zone) })}</span>}
        {state === "open" && <span className="muted">{t("tier.closesAt", { date: formatDateTime(tier.saleEnd, locale, zone) })}</span>}
      </p>
      {presale && (
        <div className="small presale">
          <p>{t("tier.presale", { window: formatDateTimeRange(tier.presaleStart, tier.saleStart, locale, zone) })}</p>
          {!address ? (
            <p className="muted">{t("tier.presaleConnect")}</p>
          ) : proof.isLoading ? (
            <p className="muted">{t("tier.presaleChecking")}</p>
          ) : proof.data ? (
            <p className="badge ok" data-testid={`eligible-${tier.tierId}`}>
              {t("tier.eligible")}
            </p>
          ) : (
            <p className="badge bad" data-testid={`eligible-${tier.tierId}`}>
              {t("tier.notEligible")}
            </p>
          )}
        </div>
      )}
      {canBuy ? (
        <Link className="button primary" to={`/events/${eventAddress}/checkout/${tier.tierId}`} data-testid={`buy-${tier.tierId}`}>
          {tier.seated ? t("tier.chooseSeats") : t("tier.buy")}
        </Link>
      ) : (
        <button type="button" className="primary" disabled data-testid={`buy-${tier.tierId}`}>
          {t("tier.buy")}
        </button>
      )}
    </div>
  );
}

/**
 * A timed-entry calendar's tiers together: the season (or run), its opening times, closed days to
 * come, places per slot, the ticket types and their prices; a link to book a day and time, or for
 * a run (seated tiers) a performance and seats, per tier.
 */
function CalendarCard({ calendar, event, eventAddress, now }: { calendar: EventCalendar; event: NonNullable<EventPageResult["event"]>; eventAddress: string; now: number }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const tiers = event.tiers.filter((tier) => tierOnCalendar(calendar, tier.tierId));
  const rule = ruleOf(calendar);
  const run = tiers.some((tier) => tier.seated);
  const unseated = tiers.filter((tier) => !tier.seated);
  const currency = currencyOf(event.currency);
  const today = Math.floor((now + calendar.utcOffsetMinutes * 60) / 86_400) - calendar.firstDay;
  const closedAhead = calendar.closedDays.filter((d) => d >= today);
  const list = new Intl.ListFormat(locale, { type: "conjunction" });
  const closedShown = closedAhead.slice(0, 5).map((d) => formatDay(calendar.firstDay + d, locale));
  // A run sells its seat maps once per performance: the tier's sold counts every performance's.
  const state = (tier: EventPageTier) => saleState(calendar.capacity === 0 || tier.seated ? { ...tier, sold: "0" } : tier, now, event.cancelled);
  const bookable = unseated.some((tier) => state(tier) === "open");
  return (
    <section className="card calendar-card" data-testid={`calendar-${calendar.calendarId}`}>
      <h2>{run ? t("calendar.runTitle") : t("calendar.visitTitle")}</h2>
      <p data-testid="calendar-season">
        {t("calendar.season", { from: formatDay(calendar.firstDay, locale), to: formatDay(calendar.firstDay + calendar.dayCount - 1, locale) })}
      </p>
      <ul className="small facts" data-testid="calendar-times">
        {runTimes(rule, locale, t("calendar.everyDay")).map(([days, times], i) => (
          <li key={i}>{t("calendar.times", { days, times })}</li>
        ))}
      </ul>
      {closedShown.length > 0 && (
        <p className="small" data-testid="calendar-closed">
          {t("calendar.closedOn", { days: closedAhead.length > 5 ? t("calendar.andMore", { days: closedShown.join(", "), count: closedAhead.length - 5 }) : list.format(closedShown) })}
        </p>
      )}
      {calendar.capacity > 0 && <p className="small muted">{t("calendar.capacity", { count: calendar.capacity })}</p>}
      <ul className="ticket-types">
        {tiers.map((tier) => (
          <li key={tier.tierId} className="ticket-type" data-testid={`tier-${tier.tierId}`} data-state={state(tier)}>
            <span className="ticket-type-name">
              <strong>{tier.name}</strong> {tier.seated && <span className="badge">{t("tier.seated")}</span>}{" "}
              <span>{BigInt(tier.price) === 0n ? t("free") : formatAmount(priceNow(tier, now), currency, locale)}</span>
              {state(tier) !== "open" && <span className="small muted"> · {t(`sale.${state(tier)}`)}</span>}
            </span>
            {tier.seated &&
              (state(tier) === "open" ? (
                <Link className="button primary" to={`/events/${eventAddress}/checkout/${tier.tierId}`} data-testid={`buy-${tier.tierId}`}>
                  {t("calendar.choosePerformance")}
                </Link>
              ) : (
                <button type="button" className="primary" disabled data-testid={`buy-${tier.tierId}`}>
                  {t("calendar.choosePerformance")}
                </button>
              ))}
          </li>
        ))}
      </ul>
      {unseated.length > 0 &&
        (bookable ? (
          <Link className="button primary big" to={`/events/${eventAddress}/checkout/${unseated[0].tierId}`} data-testid={`book-${calendar.calendarId}`}>
            {t("calendar.chooseDate")}
          </Link>
        ) : (
          <button type="button" className="primary big" disabled data-testid={`book-${calendar.calendarId}`}>
            {t("calendar.chooseDate")}
          </button>
        ))}
    </section>
  );
}
