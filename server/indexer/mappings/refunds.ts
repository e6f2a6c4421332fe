// Refunds: Refunded (claimRefund after a cancellation, or the organizer's refundTicket before
// the event). The ticket's burn (Transfer to 0x0) and, with a release, InventoryReleased are
// logged just before. Returns: TicketReturned (after the burn; the place is back on sale);
// exchanges: TicketExchanged (after the old ticket's burn and the new one's mint); the refund
// policy, RefundPolicySet. Mirror of subgraph/src/refunds.ts.
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateAccount, logId, ticketKey } from "./helpers.js";
import { getOrCreatePendingPurchase } from "./sales.js";
import { releasePlace } from "./tiers.js";
import { closeTicketListing } from "./resale.js";

export function handleRefunded(event: TicketEvent<"Refunded">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const tier = store.load("Tier", ticket.tier)!;
  const holder = getOrCreateAccount(store, event.params.holder, event);
  const recipient = getOrCreateAccount(store, event.params.recipient, event);
  const amount = event.params.amount;

  store.save("Refund", {
    id: logId(event),
    event: ev.id,
    tier: tier.id,
    ticket: ticket.id,
    tokenId: event.params.tokenId,
    holder: holder.id,
    recipient: recipient.id,
    amount,
    // Claims need a cancelled event; refundTicket needs a live one.
    kind: ev.cancelled ? "Claim" : "Organizer",
    released: ticket.released,
    kept: 0n,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });

  // Burning deleted the listing.
  closeTicketListing(store, ticket, "Refunded", event);
  ticket.refunded = true;
  ticket.refundedAt = event.block.timestamp;
  store.save("Ticket", ticket);

  tier.refunded += 1n;
  store.save("Tier", tier);
  ev.ticketsRefunded += 1n;
  ev.refundedAmount += amount;
  store.save("Event", ev);
}

export function handleTicketReturned(event: TicketEvent<"TicketReturned">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const tier = store.load("Tier", ticket.tier)!;
  const holder = getOrCreateAccount(store, event.params.holder, event);
  const refunded = event.params.refunded;
  const kept = event.params.kept;

  releasePlace(tier);
  store.save("Refund", {
    id: logId(event),
    event: ev.id,
    tier: tier.id,
    ticket: ticket.id,
    tokenId: event.params.tokenId,
    holder: holder.id,
    recipient: holder.id,
    amount: refunded,
    kind: "Return",
    released: true,
    kept,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });

  // Burning deleted any listing kept for the token.
  closeTicketListing(store, ticket, "Refunded", event);
  ticket.refunded = true;
  ticket.refundedAt = event.block.timestamp;
  ticket.released = true;
  store.save("Ticket", ticket);

  tier.refunded += 1n;
  store.save("Tier", tier);
  ev.ticketsRefunded += 1n;
  ev.refundedAmount += refunded;
  ev.ticketsReturned += 1n;
  ev.returnsKept += kept;
  store.save("Event", ev);
}

export function handleRefundPolicySet(event: TicketEvent<"RefundPolicySet">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.refundDeadlines = event.params.steps.map((step) => BigInt(step.secondsBefore));
  ev.refundShares = event.params.steps.map((step) => Number(step.shareBps));
  ev.exchangesOffered = event.params.exchanges;
  store.save("Event", ev);
}

/**
 * The old ticket is burned (its place back on sale) and refunded the share of a cheaper target's
 * difference; the new one, minted just before, is priced and counted as sold. Revenue and refunds
 * count only the money that moved: the difference paid, the share refunded.
 */
export function handleTicketExchanged(event: TicketEvent<"TicketExchanged">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const old = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const oldTier = store.load("Tier", old.tier)!;
  const holder = getOrCreateAccount(store, event.params.holder, event);
  const { price, paid, refunded } = event.params;
  const newId = ticketKey(event.address, event.params.newTokenId);
  const kept = old.pricePaid > price ? old.pricePaid - price - refunded : 0n;

  releasePlace(oldTier);
  oldTier.refunded += 1n;
  store.save("Tier", oldTier);
  store.save("Refund", {
    id: logId(event),
    event: ev.id,
    tier: oldTier.id,
    ticket: old.id,
    tokenId: event.params.tokenId,
    holder: holder.id,
    recipient: holder.id,
    amount: refunded,
    kind: "Exchange",
    released: true,
    kept,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  closeTicketListing(store, old, "Refunded", event);
  old.refunded = true;
  old.refundedAt = event.block.timestamp;
  old.released = true;
  old.exchangedFor = newId;
  store.save("Ticket", old);

  // The new ticket's mint waits in this transaction's pending purchase: it has no sale of its own.
  const pending = getOrCreatePendingPurchase(store, event.address, event.transaction.hash);
  store.remove("PendingPurchase", pending.id);
  const fresh = store.load("Ticket", newId)!;
  fresh.pricePaid = price;
  store.save("Ticket", fresh);
  const newTier = store.load("Tier", fresh.tier)!;
  newTier.sold += 1n;
  newTier.revenue += paid;
  store.save("Tier", newTier);

  ev.ticketsSold += 1n;
  ev.ticketsRefunded += 1n;
  ev.ticketsExchanged += 1n;
  ev.primaryRevenue += paid;
  ev.refundedAmount += refunded;
  store.save("Event", ev);
}
