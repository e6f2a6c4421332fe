// My tickets: what the connected wallet holds, grouped by event, with the pass, gift, resale,
// refund and keepsake actions; above them, payments the events credited to the wallet (a resale's
// proceeds or a refund that could not be pushed), to withdraw here or to another address.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatUnits, getAddress, isAddress, isAddressEqual, zeroAddress, type Address } from "viem";
import { useReadContract, useReadContracts } from "wagmi";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { resaleSplit } from "../../../lib/resale.js";
import { MY_CREDITS, MY_TICKETS, type MyCredits, type MyTicket, type MyTickets } from "../../../lib/index/index.js";
import { currencyOf, formatAmount, formatDateTime, formatDateTimeRange, shortAddress, type Currency } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ipfsUrl, useEventMetadata } from "../shared/metadata.js";
import { UsdEstimate, useUsdText } from "../shared/price-estimate.js";
import { RecipientNote, useRecipient, useRecipientPlaceholder } from "../shared/recipient-input.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { useTicketHolder } from "../shared/offline.js";
import { ErrorState, LastKnown, Loading, RequireWallet, TxStatus } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import { useDoorAdmissions } from "../shared/door.js";
import "./fan.css";
import "./messages.js";
import { hasSlot, listingOpen, lower, parseAmount } from "./util.js";

export function MyTicketsPage() {
  const { t } = useTranslation("fan");
  return (
    <section className="fan">
      <h1>{t("tickets.title")}</h1>
      {/* Offline, the list last seen on this device (with no wallet connected, the last account's). */}
      <RequireWallet offline>
        <TicketList />
      </RequireWallet>
    </section>
  );
}

