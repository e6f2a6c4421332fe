// Deny list: denied accounts cannot buy, receive or list; add several at once, remove one by one.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { getAddress, isAddress, type Address } from "viem";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_PEOPLE, type EventPeople } from "../../../lib/index/index.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { OnExplorer, QueryStatus, TxStatus } from "../shared/ui.js";
import type { ConsoleEvent } from "./types.js";

export function DenyList({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const people = useIndexQuery<EventPeople>(EVENT_PEOPLE, { event: ev.address });
  const { steps, send, busy } = useTransactions({ currency: ev.currency });
  const [text, setText] = useState("");
  const [bad, setBad] = useState<string[]>([]);

  const ignore = (e: unknown) => {
    if (!(e instanceof TxFailed)) throw e;
  };

  async function add() {
    const lines = text
      .split(/[\s,;]+/)
      .map((l) => l.trim())
      .filter(Boolean);
    const wrong = lines.filter((l) => !isAddress(l, { strict: false }));
    setBad(wrong);
    if (wrong.length > 0 || lines.length === 0) return;
    const accounts = [...new Set(lines.map((l) => getAddress(l)))];
    try {
      await send(t("deny.txAdd", { n: accounts.length }), { address: ev.address, abi: chainpassEventAbi, functionName: "setDenied", args: [accounts, true] });
      setText("");
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
          {t("deny.addresses")}
          <textarea data-testid="deny-addresses" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder={"0x…\n0x…"} spellCheck={false} />
        </label>
        {bad.length > 0 && (
          <p className="notice error" role="alert">
            {t("deny.invalid", { list: bad.join(", ") })}
          </p>
        )}
        <button type="submit" className="primary" data-testid="deny-add" disabled={busy}>
          {t("deny.add")}
        </button>
      </form>
      <TxStatus steps={steps} />
      <QueryStatus query={people} empty={denied.length === 0} emptyText={t("deny.none")} />
      {denied.length > 0 && (
        <ul className="plain-list" data-testid="deny-list">
          {denied.map((a) => (
            <li key={a.account.id} className="spread">
              <OnExplorer kind="address" value={a.account.id}>
                <code className="address break">{a.account.id}</code>
              </OnExplorer>
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
