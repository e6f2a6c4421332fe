// Refunds: Refunded (claimRefund after a cancellation, or the organizer's refundTicket before
// the event). The ticket's burn (Transfer to 0x0) and, with a release, InventoryReleased are
// logged just before. Returns: TicketReturned (after the burn; the place is back on sale);
// exchanges: TicketExchanged (after the old ticket's burn and the new one's mint); the refund
// policy, RefundPolicySet. Mirror of subgraph/src/refunds.ts.
import type { Event, Ticket, Tier } from "../generated/entities.js";
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateAccount, logId, ticketKey } from "./helpers.js";
import { getOrCreatePendingPurchase } from "./sales.js";
import { releasePlace } from "./tiers.js";
import { closeTicketListing } from "./resale.js";
import { moveTicketPoints, reverseTicketPoints } from "./membership.js";

type RefundLog = TicketEvent<"Refunded" | "TicketReturned" | "TicketExchanged">;

/**
 * Records a refunded ticket, whatever the kind: the Refund, the ticket marked refunded (its
 * listing closed: the burn deleted it) and the counters. Saves the ticket; the caller saves the
 * tier and the event, which it may change further.
 */
function recordRefund(
  store: HandlerStore,
  event: RefundLog,
  { ev, tier, ticket }: { ev: Event; tier: Tier; ticket: Ticket },
  refund: { recipient: `0x${string}`; amount: bigint; kind: string; released: boolean; kept: bigint },
) {
  const holder = getOrCreateAccount(store, event.params.holder, event);
  const recipient = getOrCreateAccount(store, refund.recipient, event);
  store.save("Refund", {
    id: logId(event),
    event: ev.id,
    tier: tier.id,
    ticket: ticket.id,
    tokenId: event.params.tokenId,
    holder: holder.id,
    recipient: recipient.id,
    amount: refund.amount,
    kind: refund.kind,
    released: refund.released,
    kept: refund.kept,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  closeTicketListing(store, ticket, "Refunded", event);
  // An exchanged ticket's points go with it to the new ticket (handleTicketExchanged).
  if (refund.kind !== "Exchange") reverseTicketPoints(store, event, ev, ticket);
  ticket.refunded = true;
  ticket.refundedAt = event.block.timestamp;
  ticket.released ||= refund.released;
  store.save("Ticket", ticket);
  tier.refunded += 1n;
  ev.ticketsRefunded += 1n;
  ev.refundedAmount += refund.amount;
}

/** The refunded ticket, its tier and its event. */
function loadRefunded(store: HandlerStore, event: RefundLog) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const tier = store.load("Tier", ticket.tier)!;
  return { ev, tier, ticket };
}

export function handleRefunded(event: TicketEvent<"Refunded">, store: HandlerStore) {
  const refunded = loadRefunded(store, event);
  recordRefund(store, event, refunded, {
    recipient: event.params.recipient,
    amount: event.params.amount,
    // Claims need a cancelled event; refundTicket needs a live one.
    kind: refunded.ev.cancelled ? "Claim" : "Organizer",
    released: refunded.ticket.released,
    kept: 0n,
  });
  store.save("Tier", refunded.tier);
  store.save("Event", refunded.ev);
}

export function handleTicketReturned(event: TicketEvent<"TicketReturned">, store: HandlerStore) {
  const returned = loadRefunded(store, event);
  const { ev, tier } = returned;
  releasePlace(store, tier, returned.ticket);
  recordRefund(store, event, returned, { recipient: event.params.holder, amount: event.params.refunded, kind: "Return", released: true, kept: event.params.kept });
  store.save("Tier", tier);
  ev.ticketsReturned += 1n;
  ev.returnsKept += event.params.kept;
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
  const exchanged = loadRefunded(store, event);
  const { ev, tier: oldTier, ticket: old } = exchanged;
  const { price, paid, refunded } = event.params;
  const newId = ticketKey(event.address, event.params.newTokenId);
  const kept = old.pricePaid > price ? old.pricePaid - price - refunded : 0n;

  releasePlace(store, oldTier, old);
  old.exchangedFor = newId;
  recordRefund(store, event, exchanged, { recipient: event.params.holder, amount: refunded, kind: "Exchange", released: true, kept });
  store.save("Tier", oldTier);

  // The new ticket's mint waits in this transaction's pending purchase: it has no sale of its own.
  const pending = getOrCreatePendingPurchase(store, event.address, event.transaction.hash);
  store.remove("PendingPurchase", pending.id);
  const fresh = store.load("Ticket", newId)!;
  fresh.pricePaid = price;
  moveTicketPoints(old, fresh);
  store.save("Ticket", fresh);
  // Moved to the old ticket's sales channel (its ChannelSale came with the mint).
  if (fresh.channel) {
    const channel = store.load("Channel", fresh.channel)!;
    channel.revenue += price;
    store.save("Channel", channel);
  }
  const newTier = store.load("Tier", fresh.tier)!;
  newTier.sold += 1n;
  newTier.revenue += paid;
  store.save("Tier", newTier);

  ev.ticketsSold += 1n;
  ev.ticketsExchanged += 1n;
  ev.primaryRevenue += paid;
  store.save("Event", ev);
}
