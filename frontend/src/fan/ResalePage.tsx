// Resale market of one event, cheapest first: buy a listed ticket (approve first for ERC-20).
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { erc20Abi, getAddress, isAddressEqual, type Address } from "viem";
import { useAccount, useConfig, useReadContract } from "wagmi";
import { readContract } from "wagmi/actions";

import { chainpassEventFanAbi } from "../../../lib/abi/index.js";
import { available, EVENT_PAGE, RESALE_LISTINGS, type EventPage as EventPageResult, type ResaleListing, type ResaleListings } from "../../../lib/index/index.js";
import { currencyOf, formatAmount, formatDateTimeRange, type Currency } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { useEventMetadata } from "../shared/metadata.js";
import { EstimateNote, UsdEstimate } from "../shared/price-estimate.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, Loading, QueryStatus, ShortAddress, TxStatus } from "../shared/ui.js";
import { useNow } from "../shared/clock.js";
import { useDoorAdmissions } from "../shared/door.js";
import "./fan.css";
import "./messages.js";
import { bps, hasSlot, lower, priceNow, saleState } from "./util.js";

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
  // Tiers still on sale new, at their price now: a buyer sees when new is the better deal.
  const newPrices = new Map(
    event.tiers.filter((tier) => saleState(tier, now, event.cancelled) === "open" && available(tier) > 0n).map((tier) => [tier.tierId, priceNow(tier, now)] as const),
  );

  return (
    <section className="fan resale">
      <p>
        <Link to={`/events/${eventAddress}`}>← {meta.data?.name ?? event.name}</Link>
      </p>
      <h1>{t("resale.title")}</h1>
      <p className="muted" data-testid="resale-fees">
        {t("event.resaleFees", { royalty: bps(event.royaltyBps), fee: bps(event.platformFeeBps) })}
        {event.resaleCapBps > 0 && <> {t("event.resaleCap", { percent: bps(event.resaleCapBps) })}</>}
      </p>
      <p className="muted small" data-testid="resale-refund-rule">
        {t("resale.refundRule")}
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
            zone={meta.data?.timezone}
            usedAtDoor={usedAtDoor.has(listing.tokenId)}
            newFrom={newPrices.get(listing.tier.tierId)}
            onBuying={() => setKept((all) => (all.some((k) => k.id === listing.id) ? all : [...all, listing]))}
          />
        ))}
      </div>
      {shown.length > 0 && <EstimateNote currency={currency} />}
    </section>
  );
}

/** Refusals of a listing whose price is no longer the one shown (raised; or, in ETH, lowered). */
const PRICE_MOVED = new Set(["PriceAboveLimit", "IncorrectPayment"]);

function ListingCard({
  listing,
  eventAddress,
  currency,
  locale,
  zone,
  usedAtDoor,
  newFrom,
  onBuying,
}: {
  listing: ResaleListing;
  eventAddress: Address;
  currency: Currency;
  locale: string;
  /** The venue's time zone (from the event metadata). */
  zone: string | undefined;
  usedAtDoor: boolean;
  /** The same tier's price new, while it is on sale. */
  newFrom?: bigint;
  onBuying: () => void;
}) {
  const { t } = useTranslation("fan");
  const config = useConfig();
  const { address: me } = useAccount();
  const queryClient = useQueryClient();
  const tx = useTransactions({ currency, zone });
  const price = BigInt(listing.price);
  const tokenId = BigInt(listing.tokenId);
  const mine = !!me && isAddressEqual(me, listing.seller.id);
  // What a cancellation would refund the buyer: the price the ticket was first bought for, which
  // the contract keeps with the token (the resale price is not refunded).
  const refund = useReadContract({ address: eventAddress, abi: chainpassEventFanAbi, functionName: "pricePaid", args: [tokenId] });

  async function buy() {
    if (!me) return;
    // The price on the card is the most this purchase may cost (maxPrice): if the seller raised it
    // since, the contract refuses with PriceAboveLimit.
    const shownPrice = price;
    tx.reset();
    onBuying();
    try {
      if (!currency.native) {
        const allowance = await readContract(config, { address: currency.address, abi: erc20Abi, functionName: "allowance", args: [me, eventAddress] });
        if (allowance < shownPrice) {
          await tx.send(t("checkout.approveStep", { symbol: currency.symbol }), { address: currency.address, abi: erc20Abi, functionName: "approve", args: [eventAddress, shownPrice] });
        }
      }
      await tx.send(t("resale.buyStep"), {
        address: eventAddress,
        abi: chainpassEventFanAbi,
        functionName: "buyListing",
        args: [tokenId, shownPrice],
        value: currency.native ? shownPrice : undefined,
      });
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
      // The seller changed the price: show the listing as it is now.
      if (PRICE_MOVED.has(error.decoded.name)) void queryClient.invalidateQueries({ queryKey: ["index", RESALE_LISTINGS] });
    }
  }

  const done = tx.steps.length > 0 && tx.steps.every((s) => s.status === "confirmed");
  return (
    <article className="card listing-card" data-testid={`listing-${listing.tokenId}`} data-event={eventAddress.toLowerCase()}>
      <div className="spread">
        <h3>{listing.tier.name}</h3>
        <span>
          <strong className="price">{formatAmount(price, currency, locale)}</strong>
          <UsdEstimate amount={price} currency={currency} testId={`usd-listing-${listing.tokenId}`} />
        </span>
      </div>
      {listing.ticket.seatLabel && <p>{listing.ticket.seatLabel}</p>}
      {hasSlot(listing.ticket) && (
        <p className="small">
          {t("tier.slot", { slot: formatDateTimeRange(listing.ticket.entryStart, listing.ticket.entryEnd, locale, zone) })}
        </p>
      )}
      <p className="small muted">{t("resale.faceValue", { price: formatAmount(listing.tier.price, currency, locale) })}</p>
      {newFrom !== undefined && (
        <p className={`small ${newFrom < price ? "warn-text" : "muted"}`} data-testid={`new-from-${listing.tokenId}`}>
          {t("resale.newFrom", { price: formatAmount(newFrom, currency, locale) })} ·{" "}
          <Link to={`/events/${eventAddress.toLowerCase()}/checkout/${listing.tier.tierId}`}>{t("resale.buyNew")}</Link>
        </p>
      )}
      <p className="small" data-testid={`refund-value-${listing.tokenId}`}>
        {t("resale.refundValue", { amount: refund.data !== undefined ? formatAmount(refund.data, currency, locale) : "…" })}
        {refund.data !== undefined && refund.data < price && <span className="muted"> {t("resale.refundBelowPrice")}</span>}
      </p>
      <p className="small muted" data-testid={`seller-${listing.tokenId}`}>
        {t("resale.seller")} <ShortAddress address={listing.seller.id} />
      </p>
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
