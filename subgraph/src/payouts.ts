// Money leaving the event contract: ProceedsWithdrawn, RoyaltiesWithdrawn, PlatformFeesWithdrawn,
// PaymentCredited, CreditsWithdrawn.
import {
  CreditsWithdrawn,
  PaymentCredited,
  PlatformFeesWithdrawn,
  ProceedsWithdrawn,
  RoyaltiesWithdrawn,
} from "../generated/templates/EventTicket/IChainpassEvent";
import { Event } from "../generated/schema";
import { getOrCreateEventAccount } from "./helpers";

/** `amount` went to the payout address; `platformFee` (on primary proceeds) accrues for the platform. */
export function handleProceedsWithdrawn(event: ProceedsWithdrawn): void {
  const ev = Event.load(event.address)!;
  ev.proceedsWithdrawn = ev.proceedsWithdrawn.plus(event.params.amount);
  ev.platformFees = ev.platformFees.plus(event.params.platformFee);
  ev.save();
}

/** Resale royalties went to the payout address (counted when each resale happened). */
export function handleRoyaltiesWithdrawn(event: RoyaltiesWithdrawn): void {
  const ev = Event.load(event.address)!;
  ev.royaltiesWithdrawn = ev.royaltiesWithdrawn.plus(event.params.royalties);
  ev.save();
}

/** A seller's or refunded holder's payment could not be pushed and waits for withdrawCredits(). */
export function handlePaymentCredited(event: PaymentCredited): void {
  const member = getOrCreateEventAccount(event.address, event.params.account, event);
  member.credits = member.credits.plus(event.params.amount);
  member.save();
}

/** The platform's accrued fees went to the factory. */
export function handlePlatformFeesWithdrawn(event: PlatformFeesWithdrawn): void {
  const ev = Event.load(event.address)!;
  ev.platformFeesWithdrawn = ev.platformFeesWithdrawn.plus(event.params.amount);
  ev.save();
}

/** withdrawCredits() / withdrawCreditsTo() pay out everything credited to `account`. */
export function handleCreditsWithdrawn(event: CreditsWithdrawn): void {
  const member = getOrCreateEventAccount(event.address, event.params.account, event);
  member.credits = member.credits.minus(event.params.amount);
  member.save();
}
