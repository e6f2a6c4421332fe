// Which seats of a seated tier are sold and which held back: the tier's (SEATS_TAKEN), or for a
// run's tier one performance's (SLOT_SEATS_TAKEN). The checkout, the exchange panel and the
// console's seat holds read them the same way; `useTakenSeats` is both sets as one.
import { useQuery } from "@tanstack/react-query";

import { queryIndex, SEATS_TAKEN, SLOT_SEATS_TAKEN, type EventCalendar, type EventPageTier, type SeatsTaken, type SlotSeatsTaken } from "../../../lib/index/index.js";
import { absoluteUrl, network } from "../wallet/network.js";
import { slotEntityId } from "./slots.js";

/** A run's tier and the performance (slot) whose seats are meant; undefined slot: none chosen yet. */
export interface Performance {
  calendar: EventCalendar;
  slot: number | undefined;
}

export interface SeatStates {
  sold: Set<number>;
  held: Set<number>;
}

function seatStatesQuery(tier: EventPageTier | undefined, run: Performance | undefined) {
  const slotId = run && run.slot !== undefined ? slotEntityId(run.calendar.id, run.slot) : undefined;
  return {
    queryKey: ["index", run ? SLOT_SEATS_TAKEN : SEATS_TAKEN, { tier: tier?.id, slot: slotId }],
    enabled: !!tier?.seated && (!run || slotId !== undefined),
    refetchInterval: 10_000,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<SeatStates> => {
      const sold = new Set<number>();
      const held = new Set<number>();
      const url = absoluteUrl(network.indexUrl);
      for (let skip = 0; ; skip += 1000) {
        const page = slotId
          ? await queryIndex<SlotSeatsTaken>(url, SLOT_SEATS_TAKEN, { tier: tier!.id, slot: slotId, first: 1000, skip }, { signal })
          : await queryIndex<SeatsTaken>(url, SEATS_TAKEN, { tier: tier!.id, first: 1000, skip }, { signal });
        page.tickets.forEach((x) => sold.add(x.serial));
        page.heldSeats.forEach((x) => held.add(x.serial));
        if (page.tickets.length < 1000 && page.heldSeats.length < 1000) return { sold, held };
      }
    },
  };
}

/** Sold and held seats apart (the console's holds). */
export const useSeatStates = (tier: EventPageTier | undefined, run?: Performance) => useQuery(seatStatesQuery(tier, run));

/** Seats that cannot be sold: sold or held. */
export const useTakenSeats = (tier: EventPageTier | undefined, run?: Performance) =>
  useQuery({ ...seatStatesQuery(tier, run), select: (s: SeatStates) => new Set([...s.sold, ...s.held]) });
