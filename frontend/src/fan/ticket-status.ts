// My tickets' order and each ticket's status. Nothing of the app's setup is imported, so the unit
// tests load it as it is.
import type { MyRefundedTicket, MyTicket } from "../../../lib/index/index.js";

/** A row of My tickets: a ticket held now, or one refunded from the wallet (`refundedAt` set). */
export type TicketRowData = MyTicket & {
  refundedAt?: MyRefundedTicket["refundedAt"];
  /** A refunded ticket's replacement, when it was exchanged (MY_TICKETS). */
  exchangedFor?: MyRefundedTicket["exchangedFor"];
  /** How a refunded ticket went (MY_REFUNDS' kind: Claim, Organizer, Return, Exchange), once known. */
  refundKind?: string;
};

/**
 * What a ticket is now, the first that applies: refunded (burned), its event cancelled (a refund
 * to claim), used at the door, its event over unused, listed for resale, or valid.
 */
export type TicketStatus = "refunded" | "cancelled" | "checkedIn" | "ended" | "listed" | "valid";

export function ticketStatus(ticket: TicketRowData, { now, listed }: { now: number; listed: boolean }): TicketStatus {
  if (ticket.refundedAt !== undefined) return "refunded";
  if (ticket.event.cancelled) return "cancelled";
  if (ticket.checkedIn) return "checkedIn";
  if (BigInt(ticket.event.end) <= BigInt(now)) return "ended";
  return listed ? "listed" : "valid";
}

export interface EventTickets {
  event: MyTicket["event"];
  tickets: TicketRowData[];
  /** The event has ended (by the clock): listed after the others. */
  past: boolean;
}

/**
 * The tickets by event: events still to come or under way first, the soonest start first; then
 * the events that have ended, the latest to end first. Within an event, tickets held before the
 * refunded ones, each part by entry slot, then by token id (tier, then serial or seat).
 */
export function groupByEvent(held: MyTicket[], refunded: MyRefundedTicket[], now: number): EventTickets[] {
  const groups = new Map<string, EventTickets>();
  const heldIds = new Set(held.map((t) => t.id));
  // A refunded seat sold back to the same wallet is held again: shown once, as held.
  const rows: TicketRowData[] = [...held, ...refunded.filter((t) => !heldIds.has(t.id))];
  for (const ticket of rows) {
    const group = groups.get(ticket.event.id) ?? { event: ticket.event, tickets: [], past: BigInt(ticket.event.end) <= BigInt(now) };
    group.tickets.push(ticket);
    groups.set(ticket.event.id, group);
  }
  const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  for (const group of groups.values())
    group.tickets.sort(
      (a, b) =>
        Number(a.refundedAt !== undefined) - Number(b.refundedAt !== undefined) ||
        compare(BigInt(a.entryStart), BigInt(b.entryStart)) ||
        compare(BigInt(a.tokenId), BigInt(b.tokenId)),
    );
  return [...groups.values()].sort(
    (a, b) =>
      Number(a.past) - Number(b.past) ||
      (a.past ? compare(BigInt(b.event.end), BigInt(a.event.end)) : compare(BigInt(a.event.start), BigInt(b.event.start))) ||
      a.event.id.localeCompare(b.event.id),
  );
}

/** Whether a return is possible for a ticket: no policy, open (the quote holds until `until`), or closed since the last deadline. */
export type ReturnState = "none" | "open" | "closed";

/**
 * What the contract's `returnQuote(tokenId)` answer means: (0, 0) with no refund policy; a refund
 * above 0 while a step is open; nothing once the last deadline (`until`) has passed, except for a
 * ticket that cost nothing, whose every share is 0 (open until `until`, by the clock `now`).
 */
export function returnState(refund: bigint, until: bigint, pricePaid: bigint, now: number): ReturnState {
  if (until === 0n) return "none";
  if (refund > 0n) return "open";
  return pricePaid === 0n && until >= BigInt(now) ? "open" : "closed";
}
