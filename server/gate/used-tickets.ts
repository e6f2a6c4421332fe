// An event's used tickets: admitted by any gate (the ledger) or checked in on chain some other way
// (another gate server, a direct checkIn), each once. The chain worker computes them for the
// status and the offline copy (chain-worker.ts); the gate's own thread only when the worker cannot.

export interface UsedTickets {
  count: number;
  /** Their ids, a JSON array of decimal strings (what the offline copy sends). */
  json: string;
}

/** The used tickets from the ledger's admitted ids (the set is added to) and the on-chain check-ins. */
export function usedTicketsOf(admitted: Set<bigint>, onChain: Iterable<bigint>): UsedTickets {
  for (const tokenId of onChain) admitted.add(tokenId);
  return { count: admitted.size, json: JSON.stringify(Array.from(admitted, String)) };
}
