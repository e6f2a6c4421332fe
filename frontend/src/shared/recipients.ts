// Address inputs that also take ENS names: what can be told from the text alone (an address, or why
// it is refused). Pure (no wagmi, no import.meta.env), so test/lib/recipients.test.ts runs it under
// Node; shared/ens.ts does the lookups, recipient-list.ts reads the deny list's many entries.
import { getAddress, isAddress, type Address } from "viem";

import type { EnsProblem } from "../../../lib/ens.js";

export type { EnsProblem };

/** An input refused, as lib/ens's EnsError carries it (problem and the text as typed or normalized). */
export interface Refusal {
  problem: EnsProblem;
  input: string;
}

/** What an input holds before any lookup. */
export type TypedRecipient =
  | { kind: "empty" }
  | { kind: "address"; address: Address }
  /** Dotted, on a network with ENS: lib/ens normalizes and looks it up. */
  | { kind: "name"; input: string }
  | { kind: "refused"; refusal: Refusal };

/**
 * lib/ens parseRecipient's rules up to the name's normalization, which needs the ENSIP-15 tables
 * (loaded with lib/ens): on a network without ENS the app never loads them.
 */
export function readRecipient(text: string, hasEns: boolean): TypedRecipient {
  const typed = text.trim();
  if (!typed) return { kind: "empty" };
  // Strict, as lib/ens: a mixed-case address with a wrong checksum is a typo.
  if (isAddress(typed)) return { kind: "address", address: getAddress(typed) };
  if (!typed.includes(".")) return { kind: "refused", refusal: { problem: "invalid-address", input: typed } };
  if (!hasEns) return { kind: "refused", refusal: { problem: "unavailable", input: typed } };
  return { kind: "name", input: typed };
}

const PROBLEMS: readonly EnsProblem[] = ["invalid-address", "invalid-name", "unavailable", "not-found", "lookup-failed"];

/** Why `input` was refused, from what its lookup threw: lib/ens's EnsError, else the lookup failed (a chunk that did not download...). */
export function refusalOf(error: unknown, input: string): Refusal {
  const { problem, input: named } = (error ?? {}) as { problem?: unknown; input?: unknown };
  if (error instanceof Error && error.name === "EnsError" && PROBLEMS.includes(problem as EnsProblem)) {
    return { problem: problem as EnsProblem, input: typeof named === "string" ? named : input };
  }
  return { problem: "lookup-failed", input };
}

/** The catalogue key (common namespace, `ens.*`) of a refusal; `{{name}}` and `{{network}}` fill it. */
export function refusalKey(problem: EnsProblem, hasEns: boolean): string {
  switch (problem) {
    case "invalid-address":
      return hasEns ? "ens.notAddressOrName" : "ens.notAddress";
    case "invalid-name":
      return "ens.invalidName";
    case "unavailable":
      return "ens.unavailable";
    case "not-found":
      return "ens.notFound";
    case "lookup-failed":
      return "ens.failed";
  }
}
