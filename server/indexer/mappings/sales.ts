// Primary sales: TicketsPurchased, and the buffer that collects a purchase's mints.
// Mirror of subgraph/src/sales.ts.
//
// The contract mints first (one Transfer from 0x0 per ticket; for a seated tier the token ids
// are the chosen seats, not consecutive) and logs TicketsPurchased after them; a voucher's
// VoucherRedeemed comes before the mints. So mints and the voucher are collected in a
// PendingPurchase keyed by (event, transaction), which TicketsPurchased consumes and removes.
// Two purchases in one transaction (a contract buying twice) each consume their own mints, as
// each TicketsPurchased follows its mints.
import type { Hex } from "viem";

import type { PendingPurchase } from "../generated/entities.js";
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { concat, getOrCreateAccount, logId, tierKey } from "./helpers.js";
import { creditPurchase } from "./membership.js";

const pendingPurchaseKey = (eventAddress: Hex, transactionHash: Hex) => concat(eventAddress, transactionHash);

/** The purchase being assembled in this transaction (unsaved when new). */
export function getOrCreatePendingPurchase(store: HandlerStore, eventAddress: Hex, transactionHash: Hex): PendingPurchase {
  const id = pendingPurchaseKey(eventAddress, transactionHash);
  return store.load("PendingPurchase", id) ?? { id, tickets: [], voucher: null, discount: 0n, pointsPerTicket: 0n, pointsPayer: null };
}

/** Called by handleTransfer for each mint. */
export function addMintToPendingPurchase(store: HandlerStore, eventAddress: Hex, transactionHash: Hex, ticketId: Hex) {
  const pending = getOrCreatePendingPurchase(store, eventAddress, transactionHash);
  pending.tickets.push(ticketId);
  store.save("PendingPurchase", pending);
}

/** Unit price = totalPaid / quantity: every ticket of one purchase pays the same price. */
export function handleTicketsPurchased(event: TicketEvent<"TicketsPurchased">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  const buyer = getOrCreateAccount(store, event.params.buyer, event);
  const recipient = getOrCreateAccount(store, event.params.recipient, event);
  const { quantity, totalPaid: total } = event.params;
  const unitPrice = total / quantity;

  const pending = getOrCreatePendingPurchase(store, event.address, event.transaction.hash);
  const tickets = pending.tickets;
  if (BigInt(tickets.length) !== quantity) {
    console.warn(`TicketsPurchased ${event.address} tx ${event.transaction.hash}: ${tickets.length} mints collected for a quantity of ${quantity}`);
  }

  const memberLevel = creditPurchase(store, event, ev, tickets, unitPrice, { perTicket: pending.pointsPerTicket, payer: pending.pointsPayer });
  const saleId = logId(event);
  store.save("Sale", {
    id: saleId,
    kind: "Primary",
    event: ev.id,
    tier: tier.id,
    buyer: buyer.id,
    recipient: recipient.id,
    seller: null,
    ticket: null,
    tickets,
    quantity,
    unitPrice,
    amount: total,
    royalty: 0n,
    fee: 0n,
    sellerProceeds: 0n,
    voucher: pending.voucher,
    discount: pending.discount,
    channel: null,
    commission: 0n,
    memberLevel,
    pointsSpent: pending.pointsPerTicket * quantity,
    listing: null,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });

  // A held seat given away (compSeats) was counted as sold when it was held.
  let fromHolds = 0n;
  for (const id of tickets) {
    const ticket = store.load("Ticket", id)!;
    ticket.pricePaid = unitPrice;
    ticket.purchase = saleId;
    store.save("Ticket", ticket);
    if (store.load("HeldSeat", id) !== null) {
      store.remove("HeldSeat", id);
      fromHolds += 1n;
    }
  }
  store.remove("PendingPurchase", pending.id);

  tier.sold += quantity - fromHolds;
  tier.held -= fromHolds;
  tier.revenue += total;
  store.save("Tier", tier);

  ev.ticketsSold += quantity;
  ev.primaryRevenue += total;
  store.save("Event", ev);
}
