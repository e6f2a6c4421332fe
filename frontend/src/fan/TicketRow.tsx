// One ticket on My tickets: a compact row (what it is, its status in words, "Show pass" while it
// can still be used) with everything else behind "Manage": what was paid, the keepsake, and the
// return, gift, resale and refund actions, which need a connection.
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatUnits, getAddress, isAddressEqual, type Address } from "viem";
import { useReadContract } from "wagmi";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { EVENT_PAGE, type EventPage } from "../../../lib/index/index.js";
import { resaleSplit } from "../../../lib/resale.js";
import { formatAmount, formatDateTime, nowSeconds, shortAddress, type Currency } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ipfsUrl } from "../shared/metadata.js";
import { UsdEstimate, useUsdText } from "../shared/price-estimate.js";
import { RecipientNote, useRecipient, useRecipientPlaceholder } from "../shared/recipient-input.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { Loading, TxStatus } from "../shared/ui.js";
import "./messages.js";
import { returnState, ticketStatus, type TicketRowData, type TicketStatus } from "./ticket-status.js";
import { listingOpen, parseAmount, ticketSlotText } from "./util.js";

/** The exchange's choices and quote (./ExchangePanel.tsx): loaded when a fan opens it. */
const ExchangePanel = lazy(() => import("./ExchangePanel.js").then((m) => ({ default: m.ExchangePanel })));

/** refundBooks' ratio for a refund in full (contracts: REFUND_FULL). */
const REFUND_FULL = 10n ** 18n;

const ignoreTx = (error: unknown) => {
  if (!(error instanceof TxFailed)) throw error;
};

type Transactions = ReturnType<typeof useTransactions>;

/** What the rows of one event share. */
export interface EventContext {
  holder: Address;
  currency: Currency;
  /** The event's artwork, for the keepsake. */
  image?: string;
  /** The venue's time zone (from the event metadata). */
  zone?: string;
  /** Free gifts left to this holder for the whole event (Capped only). */
  giftsLeft?: bigint;
  /** Once cancelled, the refund ratio (refundBooks); undefined until read. */
  refundRatio?: bigint;
  now: number;
  online: boolean;
  onNotice: (message: string) => void;
}

export function TicketRow({ ticket, context, open, onToggle }: { ticket: TicketRowData; context: EventContext; open: boolean; onToggle: () => void }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const event = ticket.event;
  const listed = listingOpen(ticket.listing);
  const status = ticketStatus(ticket, { now: context.now, listed });
  const ended = BigInt(event.end) <= BigInt(context.now);
  // Manage only where there is something under it: the keepsake, a refund to claim, a gift or a
  // resale before the event, a listing to withdraw.
  const manageable = status !== "refunded" && ((ended && ticket.checkedIn) || event.cancelled || !ended || listed);
  // Here, not in the panel: a transaction's outcome stays on the row when the panel closes.
  const tx = useTransactions({ currency: context.currency, zone: context.zone });
  const key = `${event.id}-${ticket.tokenId}`;
  const slot = ticketSlotText(ticket, t, locale, context.zone);

  return (
    <li className="card ticket-row" data-testid={`ticket-${ticket.tokenId}`} data-event={event.id} data-status={status}>
      <div className="ticket-row-main">
        <div className="ticket-what">
          <h3 id={`ticket-name-${key}`}>
            {ticket.tier.name} <span className="muted small">#{ticket.tokenId}</span>
          </h3>
          {ticket.seatLabel && <p className="small">{ticket.seatLabel}</p>}
          {slot && (
            <p className="small" data-testid={`ticket-slot-${ticket.tokenId}`}>
              {slot}
            </p>
          )}
          {ticket.refundedAt !== undefined && <p className="small muted">{t("tickets.refundedOn", { date: formatDateTime(ticket.refundedAt, locale, context.zone) })}</p>}
        </div>
        <p className="badges">
          <StatusBadge status={status} ticket={ticket} testId={`status-${ticket.tokenId}`} />
          {/* Checked in or over, a listing can still be open (and withdrawn under Manage). */}
          {listed && status !== "listed" && <span className="badge listed">{t("tickets.listed")}</span>}
        </p>
        <div className="ticket-row-actions">
          {(status === "valid" || status === "listed") && (
            <Link className="button primary" to={`/tickets/${event.id}/${ticket.tokenId}`} aria-describedby={`ticket-name-${key}`} data-testid={`open-pass-${ticket.tokenId}`}>
              {t("tickets.showPass")}
            </Link>
          )}
          {manageable && (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={`manage-${key}`}
              aria-describedby={`ticket-name-${key}`}
              onClick={onToggle}
              data-testid={`manage-${ticket.tokenId}`}
            >
              {t("tickets.manage")}
            </button>
          )}
        </div>
      </div>
      {manageable && (
        <div id={`manage-${key}`} className="manage-panel" hidden={!open} data-testid={`manage-panel-${ticket.tokenId}`}>
          {open && <ManagePanel ticket={ticket} context={context} listed={listed} tx={tx} />}
        </div>
      )}
      <TxStatus steps={tx.steps} />
    </li>
  );
}

