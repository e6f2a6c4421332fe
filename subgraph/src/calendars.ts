// Timed-entry calendars: CalendarAdded, CalendarDaysClosed, and the slots their tickets book
// (a Slot is created at its first booking; minting, releasing and checking in keep its counts).
// A slot's window follows the rule as SlotCalendar does on chain (and lib/calendar.ts off chain).
import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";

import { CalendarAdded, CalendarDaysClosed } from "../generated/templates/EventTicket/IChainpassEvent";
import { Calendar, Slot, Ticket, Tier } from "../generated/schema";
import { calendarKey, slotKey, slotOf, tierKey } from "./helpers";

export function handleCalendarAdded(event: CalendarAdded): void {
  const params = event.params.params;
  const calendarId = event.params.calendarId.toI32();
  const calendar = new Calendar(calendarKey(event.address, calendarId));
  calendar.event = event.address;
  calendar.calendarId = calendarId;
  calendar.firstDay = params.firstDay.toI32();
  calendar.dayCount = params.dayCount;
  calendar.utcOffsetMinutes = params.utcOffsetMinutes;
  calendar.slotMinutes = params.slotMinutes;
  calendar.saleLeadMinutes = params.saleLeadMinutes;
  calendar.capacity = params.capacity;
  const runs = params.runs;
  const starts = new Array<i32>(0);
  const counts = new Array<i32>(0);
  const weekdays = new Array<i32>(0);
  for (let i = 0; i < runs.length; i++) {
    starts.push(runs[i].startMinute);
    counts.push(runs[i].count);
    weekdays.push(runs[i].weekdays);
  }
  calendar.runStartMinutes = starts;
  calendar.runCounts = counts;
  calendar.runWeekdays = weekdays;
  const closed = new Array<i32>(0);
  const days = params.closedDays;
  for (let i = 0; i < days.length; i++) {
    if (!closed.includes(days[i])) closed.push(days[i]);
  }
  closed.sort((a, b) => a - b);
  calendar.closedDays = closed;
  calendar.createdAt = event.block.timestamp;
  calendar.save();

  const tierIds = event.params.tierIds;
  for (let i = 0; i < tierIds.length; i++) {
    const tier = Tier.load(tierKey(event.address, tierIds[i]))!;
    tier.calendar = calendar.id;
    tier.save();
  }
}

export function handleCalendarDaysClosed(event: CalendarDaysClosed): void {
  const calendar = Calendar.load(calendarKey(event.address, event.params.calendarId.toI32()))!;
  const days = event.params.dayIndexes;
  const closed = calendar.closedDays;
  for (let i = 0; i < days.length; i++) {
    const day = days[i].toI32();
    const at = closed.indexOf(day);
    if (event.params.closed && at < 0) closed.push(day);
    if (!event.params.closed && at >= 0) closed.splice(at, 1);
  }
  closed.sort((a, b) => a - b);
  calendar.closedDays = closed;
  calendar.save();
}

/**
 * A new ticket of a calendar tier takes a place in its slot (the Slot created at the first one):
 * sets the ticket's slot and entry window. The caller saves the ticket.
 */
export function bookSlot(eventAddress: Address, calendarId: Bytes, ticket: Ticket): void {
  const number = slotOf(ticket.tokenId);
  const id = slotKey(calendarId, number);
  let slot = Slot.load(id);
  if (slot == null) {
    const calendar = Calendar.load(calendarId)!;
    slot = new Slot(id);
    slot.calendar = calendarId;
    slot.event = eventAddress;
    slot.number = number;
    // The slot was offered when it sold: its window follows from the rule alone.
    let perDay = 0;
    const counts = calendar.runCounts;
    for (let i = 0; i < counts.length; i++) perDay += counts[i];
    const day = (number - 1) / perDay;
    let k = (number - 1) % perDay;
    let run = 0;
    while (k >= counts[run]) {
      k -= counts[run];
      run += 1;
    }
    const minute = calendar.runStartMinutes[run] - calendar.utcOffsetMinutes + k * calendar.slotMinutes;
    const start = BigInt.fromI32(calendar.firstDay + day).times(BigInt.fromI32(86400)).plus(BigInt.fromI32(minute * 60));
    slot.day = day;
    slot.start = start;
    slot.end = start.plus(BigInt.fromI32(calendar.slotMinutes * 60));
    slot.booked = 0;
    slot.sold = 0;
    slot.checkedIn = 0;
  }
  slot.booked += 1;
  slot.sold += 1;
  slot.save();
  ticket.slot = id;
  ticket.entryStart = slot.start;
  ticket.entryEnd = slot.end;
}

/** A ticket's slot gives a place back (booked) or counts a check-in or its undo (checkedIn). */
export function changeSlot(ticket: Ticket, booked: i32, checkedIn: i32): void {
  const id = ticket.slot;
  if (id === null) return;
  const slot = Slot.load(id)!;
  slot.booked += booked;
  slot.checkedIn += checkedIn;
  slot.save();
}
