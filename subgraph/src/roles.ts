// Staff and access: RoleGranted, RoleRevoked (ORGANIZER, GATE, FINANCE, VOUCHER_SIGNER) and
// DenyListUpdated, per (event, account) in EventAccount.
import { Address, Bytes, ethereum } from "@graphprotocol/graph-ts";

import { DenyListUpdated, RoleGranted, RoleRevoked } from "../generated/templates/EventTicket/IChainpassEvent";
import { Account, Event, RoleChange, Ticket } from "../generated/schema";
import { getOrCreateEventAccount, logId, roleName } from "./helpers";
import { refreshListing } from "./resale";

function applyRole(log: ethereum.Event, role: Bytes, account: Address, sender: Address, granted: boolean): void {
  const name = roleName(role);
  const member = getOrCreateEventAccount(log.address, account, log);
  if (name == "ORGANIZER") member.organizer = granted;
  else if (name == "GATE") member.gate = granted;
  else if (name == "FINANCE") member.finance = granted;
  else if (name == "VOUCHER_SIGNER") member.voucherSigner = granted;
  member.save();

  const change = new RoleChange(logId(log));
  change.event = log.address;
  change.account = account;
  change.role = role;
  change.roleName = name;
  change.granted = granted;
  change.sender = sender;
  change.timestamp = log.block.timestamp;
  change.blockNumber = log.block.number;
  change.transactionHash = log.transaction.hash;
  change.save();
}

/** The organizer's own grant comes from initialize, right after the factory's EventCreated. */
export function handleRoleGranted(event: RoleGranted): void {
  applyRole(event, event.params.role, event.params.account, event.params.sender, true);
}

export function handleRoleRevoked(event: RoleRevoked): void {
  applyRole(event, event.params.role, event.params.account, event.params.sender, false);
}

/** A denied seller's listings cannot be bought (and can be again once the deny is lifted). */
export function handleDenyListUpdated(event: DenyListUpdated): void {
  const member = getOrCreateEventAccount(event.address, event.params.account, event);
  member.denied = event.params.denied;
  member.save();

  const ev = Event.load(event.address)!;
  const account = Account.load(event.params.account)!;
  const listings = account.listings.load();
  for (let i = 0; i < listings.length; i++) {
    const listing = listings[i];
    if (!listing.open || !listing.event.equals(ev.id)) continue;
    const ticket = Ticket.load(listing.ticket)!;
    refreshListing(listing, ticket, ev, event);
    listing.save();
    ticket.save();
  }
}
