// What an address input that also takes ENS names holds, from its text alone: an address, a name
// still to normalize and look up, or why it is refused. lib/ens.ts builds on it; the web app uses
// it directly so that a network without ENS never loads lib/ens (its ENSIP-15 tables are large).
import { getAddress, isAddress, type Address } from "viem";

/** Why an input is refused: the app words each one in the reader's language. */
export type EnsProblem =
  /** Not an address, and no dot: not meant as a name either. */
  | "invalid-address"
  /** Dotted, but not a name ENSIP-15 normalization accepts. */
  | "invalid-name"
  /** A name typed on a network without ENS. */
  | "unavailable"
  /** ENS has no address for the name. */
  | "not-found"
  /** The lookup itself failed (RPC down): worth retrying. */
  | "lookup-failed";

/** An input refused: the problem, and the text as typed (or normalized). */
export interface Refusal {
  problem: EnsProblem;
  input: string;
}

export type TypedRecipient =
  | { kind: "empty" }
  | { kind: "address"; address: Address }
  /** Dotted, on a network with ENS: still to normalize and look up. */
  | { kind: "name"; input: string }
  | { kind: "refused"; refusal: Refusal };

export function readRecipient(text: string, hasEns: boolean): TypedRecipient {
  const typed = text.trim();
  if (!typed) return { kind: "empty" };
  // Strict: a mixed-case address must carry a valid checksum (a wrong one is a typo).
  if (isAddress(typed)) return { kind: "address", address: getAddress(typed) };
  if (!typed.includes(".")) return { kind: "refused", refusal: { problem: "invalid-address", input: typed } };
  if (!hasEns) return { kind: "refused", refusal: { problem: "unavailable", input: typed } };
  return { kind: "name", input: typed };
}