function TicketList() {
  const { t } = useTranslation("fan");
  const [flash, setFlash] = useState<string | null>(null);
  // Events that owed this wallet credits during the visit: a row stays (with its transaction's
  // outcome) after its credit is withdrawn and the index drops it.
  const [creditEvents, setCreditEvents] = useState<{ owner?: string; events: CreditEvent[] }>({ events: [] });
  const address = useTicketHolder();
  const query = useIndexQuery<MyTickets>(MY_TICKETS, { owner: lower(address ?? zeroAddress) }, { enabled: !!address, keep: "tickets" });
  // Credits are owed by events whose tickets the wallet may no longer hold (it sold them).
  const credits = useIndexQuery<MyCredits>(MY_CREDITS, { account: lower(address ?? zeroAddress) }, { enabled: !!address, refetchInterval: 15_000 });
  if (query.isPending) return <Loading />;
  if (query.error && !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const lastKnown = <LastKnown query={query} />;
  const tickets = query.data?.tickets ?? [];
  const known = creditEvents.owner === address ? creditEvents.events : [];
  const added = (credits.data?.eventAccounts ?? []).map((a) => a.event).filter((e) => !known.some((k) => k.id === e.id));
  if (added.length > 0) setCreditEvents({ owner: address, events: [...known, ...added] });
  // The events of the tickets held are asked too (the chain, not only the index, says what is owed).
  const candidates = [...known];
  for (const ticket of tickets) if (!candidates.some((e) => e.id === ticket.event.id)) candidates.push(ticket.event);
  const creditPanel = address && candidates.length > 0 && <Credits key={address} events={candidates} holder={getAddress(address)} />;
  if (tickets.length === 0)
    return (
      <>
        {lastKnown}
        {creditPanel}
        <div className="card center">
          {flash && <p className="notice ok">{flash}</p>}
          <p className="muted">{t("tickets.none")}</p>
          <Link to="/">{t("tickets.explore")}</Link>
        </div>
      </>
    );
  const groups = new Map<string, MyTicket[]>();
  const flashNotice = flash && (
    <p className="notice ok" role="status" data-testid="tickets-flash">
      {flash}
    </p>
  );
  for (const ticket of tickets) groups.set(ticket.event.id, [...(groups.get(ticket.event.id) ?? []), ticket]);
  return (
    <>
      {lastKnown}
      {flashNotice}
      {creditPanel}
      {[...groups].map(([id, list]) => (
        <EventGroup key={id} tickets={list} holder={getAddress(address!)} onNotice={setFlash} />
      ))}
    </>
  );
}

function EventGroup({ tickets, holder, onNotice }: { tickets: MyTicket[]; holder: Address; onNotice: (message: string) => void }) {
  const { t, i18n } = useTranslation("fan");
  const event = tickets[0].event;
  const meta = useEventMetadata(event.metadataURI);
  const currency = currencyOf(event.currency);
  const address = getAddress(event.id);
  const giftsUsed = useReadContract({ address, abi: chainpassEventAbi, functionName: "giftsUsed", args: [holder], query: { enabled: event.policy === "Capped" } });
  // Once cancelled, each refund pays the ticket's price times this ratio (1e18: in full; less only
  // if the escrow fell short, see RefundsOpened).
  const books = useReadContract({ address, abi: chainpassEventAbi, functionName: "refundBooks", query: { enabled: event.cancelled } });
  // Admitted at the door, its checkIn not yet on chain: used, whatever the index says.
  const usedAtDoor = useDoorAdmissions(event.id, tickets.filter((t) => !t.checkedIn).map((t) => t.tokenId));
  return (
    <section className="event-group" aria-labelledby={`group-${event.id}`}>
      <div className="group-head">
        {meta.data?.image && <img src={ipfsUrl(meta.data.image)} alt="" className="thumb" />}
        <div>
          <h2 id={`group-${event.id}`}>
            <Link to={`/events/${event.id}`}>{meta.data?.name ?? event.name}</Link>
          </h2>
          <p className="muted small">
            {meta.data?.venue?.name && `${meta.data.venue.name} · `}
            {formatDateTime(event.start, i18n.language, meta.data?.timezone)}
          </p>
          {event.cancelled && <span className="badge bad">{t("tickets.eventCancelled")}</span>}
          {/* Free gifts are counted per holder for the whole event, not per ticket: said once, here. */}
          {event.policy === "Capped" && giftsUsed.data !== undefined && !event.cancelled && (
            <p className="small" data-testid={`gifts-left-${event.id}`}>
              {t("tickets.giftsLeft", { left: Math.max(0, event.giftsPerHolder - Number(giftsUsed.data)), total: event.giftsPerHolder })}
            </p>
          )}
        </div>
      </div>
      <div className="grid">
        {tickets.map((ticket) => (
          <TicketCard
            key={ticket.id}
            ticket={usedAtDoor.has(ticket.tokenId) ? { ...ticket, checkedIn: true } : ticket}
            holder={holder}
            currency={currency}
            image={meta.data?.image}
            zone={meta.data?.timezone}
            giftsUsed={giftsUsed.data}
            refundRatio={books.data?.[1]}
            onNotice={onNotice}
          />
        ))}
      </div>
    </section>
  );
}

/** refundBooks' ratio for a refund in full (contracts: REFUND_FULL). */
const REFUND_FULL = 10n ** 18n;

const ignoreTx = (error: unknown) => {
  if (!(error instanceof TxFailed)) throw error;
};

type CreditEvent = MyCredits["eventAccounts"][number]["event"];

/**
 * The events among `events` that owe the wallet a credited payment, by the contracts' `credits`.
 * A row once shown stays for the visit, with its transaction's outcome after the withdrawal.
 */
function Credits({ events, holder }: { events: CreditEvent[]; holder: Address }) {
  const { t } = useTranslation("fan");
  const owed = useReadContracts({
    contracts: events.map((e) => ({ address: getAddress(e.id), abi: chainpassEventAbi, functionName: "credits", args: [holder] }) as const),
  });
  const [shown, setShown] = useState<string[]>([]);
  const owing = events.filter((_, i) => ((owed.data?.[i]?.result as bigint | undefined) ?? 0n) > 0n).map((e) => e.id);
  if (owing.some((id) => !shown.includes(id))) setShown([...shown, ...owing.filter((id) => !shown.includes(id))]);
  const rows = events.filter((e) => shown.includes(e.id) || owing.includes(e.id));
  if (rows.length === 0) return null;
  return (
    <section className="card credits" aria-labelledby="credits-title" data-testid="credits">
      <h2 id="credits-title">{t("tickets.creditsTitle")}</h2>
      <p className="small muted">{t("tickets.creditsIntro")}</p>
      {rows.map((event) => (
        <CreditRow key={event.id} event={event} holder={holder} />
      ))}
    </section>
  );
}

function CreditRow({ event, holder }: { event: CreditEvent; holder: Address }) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const meta = useEventMetadata(event.metadataURI);
  const currency = currencyOf(event.currency);
  const address = getAddress(event.id);
  const credits = useReadContract({ address, abi: chainpassEventAbi, functionName: "credits", args: [holder] });
  const tx = useTransactions({ currency });
  const [elsewhere, setElsewhere] = useState(false);
  const [to, setTo] = useState("");
  const typed = to.trim();
  const target = isAddress(typed, { strict: false }) ? getAddress(typed) : undefined;
  const targetProblem = !typed ? null : !target ? t("invalidAddress") : target === zeroAddress ? t("tickets.creditsZero") : null;
  // Nothing left (withdrawn, or the index is behind the chain): the row goes once the flow is over.
  if (credits.data === undefined || (credits.data === 0n && tx.steps.length === 0)) return null;
  const amount = formatAmount(credits.data, currency, locale);
  const name = meta.data?.name ?? event.name;
  const refresh = () => void credits.refetch();

  return (
    <div className="credit-row" data-testid={`credits-${event.id}`}>
      <p>
        <Link to={`/events/${event.id}`}>{name}</Link>
        {credits.data > 0n && (
          <>
            : <strong>{t("tickets.credits", { amount })}</strong>
          </>
        )}
      </p>
      {credits.data > 0n && (
        <div className="action-row">
          <button
            type="button"
            className="primary"
            disabled={tx.busy}
            data-testid={`withdraw-credits-${event.id}`}
            onClick={() => {
              tx.reset();
              void tx.send(t("tickets.withdrawStep"), { address, abi: chainpassEventAbi, functionName: "withdrawCredits" }).then(refresh, ignoreTx);
            }}
          >
            {t("tickets.withdraw", { amount })}
          </button>
        </div>
      )}
      {credits.data > 0n && (
        <label className="inline small">
          <input type="checkbox" checked={elsewhere} onChange={(e) => setElsewhere(e.target.checked)} data-testid={`credits-elsewhere-${event.id}`} /> {t("tickets.creditsElsewhere")}
        </label>
      )}
      {credits.data > 0n && elsewhere && (
        <div className="action-row">
          <label>
            <span className="small">{t("tickets.creditsTo")}</span>
            <input
              value={to}
              onChange={(e) => setTo(e.target.value)}
              placeholder="0x…"
              spellCheck={false}
              aria-invalid={!!targetProblem}
              data-testid={`credits-to-${event.id}`}
            />
          </label>
          <button
            type="button"
            className="secondary"
            disabled={!target || !!targetProblem || tx.busy}
            data-testid={`withdraw-credits-to-${event.id}`}
            onClick={() => {
              if (!target) return;
              tx.reset();
              void tx
                .send(t("tickets.withdrawToStep", { to: shortAddress(target) }), { address, abi: chainpassEventAbi, functionName: "withdrawCreditsTo", args: [target] })
                .then(refresh, ignoreTx);
            }}
          >
            {t("tickets.withdrawTo", { amount })}
          </button>
        </div>
      )}
      {credits.data > 0n && elsewhere && targetProblem && <p className="small bad-text">{targetProblem}</p>}
      {credits.data > 0n && elsewhere && <p className="small muted">{t("tickets.creditsElsewhereHelp")}</p>}
      <TxStatus steps={tx.steps} />
    </div>
  );
}

