// Booking a timed-entry calendar (a museum's season): a month of days (closed and unavailable ones
// disabled, each open day's places left hinted), then the day's slots at the venue's time with the
// places left in each (sold out, booking closed), then how many of each ticket type (adult, child,
// concession...) with the total; one buySlot pays for them all (./pay.ts: ETH with the call, an
// ERC-20 by permit or approve). Through a sales channel (./channel.ts), a booking of one ticket type
// is a buyWith naming the slot and the channel; buySlot names no channel, so a booking of several
// types goes without it, and the page says so. And a run's performance picker (a seated tier on a calendar), used
// by the checkout before its seat map. Loaded only when an event has a calendar.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { erc20Abi, getAddress, zeroAddress, type Address, type Hex } from "viem";
import { useAccount, useBalance, useConfig, useReadContract, useReadContracts } from "wagmi";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { available, EVENT_CALENDARS, queryIndex, type CalendarSlot, type EventCalendar, type EventCalendars, type EventPage, type EventPageChannel, type EventPageTier } from "../../../lib/index/index.js";
import { purchaseOptions } from "../../../lib/purchase-options.js";
import { useNow } from "../shared/clock.js";
import { openConnectDialog } from "../shared/connect.js";
import { formatAmount, formatDateTime, formatDateTimeRange, formatTimeRange, shortAddress, type Currency } from "../shared/format.js";
import { useEventMetadata } from "../shared/metadata.js";
import { EstimateNote, UsdEstimate } from "../shared/price-estimate.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, Loading, TxStatus } from "../shared/ui.js";
import { absoluteUrl, network } from "../wallet/network.js";
import "./fan.css";
import { GiftRecipientFieldset, PurchaseDoneActions, useGiftRecipient } from "./GiftRecipient.js";
import "./messages.js";
import { payAndSend } from "./pay.js";
import {
  addMonths,
  calendarContext,
  compareMonths,
  dayView,
  daysOfMonth,
  firstDayOfWeek,
  formatDay,
  monthOf,
  monthStartRange,
  performances,
  tierOnCalendar,
  weekdayNames,
  weekdayOfDay,
  type CalendarContext,
  type DayView,
  type Month,
  type SlotView,
} from "./slots.js";
import { priceNow, saleState } from "./util.js";

const DAY = 86_400;
/** Slot start times the index is asked about for a whole season or run. */
const ALL_TIME = { from: "0", to: String(2n ** 40n) };
/** The most of one ticket type in one order. */
const MAX_PER_TYPE = 20;

/** The booked slots of one calendar whose start is in [from, to), every page of them. */
function useCalendarSlots(eventAddress: Hex, calendar: EventCalendar, range: { from: string; to: string }) {
  return useQuery({
    queryKey: ["index", EVENT_CALENDARS, { event: eventAddress, calendar: calendar.id, ...range }],
    refetchInterval: 10_000,
    queryFn: async ({ signal }) => {
      const slots: CalendarSlot[] = [];
      for (let skip = 0; ; skip += 1000) {
        const page = await queryIndex<EventCalendars>(absoluteUrl(network.indexUrl), EVENT_CALENDARS, { event: eventAddress, ...range, first: 1000, skip }, { signal });
        const got = page.event?.calendars.find((c) => c.id === calendar.id)?.slots ?? [];
        slots.push(...got);
        if (got.length < 1000) return slots;
      }
    },
  });
}

type Event = NonNullable<EventPage["event"]>;

