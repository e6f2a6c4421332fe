// My tickets: what the connected wallet holds (and what was refunded from it), by event, the
// soonest first and the past ones last, one compact row per ticket (./TicketRow.tsx); above them,
// payments the events credited to the wallet (a resale's proceeds or a refund that could not be
// pushed), to withdraw here or to another address, and the organizers' announcements to the
// events held and the programs joined (./Announcements.tsx, loaded on demand).
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { getAddress, isAddress, zeroAddress, type Address } from "viem";
import { useReadContract, useReadContracts } from "wagmi";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { MY_CREDITS, MY_REFUNDS, MY_TICKETS, type MyCredits, type MyRefunds, type MyTickets } from "../../../lib/index/index.js";
import { currencyOf, formatAmount, formatDateTime, shortAddress } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ipfsUrl, useEventMetadata } from "../shared/metadata.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { useOnline, useTicketHolder } from "../shared/offline.js";
import { ErrorState, LastKnown, Loading, RequireWallet, TxStatus } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import { useDoorAdmissions } from "../shared/door.js";
import HolderAnnouncements from "./Announcements.js";
import "./fan.css";
import "./messages.js";
import { groupByEvent, type EventTickets } from "./ticket-status.js";
import { TicketRow } from "./TicketRow.js";
import { lower } from "./util.js";

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
  // One Manage panel open at a time (a ticket's index id).
  const [openManage, setOpenManage] = useState<string | null>(null);
  const now = useNow(30_000);
  const online = useOnline();
  const address = useTicketHolder();
  const query = useIndexQuery<MyTickets>(MY_TICKETS, { owner: lower(address ?? zeroAddress) }, { enabled: !!address, keep: "tickets" });
  // Credits are owed by events whose tickets the wallet may no longer hold (it sold them).
  const credits = useIndexQuery<MyCredits>(MY_CREDITS, { account: lower(address ?? zeroAddress) }, { enabled: !!address, refetchInterval: 15_000 });
  // How each refunded ticket went: "Returned", "Exchanged for #…" rather than "Refunded".
  const refundKinds = useIndexQuery<MyRefunds>(MY_REFUNDS, { holder: lower(address ?? zeroAddress) }, { enabled: !!address && (query.data?.refunded?.length ?? 0) > 0 });
  if (query.isPending) return <Loading />;
  if (query.error && !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const lastKnown = <LastKnown query={query} />;
  const tickets = query.data?.tickets ?? [];
  const kinds = new Map((refundKinds.data?.refunds ?? []).map((r) => [r.ticket.id, r.kind]));
  const refunded = (query.data?.refunded ?? []).map((ticket) => ({ ...ticket, refundKind: kinds.get(ticket.id) }));
  const known = creditEvents.owner === address ? creditEvents.events : [];
  const added = (credits.data?.eventAccounts ?? []).map((a) => a.event).filter((e) => !known.some((k) => k.id === e.id));
  if (added.length > 0) setCreditEvents({ owner: address, events: [...known, ...added] });
  // The events of the tickets held are asked too (the chain, not only the index, says what is owed).
  const candidates = [...known];
  for (const ticket of tickets) if (!candidates.some((e) => e.id === ticket.event.id)) candidates.push(ticket.event);
  const creditPanel = address && candidates.length > 0 && <Credits key={address} events={candidates} holder={getAddress(address)} />;
  const heldEvents = [...new Map(tickets.map((ticket) => [ticket.event.id, ticket.event])).values()];
  const announcements = address && <HolderAnnouncements account={address} events={heldEvents} />;
  const flashNotice = flash && (
    <p className="notice ok" role="status" data-testid="tickets-flash">
      {flash}
    </p>
  );
  if (tickets.length === 0 && refunded.length === 0)
    return (
      <>
        {lastKnown}
        {creditPanel}
        {announcements}
        <div className="card center">
          {flashNotice}
          <p className="muted">{t("tickets.none")}</p>
          <Link to="/">{t("tickets.explore")}</Link>
        </div>
      </>
    );
  const groups = groupByEvent(tickets, refunded, now);
  const firstPast = groups.findIndex((g) => g.past);
  const rows = { holder: getAddress(address!), online, now, onNotice: setFlash, openId: openManage, onToggle: (id: string) => setOpenManage(openManage === id ? null : id) };
  return (
    <>
      {lastKnown}
      {flashNotice}
      {creditPanel}
      {announcements}
      {groups.map((group, i) => (
        <Fragment key={group.event.id}>
          {i === firstPast && (
            <h2 className="past-title" data-testid="past-events">
              {t("tickets.past")}
            </h2>
          )}
          <EventGroup group={group} {...rows} />
        </Fragment>
      ))}
    </>
  );
}