function TicketCard({
  ticket,
  holder,
  currency,
  image,
  zone,
  giftsUsed,
  refundRatio,
  onNotice,
}: {
  ticket: MyTicket;
  holder: Address;
  currency: Currency;
  image?: string;
  /** The venue's time zone (from the event metadata). */
  zone?: string;
  giftsUsed?: bigint;
  refundRatio?: bigint;
  onNotice: (message: string) => void;
}) {
  const { t, i18n } = useTranslation("fan");
  const locale = i18n.language;
  const now = useNow(30_000);
  const event = ticket.event;
  const address = getAddress(event.id);
  const tokenId = BigInt(ticket.tokenId);
  const ended = BigInt(event.end) <= BigInt(now);
  const listed = listingOpen(ticket.listing);
  const tx = useTransactions({ currency, zone });
  const [giftTo, setGiftTo] = useState("");
  // A gift cannot be undone: the recipient is shown and confirmed before anything is signed.
  const [confirming, setConfirming] = useState(false);
  const [priceText, setPriceText] = useState("");
  const canResell = event.resaleCapBps > 0 && event.policy !== "Locked" && !ticket.checkedIn && !event.cancelled && !ended;
  const cap = useReadContract({ address, abi: chainpassEventAbi, functionName: "resaleCap", args: [tokenId], query: { enabled: canResell } });
  const price = parseAmount(priceText, currency);
  const aboveCap = price !== undefined && cap.data !== undefined && price > cap.data;
  // What the seller would receive at the typed price (or at the cap, before one is typed).
  const sale = price ?? cap.data;
  const split = sale === undefined ? undefined : resaleSplit(sale, event.royaltyBps, event.platformFeeBps);
  // The seller's net in US dollars too (an estimate, "≈ $…"), where the currency has a price feed.
  const usd = useUsdText(currency);

  // A cancelled event refunds the price paid (times the refund ratio, 1 unless the escrow fell short).
  const refund = refundRatio === undefined ? BigInt(ticket.pricePaid) : (BigInt(ticket.pricePaid) * refundRatio) / REFUND_FULL;
  // An address, or a name resolved for the text as it is now (never a stale or failed lookup's).
  const recipient = useRecipient(giftTo);
  const resolvedTarget = recipient.status === "resolved" ? recipient.address : undefined;
  // The contract refuses a gift to its own holder (GiftToHolder); say so before that.
  const toSelf = resolvedTarget !== undefined && isAddressEqual(resolvedTarget, holder);
  const giftTarget = toSelf ? undefined : resolvedTarget;
  const giftName = recipient.status === "resolved" ? recipient.name : undefined;
  const placeholder = useRecipientPlaceholder();
  const giftsLeft = event.policy === "Capped" && giftsUsed !== undefined ? BigInt(event.giftsPerHolder) - giftsUsed : undefined;

  function gift() {
    if (!giftTarget) return;
    setConfirming(false);
    tx.reset();
    const call =
      event.policy === "Open"
        ? ({ address, abi: chainpassEventAbi, functionName: "safeTransferFrom", args: [holder, giftTarget, tokenId] } as const)
        : ({ address, abi: chainpassEventAbi, functionName: "gift", args: [tokenId, giftTarget] } as const);
    const to = giftName ?? shortAddress(giftTarget);
    void tx
      .send(t("tickets.giftStep"), call)
      .then(() => onNotice(t("tickets.gifted", { ticket: `${ticket.tier.name} #${ticket.tokenId}`, to })))
      .catch(ignoreTx);
  }

  function list() {
    if (price === undefined) return;
    tx.reset();
    void tx.send(listed ? t("tickets.updateStep") : t("tickets.listStep"), { address, abi: chainpassEventAbi, functionName: listed ? "updateListing" : "list", args: [tokenId, price] }).catch(ignoreTx);
  }

  function cancelListing() {
    tx.reset();
    void tx.send(t("tickets.cancelStep"), { address, abi: chainpassEventAbi, functionName: "cancelListing", args: [tokenId] }).catch(ignoreTx);
  }

  const cancelListingButton = listed && (
    <button type="button" className="link" disabled={tx.busy} data-testid={`cancel-listing-${ticket.tokenId}`} onClick={cancelListing}>
      {t("tickets.cancelListing")}
    </button>
  );

  const slot = hasSlot(ticket) ? t("tier.slot", { slot: formatDateTimeRange(ticket.entryStart, ticket.entryEnd, locale, zone) }) : null;

  return (
    <article className="card ticket-card" data-testid={`ticket-${ticket.tokenId}`} data-event={event.id}>
      {ended && ticket.checkedIn && (
        <div className="keepsake" data-testid={`keepsake-${ticket.tokenId}`}>
          {image && <img src={ipfsUrl(image)} alt="" />}
          <p>
            <strong>{t("tickets.wereThere")}</strong>
          </p>
          {ticket.checkedInAt && <p className="small">{t("tickets.checkedInAt", { date: formatDateTime(ticket.checkedInAt, locale, zone) })}</p>}
        </div>
      )}
      <div className="spread">
        <h3>{ticket.tier.name}</h3>
        <span className="muted small">#{ticket.tokenId}</span>
      </div>
      <p className="badges">
        {ticket.checkedIn && <span className="badge ok">{t("tickets.checkedIn")}</span>}
        {listed && <span className="badge">{t("tickets.listed")}</span>}
        {event.cancelled && <span className="badge bad">{t("tickets.eventCancelled")}</span>}
        {ended && <span className="badge">{t("tickets.ended")}</span>}
      </p>
      {ticket.seatLabel && <p>{ticket.seatLabel}</p>}
      {slot && <p className="small">{slot}</p>}
      {!event.cancelled && (
        <p className="small muted" data-testid={`refund-value-${ticket.tokenId}`}>
          {t("tickets.paid", { price: formatAmount(ticket.pricePaid, currency, locale) })}
          <UsdEstimate amount={ticket.pricePaid} currency={currency} testId={`usd-paid-${ticket.tokenId}`} />
        </p>
      )}

      {!event.cancelled && !ended && (
        <Link className="button primary" to={`/tickets/${event.id}/${ticket.tokenId}`} data-testid={`open-pass-${ticket.tokenId}`}>
          {t("tickets.showPass")}
        </Link>
      )}

      {event.cancelled && (
        <button
          type="button"
          className="primary"
          disabled={tx.busy}
          data-testid={`refund-${ticket.tokenId}`}
          onClick={() => {
            tx.reset();
            void tx
              .send(t("tickets.refundStep"), { address, abi: chainpassEventAbi, functionName: "claimRefund", args: [tokenId] })
              .then(() => onNotice(t("tickets.refunded", { ticket: `${ticket.tier.name} #${ticket.tokenId}`, amount: formatAmount(refund, currency, locale) })))
              .catch(ignoreTx);
          }}
        >
          {t("tickets.claimRefund", { amount: formatAmount(refund, currency, locale) })}
        </button>
      )}

      {!event.cancelled && !ended && (
        <section className="action" aria-label={t("tickets.gift")}>
          <h4>{t("tickets.gift")}</h4>
          {event.policy === "Locked" && <p className="muted small">{t("tickets.giftLocked")}</p>}
          <div className="action-row">
            {event.policy !== "Locked" && (
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
                  data-testid={`gift-to-${ticket.tokenId}`}
                />
              </label>
            )}
            <button
              type="button"
              className="secondary"
              disabled={event.policy === "Locked" || !giftTarget || tx.busy || (giftsLeft !== undefined && giftsLeft <= 0n)}
              title={event.policy === "Locked" ? t("tickets.giftLocked") : undefined}
              data-testid={`gift-${ticket.tokenId}`}
              onClick={() => setConfirming(true)}
            >
              {t("tickets.sendGift")}
            </button>
          </div>
          {event.policy !== "Locked" && !toSelf && <RecipientNote state={recipient} testId={`gift-note-${ticket.tokenId}`} />}
          {toSelf && (
            <p className="small bad-text" role="alert" data-testid={`gift-self-${ticket.tokenId}`}>
              {t("tickets.giftSelf")}
            </p>
          )}
          {confirming && giftTarget && (
            <div className="notice" role="alertdialog" aria-label={t("tickets.giftConfirmTitle")} data-testid={`gift-confirm-${ticket.tokenId}`}>
              <p>
                {t("tickets.giftConfirm", { ticket: `${ticket.tier.name} #${ticket.tokenId}`, to: giftName ? `${giftName} (${giftTarget})` : giftTarget })}
              </p>
              <div className="row">
                <button type="button" className="primary" disabled={tx.busy} data-testid={`gift-confirm-send-${ticket.tokenId}`} onClick={gift}>
                  {t("tickets.giftConfirmSend")}
                </button>
                <button type="button" className="link" onClick={() => setConfirming(false)}>
                  {t("tickets.giftConfirmCancel")}
                </button>
              </div>
            </div>
          )}
        </section>
      )}

      {canResell && (
        <section className="action" aria-label={t("tickets.resell")}>
          <h4>{listed ? t("tickets.listedFor", { price: formatAmount(ticket.listing!.price, currency, locale) }) : t("tickets.resell")}</h4>
          <p className="small" data-testid={`cap-${ticket.tokenId}`}>
            {t("tickets.cap", { cap: cap.data !== undefined ? formatAmount(cap.data, currency, locale) : "…" })}
          </p>
          <div className="action-row">
            <label>
              <span className="small">{t("tickets.price", { symbol: currency.symbol })}</span>
              <input inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} placeholder={cap.data !== undefined ? formatUnits(cap.data, currency.decimals) : ""} data-testid={`list-price-${ticket.tokenId}`} />
            </label>
            <button type="button" className="secondary" disabled={price === undefined || tx.busy} data-testid={`list-${ticket.tokenId}`} onClick={list}>
              {listed ? t("tickets.updatePrice") : t("tickets.list")}
            </button>
          </div>
          {sale !== undefined && sale > 0n && (
            <p className="small" data-testid={`you-receive-${ticket.tokenId}`}>
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
      )}
      {/* A listing can be withdrawn even when the ticket can no longer be resold (checked in, ended). */}
      {!canResell && cancelListingButton}
      <TxStatus steps={tx.steps} />
    </article>
  );
}