export function SlotCheckout({
  eventAddress,
  event,
  calendar,
  currency,
  channel,
  dropChannel,
}: {
  eventAddress: Hex;
  event: Event;
  calendar: EventCalendar;
  currency: Currency;
  /** The open sales channel a booking of one ticket type is credited to, if any. */
  channel?: EventPageChannel;
  /** Stops crediting it (the chain refused it). */
  dropChannel: () => void;
}) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const config = useConfig();
  const { address: me } = useAccount();
  const meta = useEventMetadata(event.metadataURI);
  const zone = meta.data?.timezone;
  const now = useNow(5000);
  const eventAddr = getAddress(eventAddress);
  const tiers = useMemo(() => event.tiers.filter((tier) => tierOnCalendar(calendar, tier.tierId) && !tier.seated), [event.tiers, calendar]);

  const firstDay = calendar.firstDay;
  const lastDay = calendar.firstDay + calendar.dayCount - 1;
  const today = Math.floor((now + calendar.utcOffsetMinutes * 60) / DAY);
  const earliest = monthOf(Math.min(Math.max(today, firstDay), lastDay));
  const latest = monthOf(lastDay);
  const [month, setMonth] = useState<Month>();
  const [day, setDay] = useState<number>();
  const [slot, setSlot] = useState<number>();
  const [quantities, setQuantities] = useState<Record<number, number>>({});
  const [done, setDone] = useState<{ lines: { tier: string; count: number }[]; slot: SlotView; total: bigint; recipient: Address; channel?: string } | null>(null);
  const tx = useTransactions({ currency, zone });

  // Opens on today's month (or the season's first), the earliest that can be booked.
  const shown = month ?? earliest;
  const slots = useCalendarSlots(eventAddress, calendar, monthStartRange(calendar.utcOffsetMinutes, shown));
  /** Another month on screen: its bookings are the ones read, so the day picked goes with the last. */
  const showMonth = (m: Month) => {
    setMonth(m);
    setDay(undefined);
    setSlot(undefined);
  };
  const ctx = slots.data ? calendarContext(calendar, event.tiers, slots.data, now, event.end) : undefined;
  const dayShown = ctx && day !== undefined ? dayView(ctx, day) : undefined;
  const chosen = dayShown?.slots.find((s) => s.slot === slot);

  const gift = useGiftRecipient(me);
  const { recipient } = gift;
  // Per-wallet limits: what the recipient already holds of each limited type.
  const limited = tiers.filter((tier) => BigInt(tier.maxPerWallet) > 0n);
  const purchased = useReadContracts({
    contracts: limited.map((tier) => ({ address: eventAddr, abi: chainpassEventFanAbi, functionName: "purchased", args: [BigInt(tier.tierId), recipient ?? zeroAddress] }) as const),
    query: { enabled: !!recipient && limited.length > 0 },
  });
  const held = (tierId: number) => {
    const i = limited.findIndex((tier) => tier.tierId === tierId);
    return i < 0 ? 0n : ((purchased.data?.[i]?.result as bigint | undefined) ?? 0n);
  };

  const count = tiers.reduce((n, tier) => n + (quantities[tier.tierId] ?? 0), 0);
  const types = tiers.filter((tier) => (quantities[tier.tierId] ?? 0) > 0);
  /** The channel this booking is credited to: one ticket type only (buySlot names none). */
  const credited = channel && types.length === 1 ? channel : undefined;
  const total = tiers.reduce((sum, tier) => sum + BigInt(quantities[tier.tierId] ?? 0) * priceNow(tier, now), 0n);
  /** The most of `tier` this order can take, the other types' choices counted in the slot. */
  const maxOf = (tier: EventPageTier) => {
    if (saleState(tier, now, event.cancelled) !== "open") return 0;
    let max = MAX_PER_TYPE;
    const others = count - (quantities[tier.tierId] ?? 0);
    if (chosen?.remaining !== undefined) max = Math.min(max, chosen.remaining - others);
    max = Math.min(max, Number(available(tier) < 1000n ? available(tier) : 1000n));
    const perWallet = BigInt(tier.maxPerWallet);
    if (perWallet > 0n) max = Math.min(max, Number(perWallet - held(tier.tierId)));
    return Math.max(0, max);
  };
  const setQuantity = (tier: EventPageTier, n: number) => setQuantities((q) => ({ ...q, [tier.tierId]: Math.max(0, Math.min(n, maxOf(tier))) }));

  // What the wallet holds: a purchase it cannot pay is not offered.
  const tokenBalance = useReadContract({ address: currency.address, abi: erc20Abi, functionName: "balanceOf", args: me ? [me] : undefined, query: { enabled: !!me && !currency.native } });
  const ethBalance = useBalance({ address: me, query: { enabled: !!me && currency.native } });
  const balance = currency.native ? ethBalance.data?.value : tokenBalance.data;
  const short = balance !== undefined && count > 0 && balance < total;

  async function buy() {
    if (!me || !recipient || !chosen || count === 0) return;
    const shownTotal = total;
    const lines = types;
    const via = credited;
    tx.reset();
    try {
      const purchase = via
        ? {
            functionName: "buyWith" as const,
            args: [
              BigInt(lines[0].tierId),
              BigInt(quantities[lines[0].tierId]),
              recipient,
              purchaseOptions({ maxTotal: shownTotal, slot: BigInt(chosen.slot), channel: BigInt(via.channelId) }),
            ],
          }
        : {
            functionName: "buySlot" as const,
            args: [BigInt(chosen.slot), lines.map((tier) => BigInt(tier.tierId)), lines.map((tier) => BigInt(quantities[tier.tierId])), recipient, shownTotal],
          };
      const sent = await payAndSend({ config, tx, t, locale, currency, me, event: eventAddr, total: shownTotal, purchase });
      if (sent === "short") return void tokenBalance.refetch();
      setDone({ lines: lines.map((tier) => ({ tier: tier.name, count: quantities[tier.tierId] })), slot: chosen, total: shownTotal, recipient, channel: via?.label });
      setQuantities({});
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
      // The slot filled up or closed meanwhile: show it as it is now.
      if (["SlotFull", "SlotSaleClosed", "SlotNotOffered"].includes(error.decoded.name ?? "")) void slots.refetch();
      // The channel closed meanwhile: the page says so (errors:UnknownChannel); booking again goes without it.
      if (error.decoded.name === "UnknownChannel") dropChannel();
    }
  }

  const title = meta.data?.name ?? event.name;
  if (done) {
    return (
      <div className="card center success" data-testid="checkout-done">
        <h1>{t("checkout.done")}</h1>
        <p>{t(done.recipient === me ? "checkout.doneText" : "checkout.doneTextGift", { event: title, recipient: shortAddress(done.recipient) })}</p>
        <dl className="bought" data-testid="checkout-bought">
          <dt>{t("calendar.when")}</dt>
          <dd data-testid="bought-slot">{formatDateTimeRange(done.slot.start, done.slot.end, locale, zone)}</dd>
          <dt>{t("checkout.boughtTickets")}</dt>
          <dd>
            {done.lines.map((line) => (
              <span key={line.tier} className="block">
                {t("checkout.boughtLine", { count: line.count, tier: line.tier })}
              </span>
            ))}
          </dd>
          {done.channel && (
            <>
              <dt>{t("checkout.boughtChannel")}</dt>
              <dd data-testid="bought-channel">{done.channel}</dd>
            </>
          )}
          <dt>{t("checkout.boughtTotal")}</dt>
          <dd>{formatAmount(done.total, currency, locale)}</dd>
        </dl>
        <TxStatus steps={tx.steps} />
        <PurchaseDoneActions
          onMore={() => {
            setDone(null);
            tx.reset();
          }}
        />
      </div>
    );
  }

  const blocked = event.cancelled || BigInt(event.end) <= BigInt(now);
  const canBuy = !blocked && !short && !!recipient && !!chosen && chosen.state === "open" && count > 0 && (chosen.remaining === undefined || count <= chosen.remaining) && !tx.busy;

  return (
    <form
      className="card checkout-form slot-checkout"
      onSubmit={(e) => {
        e.preventDefault();
        void buy();
      }}
    >
      <h1>{title}</h1>
      {event.cancelled && <p className="notice error">{t("event.cancelled")}</p>}
      {channel && (
        <p className="small muted" data-testid="sold-by">
          {t("checkout.soldBy", { label: channel.label })}
        </p>
      )}

      <fieldset>
        <legend>{t("calendar.pickDay")}</legend>
        <div className="month-head">
          <button type="button" className="secondary" onClick={() => showMonth(addMonths(shown, -1))} disabled={compareMonths(shown, earliest) <= 0} aria-label={t("calendar.prevMonth")} data-testid="prev-month">
            ‹
          </button>
          <strong data-testid="month">{new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(Date.UTC(shown.year, shown.month, 1))}</strong>
          <button type="button" className="secondary" onClick={() => showMonth(addMonths(shown, 1))} disabled={compareMonths(shown, latest) >= 0} aria-label={t("calendar.nextMonth")} data-testid="next-month">
            ›
          </button>
        </div>
        {slots.error ? (
          <ErrorState error={slots.error} onRetry={() => void slots.refetch()} />
        ) : !ctx ? (
          <Loading />
        ) : (
          <MonthGrid
            ctx={ctx}
            month={shown}
            selected={day}
            onSelect={(d) => {
              setDay(d);
              setSlot(undefined);
            }}
          />
        )}
      </fieldset>

      <fieldset>
        <legend>{t("calendar.pickTime")}</legend>
        {!dayShown ? (
          <p className="muted small">{t("calendar.noDay")}</p>
        ) : (
          <>
            <p className="small" data-testid="day-chosen">
              {formatDay(dayShown.dayNumber, locale, "full")}
            </p>
            <div className="slot-options" role="group" aria-label={t("calendar.pickTime")}>
              {dayShown.slots.map((s) => (
                <button
                  key={s.slot}
                  type="button"
                  className={`slot-option ${s.state}`}
                  aria-pressed={s.slot === slot}
                  disabled={s.state !== "open"}
                  onClick={() => setSlot(s.slot)}
                  data-testid={`slot-${s.slot}`}
                  data-state={s.state}
                >
                  <strong>{formatTimeRange(s.start, s.end, locale, zone)}</strong>
                  <span className="small" data-testid={`slot-left-${s.slot}`}>
                    {s.state === "closed"
                      ? t("calendar.saleClosed")
                      : s.state === "soldOut"
                        ? t("calendar.soldOut")
                        : s.remaining !== undefined
                          ? t("calendar.slotLeft", { remaining: s.remaining, places: s.places })
                          : t("calendar.available")}
                  </span>
                </button>
              ))}
            </div>
          </>
        )}
      </fieldset>

      <fieldset disabled={!chosen}>
        <legend>{t("calendar.pickTickets")}</legend>
        {chosen?.remaining !== undefined &&
          (count > chosen.remaining ? (
            <p className="notice error" role="alert" data-testid="places-left">
              {t("calendar.tooMany", { count: chosen.remaining })}
            </p>
          ) : (
            <p className="small muted" data-testid="places-left">
              {t("calendar.placesLeft", { count: chosen.remaining - count })}
            </p>
          ))}
        <ul className="ticket-types">
          {tiers.map((tier) => {
            const n = quantities[tier.tierId] ?? 0;
            const max = maxOf(tier);
            const state = saleState(tier, now, event.cancelled);
            return (
              <li key={tier.tierId} className="ticket-type" data-testid={`type-${tier.tierId}`}>
                <span className="ticket-type-name">
                  <strong>{tier.name}</strong>
                  <span className="small muted">
                    {" "}
                    {t("calendar.each", { price: formatAmount(priceNow(tier, now), currency, locale) })}
                    {state !== "open" && <> · {t(`sale.${state}`)}</>}
                  </span>
                </span>
                <span className="stepper">
                  <button type="button" className="secondary" onClick={() => setQuantity(tier, n - 1)} disabled={n === 0} aria-label={t("calendar.less", { tier: tier.name })} data-testid={`less-${tier.tierId}`}>
                    −
                  </button>
                  <input
                    type="number"
                    inputMode="numeric"
                    className="qty"
                    min={0}
                    max={Math.max(max, n)}
                    value={n}
                    aria-label={tier.name}
                    onChange={(e) => setQuantity(tier, Number(e.target.value) || 0)}
                    data-testid={`qty-${tier.tierId}`}
                  />
                  <button type="button" className="secondary" onClick={() => setQuantity(tier, n + 1)} disabled={n >= max} aria-label={t("calendar.more", { tier: tier.name })} data-testid={`more-${tier.tierId}`}>
                    +
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      </fieldset>

      <GiftRecipientFieldset state={gift} />

      <section className="order" aria-label={t("calendar.order")} data-testid="order">
        <h2>{t("calendar.order")}</h2>
        {chosen ? (
          <p data-testid="order-slot">
            <span className="muted">{t("calendar.when")}:</span> {formatDateTimeRange(chosen.start, chosen.end, locale, zone)}
          </p>
        ) : (
          <p className="muted small">{t("calendar.noSlot")}</p>
        )}
        {count > 0 ? (
          <ul className="order-lines" data-testid="order-lines">
            {types.map((tier) => (
              <li key={tier.tierId} className="spread">
                <span>{t("checkout.unit", { count: quantities[tier.tierId], price: `${tier.name} (${formatAmount(priceNow(tier, now), currency, locale)})` })}</span>
                <span>{formatAmount(BigInt(quantities[tier.tierId]) * priceNow(tier, now), currency, locale)}</span>
              </li>
            ))}
          </ul>
        ) : (
          chosen && <p className="muted small">{t("calendar.noTickets")}</p>
        )}
        {channel && !credited && types.length > 1 && (
          <p className="small muted" data-testid="not-credited">
            {t("calendar.notCredited", { label: channel.label })}
          </p>
        )}
        <div className="total-row spread">
          <span>{t("calendar.total")}</span>
          <span>
            <strong data-testid="total">{formatAmount(total, currency, locale)}</strong>
            {count > 0 && <UsdEstimate amount={total} currency={currency} testId="usd-total" />}
          </span>
        </div>
      </section>
      <EstimateNote currency={currency} />
      {count > 0 && (
        <p className="small muted" data-testid="price-guard">
          {t("checkout.priceGuard", { total: formatAmount(total, currency, locale) })}
        </p>
      )}
      {short && (
        <p className="notice error" role="alert" data-testid="balance-short">
          {t(currency.native ? "checkout.notEnoughEth" : "checkout.notEnough", { needed: formatAmount(total, currency, locale), have: formatAmount(balance!, currency, locale) })}
        </p>
      )}
      {!currency.native && <p className="small muted">{t("checkout.approveHint", { symbol: currency.symbol })}</p>}
      {me ? (
        <button type="submit" className="primary big" disabled={!canBuy} data-testid="buy">
          {tx.busy ? t("checkout.buying") : count > 0 ? t("checkout.buyFor", { total: formatAmount(total, currency, locale) }) : t("tier.buy")}
        </button>
      ) : (
        <div className="notice connect-to-buy" data-testid="connect-to-buy">
          <p>{t("checkout.connectToBuy")}</p>
          <button type="button" className="primary big" onClick={openConnectDialog} data-testid="connect-in-page">
            {t("checkout.connect")}
          </button>
        </div>
      )}
      <TxStatus steps={tx.steps} />
    </form>
  );
}

/** A month of the calendar: a button per day, those that cannot be booked disabled, places left hinted. */
function MonthGrid({ ctx, month, selected, onSelect }: { ctx: CalendarContext; month: Month; selected?: number; onSelect: (day: number) => void }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const days = daysOfMonth(month).map((d) => dayView(ctx, d));
  const weekStart = firstDayOfWeek(locale);
  const names = weekdayNames(locale, "short");
  const lead = (weekdayOfDay(days[0].dayNumber) - weekStart + 7) % 7;
  const hint = (d: DayView) =>
    d.state === "open"
      ? d.remaining !== undefined
        ? t("calendar.left", { count: d.remaining })
        : ""
      : d.state === "closed"
        ? t("calendar.closed")
        : d.state === "full"
          ? t("calendar.full")
          : d.state === "past"
            ? t("calendar.saleClosed")
            : t("calendar.outside");
  // Under each open date its places left, as a number (a phone's column has room for no more).
  const mark = (d: DayView) => (d.state === "open" ? (d.remaining !== undefined ? d.remaining.toLocaleString(locale) : "") : d.state === "closed" || d.state === "full" ? hint(d) : "");
  return (
    <>
      {ctx.places !== undefined && <p className="small muted">{t("calendar.gridLegend")}</p>}
      <div className="month-grid" role="group" aria-label={t("calendar.pickDay")} data-testid="month-grid">
        {Array.from({ length: 7 }, (_, i) => (
          <span key={`h${i}`} className="weekday" aria-hidden="true">
            {names[(weekStart + i) % 7]}
          </span>
        ))}
        {Array.from({ length: lead }, (_, i) => (
          <span key={`b${i}`} />
        ))}
        {days.map((d) => (
          <button
            key={d.dayNumber}
            type="button"
            className={`day ${d.state}`}
            disabled={d.state !== "open"}
            aria-pressed={d.dayNumber === selected}
            aria-label={`${formatDay(d.dayNumber, locale, "full")}: ${hint(d) || t("calendar.available")}`}
            onClick={() => onSelect(d.dayNumber)}
            data-testid={`day-${d.iso}`}
            data-state={d.state}
          >
            <span className="day-number">{Number(d.iso.slice(8))}</span>
            {d.state !== "outside" && <span className="day-hint">{mark(d)}</span>}
          </button>
        ))}
      </div>
    </>
  );
}

/**
 * A run's performances from now on, by date and time at the venue, with the seats left in each
 * (all the run's seat maps; a performance sells each seat once): the one picked is passed up.
 */
export function PerformancePicker({
  eventAddress,
  calendar,
  tiers,
  eventEnd,
  zone,
  selected,
  onSelect,
}: {
  eventAddress: Hex;
  calendar: EventCalendar;
  tiers: EventPageTier[];
  eventEnd: string;
  zone: string | undefined;
  selected: number | undefined;
  onSelect: (performance: SlotView) => void;
}) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const now = useNow(5000);
  const slots = useCalendarSlots(eventAddress, calendar, ALL_TIME);
  const list = useMemo(() => (slots.data ? performances(calendarContext(calendar, tiers, slots.data, now, eventEnd)).filter((p) => p.end > now) : []), [slots.data, calendar, tiers, now, eventEnd]);
  return (
    <fieldset>
      <legend>{t("calendar.pickPerformance")}</legend>
      {slots.error ? (
        <ErrorState error={slots.error} onRetry={() => void slots.refetch()} />
      ) : slots.isLoading ? (
        <Loading />
      ) : list.length === 0 ? (
        <p className="muted">{t("calendar.noPerformances")}</p>
      ) : (
        <div className="performances" role="group" aria-label={t("calendar.pickPerformance")} data-testid="performances">
          {list.map((p) => (
            <button
              key={p.slot}
              type="button"
              className={`slot-option ${p.state}`}
              aria-pressed={p.slot === selected}
              disabled={p.state !== "open"}
              onClick={() => onSelect(p)}
              data-testid={`performance-${p.slot}`}
              data-state={p.state}
            >
              <strong>{formatDateTime(p.start, locale, zone)}</strong>
              <span className="small" data-testid={`performance-left-${p.slot}`}>
                {p.state === "closed"
                  ? t("calendar.saleClosed")
                  : p.state === "soldOut"
                    ? t("calendar.soldOut")
                    : p.remaining !== undefined
                      ? t("calendar.seatsLeft", { remaining: p.remaining, places: p.places })
                      : t("calendar.available")}
              </span>
            </button>
          ))}
        </div>
      )}
    </fieldset>
  );
}
