// Staff looking a ticket up at the door when neither the QR nor its backup code can be shown (a
// dead phone): by seat ("C 12", "Stalls C12"), by holder address or by ticket number, in the
// gate's snapshot. Staff check the person (an ID, the booking) and admit with a confirmation.
import { isAddress, isAddressEqual, type Address } from "viem";

import { seatOf, type SeatBlock } from "../../lib/seats.js";
import type { EventSnapshot, TicketFacts } from "./snapshot.js";

export const MAX_LOOKUP_RESULTS = 20;
export const MAX_LOOKUP_QUERY_LENGTH = 100;

/** Upper-case words and numbers: "Stalls, Row C, Seat 12" → STALLS C 12 (ROW and SEAT dropped). */
function words(text: string): string[] {
  return (text.toUpperCase().match(/[\p{L}]+|\d+/gu) ?? []).filter((w) => w !== "ROW" && w !== "SEAT");
}

/** Each seat's words (section, row, number) per seat map, made once per map the snapshot holds. */
const seatWords = new WeakMap<readonly SeatBlock[], Map<number, Set<string>>>();

function wordsOfSeat(blocks: readonly SeatBlock[], serial: number): Set<string> | undefined {
  let map = seatWords.get(blocks);
  if (!map) seatWords.set(blocks, (map = new Map()));
  let found = map.get(serial);
  if (!found) {
    const seat = seatOf(blocks, serial);
    if (!seat) return undefined;
    found = new Set([...words(seat.section), seat.row.toUpperCase(), String(seat.number)]);
    map.set(serial, found);
  }
  return found;
}

export interface LookupMatch extends TicketFacts {
  holder: Address;
}

/**
 * Tickets of the event matching `query`: a holder address (their tickets), a ticket number, or
 * seat words, every one of which the seat must have. At most MAX_LOOKUP_RESULTS, by ticket number.
 */
export function lookUpTickets(snapshot: EventSnapshot, query: string): LookupMatch[] {
  const q = query.trim();
  const matches: bigint[] = [];
  if (isAddress(q, { strict: false })) {
    for (const [tokenId, owner] of snapshot.owners) if (isAddressEqual(owner, q)) matches.push(tokenId);
  } else if (/^\d{1,20}$/.test(q) && snapshot.owners.has(BigInt(q))) {
    matches.push(BigInt(q));
  } else {
    const wanted = words(q);
    if (!wanted.length) return [];
    for (const tokenId of snapshot.owners.keys()) {
      const tier = snapshot.tiers.get(snapshot.tierOf(tokenId));
      if (!tier?.seatMap) continue;
      const have = wordsOfSeat(tier.seatMap, snapshot.serialOf(tokenId));
      if (have && wanted.every((w) => have.has(w))) matches.push(tokenId);
    }
  }
  return matches
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_LOOKUP_RESULTS)
    .map((tokenId) => ({ ...snapshot.facts(tokenId), holder: snapshot.owners.get(tokenId)! }));
}
