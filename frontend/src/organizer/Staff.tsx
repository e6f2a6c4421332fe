// Staff: accounts with the GATE role (scan and admit), grant (to an address, or an ENS name where
// the network has ENS) and revoke.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { getAddress, type Address, type Hex } from "viem";
import { useReadContract } from "wagmi";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_PEOPLE, type EventPeople } from "../../../lib/index/index.js";
import { useIndexQuery } from "../shared/index-query.js";
import { RecipientInput, RecipientNote, useRecipient } from "../shared/recipient-input.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { FullAddress, QueryStatus, TxStatus } from "../shared/ui.js";
import type { ConsoleEvent } from "./types.js";
import { LabelledCell, TableHead } from "./TableHead.js";

export function Staff({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const people = useIndexQuery<EventPeople>(EVENT_PEOPLE, { event: ev.address });
  const gateRole = useReadContract({ address: ev.address, abi: chainpassEventAbi, functionName: "GATE_ROLE" });
  const { steps, send, busy } = useTransactions({ currency: ev.currency, zone: ev.zone });
  const [input, setInput] = useState("");
  // A refusal shows once the organizer tries to grant (not while the address is half typed).
  const [tried, setTried] = useState(false);
  const recipient = useRecipient(input);
  const invalid = tried && recipient.status === "refused";

  async function grant() {
    setTried(true);
    // Only an address typed, or a name resolved (and shown) for the text as it is now.
    if (recipient.status !== "resolved") return;
    const { address, name } = recipient;
    try {
      await send(t("staff.txGrant", { address: name ?? address }), { address: ev.address, abi: chainpassEventAbi, functionName: "grantRole", args: [gateRole.data as Hex, address] });
      setInput("");
      setTried(false);
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
  const column = { account: t("staff.account"), roles: t("staff.roles") };

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
          <RecipientInput
            testId="staff-address"
            value={input}
            onChange={(text) => {
              setInput(text);
              setTried(false);
            }}
            invalid={invalid}
            describedBy="staff-note"
          />
        </label>
        <button type="submit" className="primary" data-testid="grant-gate" disabled={busy || !gateRole.data || recipient.status === "looking-up"}>
          {t("staff.grant")}
        </button>
        {(invalid || recipient.status !== "refused") && <RecipientNote state={recipient} testId="staff-note" id="staff-note" />}
      </form>
      <TxStatus steps={steps} />
      <QueryStatus query={people} empty={staff.length === 0} emptyText={t("staff.none")} />
      {staff.length > 0 && (
        <div className="table-wrap">
          <table data-testid="staff-list" className="org-table">
            <TableHead columns={Object.values(column)} actions />
            <tbody>
              {staff.map((a) => (
                <tr key={a.account.id} data-testid="staff-row" data-gate={a.gate}>
                  <LabelledCell label={column.account}>
                    <FullAddress address={a.account.id} />
                  </LabelledCell>
                  <LabelledCell label={column.roles}>
                    <span className="row">
                      {a.organizer && <span className="badge">{t("staff.role.organizer")}</span>}
                      {a.gate && <span className="badge ok">{t("staff.role.gate")}</span>}
                      {a.finance && <span className="badge">{t("staff.role.finance")}</span>}
                      {a.voucherSigner && <span className="badge">{t("staff.role.voucherSigner")}</span>}
                    </span>
                  </LabelledCell>
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