/** What the rows of every event share: whose they are, the clock, and the one open "Manage". */
interface RowsState {
  holder: Address;
  online: boolean;
  now: number;
  onNotice: (message: string) => void;
  /** The ticket whose Manage panel is open (one at a time). */
  openId: string | null;
  onToggle: (ticketId: string) => void;
}

function EventGroup({ group, holder, online, now, onNotice, openId, onToggle }: { group: EventTickets } & RowsState) {
  const { t, i18n } = useTranslation("fan");
  const { event, tickets } = group;
  const held = tickets.filter((ticket) => ticket.refundedAt === undefined);
  const meta = useEventMetadata(event.metadataURI);
  const currency = currencyOf(event.currency);
  const address = getAddress(event.id);
  const giftsUsed = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "giftsUsed", args: [holder], query: { enabled: event.policy === "Capped" && held.length > 0 } });
  // Once cancelled, each refund pays the ticket's price times this ratio (1e18: in full; less only
  // if the escrow fell short, see RefundsOpened).
  const books = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "refundBooks", query: { enabled: event.cancelled } });
  // Admitted at the door, its checkIn not yet on chain: used, whatever the index says.
  const usedAtDoor = useDoorAdmissions(event.id, held.filter((t) => !t.checkedIn).map((t) => t.tokenId));
  const context = {
    holder,
    currency,
    image: meta.data?.image,
    zone: meta.data?.timezone,
    giftsLeft: event.policy === "Capped" && giftsUsed.data !== undefined ? BigInt(event.giftsPerHolder) - giftsUsed.data : undefined,
    refundRatio: books.data?.[1],
    now,
    online,
    onNotice,
  };
  return (
    <section className="event-group" aria-labelledby={`group-${event.id}`} data-testid="event-group" data-event={event.id}>
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
          {context.giftsLeft !== undefined && !event.cancelled && (
            <p className="small" data-testid={`gifts-left-${event.id}`}>
              {t("tickets.giftsLeft", { left: Math.max(0, event.giftsPerHolder - Number(giftsUsed.data)), total: event.giftsPerHolder })}
            </p>
          )}
        </div>
      </div>
      <ul className="ticket-rows">
        {tickets.map((ticket) => (
          <TicketRow
            key={ticket.id}
            ticket={usedAtDoor.has(ticket.tokenId) ? { ...ticket, checkedIn: true } : ticket}
            context={context}
            open={openId === ticket.id}
            onToggle={() => onToggle(ticket.id)}
          />
        ))}
      </ul>
    </section>
  );
}

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
    contracts: events.map((e) => ({ address: getAddress(e.id), abi: chainpassEventFanAbi, functionName: "credits", args: [holder] }) as const),
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
  const credits = useReadContract({ address, abi: chainpassEventFanAbi, functionName: "credits", args: [holder] });
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
              void tx.send(t("tickets.withdrawStep"), { address, abi: chainpassEventFanAbi, functionName: "withdrawCredits" }).then(refresh, ignoreTx);
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
                .send(t("tickets.withdrawToStep", { to: shortAddress(target) }), { address, abi: chainpassEventFanAbi, functionName: "withdrawCreditsTo", args: [target] })
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