const BADGE_CLASS: Record<TicketStatus, string> = { valid: "valid", listed: "listed", checkedIn: "ok", ended: "", cancelled: "bad", refunded: "" };

/** The ticket's status in words (the colour only repeats it). */
function StatusBadge({ status, ticket, testId }: { status: TicketStatus; ticket: TicketRowData; testId: string }) {
  const { t } = useTranslation("fan");
  // A refunded ticket says how it went: exchanged (for which), returned, or refunded.
  const refunded = ticket.exchangedFor
    ? t("tickets.exchangedStatus", { token: ticket.exchangedFor.tokenId })
    : ticket.refundKind === "Return"
      ? t("tickets.returnedStatus")
      : t("tickets.refundedStatus");
  const text = {
    valid: t("tickets.valid"),
    listed: t("tickets.listed"),
    checkedIn: t("tickets.checkedIn"),
    ended: t("tickets.ended"),
    cancelled: t("tickets.cancelledClaim"),
    refunded,
  }[status];
  return (
    <span className={`badge ${BADGE_CLASS[status]}`.trim()} data-testid={testId}>
      {text}
    </span>
  );
}

/** Behind "Manage": the keepsake, what a cancellation would refund, then the actions the ticket allows now. */
function ManagePanel({ ticket, context, listed, tx }: { ticket: TicketRowData; context: EventContext; listed: boolean; tx: Transactions }) {
  const { t, i18n } = useTranslation("fan");
  const event = ticket.event;
  const ended = BigInt(event.end) <= BigInt(context.now);
  const canResell = event.resaleCapBps > 0 && event.policy !== "Locked" && !ticket.checkedIn && !event.cancelled && !ended;
  // Each of these sends a transaction: offline they wait, said once.
  const needsNetwork = event.cancelled || !ended || listed;
  return (
    <>
      {ended && ticket.checkedIn && <Keepsake ticket={ticket} image={context.image} zone={context.zone} />}
      {!event.cancelled && !ended && (
        <p className="small muted" data-testid={`refund-value-${ticket.tokenId}`}>
          {t("tickets.paid", { price: formatAmount(ticket.pricePaid, context.currency, i18n.language) })}
          <UsdEstimate amount={ticket.pricePaid} currency={context.currency} testId={`usd-paid-${ticket.tokenId}`} />
        </p>
      )}
      {needsNetwork && !context.online && (
        <p className="notice small" role="status" data-testid={`needs-connection-${ticket.tokenId}`}>
          {t("tickets.needsConnection")}
        </p>
      )}
      {context.online && event.cancelled && <RefundClaim ticket={ticket} context={context} tx={tx} />}
      {context.online && !event.cancelled && !ended && !ticket.checkedIn && <ReturnAction ticket={ticket} context={context} listed={listed} tx={tx} />}
      {context.online && !event.cancelled && !ended && !ticket.checkedIn && <ExchangeAction ticket={ticket} context={context} listed={listed} tx={tx} />}
      {context.online && !event.cancelled && !ended && <GiftForm ticket={ticket} context={context} tx={tx} />}
      {context.online && (canResell || listed) && <ResaleForm ticket={ticket} currency={context.currency} listed={listed} canResell={canResell} tx={tx} />}
    </>
  );
}

/** After the event, a ticket that was used: "You were there". */
function Keepsake({ ticket, image, zone }: { ticket: TicketRowData; image?: string; zone?: string }) {
  const { t, i18n } = useTranslation("fan");
  return (
    <div className="keepsake" data-testid={`keepsake-${ticket.tokenId}`}>
      {image && <img src={ipfsUrl(image)} alt="" />}
      <p>
        <strong>{t("tickets.wereThere")}</strong>
      </p>
      {ticket.checkedInAt && <p className="small">{t("tickets.checkedInAt", { date: formatDateTime(ticket.checkedInAt, i18n.language, zone) })}</p>}
    </div>
  );
}

