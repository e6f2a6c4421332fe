// Deny list: denied accounts cannot buy, receive or list; add several at once (addresses, or ENS
// names where the network has ENS), remove one by one.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { getAddress, type Address } from "viem";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_PEOPLE, type EventPeople } from "../../../lib/index/index.js";
import { PER_TRANSACTION } from "../../../lib/transaction-gas.js";
import { hasEns, resolveRecipient } from "../shared/ens.js";
import { useIndexQuery } from "../shared/index-query.js";
import { lookupOptions, ResolvedName, useRefusalText, useSettled } from "../shared/recipient-input.js";
import { collectRecipients, splitRecipients, type EntryOutcome, type RecipientList } from "../shared/recipient-list.js";
import { readRecipient, refusalOf } from "../shared/recipients.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { FullAddress, QueryStatus, TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import type { ConsoleEvent } from "./types.js";

async function outcomeOf(input: string): Promise<EntryOutcome> {
  try {
    return { input, ...(await resolveRecipient(input)) };
  } catch (error) {
    return { input, refusal: refusalOf(error, input) };
  }
}

/** The deny list's text, each entry read as useRecipient reads one input. */
function useRecipientList(text: string): { status: "empty" | "looking-up" | "done"; list: RecipientList } {
  const entries = splitRecipients(text);
  // Addresses and refusals known from the text are settled now; only names wait for a lookup.
  const names = entries.filter((entry) => readRecipient(entry, hasEns).kind === "name");
  const key = names.join("\n");
  const settled = useSettled(key);
  const lookup = useQuery({
    queryKey: ["ens", "recipients", network.chainId, settled],
    queryFn: () => Promise.all(settled.split("\n").map(outcomeOf)),
    enabled: settled !== "" && settled === key,
    ...lookupOptions,
  });
  const looking = names.length > 0 && (settled !== key || !lookup.data);
  // Another text's lookup (the query key lags while typing) is never read.
  const found = looking ? undefined : lookup.data;
  const outcomes = entries.map((input): EntryOutcome => {
    const typed = readRecipient(input, hasEns);
    if (typed.kind === "address") return { input, address: typed.address };
    if (typed.kind === "refused") return { input, refusal: typed.refusal };
    return found?.find((o) => o.input === input) ?? { input, refusal: { problem: "lookup-failed", input } };
  });
  return { status: entries.length === 0 ? "empty" : looking ? "looking-up" : "done", list: collectRecipients(outcomes) };
}


export function DenyList({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const people = useIndexQuery<EventPeople>(EVENT_PEOPLE, { event: ev.address });
  const { steps, send, sendEach, busy } = useTransactions({ currency: ev.currency, zone: ev.zone });
  const [text, setText] = useState("");
  // Refusals show once the organizer tries to send (not while a line is half typed).
  const [tried, setTried] = useState(false);
  const typed = useRecipientList(text);
  const refusalText = useRefusalText();
  const { accounts, names, refused } = typed.list;

  const ignore = (e: unknown) => {
    if (!(e instanceof TxFailed)) throw e;
  };

  async function add() {
    // Only a settled list is sent: every name looked up (and shown) for the text as it is now.
    if (typed.status !== "done") return;
    setTried(true);
    if (accounts.length === 0) return;
    try {
      await sendEach(t("deny.txAdd", { n: accounts.length }), accounts, PER_TRANSACTION.setDenied, (slice) => ({
        address: ev.address,
        abi: chainpassEventAbi,
        functionName: "setDenied",
        args: [slice, true],
      }));
      setText("");
      setTried(false);
    } catch (e) {
      ignore(e);
    }
  }

  const remove = (account: Address) =>
    send(t("deny.txRemove", { address: account }), { address: ev.address, abi: chainpassEventAbi, functionName: "setDenied", args: [[getAddress(account)], false] }).catch(ignore);

  const denied = (people.data?.eventAccounts ?? []).filter((a) => a.denied);
  return (
    <div>
      <h2>{t("deny.title")}</h2>
      <p className="muted">{t("deny.intro")}</p>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          {hasEns ? t("deny.addressesOrNames") : t("deny.addresses")}
          <textarea
            data-testid="deny-addresses"
            rows={4}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setTried(false);
            }}
            placeholder={hasEns ? "0x…\nname.eth" : "0x…\n0x…"}
            spellCheck={false}
            autoCapitalize="none"
          />
        </label>
        {typed.status === "looking-up" && (
          <p className="small muted" role="status" data-testid="deny-looking-up">
            {t("deny.lookingUp")}
          </p>
        )}
        {typed.status === "done" && names.length > 0 && (
          <ul className="plain-list small" data-testid="deny-names">
            {names.map((n) => (
              <li key={n.name} data-name={n.name} data-address={n.address}>
                <ResolvedName name={n.name} address={n.address} />
              </li>
            ))}
          </ul>
        )}
        {tried && refused.length > 0 && (
          <div className="notice error" role="alert" data-testid="deny-refused">
            {t("deny.invalid")}
            <ul>
              {refused.map((r) => (
                <li key={r.input} data-problem={r.problem}>
                  {refusalText(r)}
                </li>
              ))}
            </ul>
          </div>
        )}
        <button type="submit" className="primary" data-testid="deny-add" disabled={busy || typed.status === "looking-up"}>
          {t("deny.add")}
        </button>
      </form>
      <TxStatus steps={steps} />
      <QueryStatus query={people} empty={denied.length === 0} emptyText={t("deny.none")} />
      {denied.length > 0 && (
        <ul className="plain-list" data-testid="deny-list">
          {denied.map((a) => (
            <li key={a.account.id} className="spread">
              <span>
                <FullAddress address={a.account.id} className="address break" />
              </span>
              <button type="button" className="link" disabled={busy} data-testid="deny-remove" onClick={() => void remove(a.account.id)}>
                {t("deny.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
