// Sales channels: ChannelAdded, ChannelPayoutChanged, ChannelClosed, ChannelSale,
// ChannelCommissionReversed, ChannelCommissionPaid. Mirror of subgraph/src/channels.ts.
//
// A channel purchase logs ChannelSale right after its TicketsPurchased, so the Sale it belongs to
// is the fact of the log before it; an exchange that moves a ticket to a channel logs it after
// the new ticket's mint (no Sale: the ticket is `firstTokenId`), and its price comes with
// TicketExchanged (refunds.ts).
import type { Hex } from "viem";

import type { Channel } from "../generated/entities.js";
import type { ChainEvent, HandlerStore, TicketEvent } from "../mapping.js";
import { concat, getOrCreateEventAccount, int32Bytes, ticketKey } from "./helpers.js";

export const channelKey = (eventAddress: Hex, channelId: bigint): Hex => concat(eventAddress, int32Bytes(Number(channelId)));

const loadChannel = (store: HandlerStore, eventAddress: Hex, channelId: bigint): Channel => store.load("Channel", channelKey(eventAddress, channelId))!;

export function handleChannelAdded(event: TicketEvent<"ChannelAdded">, store: HandlerStore) {
  store.save("Channel", {
    id: channelKey(event.address, event.params.channelId),
    event: event.address,
    channelId: Number(event.params.channelId),
    label: event.params.label,
    payout: event.params.payout,
    commissionBps: Number(event.params.commissionBps),
    open: true,
    ticketsSold: 0n,
    ticketsReversed: 0n,
    revenue: 0n,
    commissionEarned: 0n,
    commissionReversed: 0n,
    commissionPaid: 0n,
    commissionOwed: 0n,
    createdAt: event.block.timestamp,
  });
}

export function handleChannelPayoutChanged(event: TicketEvent<"ChannelPayoutChanged">, store: HandlerStore) {
  const channel = loadChannel(store, event.address, event.params.channelId);
  channel.payout = event.params.payout;
  store.save("Channel", channel);
}

export function handleChannelClosed(event: TicketEvent<"ChannelClosed">, store: HandlerStore) {
  const channel = loadChannel(store, event.address, event.params.channelId);
  channel.open = false;
  store.save("Channel", channel);
}

/** The Sale logged just before `log` in its transaction, if that log was a TicketsPurchased. */
const previousSaleId = (log: ChainEvent<unknown>): Hex => concat(log.transaction.hash, int32Bytes(log.logIndex - 1));

export function handleChannelSale(event: TicketEvent<"ChannelSale">, store: HandlerStore) {
  const channel = loadChannel(store, event.address, event.params.channelId);
  const { quantity, commission, firstTokenId } = event.params;
  channel.ticketsSold += quantity;
  channel.commissionEarned += commission;
  channel.commissionOwed += commission;

  const sale = store.load("Sale", previousSaleId(event));
  if (sale && sale.kind === "Primary") {
    sale.channel = channel.id;
    sale.commission = commission;
    store.save("Sale", sale);
    channel.revenue += sale.amount;
    for (const ticketId of sale.tickets) setTicketChannel(store, ticketId, channel.id);
  } else {
    setTicketChannel(store, ticketKey(event.address, firstTokenId), channel.id);
  }
  store.save("Channel", channel);
}

function setTicketChannel(store: HandlerStore, ticketId: Hex, channel: Hex) {
  const ticket = store.load("Ticket", ticketId);
  if (!ticket) return;
  ticket.channel = channel;
  store.save("Ticket", ticket);
}

/** Logged before the ticket's burn, so the ticket still says what it paid. */
export function handleChannelCommissionReversed(event: TicketEvent<"ChannelCommissionReversed">, store: HandlerStore) {
  const channel = loadChannel(store, event.address, event.params.channelId);
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId));
  channel.ticketsReversed += 1n;
  channel.revenue -= ticket?.pricePaid ?? 0n;
  channel.commissionReversed += event.params.commission;
  channel.commissionOwed -= event.params.commission;
  store.save("Channel", channel);
}

/** Settlement credited the channel's payout: it withdraws like any other credit (payouts.ts). */
export function handleChannelCommissionPaid(event: TicketEvent<"ChannelCommissionPaid">, store: HandlerStore) {
  const channel = loadChannel(store, event.address, event.params.channelId);
  channel.commissionPaid += event.params.commission;
  channel.commissionOwed -= event.params.commission;
  store.save("Channel", channel);
  const payout = getOrCreateEventAccount(store, event.address, event.params.payout, event);
  payout.credits += event.params.commission;
  store.save("EventAccount", payout);
}
