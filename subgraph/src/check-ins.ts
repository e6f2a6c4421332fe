// Gate admissions: CheckedIn (one per admitted ticket; skipped ones log CheckInSkipped, which
// changes nothing and is not indexed).
import { BigInt } from "@graphprotocol/graph-ts";

import { CheckedIn } from "../generated/templates/EventTicket/IChainpassEvent";
import { CheckIn, Event, Ticket, Tier } from "../generated/schema";
import { getOrCreateAccount, logId, ticketKey } from "./helpers";
import { refreshTicketListing } from "./resale";

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
  checkIn.checkedInAt = event.params.timestamp;
  checkIn.timestamp = event.block.timestamp;
  checkIn.blockNumber = event.block.number;
  checkIn.transactionHash = event.transaction.hash;
  checkIn.save();

  ticket.checkedIn = true;
  ticket.checkedInAt = event.params.timestamp;
  ticket.checkIn = checkIn.id;
  // A used ticket's listing can no longer be bought.
  refreshTicketListing(ticket, ev, event);
  ticket.save();

  tier.checkedIn = tier.checkedIn.plus(BigInt.fromI32(1));
  tier.save();
  ev.ticketsCheckedIn = ev.ticketsCheckedIn.plus(BigInt.fromI32(1));
  ev.save();
}
