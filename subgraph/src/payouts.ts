// Money leaving the event contract: ProceedsWithdrawn, RoyaltiesWithdrawn, PaymentCredited,
// CreditsWithdrawn.
import {
  CreditsWithdrawn,
  PaymentCredited,
  ProceedsWithdrawn,
  RoyaltiesWithdrawn,
} from "../generated/templates/EventTicket/IChainpassEvent";
import { Event } from "../generated/schema";
import { getOrCreateEventAccount } from "./helpers";

/** `amount` went to the payout address; `platformFee` (on primary proceeds) to the factory. */
export function handleProceedsWithdrawn(event: ProceedsWithdrawn): void {
  const ev = Event.load(event.address)!;
  ev.proceedsWithdrawn = ev.proceedsWithdrawn.plus(event.params.amount);
  ev.platformFees = ev.platformFees.plus(event.params.platformFee);
  ev.save();
}

/** Resale royalties and fees leave together; the fees were counted when each resale happened. */
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

/** withdrawCredits() pays out everything credited. */
export function handleCreditsWithdrawn(event: CreditsWithdrawn): void {
  const member = getOrCreateEventAccount(event.address, event.params.account, event);
  member.credits = member.credits.minus(event.params.amount);
  member.save();
}
