// Ticket types: TierAdded, TierUpdated, TierPauseChanged, TierOptionsSet, SeatMapSet,
// InventoryReleased (and the release a return makes), SeatsHeld, SeatsReleased.
import { Address, BigInt, Bytes, store } from "@graphprotocol/graph-ts";

import {
  InventoryReleased,
  SeatMapSet,
  SeatsHeld,
  SeatsReleased,
  TierAdded,
  TierOptionsSet,
  TierPauseChanged,
  TierUpdated,
} from "../generated/templates/EventTicket/IChainpassEvent";
import { Event, HeldSeat, SeatBlock, Ticket, Tier } from "../generated/schema";
import { changeSlot } from "./calendars";
import { MAX_SUPPLY_PER_TIER, seatLabel, sectionName, seatBlockKey, slotKey, slotOf, ticketKey, tierKey, TOKENS_PER_SLOT, TOKENS_PER_TIER } from "./helpers";

export function handleTierAdded(event: TierAdded): void {
  const ev = Event.load(event.address)!;
  ev.tierCount = ev.tierCount + 1;
  ev.save();

  const tier = new Tier(tierKey(event.address, event.params.tierId));
  tier.event = ev.id;
  tier.tierId = event.params.tierId.toI32();
  tier.name = event.params.name;
  tier.price = event.params.price;
  tier.supply = event.params.supply;
  tier.sold = BigInt.zero();
  tier.checkedIn = BigInt.zero();
  tier.refunded = BigInt.zero();
  tier.held = BigInt.zero();
  tier.revenue = BigInt.zero();
  tier.maxPerWallet = event.params.maxPerWallet;
  tier.saleStart = event.params.saleStart;
  tier.saleEnd = event.params.saleEnd;
  tier.paused = false;
  tier.earlyPrice = BigInt.zero();
  tier.earlyUntil = BigInt.zero();
  tier.entryStart = BigInt.zero();
  tier.entryEnd = BigInt.zero();
  tier.presaleStart = BigInt.zero();
  tier.presaleRoot = null;
  tier.seated = false;
  tier.seatBlockCount = 0;
  tier.calendar = null;
  tier.membersOnly = false;
  tier.minLevel = 0;
  tier.perkLevel = 0;
  tier.discountBps = 0;
  tier.extraPerWallet = 0;
  tier.createdAt = event.block.timestamp;
  tier.createdAtBlock = event.block.number;
  tier.save();
}

/** The price changes only while nothing has sold (TierPriceLocked), so tickets' face value stands. */
export function handleTierUpdated(event: TierUpdated): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  tier.name = event.params.name;
  tier.price = event.params.price;
  tier.supply = event.params.supply;
  tier.maxPerWallet = event.params.maxPerWallet;
  tier.saleStart = event.params.saleStart;
  tier.saleEnd = event.params.saleEnd;
  tier.save();
}

export function handleTierPauseChanged(event: TierPauseChanged): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  tier.paused = event.params.paused;
  tier.save();
}

/**
 * Options can change after tickets have sold; the entry window is copied onto every ticket of
 * the tier so the gate reads it from the ticket.
 */
export function handleTierOptionsSet(event: TierOptionsSet): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  tier.earlyPrice = event.params.earlyPrice;
  tier.earlyUntil = event.params.earlyUntil;
  tier.entryStart = event.params.entryStart;
  tier.entryEnd = event.params.entryEnd;
  tier.presaleStart = event.params.presaleStart;
  const root = event.params.presaleRoot;
  tier.presaleRoot = root.equals(Bytes.fromHexString("0x0000000000000000000000000000000000000000000000000000000000000000"))
    ? null
    : root;
  tier.save();

  const tickets = tier.tickets.load();
  for (let i = 0; i < tickets.length; i++) {
    const ticket = tickets[i];
    if (ticket.entryStart.equals(tier.entryStart) && ticket.entryEnd.equals(tier.entryEnd)) continue;
    ticket.entryStart = tier.entryStart;
    ticket.entryEnd = tier.entryEnd;
    ticket.save();
  }
}

