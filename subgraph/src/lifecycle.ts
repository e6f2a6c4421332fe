// The event's terms and life: EventCancelled, RefundsOpened, EventRescheduled, PayoutChanged,
// GiftAllowanceChanged, MetadataURIChanged.
import {
  EventCancelled,
  EventRescheduled,
  GiftAllowanceChanged,
  MetadataURIChanged,
  PayoutChanged,
  RefundsOpened,
} from "../generated/templates/EventTicket/IChainpassEvent";
import { Event, Ticket } from "../generated/schema";
import { refreshListing } from "./resale";

/** Sales, check-in and resale stop for good; holders may claim refunds. */
export function handleEventCancelled(event: EventCancelled): void {
  const ev = Event.load(event.address)!;
  ev.cancelled = true;
  ev.cancelledAt = event.params.timestamp;
  ev.cancelledBy = event.params.by;
  ev.save();

  // No listing of a cancelled event can be bought.
  const listings = ev.listings.load();
  for (let i = 0; i < listings.length; i++) {
    const listing = listings[i];
    if (!listing.open) continue;
    const ticket = Ticket.load(listing.ticket)!;
    refreshListing(listing, ticket, ev, event);
    listing.save();
    ticket.save();
  }
}

/** Logged with the cancellation: what each refund pays, of 10^18 of the ticket's price. */
export function handleRefundsOpened(event: RefundsOpened): void {
  const ev = Event.load(event.address)!;
  ev.refundRatio = event.params.ratio;
  ev.save();
}

/** Postponed: both times only move later. */
export function handleEventRescheduled(event: EventRescheduled): void {
  const ev = Event.load(event.address)!;
  ev.start = event.params.start;
  ev.end = event.params.end;
  ev.save();
}

export function handlePayoutChanged(event: PayoutChanged): void {
  const ev = Event.load(event.address)!;
  ev.payout = event.params.payout;
  ev.save();
}

export function handleGiftAllowanceChanged(event: GiftAllowanceChanged): void {
  const ev = Event.load(event.address)!;
  ev.giftsPerHolder = event.params.giftsPerHolder;
  ev.save();
}

export function handleMetadataURIChanged(event: MetadataURIChanged): void {
  const ev = Event.load(event.address)!;
  ev.metadataURI = event.params.metadataURI;
  ev.save();
}