/** A cancelled event refunds the price paid (times the refund ratio, 1 unless the escrow fell short). */
function RefundClaim({ ticket, context, tx }: { ticket: TicketRowData; context: EventContext; tx: Transactions }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const refund = context.refundRatio === undefined ? BigInt(ticket.pricePaid) : (BigInt(ticket.pricePaid) * context.refundRatio) / REFUND_FULL;
  const amount = formatAmount(refund, context.currency, locale);
  function claim() {
    tx.reset();
    void tx
      .send(t("tickets.refundStep"), { address: getAddress(ticket.event.id), abi: chainpassEventFanAbi, functionName: "claimRefund", args: [BigInt(ticket.tokenId)] })
      .then(() => context.onNotice(t("tickets.refunded", { ticket: `${ticket.tier.name} #${ticket.tokenId}`, amount })))
      .catch(ignoreTx);
  }
  return (
    <div className="action-row">
      <button type="button" className="primary" disabled={tx.busy} data-testid={`refund-${ticket.tokenId}`} onClick={claim}>
        {t("tickets.claimRefund", { amount })}
      </button>
    </div>
  );
}

/**
 * A return under the event's refund policy: what it pays now and until when, from the contract
 * (`returnQuote`, read when the panel opens), then the return, confirmed first (the ticket is
 * burned). A listed ticket must leave the market first; an event without a policy, or past its
 * last deadline, says so.
 */
