// Gate admissions: CheckedIn (one per admitted ticket; skipped ones log CheckInSkipped, which
// changes nothing and is not indexed), CheckInUndone (the organizer made a ticket valid again),
// CheckInLeadChanged.
import { BigInt } from "@graphprotocol/graph-ts";

import { CheckedIn, CheckInLeadChanged, CheckInUndone } from "../generated/templates/EventTicket/IChainpassEvent";
import { CheckIn, Event, Ticket, Tier } from "../generated/schema";
import { getOrCreateAccount, logId, ticketKey } from "./helpers";
import { changeSlot } from "./calendars";
import { refreshTicketListing } from "./resale";
import { creditAttendance, reverseAttendance } from "./membership";

export function handleCheckedIn(event: CheckedIn): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const tier = Tier.load(ticket.tier)!;
  const holder = getOrCreateAccount(event.params.holder, event);

  const checkIn = new CheckIn(logId(event));
  checkIn.event = ev.id;
  checkIn.tier = tier.id;
  checkIn.ticket = ticket.id;
  checkIn.tokenId = event.params.tokenId;
  checkIn.holder = holder.id;
  checkIn.gate = event.params.gate;
  checkIn.checkedInAt = event.block.timestamp;
  checkIn.undone = false;
  checkIn.undoneAt = null;
  checkIn.undoneBy = null;
  checkIn.timestamp = event.block.timestamp;
  checkIn.blockNumber = event.block.number;
  checkIn.transactionHash = event.transaction.hash;
  checkIn.save();

  ticket.checkedIn = true;
  ticket.checkedInAt = event.block.timestamp;
  ticket.checkIn = checkIn.id;
  // A used ticket's listing can no longer be bought.
  refreshTicketListing(ticket, ev, event);
  ticket.save();

  tier.checkedIn = tier.checkedIn.plus(BigInt.fromI32(1));
  tier.save();
  changeSlot(ticket, 0, 1);
  ev.ticketsCheckedIn = ev.ticketsCheckedIn.plus(BigInt.fromI32(1));
  ev.save();
  creditAttendance(event, ev, ticket);
}

/** The ticket admits again: its check-in is marked undone and the counters go back down. */
export function handleCheckInUndone(event: CheckInUndone): void {
  const ev = Event.load(event.address)!;
  const ticket = Ticket.load(ticketKey(event.address, event.params.tokenId))!;
  const tier = Tier.load(ticket.tier)!;
  const checkInId = ticket.checkIn;
  if (checkInId !== null) {
    const checkIn = CheckIn.load(checkInId)!;
    reverseAttendance(event, ev, ticket, checkIn.holder);
    checkIn.undone = true;
    checkIn.undoneAt = event.block.timestamp;
    checkIn.undoneBy = event.params.by;
    checkIn.save();
  }
  ticket.checkedIn = false;
  ticket.checkedInAt = null;
  ticket.checkIn = null;
  refreshTicketListing(ticket, ev, event);
  ticket.save();

  tier.checkedIn = tier.checkedIn.minus(BigInt.fromI32(1));
  tier.save();
  changeSlot(ticket, 0, -1);
  ev.ticketsCheckedIn = ev.ticketsCheckedIn.minus(BigInt.fromI32(1));
  ev.save();
}

export function handleCheckInLeadChanged(event: CheckInLeadChanged): void {
  const ev = Event.load(event.address)!;
  ev.checkInLeadHours = event.params.hours_;
  ev.save();
}
