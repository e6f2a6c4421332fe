// Tickets the door has admitted whose checkIn is not on chain yet (the gate writes admissions in
// batches): GET /gate/<event>/admitted?tokens=... answers which of the given tickets the gates
// admitted, so the app shows them as used at once, not a few seconds later.
import { useQuery } from "@tanstack/react-query";

import { api } from "./api.js";

/** Token ids (decimal) among `tokenIds` that the event's gates admitted; empty while unknown. */
export function useDoorAdmissions(event: string | undefined, tokenIds: string[]): Set<string> {
  const ids = [...new Set(tokenIds)].sort();
  const query = useQuery({
    queryKey: ["door-admissions", event, ids.join(",")],
    enabled: !!event && ids.length > 0,
    refetchInterval: 5_000,
    // The gate may be unreachable from here; then the index's check-ins are what there is.
    retry: false,
    queryFn: async () => {
      const admitted = new Set<string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const answer = await api<{ admitted: string[] }>(`/gate/${event}/admitted?tokens=${ids.slice(i, i + 1000).join(",")}`);
        for (const id of answer.admitted) admitted.add(id);
      }
      return admitted;
    },
  });
  return query.data ?? EMPTY;
}

const EMPTY = new Set<string>();
