// Money leaving the event contract: ProceedsWithdrawn, RoyaltiesWithdrawn, PlatformFeesWithdrawn,
// PaymentCredited, CreditsWithdrawn. Mirror of subgraph/src/payouts.ts.
import type { HandlerStore, TicketEvent } from "../mapping.js";
import { getOrCreateEventAccount } from "./helpers.js";

/** `amount` went to the payout address; `platformFee` (on primary proceeds) accrues for the platform. */
export function handleProceedsWithdrawn(event: TicketEvent<"ProceedsWithdrawn">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.proceedsWithdrawn += event.params.amount;
  ev.platformFees += event.params.platformFee;
  store.save("Event", ev);
}

/** Resale royalties went to the payout address (counted when each resale happened). */
export function handleRoyaltiesWithdrawn(event: TicketEvent<"RoyaltiesWithdrawn">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.royaltiesWithdrawn += event.params.royalties;
  store.save("Event", ev);
}

/** A seller's or refunded holder's payment could not be pushed and waits for withdrawCredits(). */
export function handlePaymentCredited(event: TicketEvent<"PaymentCredited">, store: HandlerStore) {
  const member = getOrCreateEventAccount(store, event.address, event.params.account, event);
  member.credits += event.params.amount;
  store.save("EventAccount", member);
}

/** The platform's accrued fees went to the factory. */
export function handlePlatformFeesWithdrawn(event: TicketEvent<"PlatformFeesWithdrawn">, store: HandlerStore) {
  const ev = store.load("Event", event.address)!;
  ev.platformFeesWithdrawn += event.params.amount;
  store.save("Event", ev);
}

/** withdrawCredits() / withdrawCreditsTo() pay out everything credited to `account`. */
export function handleCreditsWithdrawn(event: TicketEvent<"CreditsWithdrawn">, store: HandlerStore) {
  const member = getOrCreateEventAccount(store, event.address, event.params.account, event);
  member.credits -= event.params.amount;
  store.save("EventAccount", member);
}
