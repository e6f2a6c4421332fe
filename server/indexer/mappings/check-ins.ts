// Gate admissions: CheckedIn (one per admitted ticket; skipped ones log CheckInSkipped, which
// changes nothing and is not indexed), CheckInUndone (the organizer made a ticket valid again),
// CheckInLeadChanged. Mirror of subgraph/src/check-ins.ts.
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateAccount, logId, ticketKey } from "./helpers.js";
import { updateSlot } from "./calendars.js";
import { refreshTicketListing } from "./resale.js";
import { creditAttendance, reverseAttendance } from "./membership.js";

export function handleCheckedIn(event: TicketEvent<"CheckedIn">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const tier = store.load("Tier", ticket.tier)!;
  const holder = getOrCreateAccount(store, event.params.holder, event);

  const checkInId = logId(event);
  store.save("CheckIn", {
    id: checkInId,
    event: ev.id,
    tier: tier.id,
    ticket: ticket.id,
    tokenId: event.params.tokenId,
    holder: holder.id,
    gate: event.params.gate,
    checkedInAt: event.block.timestamp,
    undone: false,
    undoneAt: null,
    undoneBy: null,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });

  ticket.checkedIn = true;
  ticket.checkedInAt = event.block.timestamp;
  ticket.checkIn = checkInId;
  // A used ticket's listing can no longer be bought.
  refreshTicketListing(store, ticket, ev, event);
  store.save("Ticket", ticket);

  tier.checkedIn += 1n;
  store.save("Tier", tier);
  updateSlot(store, ticket, (slot) => (slot.checkedIn += 1));
  ev.ticketsCheckedIn += 1n;
  store.save("Event", ev);
  creditAttendance(store, event, ev, ticket);
}

/** The ticket admits again: its check-in is marked undone and the counters go back down. */
export function handleCheckInUndone(event: TicketEvent<"CheckInUndone">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  const ticket = store.load("Ticket", ticketKey(event.address, event.params.tokenId))!;
  const tier = store.load("Tier", ticket.tier)!;
  if (ticket.checkIn !== null) {
    const checkIn = store.load("CheckIn", ticket.checkIn)!;
    reverseAttendance(store, event, ev, ticket, checkIn.holder);
    checkIn.undone = true;
    checkIn.undoneAt = event.block.timestamp;
    checkIn.undoneBy = event.params.by;
    store.save("CheckIn", checkIn);
  }
  ticket.checkedIn = false;
  ticket.checkedInAt = null;
  ticket.checkIn = null;
  refreshTicketListing(store, ticket, ev, event);
  store.save("Ticket", ticket);

  tier.checkedIn -= 1n;
  store.save("Tier", tier);
  updateSlot(store, ticket, (slot) => (slot.checkedIn -= 1));
  ev.ticketsCheckedIn -= 1n;
  store.save("Event", ev);
}

export function handleCheckInLeadChanged(event: TicketEvent<"CheckInLeadChanged">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.checkInLeadHours = event.params.hours_;
  store.save("Event", ev);
}
