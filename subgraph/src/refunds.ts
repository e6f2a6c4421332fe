// Refunds: Refunded (claimRefund after a cancellation, or the organizer's refundTicket before
// the event). The ticket's burn (Transfer to 0x0) and, with a release, InventoryReleased are
// logged just before.
import { BigInt } from "@graphprotocol/graph-ts";

import { Refunded } from "../generated/templates/EventTicket/IChainpassEvent";
import { Event, Refund, Ticket, Tier } from "../generated/schema";
import { getOrCreateAccount, logId, ticketKey } from "./helpers";
import { closeTicketListing } from "./resale";

export function handleRefunded(event: Refunded): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const tier = Tier.load(ticket.tier)!;
  const holder = getOrCreateAccount(event.params.holder, event);
  const recipient = getOrCreateAccount(event.params.recipient, event);
  const amount = event.params.amount;

  const refund = new Refund(logId(event));
  refund.event = ev.id;
  refund.tier = tier.id;
  refund.ticket = ticket.id;
  refund.tokenId = event.params.tokenId;
  refund.holder = holder.id;
  refund.recipient = recipient.id;
  refund.amount = amount;
  // Claims need a cancelled event; refundTicket needs a live one.
  refund.kind = ev.cancelled ? "Claim" : "Organizer";
  refund.released = ticket.released;
  refund.timestamp = event.block.timestamp;
  refund.blockNumber = event.block.number;
  refund.transactionHash = event.transaction.hash;
  refund.save();

  // Burning deleted the listing.
  closeTicketListing(ticket, "Refunded", event);
  ticket.refunded = true;
  ticket.refundedAt = event.block.timestamp;
  ticket.save();

  tier.refunded = tier.refunded.plus(BigInt.fromI32(1));
  tier.save();
  ev.ticketsRefunded = ev.ticketsRefunded.plus(BigInt.fromI32(1));
  ev.refundedAmount = ev.refundedAmount.plus(amount);
  ev.save();
}
