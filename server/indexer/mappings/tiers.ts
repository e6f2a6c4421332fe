// Ticket types: TierAdded, TierUpdated, TierPauseChanged, TierOptionsSet, SeatMapSet,
// InventoryReleased (and the release a return makes), SeatsHeld, SeatsReleased. Mirror of subgraph/src/tiers.ts.
import type { Hex } from "viem";

import type { Ticket, Tier } from "../generated/entities.js";
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { updateSlot } from "./calendars.js";
import { MAX_SUPPLY_PER_TIER, seatLabel, sectionName, seatBlockKey, slotKey, slotOf, ticketKey, tierKey, TOKENS_PER_SLOT, TOKENS_PER_TIER, ZERO_BYTES32 } from "./helpers.js";

export function handleTierAdded(event: TicketEvent<"TierAdded">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.tierCount += 1;
  store.save("Event", ev);

  store.save("Tier", {
    id: tierKey(event.address, event.params.tierId),
    event: ev.id,
    tierId: Number(event.params.tierId),
    name: event.params.name,
    price: event.params.price,
    supply: event.params.supply,
    sold: 0n,
    checkedIn: 0n,
    refunded: 0n,
    held: 0n,
    revenue: 0n,
    maxPerWallet: event.params.maxPerWallet,
    saleStart: BigInt(event.params.saleStart),
    saleEnd: BigInt(event.params.saleEnd),
    paused: false,
    earlyPrice: 0n,
    earlyUntil: 0n,
    entryStart: 0n,
    entryEnd: 0n,
    presaleStart: 0n,
    presaleRoot: null,
    seated: false,
    seatBlockCount: 0,
    calendar: null,
    membersOnly: false,
    minLevel: 0,
    perkLevel: 0,
    discountBps: 0,
    extraPerWallet: 0,
    createdAt: event.block.timestamp,
    createdAtBlock: event.block.number,
  });
}

/** The price changes only while nothing has sold (TierPriceLocked), so tickets' face value stands. */
export function handleTierUpdated(event: TicketEvent<"TierUpdated">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  tier.name = event.params.name;
  tier.price = event.params.price;
  tier.supply = event.params.supply;
  tier.maxPerWallet = event.params.maxPerWallet;
  tier.saleStart = BigInt(event.params.saleStart);
  tier.saleEnd = BigInt(event.params.saleEnd);
  store.save("Tier", tier);
}

export function handleTierPauseChanged(event: TicketEvent<"TierPauseChanged">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  tier.paused = event.params.paused;
  store.save("Tier", tier);
}

/**
 * Options can change after tickets have sold; the entry window is copied onto every ticket of
 * the tier so the gate reads it from the ticket.
 */
export function handleTierOptionsSet(event: TicketEvent<"TierOptionsSet">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  tier.earlyPrice = event.params.earlyPrice;
  tier.earlyUntil = BigInt(event.params.earlyUntil);
  tier.entryStart = BigInt(event.params.entryStart);
  tier.entryEnd = BigInt(event.params.entryEnd);
  tier.presaleStart = BigInt(event.params.presaleStart);
  const root = event.params.presaleRoot;
  tier.presaleRoot = root === ZERO_BYTES32 ? null : root;
  store.save("Tier", tier);

  for (const ticket of store.loadDerived("Tier", tier.id, "tickets")) {
    if (ticket.entryStart === tier.entryStart && ticket.entryEnd === tier.entryEnd) continue;
    ticket.entryStart = tier.entryStart;
    ticket.entryEnd = tier.entryEnd;
    store.save("Ticket", ticket);
  }
}

/**
 * Replaces the tier's seat map (allowed only before its first sale, so no ticket's seat label
 * changes). The tier's supply becomes its number of seats.
 */
export function handleSeatMapSet(event: TicketEvent<"SeatMapSet">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  const blocks = event.params.blocks;

  let firstSeatId = 1;
  blocks.forEach((b, index) => {
    store.save("SeatBlock", {
      id: seatBlockKey(tier.id, index),
      tier: tier.id,
      index,
      section: sectionName(b.section),
      firstRow: b.firstRow,
      rows: b.rows,
      firstSeat: b.firstSeat,
      seatsPerRow: b.seatsPerRow,
      letteredRows: b.letteredRows,
      firstSeatId,
    });
    firstSeatId += b.rows * b.seatsPerRow;
  });
  // Blocks of a longer previous map.
  for (let i = blocks.length; i < tier.seatBlockCount; i++) store.remove("SeatBlock", seatBlockKey(tier.id, i));

  tier.seated = true;
  tier.seatBlockCount = blocks.length;
  tier.supply = event.params.seats;
  store.save("Tier", tier);
}

/**
 * A held seat's id: the Ticket it becomes. A run's seat is named `slot * 1e9 + seat` (held for one
 * performance), which adds up to the token id as a plain seat does.
 */
const heldSeatKey = (eventAddress: Hex, tierId: bigint, seat: bigint) => ticketKey(eventAddress, tierId * TOKENS_PER_TIER + seat);

/** SeatsHeld: each seat becomes a HeldSeat and counts as sold, as on chain. */
export function handleSeatsHeld(event: TicketEvent<"SeatsHeld">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  for (const seat of event.params.seats) {
    const serial = Number(seat % TOKENS_PER_SLOT);
    const slot = slotOf(seat);
    store.save("HeldSeat", {
      id: heldSeatKey(event.address, event.params.tierId, seat),
      event: event.address,
      tier: tier.id,
      serial,
      slot: tier.calendar !== null && slot !== 0 ? slotKey(tier.calendar, slot) : null,
      seatLabel: seatLabel(store, tier, serial),
      heldAt: event.block.timestamp,
    });
  }
  const count = BigInt(event.params.seats.length);
  tier.sold += count;
  tier.held += count;
  store.save("Tier", tier);
}

/** SeatsReleased: the held seats are for sale again. */
export function handleSeatsReleased(event: TicketEvent<"SeatsReleased">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  for (const seat of event.params.seats) store.remove("HeldSeat", heldSeatKey(event.address, event.params.tierId, seat));
  const count = BigInt(event.params.seats.length);
  tier.sold -= count;
  tier.held -= count;
  store.save("Tier", tier);
}

/**
 * A burned ticket's place back on sale (the caller saves the tier): as the contract's
 * _releaseInventory. A seat is sellable again; an unseated place adds one to the supply (serials
 * are never reused), except a calendar tier's uncapped supply; a slot's place is free again.
 */
export function releasePlace(store: HandlerStore, tier: Tier, ticket: Ticket) {
  if (tier.seated) tier.sold -= 1n;
  else if (ticket.slot === null || tier.supply !== MAX_SUPPLY_PER_TIER) tier.supply += 1n;
  updateSlot(store, ticket, (slot) => (slot.booked -= 1));
}

/**
 * An organizer refund put the place back on sale (logged before Refunded): a seat becomes
 * sellable again (the contract decrements sold), an unseated place adds one to the supply
 * (serials are never reused).
 */
export function handleInventoryReleased(event: TicketEvent<"InventoryReleased">, store: HandlerStore) {
  const tier = store.load("Tier", tierKey(event.address, event.params.tierId))!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  releasePlace(store, tier, ticket);
  store.save("Tier", tier);
  ticket.released = true;
  store.save("Ticket", ticket);
}
