// Address inputs that take ENS names (gift, deny list, staff): the typed text read as the user
// types, and the line under the input that says what a name resolved to, or why the text is
// refused. Apart from shared/ens.ts so that only the routes with such an input carry it.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";

import { network } from "../wallet/network.js";
import { hasEns, resolveRecipient } from "./ens.js";
import { readRecipient, refusalKey, refusalOf, type Refusal } from "./recipients.js";
import { OnExplorer } from "./ui.js";

/** Waits for typing to pause before a lookup. */
const LOOKUP_DELAY_MS = 300;

/** `value` once it has stayed the same for a moment. */
export function useSettled(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), LOOKUP_DELAY_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

export type RecipientState =
  | { status: "empty" }
  | { status: "looking-up"; input: string }
  | { status: "resolved"; address: Address; name?: string }
  | { status: "refused"; refusal: Refusal };

export const lookupOptions = { retry: false, staleTime: 60_000, refetchOnWindowFocus: false } as const;

/**
 * What an address input holds, as the user types: an address at once, a name once looked up. An
 * address is only ever the current text's: while the text and its lookup differ it is looking-up,
 * and a failed lookup is a refusal, never an address.
 */
export function useRecipient(text: string): RecipientState {
  const typed = readRecipient(text, hasEns);
  const name = typed.kind === "name" ? typed.input : "";
  const settled = useSettled(name);
  const lookup = useQuery({
    queryKey: ["ens", "recipient", network.chainId, settled],
    queryFn: () => resolveRecipient(settled),
    enabled: settled !== "" && settled === name,
    ...lookupOptions,
  });
  if (typed.kind === "empty") return { status: "empty" };
  if (typed.kind === "address") return { status: "resolved", address: typed.address };
  if (typed.kind === "refused") return { status: "refused", refusal: typed.refusal };
  if (settled !== name || lookup.isPending) return { status: "looking-up", input: name };
  if (lookup.isError) return { status: "refused", refusal: refusalOf(lookup.error, name) };
  return { status: "resolved", ...lookup.data };
}

/** A refusal in the reader's language. */
export function useRefusalText(): (refusal: Refusal) => string {
  const { t } = useTranslation();
  return (refusal) => t(refusalKey(refusal.problem, hasEns), { name: refusal.input, network: network.name });
}

/** A name and the address it resolved to, in full and linked to the explorer: what the transaction will use. */
export function ResolvedName({ name, address }: { name: string; address: Address }) {
  const { t } = useTranslation();
  return (
    <>
      {t("ens.resolvesTo", { name })}{" "}
      <OnExplorer kind="address" value={address}>
        <code className="address break">{address}</code>
      </OnExplorer>
    </>
  );
}

/**
 * The line under an address input: the looking-up notice, what a name resolved to, or why the text
 * is refused. `data-state` (and `data-address`, `data-problem`) let tests read it.
 */
export function RecipientNote({ state, testId, id }: { state: RecipientState; testId: string; id?: string }) {
  const { t } = useTranslation();
  const refusalText = useRefusalText();
  if (state.status === "looking-up")
    return (
      <p id={id} className="small muted" role="status" data-testid={testId} data-state={state.status}>
        {t("ens.lookingUp", { name: state.input })}
      </p>
    );
  if (state.status === "refused")
    return (
      <p id={id} className="small bad-text" role="alert" data-testid={testId} data-state={state.status} data-problem={state.refusal.problem}>
        {refusalText(state.refusal)}
      </p>
    );
  // An address typed as such needs no note.
  if (state.status === "resolved" && state.name)
    return (
      <p id={id} className="small" data-testid={testId} data-state={state.status} data-address={state.address}>
        <ResolvedName name={state.name} address={state.address} />
      </p>
    );
  return null;
}

/** An address input's placeholder: names are offered only where the network has ENS. */
export function useRecipientPlaceholder(): string {
  const { t } = useTranslation();
  return hasEns ? t("ens.placeholder") : "0x…";
}

/**
 * The text field for an address or (where the network has ENS) a name, as `useRecipient` reads
 * it: `describedBy` names what explains it while it is `invalid` (a RecipientNote, a problem).
 */
export function RecipientInput({
  value,
  onChange,
  invalid,
  describedBy,
  testId,
  label,
}: {
  value: string;
  onChange: (text: string) => void;
  invalid: boolean;
  describedBy?: string;
  testId: string;
  /** Its accessible name, when no <label> wraps it. */
  label?: string;
}) {
  const placeholder = useRecipientPlaceholder();
  return (
    <input
      aria-label={label}
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      spellCheck={false}
      autoCapitalize="none"
      aria-invalid={invalid}
      aria-describedby={invalid ? describedBy : undefined}
    />
  );
}