/**
 * Replaces the tier's seat map (allowed only before its first sale, so no ticket's seat label
 * changes). The tier's supply becomes its number of seats.
 */
export function handleSeatMapSet(event: SeatMapSet): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  const blocks = event.params.blocks;

  let firstSeatId = 1;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const block = new SeatBlock(seatBlockKey(tier.id, i));
    block.tier = tier.id;
    block.index = i;
    block.section = sectionName(b.section);
    block.firstRow = b.firstRow;
    block.rows = b.rows;
    block.firstSeat = b.firstSeat;
    block.seatsPerRow = b.seatsPerRow;
    block.letteredRows = b.letteredRows;
    block.firstSeatId = firstSeatId;
    block.save();
    firstSeatId += b.rows * b.seatsPerRow;
  }
  // Blocks of a longer previous map.
  for (let i = blocks.length; i < tier.seatBlockCount; i++) {
    store.remove("SeatBlock", seatBlockKey(tier.id, i).toHexString());
  }

  tier.seated = true;
  tier.seatBlockCount = blocks.length;
  tier.supply = event.params.seats;
  tier.save();
}

/**
 * A held seat's id: the Ticket it becomes. A run's seat is named `slot * 1e9 + seat` (held for one
 * performance), which adds up to the token id as a plain seat does.
 */
function heldSeatKey(eventAddress: Address, tierId: BigInt, seat: BigInt): Bytes {
  return ticketKey(eventAddress, tierId.times(TOKENS_PER_TIER).plus(seat));
}

/** SeatsHeld: each seat becomes a HeldSeat and counts as sold, as on chain. */
export function handleSeatsHeld(event: SeatsHeld): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  const seats = event.params.seats;
  const calendar = tier.calendar;
  for (let i = 0; i < seats.length; i++) {
    const serial = seats[i].mod(TOKENS_PER_SLOT).toI32();
    const slot = slotOf(seats[i]);
    const held = new HeldSeat(heldSeatKey(event.address, event.params.tierId, seats[i]));
    held.event = event.address;
    held.tier = tier.id;
    held.serial = serial;
    held.slot = calendar !== null && slot != 0 ? slotKey(calendar, slot) : null;
    held.seatLabel = seatLabel(tier, serial);
    held.heldAt = event.block.timestamp;
    held.save();
  }
  const count = BigInt.fromI32(seats.length);
  tier.sold = tier.sold.plus(count);
  tier.held = tier.held.plus(count);
  tier.save();
}

/** SeatsReleased: the held seats are for sale again. */
export function handleSeatsReleased(event: SeatsReleased): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  const seats = event.params.seats;
  for (let i = 0; i < seats.length; i++) {
    store.remove("HeldSeat", heldSeatKey(event.address, event.params.tierId, seats[i]).toHexString());
  }
  const count = BigInt.fromI32(seats.length);
  tier.sold = tier.sold.minus(count);
  tier.held = tier.held.minus(count);
  tier.save();
}

/**
 * A burned ticket's place back on sale (the caller saves the tier): as the contract's
 * _releaseInventory. A seat is sellable again; an unseated place adds one to the supply (serials
 * are never reused), except a calendar tier's uncapped supply; a slot's place is free again.
 */
export function releasePlace(tier: Tier, ticket: Ticket): void {
  if (tier.seated) {
    tier.sold = tier.sold.minus(BigInt.fromI32(1));
  } else if (ticket.slot === null || !tier.supply.equals(MAX_SUPPLY_PER_TIER)) {
    tier.supply = tier.supply.plus(BigInt.fromI32(1));
  }
  changeSlot(ticket, -1, 0);
}

/**
 * An organizer refund put the place back on sale (logged before Refunded): a seat becomes
 * sellable again (the contract decrements sold), an unseated place adds one to the supply
 * (serials are never reused).
 */
export function handleInventoryReleased(event: InventoryReleased): void {
  const tier = Tier.load(tierKey(event.address, event.params.tierId))!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  releasePlace(tier, ticket);
  tier.save();
  ticket.released = true;
  ticket.save();
}
