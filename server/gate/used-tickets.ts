// An event's used tickets: admitted by any gate (the ledger) or checked in on chain some other way
// (another gate server, a direct checkIn), each once. The chain worker computes them for the
// status and the offline copy (chain-worker.ts); the gate's own thread only when the worker cannot.

import type { Address } from "viem";

import { usedBitsOf } from "../../lib/offline-admissions.js";
import type { AsyncAdmissionLedger } from "./async-ledger.js";

export interface UsedTickets {
  count: number;
  /** Their ids, a JSON array of decimal strings (what the offline copy sends). */
  json: string;
  /** The same as bitmaps, JSON (lib/offline-admissions.ts UsedBits): what the offline copy sends a device asking for them. */
  bitsJson: string;
  /** The used-ticket feed's cursor that goes with them: every admission before it is in `json`. */
  cursor: string;
}

/**
 * Reads the event's used tickets from the ledger and the chain's check-ins. The feed's cursor is
 * read first: every admission before it was committed by then, so the list read after has it.
 */
export async function readUsedTickets(ledger: Pick<AsyncAdmissionLedger, "usedFeedCursor" | "admittedTokenIdsJson">, event: Address, onChain: Iterable<bigint>): Promise<UsedTickets> {
  const cursor = await ledger.usedFeedCursor();
  return { ...usedTicketsOf(await ledger.admittedTokenIdsJson(event), onChain), cursor };
}

/**
 * The used tickets from the ledger's admitted ids (the JSON array of decimal strings it reads) and
 * the on-chain check-ins: the ledger's JSON as it is, with the check-ins it lacks added at its end.
 * For 40,000 ids this took 16-35 ms here; making a set of bigints of them and a JSON of that, 23-87.
 */
export function usedTicketsOf(admittedJson: string, onChain: Iterable<bigint>): Omit<UsedTickets, "cursor"> {
  const admitted = new Set(JSON.parse(admittedJson) as string[]);
  const others: string[] = [];
  for (const tokenId of onChain) {
    const id = tokenId.toString();
    if (!admitted.has(id)) others.push(id);
  }
  const count = admitted.size + others.length;
  // Computed here, off the scan's thread: 50,000 ids take a few milliseconds.
  const bitsJson = JSON.stringify(usedBitsOf(others.length ? [...admitted, ...others] : admitted));
  if (others.length === 0) return { count, json: admittedJson, bitsJson };
  if (admitted.size === 0) return { count, json: JSON.stringify(others), bitsJson };
  return { count, json: `${admittedJson.slice(0, admittedJson.lastIndexOf("]"))},${JSON.stringify(others).slice(1)}`, bitsJson };
}
