// Timed-entry calendars: CalendarAdded, CalendarDaysClosed, and the slots their tickets book
// (a Slot is created at its first booking; minting, releasing and checking in keep its counts).
// Mirror of subgraph/src/calendars.ts. A slot's window is the rule's (lib/calendar.ts, the same
// arithmetic as SlotCalendar on chain).
import type { Hex } from "viem";

import { ruleOf, slotWindow } from "../../../lib/calendar.js";
import type { Slot, Ticket } from "../generated/entities.js";
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { calendarKey, slotKey, slotOf, tierKey } from "./helpers.js";

export function handleCalendarAdded(event: TicketEvent<"CalendarAdded">, store: HandlerStore) {
  const { calendarId, params, tierIds } = event.params;
  const id = calendarKey(event.address, Number(calendarId));
  store.save("Calendar", {
    id,
    event: event.address,
    calendarId: Number(calendarId),
    firstDay: Number(params.firstDay),
    dayCount: Number(params.dayCount),
    utcOffsetMinutes: Number(params.utcOffsetMinutes),
    slotMinutes: Number(params.slotMinutes),
    saleLeadMinutes: Number(params.saleLeadMinutes),
    capacity: Number(params.capacity),
    runStartMinutes: params.runs.map((r) => Number(r.startMinute)),
    runCounts: params.runs.map((r) => Number(r.count)),
    runWeekdays: params.runs.map((r) => Number(r.weekdays)),
    closedDays: [...new Set(params.closedDays.map(Number))].sort((a, b) => a - b),
    createdAt: event.block.timestamp,
  });
  for (const tierId of tierIds) {
    const tier = store.load("Tier", tierKey(event.address, tierId))!;
    tier.calendar = id;
    store.save("Tier", tier);
  }
}

export function handleCalendarDaysClosed(event: TicketEvent<"CalendarDaysClosed">, store: HandlerStore) {
  const calendar = store.load("Calendar", calendarKey(event.address, Number(event.params.calendarId)))!;
  const closed = new Set(calendar.closedDays);
  for (const day of event.params.dayIndexes) {
    if (event.params.closed) closed.add(Number(day));
    else closed.delete(Number(day));
  }
  calendar.closedDays = [...closed].sort((a, b) => a - b);
  store.save("Calendar", calendar);
}

/**
 * A new ticket of a calendar tier takes a place in its slot (the Slot created at the first one):
 * sets the ticket's slot and entry window. The caller saves the ticket.
 */
export function bookSlot(store: HandlerStore, eventAddress: Hex, calendarId: Hex, ticket: Ticket) {
  const number = slotOf(ticket.tokenId);
  const id = slotKey(calendarId, number);
  let slot = store.load("Slot", id);
  if (slot === null) {
    const calendar = store.load("Calendar", calendarId)!;
    // The slot was offered when it sold, whatever closes later: its window alone, closed days aside.
    const window = slotWindow(ruleOf(calendar), number, new Set())!;
    slot = { id, calendar: calendarId, event: eventAddress, number, day: window.day, start: BigInt(window.start), end: BigInt(window.end), booked: 0, sold: 0, checkedIn: 0 };
  }
  slot.booked += 1;
  slot.sold += 1;
  store.save("Slot", slot);
  ticket.slot = id;
  ticket.entryStart = slot.start;
  ticket.entryEnd = slot.end;
}

/** Changes a ticket's slot's counts (a place given back: booked -1; a check-in or its undo). */
export function updateSlot(store: HandlerStore, ticket: Ticket, change: (slot: Slot) => void) {
  if (ticket.slot === null) return;
  const slot = store.load("Slot", ticket.slot)!;
  change(slot);
  store.save("Slot", slot);
}
