// Fan-area helpers: a tier's sale state and price now, seat maps from the index,
// amounts typed by people, the event metadata of many events at once.
import { useQueries, useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { parseUnits, stringToHex, type Hex } from "viem";

import type { SeatBlockResult } from "../../../lib/index/index.js";
import type { SeatBlock } from "../../../lib/seats.js";
import { api, ApiError } from "../shared/api.js";
import { formatDateTimeRange, type Currency } from "../shared/format.js";
import { ipfsUrl, type EventMetadata } from "../shared/metadata.js";

// A tier's sale state and price now: ./sale.ts (no app imports, so the unit tests load it).
export { hasPresale, isEarly, priceNow, saleState, type SaleState } from "./sale.js";

/** The index stores sections as text; lib/seats wants the contract's bytes16. */
export const toSeatBlocks = (blocks: SeatBlockResult[]): SeatBlock[] =>
  blocks.map((b) => ({ section: stringToHex(b.section, { size: 16 }), firstRow: b.firstRow, rows: b.rows, firstSeat: b.firstSeat, seatsPerRow: b.seatsPerRow, letteredRows: b.letteredRows }));

/** "0.11" in the event currency → its smallest unit; undefined when not a valid amount. */
export function parseAmount(text: string, currency: Currency): bigint | undefined {
  const clean = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(clean)) return undefined;
  try {
    return parseUnits(clean, currency.decimals);
  } catch {
    return undefined;
  }
}

export const lower = (address: string) => address.toLowerCase() as Hex;

export const bps = (value: number) => `${(value / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`;

async function fetchMetadata(uri: string): Promise<EventMetadata> {
  const response = await fetch(ipfsUrl(uri));
  if (!response.ok) throw new Error(`metadata ${uri}: HTTP ${response.status}`);
  return (await response.json()) as EventMetadata;
}

/** Several events' metadata (same cache entries as useEventMetadata). */
export function useManyMetadata(uris: string[]): (EventMetadata | undefined)[] {
  const results = useQueries({
    queries: uris.map((uri) => ({ queryKey: ["metadata", uri], enabled: !!uri, staleTime: Infinity, queryFn: () => fetchMetadata(uri) })),
  });
  return results.map((r) => r.data);
}

/** Listing states in which the listing still exists on chain (the seller can cancel it). */
const OPEN_LISTING = new Set(["Active", "NotListed", "TokenMoved", "CheckedIn", "EventCancelled", "EventEnded", "SellerDenied"]);
export const listingOpen = (listing: { status: string } | null) => !!listing && OPEN_LISTING.has(listing.status) && listing.status !== "NotListed";

/** Both zero: any time. */
export const hasSlot = (t: { entryStart: string; entryEnd: string }) => BigInt(t.entryStart) > 0n || BigInt(t.entryEnd) > 0n;

/**
 * A ticket of a calendar's slot (timed entry, or a run's performance): its id carries the slot
 * (lib/calendar.ts slotOfToken; not imported, so that every fan page does not load lib/calendar).
 */
export const inCalendarSlot = (t: { tokenId: string }) => BigInt(t.tokenId) >= 1_000_000_000n;

/**
 * When a ticket is for, in words at the venue: "Entry Dec 8, 2026, 11:00 AM – 12:00 PM GMT+8", or
 * "Performance ..." for a seat in a run; null for a ticket valid any time.
 */
export function ticketSlotText(ticket: { tokenId: string; entryStart: string; entryEnd: string; seatLabel: string | null }, t: TFunction, locale: string, zone: string | undefined): string | null {
  if (!hasSlot(ticket)) return null;
  const slot = formatDateTimeRange(ticket.entryStart, ticket.entryEnd, locale, zone);
  return inCalendarSlot(ticket) && ticket.seatLabel ? t("calendar.ticketPerformance", { slot }) : t("tier.slot", { slot });
}

/** The allowlist proof of `wallet` for a tier's presale, from the server; null when not listed. */
export function usePresaleProof(eventAddress: string, tierId: number, wallet: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["allowlist", eventAddress, tierId, wallet],
    enabled: enabled && !!wallet,
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return await api<{ proof: `0x${string}`[]; allowance: string; root: string }>(`/events/${eventAddress}/allowlists/${tierId}/${wallet}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}
