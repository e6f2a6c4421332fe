// Refunds: Refunded (claimRefund after a cancellation, or the organizer's refundTicket before
// the event). The ticket's burn (Transfer to 0x0) and, with a release, InventoryReleased are
// logged just before. Returns: TicketReturned (after the burn; the place is back on sale);
// exchanges: TicketExchanged (after the old ticket's burn and the new one's mint); the refund
// policy, RefundPolicySet.
import { Address, BigInt, ethereum, store } from "@graphprotocol/graph-ts";

import { RefundPolicySet, Refunded, TicketExchanged, TicketReturned } from "../generated/templates/EventTicket/IChainpassEvent";
import { Channel, Event, Refund, Ticket, Tier } from "../generated/schema";
import { getOrCreateAccount, logId, ticketKey } from "./helpers";
import { closeTicketListing } from "./resale";
import { getOrCreatePendingPurchase } from "./sales";
import { releasePlace } from "./tiers";
import { moveTicketPoints, reverseTicketPoints } from "./membership";

/**
 * Records a refunded ticket, whatever the kind: the Refund, the ticket marked refunded (its
 * listing closed: the burn deleted it) and the counters. Saves the ticket; the caller saves the
 * tier and the event, which it may change further.
 */
function recordRefund(
  event: ethereum.Event,
  ev: Event,
  tier: Tier,
  ticket: Ticket,
  tokenId: BigInt,
  holderAddress: Address,
  recipientAddress: Address,
  amount: BigInt,
  kind: string,
  released: boolean,
  kept: BigInt,
): void {
  const holder = getOrCreateAccount(holderAddress, event);
  const recipient = getOrCreateAccount(recipientAddress, event);
  const refund = new Refund(logId(event));
  refund.event = ev.id;
  refund.tier = tier.id;
  refund.ticket = ticket.id;
  refund.tokenId = tokenId;
  refund.holder = holder.id;
  refund.recipient = recipient.id;
  refund.amount = amount;
  refund.kind = kind;
  refund.released = released;
  refund.kept = kept;
  refund.timestamp = event.block.timestamp;
  refund.blockNumber = event.block.number;
  refund.transactionHash = event.transaction.hash;
  refund.save();

  closeTicketListing(ticket, "Refunded", event);
  // An exchanged ticket's points go with it to the new ticket (handleTicketExchanged).
  if (kind != "Exchange") reverseTicketPoints(event, ev, ticket);
  ticket.refunded = true;
  ticket.refundedAt = event.block.timestamp;
  ticket.released = ticket.released || released;
  ticket.save();
  tier.refunded = tier.refunded.plus(BigInt.fromI32(1));
  ev.ticketsRefunded = ev.ticketsRefunded.plus(BigInt.fromI32(1));
  ev.refundedAmount = ev.refundedAmount.plus(amount);
}

export function handleRefunded(event: Refunded): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const tier = Tier.load(ticket.tier)!;
  // Claims need a cancelled event; refundTicket needs a live one.
  const kind = ev.cancelled ? "Claim" : "Organizer";
  recordRefund(event, ev, tier, ticket, event.params.tokenId, event.params.holder, event.params.recipient, event.params.amount, kind, ticket.released, BigInt.zero());
  tier.save();
  ev.save();
}

export function handleTicketReturned(event: TicketReturned): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const tier = Tier.load(ticket.tier)!;
  releasePlace(tier, ticket);
  recordRefund(event, ev, tier, ticket, event.params.tokenId, event.params.holder, event.params.holder, event.params.refunded, "Return", true, event.params.kept);
  tier.save();
  ev.ticketsReturned = ev.ticketsReturned.plus(BigInt.fromI32(1));
  ev.returnsKept = ev.returnsKept.plus(event.params.kept);
  ev.save();
}

export function handleRefundPolicySet(event: RefundPolicySet): void {
  const ev = Event.load(event.address)!;
  const steps = event.params.steps;
  const deadlines = new Array<BigInt>(0);
  const shares = new Array<i32>(0);
  for (let i = 0; i < steps.length; i++) {
    deadlines.push(steps[i].secondsBefore);
    shares.push(steps[i].shareBps);
  }
  ev.refundDeadlines = deadlines;
  ev.refundShares = shares;
  ev.exchangesOffered = event.params.exchanges;
  ev.save();
}

/**
 * The old ticket is burned (its place back on sale) and refunded the share of a cheaper target's
 * difference; the new one, minted just before, is priced and counted as sold. Revenue and refunds
 * count only the money that moved: the difference paid, the share refunded.
 */
export function handleTicketExchanged(event: TicketExchanged): void {
  const ev = Event.load(event.address)!;
  const old = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const oldTier = Tier.load(old.tier)!;
  const price = event.params.price;
  const paid = event.params.paid;
  const refunded = event.params.refunded;
  const newId = ticketKey(event.address, event.params.newTokenId);
  const kept = old.pricePaid.gt(price) ? old.pricePaid.minus(price).minus(refunded) : BigInt.zero();

  releasePlace(oldTier, old);
  old.exchangedFor = newId;
  recordRefund(event, ev, oldTier, old, event.params.tokenId, event.params.holder, event.params.holder, refunded, "Exchange", true, kept);
  oldTier.save();

  // The new ticket's mint waits in this transaction's pending purchase: it has no sale of its own.
  const pending = getOrCreatePendingPurchase(event.address, event.transaction.hash);
  store.remove("PendingPurchase", pending.id.toHexString());
  const fresh = Ticket.load(newId)!;
  fresh.pricePaid = price;
  moveTicketPoints(old, fresh);
  fresh.save();
  // Moved to the old ticket's sales channel (its ChannelSale came with the mint).
  const channelId = fresh.channel;
  if (channelId !== null) {
    const channel = Channel.load(channelId)!;
    channel.revenue = channel.revenue.plus(price);
    channel.save();
  }
  const newTier = Tier.load(fresh.tier)!;
  newTier.sold = newTier.sold.plus(BigInt.fromI32(1));
  newTier.revenue = newTier.revenue.plus(paid);
  newTier.save();

  ev.ticketsSold = ev.ticketsSold.plus(BigInt.fromI32(1));
  ev.ticketsExchanged = ev.ticketsExchanged.plus(BigInt.fromI32(1));
  ev.primaryRevenue = ev.primaryRevenue.plus(paid);
  ev.save();
}
