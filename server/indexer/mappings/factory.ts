// TicketFactory: new events (and the EventTicket template for each clone) and platform terms.
// Mirror of subgraph/src/factory.ts.
import type { Hex } from "viem";

import type { Platform } from "../generated/entities.js";
import type { FactoryEvent, HandlerStore } from "../mapping.js";
import { getOrCreateAccount, policyName, ZERO_ADDRESS } from "./helpers.js";

function getOrCreatePlatform(store: HandlerStore, factory: Hex): Platform {
  return (
    store.load("Platform", factory) ?? { id: factory, platformFeeBps: 0, feeRecipient: null, settlementDelay: 0, arbiter: null, currencies: [], eventCount: 0n }
  );
}

/**
 * Emitted before the clone's own logs (RoleGranted for the organizer, TierAdded...) in the same
 * transaction, so the Event exists when the template's handlers run.
 */
export function handleEventCreated(event: FactoryEvent<"EventCreated">, store: HandlerStore) {
  const params = event.params.params;
  const organizer = getOrCreateAccount(store, event.params.organizer, event);

  const platform = getOrCreatePlatform(store, event.address);
  platform.eventCount += 1n;
  // The terms the event was created with are the factory's terms in force now.
  platform.platformFeeBps = event.params.platformFeeBps;
  platform.settlementDelay = event.params.settlementDelay;
  store.save("Platform", platform);

  store.save("Event", {
    id: event.params.ticket,
    platform: platform.id,
    eventId: event.params.eventId,
    organizer: organizer.id,
    name: params.name,
    symbol: params.symbol,
    metadataURI: params.metadataURI,
    start: BigInt(params.start),
    end: BigInt(params.end),
    currency: params.currency,
    payout: params.payout,
    royaltyBps: params.royaltyBps,
    resaleCapBps: params.resaleCapBps,
    policy: policyName(params.policy),
    giftsPerHolder: params.giftsPerHolder,
    platformFeeBps: event.params.platformFeeBps,
    settlementDelay: event.params.settlementDelay,
    cancelled: false,
    cancelledAt: null,
    cancelledBy: null,
    refundRatio: null,
    checkInLeadHours: 6,
    tierCount: 0,
    ticketsSold: 0n,
    ticketsCheckedIn: 0n,
    ticketsRefunded: 0n,
    ticketsResold: 0n,
    primaryRevenue: 0n,
    refundedAmount: 0n,
    ticketsReturned: 0n,
    returnsKept: 0n,
    ticketsExchanged: 0n,
    refundDeadlines: [],
    refundShares: [],
    exchangesOffered: false,
    resaleVolume: 0n,
    royalties: 0n,
    platformFees: 0n,
    platformFeesWithdrawn: 0n,
    proceedsWithdrawn: 0n,
    royaltiesWithdrawn: 0n,
    createdAt: event.block.timestamp,
    createdAtBlock: event.block.number,
    createdTransaction: event.transaction.hash,
    membershipProgram: null,
  });

  store.createDataSource("EventTicket", event.params.ticket);
}

export function handlePlatformFeeChanged(event: FactoryEvent<"PlatformFeeChanged">, store: HandlerStore) {
  const platform = getOrCreatePlatform(store, event.address);
  platform.platformFeeBps = event.params.feeBps;
  store.save("Platform", platform);
}

export function handleFeeRecipientChanged(event: FactoryEvent<"FeeRecipientChanged">, store: HandlerStore) {
  const platform = getOrCreatePlatform(store, event.address);
  platform.feeRecipient = event.params.recipient;
  store.save("Platform", platform);
}

export function handleSettlementDelayChanged(event: FactoryEvent<"SettlementDelayChanged">, store: HandlerStore) {
  const platform = getOrCreatePlatform(store, event.address);
  platform.settlementDelay = event.params.delay;
  store.save("Platform", platform);
}

/** The platform allows or stops a currency for new events (existing events keep theirs). */
export function handleCurrencyAllowed(event: FactoryEvent<"CurrencyAllowed">, store: HandlerStore) {
  const platform = getOrCreatePlatform(store, event.address);
  const others = platform.currencies.filter((c) => c !== event.params.currency);
  platform.currencies = event.params.allowed ? [...others, event.params.currency] : others;
  store.save("Platform", platform);
}

export function handleArbiterChanged(event: FactoryEvent<"ArbiterChanged">, store: HandlerStore) {
  const platform = getOrCreatePlatform(store, event.address);
  platform.arbiter = event.params.arbiter === ZERO_ADDRESS ? null : event.params.arbiter;
  store.save("Platform", platform);
}
