// The capped resale market: Listed, ListingUpdated, ListingCancelled, ResaleSold; and the
// listing state that transfers, check-ins, the deny list and a cancellation change.
import { BigInt, ethereum } from "@graphprotocol/graph-ts";

import {
  ListingCancelled,
  Listed,
  ListingUpdated,
  ResaleSold,
} from "../generated/templates/EventTicket/IChainpassEvent";
import { Account, Event, EventAccount, Listing, Sale, Ticket } from "../generated/schema";
import { BPS, eventAccountKey, getOrCreateAccount, logId, ticketKey } from "./helpers";

/**
 * Why a stored listing can or cannot be bought, in the contract's order of checks
 * (TicketResale._listingState; EventEnded is time and left to the reader).
 */
export function listingState(listing: Listing, ticket: Ticket, ev: Event): string {
  if (ev.cancelled) return "EventCancelled";
  if (ticket.refunded || !ticket.owner.equals(listing.seller)) return "TokenMoved";
  if (ticket.checkedIn) return "CheckedIn";
  const seller = EventAccount.load(eventAccountKey(ev.id, listing.seller));
  if (seller != null && seller.denied) return "SellerDenied";
  return "Active";
}

/**
 * Recomputes a stored listing's state and the ticket's activeListing. Saves neither: the
 * caller saves both.
 */
export function refreshListing(listing: Listing, ticket: Ticket, ev: Event, log: ethereum.Event): void {
  const state = listingState(listing, ticket, ev);
  listing.status = state;
  listing.buyable = state == "Active";
  listing.updatedAt = log.block.timestamp;
  ticket.activeListing = listing.buyable ? listing.id : null;
}

/** Refreshes the ticket's stored listing, if it has one (saves the listing, not the ticket). */
export function refreshTicketListing(ticket: Ticket, ev: Event, log: ethereum.Event): void {
  const listingId = ticket.listing;
  if (listingId === null) return;
  const listing = Listing.load(listingId)!;
  refreshListing(listing, ticket, ev, log);
  listing.save();
}

/**
 * The contract deleted the ticket's listing (`status`: Sold, Cancelled, Gifted, Refunded,
 * Replaced). Saves the listing, not the ticket.
 */
export function closeTicketListing(ticket: Ticket, status: string, log: ethereum.Event): Listing | null {
  const listingId = ticket.listing;
  if (listingId === null) return null;
  const listing = Listing.load(listingId)!;
  listing.status = status;
  listing.open = false;
  listing.buyable = false;
  listing.updatedAt = log.block.timestamp;
  listing.closedAt = log.block.timestamp;
  listing.save();
  ticket.listing = null;
  ticket.activeListing = null;
  return listing;
}

/**
 * A new listing. If the token still carried a listing of an earlier holder (a stale one under the
 * Open policy), the contract overwrote it: that one is Replaced.
 */
export function handleListed(event: Listed): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const seller = getOrCreateAccount(event.params.seller, event);
  closeTicketListing(ticket, "Replaced", event);

  const listing = new Listing(logId(event));
  listing.event = ev.id;
  listing.ticket = ticket.id;
  listing.tier = ticket.tier;
  listing.tokenId = event.params.tokenId;
  listing.seller = seller.id;
  listing.price = event.params.price;
  listing.open = true;
  listing.sale = null;
  listing.createdAt = event.block.timestamp;
  listing.createdAtBlock = event.block.number;
  listing.closedAt = null;
  ticket.listing = listing.id;
  refreshListing(listing, ticket, ev, event);
  listing.save();
  ticket.save();
}

export function handleListingUpdated(event: ListingUpdated): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const listing = Listing.load(ticket.listing!)!;
  listing.price = event.params.price;
  refreshListing(listing, ticket, ev, event);
  listing.save();
  ticket.save();
}

/** Cancelled by its seller, or by the token's current holder when the listing is stale. */
export function handleListingCancelled(event: ListingCancelled): void {
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  closeTicketListing(ticket, "Cancelled", event);
  ticket.save();
}

/**
 * Logged after the Transfer to the buyer, so the ticket's owner is already the buyer; the seller
 * is the listing's; royalty and fee follow from the event's terms (fixed at creation), as the
 * contract computes them.
 */
export function handleResaleSold(event: ResaleSold): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const price = event.params.price;
  const royalty = price.times(BigInt.fromI32(ev.royaltyBps)).div(BPS);
  const fee = price.times(BigInt.fromI32(ev.platformFeeBps)).div(BPS);

  const sale = new Sale(logId(event));
  // A sale always buys a stored listing (the contract refuses otherwise).
  const listing = closeTicketListing(ticket, "Sold", event)!;
  listing.sale = sale.id;
  listing.save();
  sale.listing = listing.id;
  const seller = Account.load(listing.seller)!;
  const buyer = Account.load(ticket.owner)!;
  sale.kind = "Resale";
  sale.event = ev.id;
  sale.tier = ticket.tier;
  sale.buyer = buyer.id;
  sale.recipient = buyer.id;
  sale.seller = seller.id;
  sale.ticket = ticket.id;
  sale.tickets = [ticket.id];
  sale.quantity = BigInt.fromI32(1);
  sale.unitPrice = price;
  sale.amount = price;
  sale.royalty = royalty;
  sale.fee = fee;
  sale.sellerProceeds = price.minus(royalty).minus(fee);
  sale.voucher = null;
  sale.discount = BigInt.zero();
  sale.channel = null;
  sale.commission = BigInt.zero();
  sale.unset("memberLevel"); // null
  sale.pointsSpent = BigInt.zero();
  sale.timestamp = event.block.timestamp;
  sale.blockNumber = event.block.number;
  sale.transactionHash = event.transaction.hash;
  sale.save();
  ticket.save();

  ev.ticketsResold = ev.ticketsResold.plus(BigInt.fromI32(1));
  ev.resaleVolume = ev.resaleVolume.plus(price);
  ev.royalties = ev.royalties.plus(royalty);
  ev.platformFees = ev.platformFees.plus(fee);
  ev.save();
}
