// The event's terms and life: EventCancelled, RefundsOpened, EventRescheduled, PayoutChanged,
// GiftAllowanceChanged, MetadataURIChanged. Mirror of subgraph/src/lifecycle.ts.
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { refreshListing } from "./resale.js";

/** Sales, check-in and resale stop for good; holders may claim refunds. */
export function handleEventCancelled(event: TicketEvent<"EventCancelled">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.cancelled = true;
  ev.cancelledAt = event.params.timestamp;
  ev.cancelledBy = event.params.by;
  store.save("Event", ev);

  // No listing of a cancelled event can be bought.
  for (const listing of store.loadDerived("Event", ev.id, "listings")) {
    if (!listing.open) continue;
    const ticket = store.load("Ticket", listing.ticket)!;
    refreshListing(store, listing, ticket, ev, event);
    store.save("Listing", listing);
    store.save("Ticket", ticket);
  }
}

/** Logged with the cancellation: what each refund pays, of 10^18 of the ticket's price. */
export function handleRefundsOpened(event: TicketEvent<"RefundsOpened">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.refundRatio = event.params.ratio;
  store.save("Event", ev);
}

/** Postponed: both times only move later. */
export function handleEventRescheduled(event: TicketEvent<"EventRescheduled">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.start = BigInt(event.params.start);
  ev.end = BigInt(event.params.end);
  store.save("Event", ev);
}

export function handlePayoutChanged(event: TicketEvent<"PayoutChanged">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.payout = event.params.payout;
  store.save("Event", ev);
}

export function handleGiftAllowanceChanged(event: TicketEvent<"GiftAllowanceChanged">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.giftsPerHolder = event.params.giftsPerHolder;
  store.save("Event", ev);
}

export function handleMetadataURIChanged(event: TicketEvent<"MetadataURIChanged">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.metadataURI = event.params.metadataURI;
  store.save("Event", ev);
}