function ReturnAction({ ticket, context, listed, tx }: { ticket: TicketRowData; context: EventContext; listed: boolean; tx: Transactions }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const token = ticket.tokenId;
  const address = getAddress(ticket.event.id);
  const tokenId = BigInt(token);
  const [confirming, setConfirming] = useState(false);
  // Sending: the quote is not read again (once returned, the token and its quote are gone), until
  // the row shows the ticket refunded; a failed return reads it again.
  const [phase, setPhase] = useState<"quote" | "sending" | "returned">("quote");
  const quote = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "returnQuote", args: [tokenId], query: { enabled: phase === "quote" } });
  if (phase === "returned") return null;
  if (!quote.data)
    return (
      <p className="small muted" data-testid={`return-state-${token}`} data-state={quote.error ? "unknown" : "loading"}>
        {quote.error ? t("tickets.returnUnknown") : t("tickets.returnChecking")}
      </p>
    );
  const [refund, until] = quote.data;
  const state = returnState(refund, until, BigInt(ticket.pricePaid), context.now);
  const date = formatDateTime(until, locale, context.zone);
  const amount = formatAmount(refund, context.currency, locale);
  if (state !== "open")
    return (
      <p className="small muted" data-testid={`return-state-${token}`} data-state={state}>
        {state === "none" ? t("tickets.returnsNotOffered") : t("tickets.returnsClosed", { date })}
      </p>
    );

  async function send() {
    setConfirming(false);
    // A deadline passed while the fan read the confirmation: the share changed, ask again.
    if (BigInt(nowSeconds()) > until) {
      void quote.refetch();
      return;
    }
    tx.reset();
    setPhase("sending");
    const name = `${ticket.tier.name} #${token}`;
    await tx
      .send(t("tickets.returnStep"), { address, abi: chainpassEventFanAbi, functionName: "returnTicket", args: [tokenId] })
      .then(() => {
        setPhase("returned");
        context.onNotice(t("tickets.returned", { ticket: name, amount }));
      })
      .catch((error: unknown) => {
        setPhase("quote");
        ignoreTx(error);
      });
  }

  return (
    <section className="action" aria-label={t("tickets.return")}>
      <h4>{t("tickets.return")}</h4>
      <p className="small" data-testid={`return-quote-${token}`}>
        {t("tickets.returnQuote", { amount, date })}
      </p>
      {listed ? (
        <p className="small muted" data-testid={`return-listed-${token}`}>
          {t("tickets.returnListed")}
        </p>
      ) : (
        <div className="action-row">
          <button type="button" className="secondary" disabled={tx.busy || phase !== "quote"} data-testid={`return-${token}`} onClick={() => setConfirming(true)}>
            {t("tickets.returnButton")}
          </button>
        </div>
      )}
      {confirming && !listed && (
        <div className="notice" role="alertdialog" aria-label={t("tickets.returnConfirmTitle")} data-testid={`return-confirm-${token}`}>
          <p>{t("tickets.returnConfirm", { ticket: `${ticket.tier.name} #${token}`, amount })}</p>
          <div className="row">
            <button type="button" className="primary" disabled={tx.busy} data-testid={`return-confirm-send-${token}`} onClick={() => void send()}>
              {t("tickets.returnConfirmSend", { amount })}
            </button>
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              {t("tickets.returnConfirmCancel")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * An exchange for another ticket type, time or seat of the event, when its refund policy offers
 * exchanges (the index's Event.exchangesOffered) and the ticket has not started (its slot's start,
 * its entry, else the event's: the contract's ExchangeClosed after). The choices, what it costs or
 * pays back and the confirmation are in ./ExchangePanel.tsx, loaded on "Exchange ticket".
 */
function ExchangeAction({ ticket, context, listed, tx }: { ticket: TicketRowData; context: EventContext; listed: boolean; tx: Transactions }) {
  const { t } = useTranslation("fan");
  const token = ticket.tokenId;
  const page = useIndexQuery<EventPage>(EVENT_PAGE, { event: ticket.event.id });
  const [open, setOpen] = useState(false);
  const start = BigInt(ticket.entryStart) > 0n ? BigInt(ticket.entryStart) : BigInt(ticket.event.start);
  if (!page.data?.event?.exchangesOffered || BigInt(context.now) >= start) return null;
  return (
    <section className="action" aria-label={t("tickets.exchange")}>
      <h4>{t("tickets.exchange")}</h4>
      {listed ? (
        <p className="small muted" data-testid={`exchange-listed-${token}`}>
          {t("tickets.exchangeListed")}
        </p>
      ) : open ? (
        <Suspense fallback={<Loading />}>
          <ExchangePanel ticket={ticket} context={context} tx={tx} onClose={() => setOpen(false)} />
        </Suspense>
      ) : (
        <>
          <p className="small muted">{t("tickets.exchangeIntro")}</p>
          <div className="action-row">
            <button type="button" className="secondary" disabled={tx.busy} data-testid={`exchange-${token}`} onClick={() => setOpen(true)}>
              {t("tickets.exchangeOpen")}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** A gift to an address or name, confirmed before anything is signed (it cannot be undone). */
function GiftForm({ ticket, context, tx }: { ticket: TicketRowData; context: EventContext; tx: Transactions }) {
  const { t } = useTranslation("fan");
  const event = ticket.event;
  const token = ticket.tokenId;
  const [giftTo, setGiftTo] = useState("");
  const [confirming, setConfirming] = useState(false);
  // An address, or a name resolved for the text as it is now (never a stale or failed lookup's).
  const recipient = useRecipient(giftTo);
  const resolvedTarget = recipient.status === "resolved" ? recipient.address : undefined;
  // The contract refuses a gift to its own holder (GiftToHolder); say so before that.
  const toSelf = resolvedTarget !== undefined && isAddressEqual(resolvedTarget, context.holder);
  const giftTarget = toSelf ? undefined : resolvedTarget;
  const giftName = recipient.status === "resolved" ? recipient.name : undefined;
  const placeholder = useRecipientPlaceholder();
  const locked = event.policy === "Locked";

  function gift() {
    if (!giftTarget) return;
    setConfirming(false);
    tx.reset();
    const address = getAddress(event.id);
    const tokenId = BigInt(token);
    const call =
      event.policy === "Open"
        ? ({ address, abi: chainpassEventFanAbi, functionName: "safeTransferFrom", args: [context.holder, giftTarget, tokenId] } as const)
        : ({ address, abi: chainpassEventFanAbi, functionName: "gift", args: [tokenId, giftTarget] } as const);
    const to = giftName ?? shortAddress(giftTarget);
    void tx
      .send(t("tickets.giftStep"), call)
      .then(() => context.onNotice(t("tickets.gifted", { ticket: `${ticket.tier.name} #${token}`, to })))
      .catch(ignoreTx);
  }

  return (
    <section className="action" aria-label={t("tickets.gift")}>
      <h4>{t("tickets.gift")}</h4>
      {locked && <p className="muted small">{t("tickets.giftLocked")}</p>}
      <div className="action-row">
        {!locked && (
          <label>
            <span className="small">{t("tickets.giftTo")}</span>
            <input
              value={giftTo}
              onChange={(e) => {
                setGiftTo(e.target.value);
                setConfirming(false);
              }}
              placeholder={placeholder}
              spellCheck={false}
              autoCapitalize="none"
              aria-invalid={recipient.status === "refused"}
              data-testid={`gift-to-${token}`}
            />
          </label>
        )}
        <button
          type="button"
          className="secondary"
          disabled={locked || !giftTarget || tx.busy || (context.giftsLeft !== undefined && context.giftsLeft <= 0n)}
          title={locked ? t("tickets.giftLocked") : undefined}
          data-testid={`gift-${token}`}
          onClick={() => setConfirming(true)}
        >
          {t("tickets.sendGift")}
        </button>
      </div>
      {!locked && !toSelf && <RecipientNote state={recipient} testId={`gift-note-${token}`} />}
      {toSelf && (
        <p className="small bad-text" role="alert" data-testid={`gift-self-${token}`}>
          {t("tickets.giftSelf")}
        </p>
      )}
      {confirming && giftTarget && (
        <div className="notice" role="alertdialog" aria-label={t("tickets.giftConfirmTitle")} data-testid={`gift-confirm-${token}`}>
          <p>{t("tickets.giftConfirm", { ticket: `${ticket.tier.name} #${token}`, to: giftName ? `${giftName} (${giftTarget})` : giftTarget })}</p>
          <div className="row">
            <button type="button" className="primary" disabled={tx.busy} data-testid={`gift-confirm-send-${token}`} onClick={gift}>
              {t("tickets.giftConfirmSend")}
            </button>
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              {t("tickets.giftConfirmCancel")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Listing for resale under the cap, with what the seller receives; or withdrawing a listing. */
function ResaleForm({ ticket, currency, listed, canResell, tx }: { ticket: TicketRowData; currency: Currency; listed: boolean; canResell: boolean; tx: Transactions }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const event = ticket.event;
  const token = ticket.tokenId;
  const address = getAddress(event.id);
  const tokenId = BigInt(token);
  const [priceText, setPriceText] = useState("");
  const cap = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "resaleCap", args: [tokenId], query: { enabled: canResell } });
  const price = parseAmount(priceText, currency);
  const aboveCap = price !== undefined && cap.data !== undefined && price > cap.data;
  // What the seller would receive at the typed price (or at the cap, before one is typed).
  const sale = price ?? cap.data;
  const split = sale === undefined ? undefined : resaleSplit(sale, event.royaltyBps, event.platformFeeBps);
  // The seller's net in US dollars too (an estimate, "≈ $…"), where the currency has a price feed.
  const usd = useUsdText(currency);

  function list() {
    if (price === undefined) return;
    tx.reset();
    void tx.send(listed ? t("tickets.updateStep") : t("tickets.listStep"), { address, abi: chainpassEventFanAbi, functionName: listed ? "updateListing" : "list", args: [tokenId, price] }).catch(ignoreTx);
  }

  function cancelListing() {
    tx.reset();
    void tx.send(t("tickets.cancelStep"), { address, abi: chainpassEventFanAbi, functionName: "cancelListing", args: [tokenId] }).catch(ignoreTx);
  }

  const cancelListingButton = listed && (
    <button type="button" className="link" disabled={tx.busy} data-testid={`cancel-listing-${token}`} onClick={cancelListing}>
      {t("tickets.cancelListing")}
    </button>
  );
  // A listing can be withdrawn even when the ticket can no longer be resold (checked in, ended).
  if (!canResell) return cancelListingButton || null;

  return (
    <section className="action" aria-label={t("tickets.resell")}>
      <h4>{listed ? t("tickets.listedFor", { price: formatAmount(ticket.listing!.price, currency, locale) }) : t("tickets.resell")}</h4>
      <p className="small" data-testid={`cap-${token}`}>
        {t("tickets.cap", { cap: cap.data !== undefined ? formatAmount(cap.data, currency, locale) : "…" })}
      </p>
      <div className="action-row">
        <label>
          <span className="small">{t("tickets.price", { symbol: currency.symbol })}</span>
          <input inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} placeholder={cap.data !== undefined ? formatUnits(cap.data, currency.decimals) : ""} data-testid={`list-price-${token}`} />
        </label>
        <button type="button" className="secondary" disabled={price === undefined || tx.busy} data-testid={`list-${token}`} onClick={list}>
          {listed ? t("tickets.updatePrice") : t("tickets.list")}
        </button>
      </div>
      {sale !== undefined && sale > 0n && (
        <p className="small" data-testid={`you-receive-${token}`}>
          {t("tickets.youReceive", {
            net: usd ? `${formatAmount(split!.seller, currency, locale)} (${usd(split!.seller)})` : formatAmount(split!.seller, currency, locale),
            price: formatAmount(sale, currency, locale),
            royalty: formatAmount(split!.royalty, currency, locale),
            fee: formatAmount(split!.platformFee, currency, locale),
          })}
        </p>
      )}
      {aboveCap && <p className="small warn-text">{t("tickets.aboveCap")}</p>}
      {cancelListingButton}
    </section>
  );
}
