// An exchange on My tickets (loaded only when a fan opens it): another ticket type of the event,
// for a calendar's type a date and a time slot (a run's a performance), for a seated type a seat;
// then exactly what it costs or pays back, from the contract (`priceOf` for the new price,
// `returnQuote` and `refundPolicy` for the share of a cheaper target's difference refunded), a
// confirmation, and one exchangeTicket (the difference up paid as ./pay.ts pays a checkout: ETH
// with the call, an ERC-20 by permit or approve).
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { getAddress, parseEventLogs } from "viem";
import { useConfig, useReadContract } from "wagmi";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { dayNumberOf, isoDateOf, TOKENS_PER_SLOT } from "../../../lib/calendar.js";
import {
  EVENT_CALENDARS,
  EVENT_PAGE,
  type EventCalendar,
  type EventCalendars,
  type EventPage,
  type EventPageTier,
} from "../../../lib/index/index.js";
import { seatLabel } from "../../../lib/seats.js";
import { NO_VOUCHER } from "../../../lib/vouchers.js";
import { formatAmount, formatDateTime, formatDateTimeRange, formatTimeRange, nowSeconds } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed } from "../shared/tx.js";
import { ErrorState, Loading } from "../shared/ui.js";
import "./messages.js";
import { payAndSend } from "./pay.js";
import { SeatMap } from "./SeatMap.js";
import { PerformancePicker } from "./SlotCheckout.js";
import { calendarContext, calendarOfTier, dayView, isRun, type SlotView } from "./slots.js";
import type { EventContext } from "./TicketRow.js";
import type { TicketRowData } from "./ticket-status.js";
import { bps, priceNow, toSeatBlocks } from "./util.js";
import { useTakenSeats } from "./seat-states.js";

const DAY = 86_400;
const BPS = 10_000n;

type Transactions = Parameters<typeof payAndSend>[0]["tx"];

/** A target tier on public sale now (a calendar's tier is limited per slot, not by its sold count). */
function onSale(tier: EventPageTier, calendar: EventCalendar | undefined, now: number): boolean {
  const n = BigInt(now);
  if (tier.paused || n < BigInt(tier.saleStart) || n >= BigInt(tier.saleEnd)) return false;
  return !!calendar || BigInt(tier.sold) < BigInt(tier.supply);
}

/**
 * The share of a refund the policy pays now for this ticket, in basis points: the step whose share
 * of the price paid is `returnQuote`'s refund (the steps' shares differ, so one matches); 0 past
 * every deadline or with no policy.
 */
export function shareNow(steps: readonly { shareBps: number }[], refund: bigint, pricePaid: bigint): bigint {
  if (refund === 0n || pricePaid === 0n) return 0n;
  const step = steps.find((s) => (pricePaid * BigInt(s.shareBps)) / BPS === refund);
  return step ? BigInt(step.shareBps) : (refund * BPS) / pricePaid;
}


