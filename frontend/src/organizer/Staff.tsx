// Staff: accounts with the GATE role (scan and admit), grant and revoke.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { useReadContract } from "wagmi";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_PEOPLE, type EventPeople } from "../../../lib/index/index.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { OnExplorer, QueryStatus, TxStatus } from "../shared/ui.js";
import type { ConsoleEvent } from "./types.js";
import { TableHead } from "./TableHead.js";

export function Staff({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const people = useIndexQuery<EventPeople>(EVENT_PEOPLE, { event: ev.address });
  const gateRole = useReadContract({ address: ev.address, abi: chainpassEventAbi, functionName: "GATE_ROLE" });
  const { steps, send, busy } = useTransactions({ currency: ev.currency });
  const [input, setInput] = useState("");
  const [invalid, setInvalid] = useState(false);

  async function grant() {
    const a = input.trim();
    if (!isAddress(a, { strict: false })) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      await send(t("staff.txGrant", { address: a }), { address: ev.address, abi: chainpassEventAbi, functionName: "grantRole", args: [gateRole.data as Hex, getAddress(a)] });
      setInput("");
    } catch (e) {
      if (!(e instanceof TxFailed)) throw e;
    }
  }

  async function revoke(account: Address) {
    await send(t("staff.txRevoke", { address: account }), { address: ev.address, abi: chainpassEventAbi, functionName: "revokeRole", args: [gateRole.data as Hex, getAddress(account)] }).catch(
      (e) => {
        if (!(e instanceof TxFailed)) throw e;
      },
    );
  }

  const accounts = people.data?.eventAccounts ?? [];
  const staff = accounts.filter((a) => a.gate || a.organizer || a.finance || a.voucherSigner);

  return (
    <div>
      <h2>{t("staff.title")}</h2>
      <p className="muted">{t("staff.intro")}</p>
      <p className="muted small">
        {t("staff.revokedNote")} <Link to={`/organizer/${ev.address}/checkins`}>{t("staff.toCheckIns")}</Link>
      </p>
      <form
        className="card row"
        onSubmit={(e) => {
          e.preventDefault();
          void grant();
        }}
      >
        <label className="grow">
          {t("staff.address")}
          <input
            data-testid="staff-address"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="0x…"
            spellCheck={false}
            aria-invalid={invalid}
            aria-describedby={invalid ? "staff-invalid" : undefined}
          />
        </label>
        <button type="submit" className="primary" data-testid="grant-gate" disabled={busy || !gateRole.data}>
          {t("staff.grant")}
        </button>
        {invalid && (
          <p id="staff-invalid" className="notice error" role="alert">
            {t("invalidAddress")}
          </p>
        )}
      </form>
      <TxStatus steps={steps} />
      <QueryStatus query={people} empty={staff.length === 0} emptyText={t("staff.none")} />
      {staff.length > 0 && (
        <div className="table-wrap">
          <table data-testid="staff-list" className="org-table">
            <TableHead columns={[t("staff.account"), t("staff.roles")]} actions />
            <tbody>
              {staff.map((a) => (
                <tr key={a.account.id} data-testid="staff-row" data-gate={a.gate}>
                  <td>
                    <OnExplorer kind="address" value={a.account.id}>
                      <code className="address">{a.account.id}</code>
                    </OnExplorer>
                  </td>
                  <td>
                    <span className="row">
                      {a.organizer && <span className="badge">{t("staff.role.organizer")}</span>}
                      {a.gate && <span className="badge ok">{t("staff.role.gate")}</span>}
                      {a.finance && <span className="badge">{t("staff.role.finance")}</span>}
                      {a.voucherSigner && <span className="badge">{t("staff.role.voucherSigner")}</span>}
                    </span>
                  </td>
                  <td>
                    {a.gate && (
                      <button type="button" className="link" data-testid="revoke-gate" disabled={busy} onClick={() => void revoke(a.account.id)}>
                        {t("staff.revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
