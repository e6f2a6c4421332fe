// The deny list's input: several accounts in one text, each an address or an ENS name, sent as one
// list only when every entry is an account. Pure, as recipients.ts (test/lib/recipients.test.ts);
// its own module so that only the organizer console carries it.
import type { Address } from "viem";

import type { Refusal } from "./recipients.js";

/** The deny list's entries: one per line (spaces, commas and semicolons separate too, as pasted from a sheet), each once. */
export function splitRecipients(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** An entry's outcome: its address (and the normalized name it was typed as), or why it was refused. */
export type EntryOutcome = { input: string; address: Address; name?: string } | { input: string; refusal: Refusal };

export interface RecipientList {
  /** Every address once, in the order typed; empty when any entry was refused. */
  accounts: Address[];
  /** The entries typed as names, with what each resolved to (shown before anything is sent). */
  names: { name: string; address: Address }[];
  refused: Refusal[];
}

/** Entries' outcomes as one list: nothing is sent while any entry is refused (a typo is not half a list). */
export function collectRecipients(outcomes: readonly EntryOutcome[]): RecipientList {
  const refused: Refusal[] = [];
  const names: RecipientList["names"] = [];
  const accounts = new Set<Address>();
  for (const outcome of outcomes) {
    if ("refusal" in outcome) {
      refused.push(outcome.refusal);
      continue;
    }
    accounts.add(outcome.address);
    if (outcome.name && !names.some((n) => n.name === outcome.name)) names.push({ name: outcome.name, address: outcome.address });
  }
  return { accounts: refused.length ? [] : [...accounts], names, refused };
}
