// Staff and access: RoleGranted, RoleRevoked (ORGANIZER, GATE, FINANCE, VOUCHER_SIGNER) and
// DenyListUpdated, per (event, account) in EventAccount. Mirror of subgraph/src/roles.ts.
import type { Hex } from "viem";

import type { ChainEvent, HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateEventAccount, logId, roleName } from "./helpers.js";
import { refreshListing } from "./resale.js";

function applyRole(store: HandlerStore, log: ChainEvent<unknown>, role: Hex, account: Hex, sender: Hex, granted: boolean) {
  const name = roleName(role);
  const member = getOrCreateEventAccount(store, log.address, account, log);
  if (name === "ORGANIZER") member.organizer = granted;
  else if (name === "GATE") member.gate = granted;
  else if (name === "FINANCE") member.finance = granted;
  else if (name === "VOUCHER_SIGNER") member.voucherSigner = granted;
  store.save("EventAccount", member);

  store.save("RoleChange", {
    id: logId(log),
    event: log.address,
    account,
    role,
    roleName: name,
    granted,
    sender,
    timestamp: log.block.timestamp,
    blockNumber: log.block.number,
    transactionHash: log.transaction.hash,
  });
}

/** The organizer's own grant comes from initialize, right after the factory's EventCreated. */
export function handleRoleGranted(event: TicketEvent<"RoleGranted">, store: HandlerStore) {
  applyRole(store, event, event.params.role, event.params.account, event.params.sender, true);
}

export function handleRoleRevoked(event: TicketEvent<"RoleRevoked">, store: HandlerStore) {
  applyRole(store, event, event.params.role, event.params.account, event.params.sender, false);
}

/** A denied seller's listings cannot be bought (and can be again once the deny is lifted). */
export function handleDenyListUpdated(event: TicketEvent<"DenyListUpdated">, store: HandlerStore) {
  const member = getOrCreateEventAccount(store, event.address, event.params.account, event);
  member.denied = event.params.denied;
  store.save("EventAccount", member);

  const ev = store.load("Event", event.address)!;
  const account = store.load("Account", event.params.account)!;
  for (const listing of store.loadDerived("Account", account.id, "listings")) {
    if (!listing.open || listing.event !== ev.id) continue;
    const ticket = store.load("Ticket", listing.ticket)!;
    refreshListing(store, listing, ticket, ev, event);
    store.save("Listing", listing);
    store.save("Ticket", ticket);
  }
}
