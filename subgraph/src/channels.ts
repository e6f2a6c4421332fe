// Sales channels: ChannelAdded, ChannelPayoutChanged, ChannelClosed, ChannelSale,
// ChannelCommissionReversed, ChannelCommissionPaid.
//
// A channel purchase logs ChannelSale right after its TicketsPurchased, so the Sale it belongs to
// is the fact of the log before it; an exchange that moves a ticket to a channel logs it after
// the new ticket's mint (no Sale: the ticket is `firstTokenId`), and its price comes with
// TicketExchanged (refunds.ts).
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

import {
  ChannelAdded,
  ChannelClosed,
  ChannelCommissionPaid,
  ChannelCommissionReversed,
  ChannelPayoutChanged,
  ChannelSale,
} from "../generated/templates/EventTicket/IChainpassEvent";
import { Channel, Sale, Ticket } from "../generated/schema";
import { getOrCreateEventAccount, ticketKey } from "./helpers";

export function channelKey(eventAddress: Address, channelId: BigInt): Bytes {
  return eventAddress.concatI32(channelId.toI32());
}

function loadChannel(eventAddress: Address, channelId: BigInt): Channel {
  return Channel.load(channelKey(eventAddress, channelId))!;
}

export function handleChannelAdded(event: ChannelAdded): void {
  const channel = new Channel(channelKey(event.address, event.params.channelId));
  channel.event = event.address;
  channel.channelId = event.params.channelId.toI32();
  channel.label = event.params.label;
  channel.payout = event.params.payout;
  channel.commissionBps = event.params.commissionBps.toI32();
  channel.open = true;
  channel.ticketsSold = BigInt.zero();
  channel.ticketsReversed = BigInt.zero();
  channel.revenue = BigInt.zero();
  channel.commissionEarned = BigInt.zero();
  channel.commissionReversed = BigInt.zero();
  channel.commissionPaid = BigInt.zero();
  channel.commissionOwed = BigInt.zero();
  channel.createdAt = event.block.timestamp;
  channel.save();
}

export function handleChannelPayoutChanged(event: ChannelPayoutChanged): void {
  const channel = loadChannel(event.address, event.params.channelId);
  channel.payout = event.params.payout;
  channel.save();
}

export function handleChannelClosed(event: ChannelClosed): void {
  const channel = loadChannel(event.address, event.params.channelId);
  channel.open = false;
  channel.save();
}

/** The Sale logged just before `log` in its transaction, if that log was a TicketsPurchased. */
function previousSaleId(log: ethereum.Event): Bytes {
  return log.transaction.hash.concatI32(log.logIndex.toI32() - 1);
}

function setTicketChannel(ticketId: Bytes, channel: Bytes): void {
  const ticket = Ticket.load(ticketId);
  if (ticket === null) return;
  ticket.channel = channel;
  ticket.save();
}

export function handleChannelSale(event: ChannelSale): void {
  const channel = loadChannel(event.address, event.params.channelId);
  const commission = event.params.commission;
  channel.ticketsSold = channel.ticketsSold.plus(event.params.quantity);
  channel.commissionEarned = channel.commissionEarned.plus(commission);
  channel.commissionOwed = channel.commissionOwed.plus(commission);

  const sale = Sale.load(previousSaleId(event));
  if (sale !== null && sale.kind == "Primary") {
    sale.channel = channel.id;
    sale.commission = commission;
    sale.save();
    channel.revenue = channel.revenue.plus(sale.amount);
    const tickets = sale.tickets;
    for (let i = 0; i < tickets.length; i++) setTicketChannel(tickets[i], channel.id);
  } else {
    setTicketChannel(ticketKey(event.address, event.params.firstTokenId), channel.id);
  }
  channel.save();
}

/** Logged before the ticket's burn, so the ticket still says what it paid. */
export function handleChannelCommissionReversed(event: ChannelCommissionReversed): void {
  const channel = loadChannel(event.address, event.params.channelId);
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId));
  channel.ticketsReversed = channel.ticketsReversed.plus(BigInt.fromI32(1));
  if (ticket !== null) channel.revenue = channel.revenue.minus(ticket.pricePaid);
  channel.commissionReversed = channel.commissionReversed.plus(event.params.commission);
  channel.commissionOwed = channel.commissionOwed.minus(event.params.commission);
  channel.save();
}

/** Settlement credited the channel's payout: it withdraws like any other credit (payouts.ts). */
export function handleChannelCommissionPaid(event: ChannelCommissionPaid): void {
  const channel = loadChannel(event.address, event.params.channelId);
  channel.commissionPaid = channel.commissionPaid.plus(event.params.commission);
  channel.commissionOwed = channel.commissionOwed.minus(event.params.commission);
  channel.save();
  const payout = getOrCreateEventAccount(event.address, event.params.payout, event);
  payout.credits = payout.credits.plus(event.params.commission);
  payout.save();
}
