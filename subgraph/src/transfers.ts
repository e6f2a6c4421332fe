// Ownership: ERC-721 Transfer (mint, transfer, burn) and Gifted.
import { Address, BigInt } from "@graphprotocol/graph-ts";

import { Gifted, Transfer as TransferLog } from "../generated/templates/EventTicket/IChainpassEvent";
import { Event, Gift, Ticket, Tier, Transfer } from "../generated/schema";
import {
  getOrCreateAccount,
  getOrCreateEventAccount,
  logId,
  seatLabel,
  serialOf,
  ticketKey,
  tierIdOf,
  tierKey,
} from "./helpers";
import { bookSlot } from "./calendars";
import { closeTicketListing, refreshTicketListing } from "./resale";
import { addMintToPendingPurchase } from "./sales";

/**
 * A new ticket (or, for a seat an organizer refund released, the same token id minted again:
 * every field starts over). Its price is set by the TicketsPurchased that follows.
 */
function mintTicket(event: TransferLog): Ticket {
  const tokenId = event.params.tokenId;
  const tier = Tier.load(tierKey(event.address, tierIdOf(tokenId)))!;
  const serial = serialOf(tokenId);

  const ticket = new Ticket(ticketKey(event.address, tokenId));
  ticket.event = event.address;
  ticket.tier = tier.id;
  ticket.tokenId = tokenId;
  ticket.serial = serial;
  ticket.owner = event.params.to;
  ticket.pricePaid = BigInt.zero();
  ticket.faceValue = tier.price;
  ticket.purchase = null;
  ticket.channel = null;
  ticket.seatLabel = seatLabel(tier, serial);
  ticket.entryStart = tier.entryStart;
  ticket.entryEnd = tier.entryEnd;
  ticket.checkedIn = false;
  ticket.checkedInAt = null;
  ticket.checkIn = null;
  ticket.refunded = false;
  ticket.refundedAt = null;
  ticket.released = false;
  ticket.exchangedFor = null;
  ticket.listing = null;
  ticket.activeListing = null;
  ticket.slot = null;
  ticket.pointsEarned = BigInt.zero();
  ticket.pointsEarner = null;
  ticket.pointsPaid = BigInt.zero();
  ticket.pointsPayer = null;
  ticket.mintedAt = event.block.timestamp;
  ticket.mintedAtBlock = event.block.number;
  const calendar = tier.calendar;
  if (calendar !== null) bookSlot(event.address, calendar, ticket);
  return ticket;
}

export function handleTransfer(event: TransferLog): void {
  const from = getOrCreateAccount(event.params.from, event);
  const to = getOrCreateAccount(event.params.to, event);
  const tokenId = event.params.tokenId;

  let kind = "Transfer";
  let ticket: Ticket;
  if (event.params.from.equals(Address.zero())) {
    kind = "Mint";
    ticket = mintTicket(event);
    ticket.save();
    addMintToPendingPurchase(event.address, event.transaction.hash, ticket.id);
  } else if (event.params.to.equals(Address.zero())) {
    // Burns happen only in refunds; handleRefunded (logged next) marks the ticket. The owner
    // stays the holder it was refunded from.
    kind = "Burn";
    ticket = Ticket.load(ticketKey(event.address, tokenId))!;
  } else {
    ticket = Ticket.load(ticketKey(event.address, tokenId))!;
    ticket.owner = to.id;
    // Under the Open policy a listing survives a transfer: it is void while its seller does not
    // hold the token, and live again if the token comes back.
    const ev = Event.load(event.address)!;
    refreshTicketListing(ticket, ev, event);
    ticket.save();
  }

  const transfer = new Transfer(logId(event));
  transfer.event = event.address;
  transfer.ticket = ticket.id;
  transfer.tokenId = tokenId;
  transfer.from = from.id;
  transfer.to = to.id;
  transfer.kind = kind;
  transfer.timestamp = event.block.timestamp;
  transfer.blockNumber = event.block.number;
  transfer.transactionHash = event.transaction.hash;
  transfer.save();
}

/**
 * A free gift, logged before its Transfer. The contract deletes the ticket's listing. giftsUsed
 * is counted only under the Capped policy before the end (0 otherwise).
 */
export function handleGifted(event: Gifted): void {
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  closeTicketListing(ticket, "Gifted", event);
  ticket.save();

  const from = getOrCreateAccount(event.params.from, event);
  const to = getOrCreateAccount(event.params.to, event);
  const giftsUsed = event.params.giftsUsed.toI32();
  if (giftsUsed > 0) {
    const member = getOrCreateEventAccount(event.address, event.params.from, event);
    member.giftsUsed = giftsUsed;
    member.save();
  }

  const gift = new Gift(logId(event));
  gift.event = event.address;
  gift.ticket = ticket.id;
  gift.tokenId = event.params.tokenId;
  gift.from = from.id;
  gift.to = to.id;
  gift.giftsUsed = giftsUsed;
  gift.timestamp = event.block.timestamp;
  gift.blockNumber = event.block.number;
  gift.transactionHash = event.transaction.hash;
  gift.save();
}
