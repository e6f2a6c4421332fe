// Primary sales: TicketsPurchased, and the buffer that collects a purchase's mints.
//
// The contract mints first (one Transfer from 0x0 per ticket; for a seated tier the token ids
// are the chosen seats, not consecutive) and logs TicketsPurchased after them; a voucher's
// VoucherRedeemed comes before the mints. So mints and the voucher are collected in a
// PendingPurchase keyed by (event, transaction), which TicketsPurchased consumes and removes.
// Two purchases in one transaction (a contract buying twice) each consume their own mints, as
// each TicketsPurchased follows its mints.
import { Address, BigInt, Bytes, log as logger, store } from "@graphprotocol/graph-ts";

import { TicketsPurchased } from "../generated/templates/EventTicket/IChainpassEvent";
import { Event, HeldSeat, PendingPurchase, Sale, Ticket, Tier } from "../generated/schema";
import { getOrCreateAccount, logId, tierKey } from "./helpers";
import { creditPurchase, NO_LEVEL } from "./membership";

function pendingPurchaseKey(eventAddress: Address, transactionHash: Bytes): Bytes {
  return eventAddress.concat(transactionHash);
}

/** The purchase being assembled in this transaction (unsaved when new). */
export function getOrCreatePendingPurchase(eventAddress: Address, transactionHash: Bytes): PendingPurchase {
  const id = pendingPurchaseKey(eventAddress, transactionHash);
  let pending = PendingPurchase.load(id);
  if (pending == null) {
    pending = new PendingPurchase(id);
    pending.tickets = [];
    pending.voucher = null;
    pending.discount = BigInt.zero();
    pending.pointsPerTicket = BigInt.zero();
    pending.pointsPayer = null;
  }
  return pending;
}

/** Called by handleTransfer for each mint. */
export function addMintToPendingPurchase(eventAddress: Address, transactionHash: Bytes, ticketId: Bytes): void {
  const pending = getOrCreatePendingPurchase(eventAddress, transactionHash);
  const tickets = pending.tickets;
  tickets.push(ticketId);
  pending.tickets = tickets;
  pending.save();
}

/** Unit price = totalPaid / quantity: every ticket of one purchase pays the same price. */
export function handleTicketsPurchased(event: TicketsPurchased): void {
  const ev = Event.load(event.address)!;
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  const buyer = getOrCreateAccount(event.params.buyer, event);
  const recipient = getOrCreateAccount(event.params.recipient, event);
  const quantity = event.params.quantity;
  const total = event.params.totalPaid;
  const unitPrice = total.div(quantity);

  const pending = getOrCreatePendingPurchase(event.address, event.transaction.hash);
  const tickets = pending.tickets;
  if (BigInt.fromI32(tickets.length).notEqual(quantity)) {
    logger.warning("TicketsPurchased {} tx {}: {} mints collected for a quantity of {}", [
      event.address.toHexString(),
      event.transaction.hash.toHexString(),
      tickets.length.toString(),
      quantity.toString(),
    ]);
  }

  const memberLevel = creditPurchase(event, ev, tickets, unitPrice, pending.pointsPerTicket, pending.pointsPayer);
  const sale = new Sale(logId(event));
  sale.kind = "Primary";
  sale.event = ev.id;
  sale.tier = tier.id;
  sale.buyer = buyer.id;
  sale.recipient = recipient.id;
  sale.seller = null;
  sale.ticket = null;
  sale.tickets = tickets;
  sale.quantity = quantity;
  sale.unitPrice = unitPrice;
  sale.amount = total;
  sale.royalty = BigInt.zero();
  sale.fee = BigInt.zero();
  sale.sellerProceeds = BigInt.zero();
  sale.voucher = pending.voucher;
  sale.discount = pending.discount;
  sale.channel = null;
  sale.commission = BigInt.zero();
  // A nullable Int (an i32 setter): null when the buyer has no level.
  if (memberLevel == NO_LEVEL) sale.unset("memberLevel");
  else sale.memberLevel = memberLevel;
  sale.pointsSpent = pending.pointsPerTicket.times(quantity);
  sale.listing = null;
  sale.timestamp = event.block.timestamp;
  sale.blockNumber = event.block.number;
  sale.transactionHash = event.transaction.hash;
  sale.save();

  // A held seat given away (compSeats) was counted as sold when it was held.
  let fromHolds = BigInt.zero();
  for (let i = 0; i < tickets.length; i++) {
    const ticket = Ticket.load(tickets[i])!;
    ticket.pricePaid = unitPrice;
    ticket.purchase = sale.id;
    ticket.save();
    if (HeldSeat.load(tickets[i]) != null) {
      store.remove("HeldSeat", tickets[i].toHexString());
      fromHolds = fromHolds.plus(BigInt.fromI32(1));
    }
  }
  store.remove("PendingPurchase", pending.id.toHexString());

  tier.sold = tier.sold.plus(quantity.minus(fromHolds));
  tier.held = tier.held.minus(fromHolds);
  tier.revenue = tier.revenue.plus(total);
  tier.save();

  ev.ticketsSold = ev.ticketsSold.plus(quantity);
  ev.primaryRevenue = ev.primaryRevenue.plus(total);
  ev.save();
}
