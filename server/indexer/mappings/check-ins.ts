// Gate admissions: CheckedIn (one per admitted ticket; skipped ones log CheckInSkipped, which
// changes nothing and is not indexed). Mirror of subgraph/src/check-ins.ts.
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateAccount, logId, ticketKey } from "./helpers.js";
import { refreshTicketListing } from "./resale.js";

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
    checkedInAt: event.params.timestamp,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });

  ticket.checkedIn = true;
  ticket.checkedInAt = event.params.timestamp;
  ticket.checkIn = checkInId;
  // A used ticket's listing can no longer be bought.
  refreshTicketListing(store, ticket, ev, event);
  store.save("Ticket", ticket);

  tier.checkedIn += 1n;
  store.save("Tier", tier);
  ev.ticketsCheckedIn += 1n;
  store.save("Event", ev);
}
