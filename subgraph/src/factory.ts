// TicketFactory: new events (and the EventTicket template for each clone) and platform terms.
import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";

import {
  ArbiterChanged,
  CurrencyAllowed,
  EventCreated,
  FeeRecipientChanged,
  PlatformFeeChanged,
  SettlementDelayChanged,
} from "../generated/TicketFactory/TicketFactory";
import { Event, Platform } from "../generated/schema";
import { EventTicket } from "../generated/templates";
import { getOrCreateAccount, policyName } from "./helpers";

function getOrCreatePlatform(factory: Address): Platform {
  let platform = Platform.load(factory);
  if (platform == null) {
    platform = new Platform(factory);
    platform.platformFeeBps = 0;
    platform.settlementDelay = 0;
    platform.arbiter = null;
    platform.currencies = [];
    platform.eventCount = BigInt.zero();
  }
  return platform;
}

/**
 * Emitted before the clone's own logs (RoleGranted for the organizer, TierAdded...) in the same
 * transaction, so the Event exists when the template's handlers run.
 */
export function handleEventCreated(event: EventCreated): void {
  const params = event.params.params;
  const organizer = getOrCreateAccount(event.params.organizer, event);

  const platform = getOrCreatePlatform(event.address);
  platform.eventCount = platform.eventCount.plus(BigInt.fromI32(1));
  // The terms the event was created with are the factory's terms in force now.
  platform.platformFeeBps = event.params.platformFeeBps;
  platform.settlementDelay = event.params.settlementDelay;
  platform.save();

  const ev = new Event(event.params.ticket);
  ev.platform = platform.id;
  ev.eventId = event.params.eventId;
  ev.organizer = organizer.id;
  ev.name = params.name;
  ev.symbol = params.symbol;
  ev.metadataURI = params.metadataURI;
  ev.start = params.start;
  ev.end = params.end;
  ev.currency = params.currency;
  ev.payout = params.payout;
  ev.royaltyBps = params.royaltyBps;
  ev.resaleCapBps = params.resaleCapBps;
  ev.policy = policyName(params.policy);
  ev.giftsPerHolder = params.giftsPerHolder;
  ev.platformFeeBps = event.params.platformFeeBps;
  ev.settlementDelay = event.params.settlementDelay;
  ev.cancelled = false;
  ev.cancelledAt = null;
  ev.cancelledBy = null;
  ev.refundRatio = null;
  ev.checkInLeadHours = 6;
  ev.tierCount = 0;
  ev.ticketsSold = BigInt.zero();
  ev.ticketsCheckedIn = BigInt.zero();
  ev.ticketsRefunded = BigInt.zero();
  ev.ticketsResold = BigInt.zero();
  ev.primaryRevenue = BigInt.zero();
  ev.refundedAmount = BigInt.zero();
  ev.ticketsReturned = BigInt.zero();
  ev.returnsKept = BigInt.zero();
  ev.ticketsExchanged = BigInt.zero();
  ev.refundDeadlines = [];
  ev.refundShares = [];
  ev.exchangesOffered = false;
  ev.resaleVolume = BigInt.zero();
  ev.royalties = BigInt.zero();
  ev.platformFees = BigInt.zero();
  ev.platformFeesWithdrawn = BigInt.zero();
  ev.proceedsWithdrawn = BigInt.zero();
  ev.royaltiesWithdrawn = BigInt.zero();
  ev.createdAt = event.block.timestamp;
  ev.createdAtBlock = event.block.number;
  ev.createdTransaction = event.transaction.hash;
  ev.membershipProgram = null;
  ev.save();

  EventTicket.create(event.params.ticket);
}

export function handlePlatformFeeChanged(event: PlatformFeeChanged): void {
  const platform = getOrCreatePlatform(event.address);
  platform.platformFeeBps = event.params.feeBps;
  platform.save();
}

export function handleFeeRecipientChanged(event: FeeRecipientChanged): void {
  const platform = getOrCreatePlatform(event.address);
  platform.feeRecipient = event.params.recipient;
  platform.save();
}

export function handleSettlementDelayChanged(event: SettlementDelayChanged): void {
  const platform = getOrCreatePlatform(event.address);
  platform.settlementDelay = event.params.delay;
  platform.save();
}

/** The platform allows or stops a currency for new events (existing events keep theirs). */
export function handleCurrencyAllowed(event: CurrencyAllowed): void {
  const platform = getOrCreatePlatform(event.address);
  const currencies = platform.currencies;
  const others = new Array<Bytes>();
  for (let i = 0; i < currencies.length; i++) {
    if (!currencies[i].equals(event.params.currency)) others.push(currencies[i]);
  }
  if (event.params.allowed) others.push(event.params.currency);
  platform.currencies = others;
  platform.save();
}

export function handleArbiterChanged(event: ArbiterChanged): void {
  const platform = getOrCreatePlatform(event.address);
  platform.arbiter = event.params.arbiter.equals(Address.zero()) ? null : event.params.arbiter;
  platform.save();
}
