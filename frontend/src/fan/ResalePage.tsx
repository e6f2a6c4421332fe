// Resale market of one event, cheapest first: buy a listed ticket (approve first for ERC-20).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { erc20Abi, getAddress, isAddressEqual, type Address } from "viem";
import { useAccount, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_PAGE, RESALE_LISTINGS, type EventPage as EventPageResult, type ResaleListing, type ResaleListings } from "../../../lib/index/index.js";
import { currencyOf, formatAmount, formatDateTime, formatTime, shortAddress, type Currency } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useEventMetadata } from "../shared/metadata.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, Loading, QueryStatus, TxStatus } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import { useDoorAdmissions } from "../shared/door.js";
import "./fan.css";
import "./messages.js";
import { bps, hasSlot, lower } from "./util.js";

export function ResalePage() {
  const { t, i18n } = useTranslation("fan");
  const eventAddress = lower(useParams().event ?? "");
  const eventQuery = useIndexQuery<EventPageResult>(EVENT_PAGE, { event: eventAddress });
  const listings = useIndexQuery<ResaleListings>(RESALE_LISTINGS, { event: eventAddress }, { refetchInterval: 10_000 });
  const event = eventQuery.data?.event;
  const meta = useEventMetadata(event?.metadataURI);
  const now = useNow(10_000);
  // A listing being bought stays on screen after it leaves the market, with its outcome.
  const [kept, setKept] = useState<ResaleListing[]>([]);
  // Admitted at the door, its checkIn not yet on chain: used, whatever the index says.
  const usedAtDoor = useDoorAdmissions(eventAddress, [...(listings.data?.listings ?? []), ...kept].map((l) => l.tokenId));

  if (eventQuery.isLoading) return <Loading />;
  if (eventQuery.error) return <ErrorState error={eventQuery.error} onRetry={() => void eventQuery.refetch()} />;
  if (!event) return <p className="card center">{t("event.notFound")}</p>;
  const currency = currencyOf(event.currency);
  const ended = BigInt(event.end) <= BigInt(now);
  const current = ended || event.cancelled ? [] : (listings.data?.listings ?? []);
  const shown = [...current, ...kept.filter((k) => !current.some((c) => c.id === k.id))];

  return (
    <section className="fan resale">
      <p>
        <Link to={`/events/${eventAddress}`}>← {meta.data?.name ?? event.name}</Link>
      </p>
      <h1>{t("resale.title")}</h1>
      <p className="muted">
        {t("resale.royalty", { percent: bps(event.royaltyBps) })}
        {event.resaleCapBps > 0 && <> {t("event.resaleCap", { percent: bps(event.resaleCapBps) })}</>}
      </p>
      {ended && <p className="notice">{t("resale.ended")}</p>}
      <QueryStatus query={listings} empty={shown.length === 0 && !ended} emptyText={t("resale.none")} emptyClassName="card center muted" />
      <div className="grid">
        {shown.map((listing) => (
          <ListingCard
            key={listing.id}
            listing={listing}
            eventAddress={getAddress(eventAddress)}
            currency={currency}
            locale={i18n.language}
            usedAtDoor={usedAtDoor.has(listing.tokenId)}
            onBuying={() => setKept((all) => (all.some((k) => k.id === listing.id) ? all : [...all, listing]))}
          />
        ))}
      </div>
    </section>
  );
}

function ListingCard({
  listing,
  eventAddress,
  currency,
  locale,
  usedAtDoor,
  onBuying,
}: {
  listing: ResaleListing;
  eventAddress: Address;
  currency: Currency;
  locale: string;
  usedAtDoor: boolean;
  onBuying: () => void;
}) {
  const { t } = useTranslation("fan");
  const config = useConfig();
  const { address: me } = useAccount();
  const tx = useTransactions({ currency });
  const price = BigInt(listing.price);
  const mine = !!me && isAddressEqual(me, listing.seller.id);

  async function buy() {
    if (!me) return;
    tx.reset();
    onBuying();
    try {
      if (!currency.native) {
        const allowance = await readContract(config, { address: currency.address, abi: erc20Abi, functionName: "allowance", args: [me, eventAddress] });
        if (allowance < price) {
          await tx.send(t("checkout.approveStep", { symbol: currency.symbol }), { address: currency.address, abi: erc20Abi, functionName: "approve", args: [eventAddress, price] });
        }
      }
      await tx.send(t("resale.buyStep"), {
        address: eventAddress,
        abi: chainpassEventAbi,
        functionName: "buyListing",
        args: [BigInt(listing.tokenId)],
        value: currency.native ? price : undefined,
      });
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
    }
  }

  const done = tx.steps.length > 0 && tx.steps.every((s) => s.status === "confirmed");
  return (
    <article className="card listing-card" data-testid={`listing-${listing.tokenId}`} data-event={eventAddress.toLowerCase()}>
      <div className="spread">
        <h3>{listing.tier.name}</h3>
        <strong className="price">{formatAmount(price, currency, locale)}</strong>
      </div>
      {listing.ticket.seatLabel && <p>{listing.ticket.seatLabel}</p>}
      {hasSlot(listing.ticket) && (
        <p className="small">
          {t("tier.slot", { start: formatTime(listing.ticket.entryStart, locale), end: formatTime(listing.ticket.entryEnd, locale), day: formatDateTime(listing.ticket.entryStart, locale, { dateStyle: "medium" }) })}
        </p>
      )}
      <p className="small muted">{t("resale.faceValue", { price: formatAmount(listing.tier.price, currency, locale) })}</p>
      <p className="small muted">{t("resale.seller", { seller: shortAddress(listing.seller.id) })}</p>
      {usedAtDoor && !done && (
        <p className="badges">
          <span className="badge bad" data-testid={`used-at-door-${listing.tokenId}`}>
            {t("tickets.usedAtDoor")}
          </span>
        </p>
      )}
      {done ? (
        <p className="notice ok">
          {t("resale.bought")} <Link to="/tickets">{t("checkout.goToTickets")}</Link>
        </p>
      ) : usedAtDoor ? null : (
        <button type="button" className="primary" disabled={!me || mine || tx.busy} onClick={() => void buy()} data-testid={`buy-listing-${listing.tokenId}`}>
          {!me ? t("resale.connect") : mine ? t("resale.yours") : t("resale.buy", { price: formatAmount(price, currency, locale) })}
        </button>
      )}
      <TxStatus steps={tx.steps} />
    </article>
  );
}
