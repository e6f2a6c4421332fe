// The capped resale market: Listed, ListingUpdated, ListingCancelled, ResaleSold; and the
// listing state that transfers, check-ins, the deny list and a cancellation change.
// Mirror of subgraph/src/resale.ts.
import type { Event, Listing, Ticket } from "../generated/entities.js";
import type { ChainEvent, HandlerStore, TicketEvent } from "../mapping.js";
import { BPS, eventAccountKey, getOrCreateAccount, logId, ticketKey } from "./helpers.js";

/**
 * Why a stored listing can or cannot be bought, in the contract's order of checks
 * (TicketResale._listingState; EventEnded is time and left to the reader).
 */
export function listingState(store: HandlerStore, listing: Listing, ticket: Ticket, ev: Event): string {
  if (ev.cancelled) return "EventCancelled";
  if (ticket.refunded || ticket.owner !== listing.seller) return "TokenMoved";
  if (ticket.checkedIn) return "CheckedIn";
  const seller = store.load("EventAccount", eventAccountKey(ev.id, listing.seller));
  if (seller !== null && seller.denied) return "SellerDenied";
  return "Active";
}

/**
 * Recomputes a stored listing's state and the ticket's activeListing. Saves neither: the
 * caller saves both.
 */
export function refreshListing(store: HandlerStore, listing: Listing, ticket: Ticket, ev: Event, log: ChainEvent<unknown>) {
  const state = listingState(store, listing, ticket, ev);
  listing.status = state;
  listing.buyable = state === "Active";
  listing.updatedAt = log.block.timestamp;
  ticket.activeListing = listing.buyable ? listing.id : null;
}

/** Refreshes the ticket's stored listing, if it has one (saves the listing, not the ticket). */
export function refreshTicketListing(store: HandlerStore, ticket: Ticket, ev: Event, log: ChainEvent<unknown>) {
  if (ticket.listing === null) return;
  const listing = store.load("Listing", ticket.listing)!;
  refreshListing(store, listing, ticket, ev, log);
  store.save("Listing", listing);
}

/**
 * The contract deleted the ticket's listing (`status`: Sold, Cancelled, Gifted, Refunded,
 * Replaced). Saves the listing, not the ticket.
 */
export function closeTicketListing(store: HandlerStore, ticket: Ticket, status: string, log: ChainEvent<unknown>): Listing | null {
  if (ticket.listing === null) return null;
  const listing = store.load("Listing", ticket.listing)!;
  listing.status = status;
  listing.open = false;
  listing.buyable = false;
  listing.updatedAt = log.block.timestamp;
  listing.closedAt = log.block.timestamp;
  store.save("Listing", listing);
  ticket.listing = null;
  ticket.activeListing = null;
  return listing;
}

/**
 * A new listing. If the token still carried a listing of an earlier holder (a stale one under the
 * Open policy), the contract overwrote it: that one is Replaced.
 */
export function handleListed(event: TicketEvent<"Listed">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const seller = getOrCreateAccount(store, event.params.seller, event);
  closeTicketListing(store, ticket, "Replaced", event);

  const listing: Listing = {
    id: logId(event),
    event: ev.id,
    ticket: ticket.id,
    tier: ticket.tier,
    tokenId: event.params.tokenId,
    seller: seller.id,
    price: event.params.price,
    status: "Active",
    open: true,
    buyable: true,
    sale: null,
    createdAt: event.block.timestamp,
    createdAtBlock: event.block.number,
    updatedAt: event.block.timestamp,
    closedAt: null,
  };
  ticket.listing = listing.id;
  refreshListing(store, listing, ticket, ev, event);
  store.save("Listing", listing);
  store.save("Ticket", ticket);
}

export function handleListingUpdated(event: TicketEvent<"ListingUpdated">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const listing = store.load("Listing", ticket.listing!)!;
  listing.price = event.params.price;
  refreshListing(store, listing, ticket, ev, event);
  store.save("Listing", listing);
  store.save("Ticket", ticket);
}

/** Cancelled by its seller, or by the token's current holder when the listing is stale. */
export function handleListingCancelled(event: TicketEvent<"ListingCancelled">, store: HandlerStore) {
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  closeTicketListing(store, ticket, "Cancelled", event);
  store.save("Ticket", ticket);
}

/**
 * Logged after the Transfer to the buyer, so the ticket's owner is already the buyer; the seller
 * is the listing's; royalty and fee follow from the event's terms (fixed at creation), as the
 * contract computes them.
 */
export function handleResaleSold(event: TicketEvent<"ResaleSold">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const price = event.params.price;
  const royalty = (price * BigInt(ev.royaltyBps)) / BPS;
  const fee = (price * BigInt(ev.platformFeeBps)) / BPS;

  const saleId = logId(event);
  // A sale always buys a stored listing (the contract refuses otherwise).
  const listing = closeTicketListing(store, ticket, "Sold", event)!;
  listing.sale = saleId;
  store.save("Listing", listing);
  const seller = store.load("Account", listing.seller)!;
  const buyer = store.load("Account", ticket.owner)!;
  store.save("Sale", {
    id: saleId,
    kind: "Resale",
    event: ev.id,
    tier: ticket.tier,
    buyer: buyer.id,
    recipient: buyer.id,
    seller: seller.id,
    ticket: ticket.id,
    tickets: [ticket.id],
    quantity: 1n,
    unitPrice: price,
    amount: price,
    royalty,
    fee,
    sellerProceeds: price - royalty - fee,
    voucher: null,
    discount: 0n,
    channel: null,
    commission: 0n,
    memberLevel: null,
    pointsSpent: 0n,
    listing: listing.id,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  store.save("Ticket", ticket);

  ev.ticketsResold += 1n;
  ev.resaleVolume += price;
  ev.royalties += royalty;
  ev.platformFees += fee;
  store.save("Event", ev);
}
