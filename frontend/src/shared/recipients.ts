// Address inputs that also take ENS names: why a lookup refused an input, and the words for each
// refusal. Pure (no wagmi, no import.meta.env), so test/lib/recipients.test.ts runs it under Node;
// shared/ens.ts does the lookups, recipient-list.ts reads the deny list's many entries.
import { readRecipient, type EnsProblem, type Refusal, type TypedRecipient } from "../../../lib/recipient-text.js";

// The text rules are lib/ens's own (lib/recipient-text.ts), without its ENSIP-15 tables.
export { readRecipient };
export type { EnsProblem, Refusal, TypedRecipient };

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