export function ExchangePanel({ ticket, context, tx, onClose }: { ticket: TicketRowData; context: EventContext; tx: Transactions; onClose: () => void }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const config = useConfig();
  const { currency, zone, holder, now } = context;
  const token = ticket.tokenId;
  const tokenId = BigInt(token);
  const address = getAddress(ticket.event.id);
  const oldSlot = Number(tokenId / TOKENS_PER_SLOT);
  const paid = BigInt(ticket.pricePaid);

  const page = useIndexQuery<EventPage>(EVENT_PAGE, { event: ticket.event.id });
  const [tierId, setTierId] = useState<number>(ticket.tier.tierId);
  const [day, setDay] = useState<number>();
  const [slot, setSlot] = useState<number | undefined>(oldSlot || undefined);
  const [seat, setSeat] = useState<number>();
  const [confirming, setConfirming] = useState(false);
  const [short, setShort] = useState(false);

  // The calendars and the bookings around the day shown (the ticket's own day at first).
  const around = day ?? Math.floor(Number(BigInt(ticket.entryStart) > 0n ? BigInt(ticket.entryStart) : BigInt(now)) / DAY);
  const calendars = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: ticket.event.id, from: String(Math.max(0, (around - 2) * DAY)), to: String((around + 3) * DAY) }, { refetchInterval: 10_000 });

  const event = page.data?.event ?? undefined;
  const tiers = useMemo(() => event?.tiers ?? [], [event]);
  const calendarList = calendars.data?.event?.calendars;
  const tier = tiers.find((x) => x.tierId === tierId);
  const calendar = calendarOfTier(calendarList, tierId);
  const run = !!calendar && isRun(calendar, tiers);
  const ctx = calendar && !run ? calendarContext(calendar, tiers, calendar.slots, now, event?.end ?? "0") : undefined;
  // The day shown: the one picked, else the slot's (the ticket's own), else the first that can be booked.
  const today = calendar ? Math.floor((now + calendar.utcOffsetMinutes * 60) / DAY) : 0;
  const dayShown = ctx ? (day ?? (oldSlot && calendar ? Math.floor((Number(ticket.entryStart) + calendar.utcOffsetMinutes * 60) / DAY) : Math.max(today, calendar!.firstDay))) : undefined;
  const daySlots = ctx && dayShown !== undefined ? dayView(ctx, dayShown) : undefined;
  const chosenSlot = daySlots?.slots.find((s) => s.slot === slot);
  const [performance, setPerformance] = useState<SlotView>();
  const taken = useTakenSeats(tier, run && calendar ? { calendar, slot } : undefined);

  const price = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "priceOf", args: [BigInt(tierId), holder, NO_VOUCHER], query: { enabled: !!tier } });
  const quote = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "returnQuote", args: [tokenId] });
  const policy = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "refundPolicy" });

  if (page.error && !page.data) return <ErrorState error={page.error} onRetry={() => void page.refetch()} />;
  if (!event || !calendars.data) return <p className="small muted">{t("tickets.exchangeLoading")}</p>;

  const choices = tiers.filter((x) => onSale(x, calendarOfTier(calendarList, x.tierId), now));
  const seatBlocks = tier?.seated ? toSeatBlocks(tier.seatBlocks) : [];
  const slotArg = calendar ? (run ? slot : chosenSlot?.state === "open" ? chosenSlot.slot : undefined) : 0;
  const seatArg = tier?.seated ? seat : 0;
  const same = tierId === ticket.tier.tierId && (slotArg ?? 0) === oldSlot && (!tier?.seated || seatArg === ticket.serial);
  const ready = !!tier && slotArg !== undefined && seatArg !== undefined && !same;

  // What the new ticket is, in words: its type, its time, its seat.
  const slotWindow = run ? performance : chosenSlot;
  const what = [
    tier?.name,
    calendar && slotWindow ? (run ? formatDateTime(slotWindow.start, locale, zone) : formatDateTimeRange(slotWindow.start, slotWindow.end, locale, zone)) : undefined,
    tier?.seated && seat ? (seatLabel(seatBlocks, seat) ?? String(seat)) : undefined,
  ]
    .filter(Boolean)
    .join(", ");

  // The money: the difference up paid, or down refunded at the policy's share now.
  const newPrice = price.data;
  let money: { due: bigint; refund: bigint; text: string } | undefined;
  if (ready && newPrice !== undefined && quote.data && policy.data) {
    const fmt = (x: bigint) => formatAmount(x, currency, locale);
    if (newPrice >= paid) {
      const due = newPrice - paid;
      money = { due, refund: 0n, text: due === 0n ? t("tickets.exchangeEven", { price: fmt(newPrice) }) : t("tickets.exchangePay", { amount: fmt(due), price: fmt(newPrice), paid: fmt(paid) }) };
    } else {
      const difference = paid - newPrice;
      const share = shareNow(policy.data[0], quote.data[0], paid);
      const refund = (difference * share) / BPS;
      const text =
        share === 0n
          ? t("tickets.exchangeRefundNone", { difference: fmt(difference) })
          : share === BPS
            ? t("tickets.exchangeRefundFull", { amount: fmt(refund) })
            : t("tickets.exchangeRefund", { amount: fmt(refund), share: bps(Number(share)), difference: fmt(difference), kept: fmt(difference - refund) });
      money = { due: 0n, refund, text };
    }
  }

  async function send() {
    if (!money || !ready || !tier) return;
    setConfirming(false);
    // A refund deadline passed while the fan read the confirmation: the share changed, ask again.
    if (quote.data && quote.data[1] > 0n && BigInt(nowSeconds()) > quote.data[1] && money.refund > 0n) {
      void quote.refetch();
      return;
    }
    tx.reset();
    setShort(false);
    const name = `${ticket.tier.name} #${token}`;
    const shown = what;
    try {
      const sent = await payAndSend({
        config,
        tx,
        t,
        locale,
        currency,
        me: holder,
        event: address,
        total: money.due,
        purchase: { functionName: "exchangeTicket", args: [tokenId, BigInt(tier.tierId), BigInt(slotArg ?? 0), BigInt(seatArg ?? 0), money.due] },
        step: t("tickets.exchangeStep"),
      });
      if (sent === "short") return setShort(true);
      const [log] = parseEventLogs({ abi: chainpassEventFanAbi, eventName: "TicketExchanged", logs: sent.logs });
      context.onNotice(t("tickets.exchanged", { ticket: name, what: log ? `${shown} #${log.args.newTokenId}` : shown }));
      onClose();
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
      // The place went meanwhile, or the price or share changed: show them as they are now.
      void calendars.refetch();
      void price.refetch();
      void quote.refetch();
    }
  }

  const pickTier = (id: number) => {
    setTierId(id);
    setSeat(undefined);
    setConfirming(false);
    if (!calendarOfTier(calendarList, id)) setSlot(undefined);
  };

  return (
    <div className="exchange" data-testid={`exchange-panel-${token}`}>
      <fieldset>
        <legend className="small">{t("tickets.exchangeType")}</legend>
        {choices.map((x) => (
          <label key={x.tierId} className="inline small block">
            <input type="radio" name={`exchange-tier-${token}`} checked={x.tierId === tierId} onChange={() => pickTier(x.tierId)} data-testid={`exchange-tier-${x.tierId}`} />{" "}
            {t(x.tierId === ticket.tier.tierId ? "tickets.exchangeTierCurrent" : "tickets.exchangeTierOption", { tier: x.name, price: formatAmount(priceNow(x, now), currency, locale) })}
          </label>
        ))}
      </fieldset>

      {calendar && !run && ctx && (
        <fieldset>
          <legend className="small">{t("tickets.exchangeTime")}</legend>
          <label className="small">
            {t("tickets.exchangeDay")}{" "}
            <input
              type="date"
              value={dayShown !== undefined ? isoDateOf(dayShown) : ""}
              min={isoDateOf(Math.max(today, calendar.firstDay))}
              max={isoDateOf(calendar.firstDay + calendar.dayCount - 1)}
              onChange={(e) => {
                if (!e.target.value) return;
                setDay(dayNumberOf(e.target.value));
                setSlot(undefined);
                setConfirming(false);
              }}
              data-testid={`exchange-day-${token}`}
            />
          </label>
          {daySlots && daySlots.slots.length > 0 ? (
            <div className="slot-options" role="group" aria-label={t("tickets.exchangeTime")}>
              {daySlots.slots.map((s) => (
                <button
                  key={s.slot}
                  type="button"
                  className={`slot-option ${s.state}`}
                  aria-pressed={s.slot === slot}
                  disabled={s.state !== "open"}
                  onClick={() => {
                    setSlot(s.slot);
                    setConfirming(false);
                  }}
                  data-testid={`exchange-slot-${s.slot}`}
                  data-state={s.state}
                >
                  <strong>{formatTimeRange(s.start, s.end, locale, zone)}</strong>
                  <span className="small">
                    {s.state === "closed" ? t("calendar.saleClosed") : s.state === "soldOut" ? t("calendar.soldOut") : s.remaining !== undefined ? t("calendar.slotLeft", { remaining: s.remaining, places: s.places }) : t("calendar.available")}
                  </span>
                </button>
              ))}
            </div>
          ) : (
            <p className="small muted">{t("tickets.exchangeNoSlots")}</p>
          )}
        </fieldset>
      )}

      {calendar && run && (
        <PerformancePicker
          eventAddress={event.id}
          calendar={calendar}
          tiers={tiers}
          eventEnd={event.end}
          zone={zone}
          selected={slot}
          onSelect={(p) => {
            setSlot(p.slot);
            setPerformance(p);
            setSeat(undefined);
            setConfirming(false);
          }}
        />
      )}

      {tier?.seated && (!run || slot !== undefined) && (
        <fieldset>
          <legend className="small">{t("tickets.exchangeSeat")}</legend>
          {taken.isLoading ? (
            <Loading />
          ) : taken.error ? (
            <ErrorState error={taken.error} />
          ) : (
            <SeatMap
              blocks={tier.seatBlocks}
              seatBlocks={seatBlocks}
              taken={taken.data ?? new Set()}
              selected={seat !== undefined ? [seat] : []}
              maxSelected={1}
              onToggle={(s) => {
                setSeat(seat === s ? undefined : s);
                setConfirming(false);
              }}
            />
          )}
          {seat === undefined && <p className="small muted">{t("tickets.exchangePickSeat")}</p>}
        </fieldset>
      )}

      {same && (
        <p className="small muted" data-testid={`exchange-same-${token}`}>
          {t("tickets.exchangeSame")}
        </p>
      )}
      {ready && (
        <div data-testid={`exchange-quote-${token}`}>
          <p className="small" data-testid={`exchange-new-${token}`}>
            {t("tickets.exchangeNew", { what })}
          </p>
          <p data-testid={`exchange-money-${token}`}>{money ? <strong>{money.text}</strong> : "…"}</p>
        </div>
      )}
      {short && money && (
        <p className="notice error" role="alert" data-testid={`exchange-short-${token}`}>
          {t("tickets.exchangeShort", { amount: formatAmount(money.due, currency, locale) })}
        </p>
      )}
      <div className="action-row">
        <button type="button" className="primary" disabled={!money || tx.busy} onClick={() => setConfirming(true)} data-testid={`exchange-review-${token}`}>
          {t("tickets.exchangeReview")}
        </button>
        <button type="button" className="link" onClick={onClose}>
          {t("tickets.exchangeClose")}
        </button>
      </div>
      {confirming && money && (
        <div className="notice" role="alertdialog" aria-label={t("tickets.exchangeConfirmTitle")} data-testid={`exchange-confirm-${token}`}>
          <p>{t("tickets.exchangeConfirm", { ticket: `${ticket.tier.name} #${token}`, what })}</p>
          <p>
            <strong>{money.text}</strong>
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={tx.busy} data-testid={`exchange-confirm-send-${token}`} onClick={() => void send()}>
              {t("tickets.exchangeConfirmSend")}
            </button>
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              {t("tickets.exchangeConfirmCancel")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
