// Ownership: ERC-721 Transfer (mint, transfer, burn) and Gifted. Mirror of subgraph/src/transfers.ts.
import type { Ticket } from "../generated/entities.js";
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateAccount, getOrCreateEventAccount, logId, seatLabel, serialOf, ticketKey, tierIdOf, tierKey, ZERO_ADDRESS } from "./helpers.js";
import { bookSlot } from "./calendars.js";
import { closeTicketListing, refreshTicketListing } from "./resale.js";
import { addMintToPendingPurchase } from "./sales.js";

/**
 * A new ticket (or, for a seat an organizer refund released, the same token id minted again:
 * every field starts over). Its price is set by the TicketsPurchased that follows.
 */
function mintTicket(store: HandlerStore, event: TicketEvent<"Transfer">): Ticket {
  const tokenId = event.params.tokenId;
  const tier = store.load("Tier", tierKey(event.address, tierIdOf(tokenId)))!;
  const serial = serialOf(tokenId);
  const ticket: Ticket = {
    id: ticketKey(event.address, tokenId),
    event: event.address,
    tier: tier.id,
    tokenId,
    serial,
    owner: event.params.to,
    pricePaid: 0n,
    faceValue: tier.price,
    purchase: null,
    channel: null,
    seatLabel: seatLabel(store, tier, serial),
    entryStart: tier.entryStart,
    entryEnd: tier.entryEnd,
    checkedIn: false,
    checkedInAt: null,
    checkIn: null,
    refunded: false,
    refundedAt: null,
    released: false,
    exchangedFor: null,
    listing: null,
    activeListing: null,
    slot: null,
    pointsEarned: 0n,
    pointsEarner: null,
    pointsPaid: 0n,
    pointsPayer: null,
    mintedAt: event.block.timestamp,
    mintedAtBlock: event.block.number,
  };
  if (tier.calendar !== null) bookSlot(store, event.address, tier.calendar, ticket);
  return ticket;
}

export function handleTransfer(event: TicketEvent<"Transfer">, store: HandlerStore) {
  const from = getOrCreateAccount(store, event.params.from, event);
  const to = getOrCreateAccount(store, event.params.to, event);
  const tokenId = event.params.tokenId;

  let kind = "Transfer";
  let ticket: Ticket;
  if (event.params.from === ZERO_ADDRESS) {
    kind = "Mint";
    ticket = mintTicket(store, event);
    store.save("Ticket", ticket);
    addMintToPendingPurchase(store, event.address, event.transaction.hash, ticket.id);
  } else if (event.params.to === ZERO_ADDRESS) {
    // Burns happen only in refunds; handleRefunded (logged next) marks the ticket. The owner
    // stays the holder it was refunded from.
    kind = "Burn";
    ticket = store.load("Ticket", ticketKey(event.address, tokenId))!;
  } else {
    ticket = store.load("Ticket", ticketKey(event.address, tokenId))!;
    ticket.owner = to.id;
    // Under the Open policy a listing survives a transfer: it is void while its seller does not
    // hold the token, and live again if the token comes back.
    const ev = store.load("Event", event.address)!;
    refreshTicketListing(store, ticket, ev, event);
    store.save("Ticket", ticket);
  }

  store.save("Transfer", {
    id: logId(event),
    event: event.address,
    ticket: ticket.id,
    tokenId,
    from: from.id,
    to: to.id,
    kind,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
}

/**
 * A free gift, logged before its Transfer. The contract deletes the ticket's listing. giftsUsed
 * is counted only under the Capped policy before the end (0 otherwise).
 */
export function handleGifted(event: TicketEvent<"Gifted">, store: HandlerStore) {
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  closeTicketListing(store, ticket, "Gifted", event);
  store.save("Ticket", ticket);

  const from = getOrCreateAccount(store, event.params.from, event);
  const to = getOrCreateAccount(store, event.params.to, event);
  const giftsUsed = Number(event.params.giftsUsed);
  if (giftsUsed > 0) {
    const member = getOrCreateEventAccount(store, event.address, event.params.from, event);
    member.giftsUsed = giftsUsed;
    store.save("EventAccount", member);
  }

  store.save("Gift", {
    id: logId(event),
    event: event.address,
    ticket: ticket.id,
    tokenId: event.params.tokenId,
    from: from.id,
    to: to.id,
    giftsUsed,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
}
