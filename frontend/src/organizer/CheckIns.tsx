// Check-ins: every admission of the event as the index has it (which gate account wrote it, when,
// and whether the organizer undid it). The organizer undoes check-ins by token id, or every live
// check-in of one gate account at once (a leaked or revoked gate key): an undone ticket is valid
// again (it can be admitted, moved and refunded like any other).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { isAddressEqual, type Hex } from "viem";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_CHECK_INS, EVENT_PEOPLE, queryIndex, type EventCheckIn, type EventCheckIns, type EventPeople } from "../../../lib/index/index.js";
import type { OfflineConflict } from "../../../lib/offline-admissions.js";
import { PER_TRANSACTION } from "../../../lib/transaction-gas.js";
import { api } from "../shared/api.js";
import { formatDateTime, shortAddress } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { QueryStatus, ShortAddress, TxStatus } from "../shared/ui.js";
import { absoluteUrl, network } from "../wallet/network.js";
import { LabelledCell, TableHead } from "./TableHead.js";
import type { ConsoleEvent } from "./types.js";

const PAGE = 1000;
/** Check-ins listed at first, and added by "Show more". */
const LIST_STEP = 100;

/** Every check-in of the event, oldest first (pages of 1,000). */
async function loadCheckIns(event: string, signal: AbortSignal): Promise<EventCheckIn[]> {
  const all: EventCheckIn[] = [];
  for (;;) {
    const page = await queryIndex<EventCheckIns>(absoluteUrl(network.indexUrl), EVENT_CHECK_INS, { event, first: PAGE, skip: all.length }, { signal });
    all.push(...page.checkIns);
    if (page.checkIns.length < PAGE) return all;
  }
}

/** Token ids typed by a person (spaces, commas, semicolons or lines between them). */
function parseTokenIds(text: string): { ids: bigint[]; invalid: string[] } {
  const words = text.split(/[\s,;]+/).filter(Boolean);
  const invalid = words.filter((w) => !/^\d{1,30}$/.test(w) || BigInt(w) === 0n);
  const ids = [...new Set(words.filter((w) => !invalid.includes(w)).map((w) => BigInt(w)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ids, invalid };
}

/** The gate's conflicts list: shown only when it answers (the organizer or gate staff, signed in). */
function OfflineConflicts({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const conflicts = useQuery({
    queryKey: ["gate-conflicts", ev.address],
    queryFn: () => api<{ conflicts: OfflineConflict[] }>(`/gate/${ev.address.toLowerCase()}/conflicts`).then((r) => r.conflicts),
    refetchInterval: 10_000,
    retry: false,
  });
  const list = conflicts.data ?? [];
  if (list.length === 0) return null;
  const at = (seconds?: number) => (seconds ? formatDateTime(seconds, i18n.language, ev.zone) : "?");
  return (
    <div className="card" role="alert" data-testid="console-offline-conflicts" data-count={list.length}>
      <h3>{t("checkIns.conflictsTitle")}</h3>
      <p className="muted small">{t("checkIns.conflictsIntro")}</p>
      <p>
        <strong>{t("checkIns.conflictsCount", { count: list.length })}</strong>
      </p>
      <ul>
        {list.map((c) => (
          <li key={`${c.tokenId}-${c.device}`} data-testid="console-offline-conflict" data-token={c.tokenId}>
            {t("checkIns.conflictRow", {
              id: c.tokenId,
              device: c.deviceLabel ?? c.device,
              staff: shortAddress(c.staff),
              at: at(c.admittedAt),
              winner: c.winner.onChain ? t("checkIns.conflictChain") : (c.winner.deviceLabel ?? (c.winner.staff ? shortAddress(c.winner.staff) : "?")),
              winnerAt: at(c.winner.at),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface GateSummary {
  gate: Hex;
  live: bigint[];
  undone: number;
  last: string;
}

export function CheckIns({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const checkIns = useQuery({
    queryKey: ["index", EVENT_CHECK_INS, { event: ev.address, all: true }],
    queryFn: ({ signal }) => loadCheckIns(ev.address, signal),
    refetchInterval: 10_000,
  });
  const people = useIndexQuery<EventPeople>(EVENT_PEOPLE, { event: ev.address });
  const tx = useTransactions({ currency: ev.currency, zone: ev.zone });
  const [idsText, setIdsText] = useState("");
  const [confirmGate, setConfirmGate] = useState<Hex | null>(null);
  const [gateFilter, setGateFilter] = useState<string>("");
  const [shown, setShown] = useState(LIST_STEP);

  const all = checkIns.data ?? [];
  // Tickets checked in now: the live check-ins (a ticket has at most one).
  const liveTokens = new Set(all.filter((c) => !c.undone).map((c) => c.tokenId));
  const gates = new Map<Hex, GateSummary>();
  for (const c of all) {
    const g = gates.get(c.gate) ?? { gate: c.gate, live: [], undone: 0, last: c.checkedInAt };
    if (c.undone) g.undone += 1;
    else g.live.push(BigInt(c.tokenId));
    if (BigInt(c.checkedInAt) > BigInt(g.last)) g.last = c.checkedInAt;
    gates.set(c.gate, g);
  }
  const hasGateRole = (gate: Hex) => people.data?.eventAccounts.some((a) => a.gate && isAddressEqual(a.account.id, gate));

  const typed = parseTokenIds(idsText);
  const typedLive = typed.ids.filter((id) => liveTokens.has(id.toString())).length;
  const blocked = ev.info.cancelled;

  async function undo(ids: bigint[], label: (part: number, parts: number) => string): Promise<boolean> {
    tx.reset();
    try {
      await tx.sendEach(label, ids, PER_TRANSACTION.undoCheckIn, (batch) => ({ address: ev.address, abi: chainpassEventAbi, functionName: "undoCheckIn", args: [batch] }));
      return true;
    } catch (error) {
      if (!(error instanceof TxFailed)) throw error;
      return false;
    }
  }

  const list = [...all].reverse().filter((c) => !gateFilter || c.gate === gateFilter);
  const gateColumn = { gate: t("checkIns.gate"), access: t("checkIns.access"), live: t("checkIns.live"), undone: t("checkIns.undoneCount"), last: t("checkIns.last") };
  const listColumn = { time: t("checkIns.time"), ticket: t("checkIns.ticket"), holder: t("checkIns.holder"), gate: t("checkIns.gate"), state: t("checkIns.state") };

  return (
    <div>
      <h2>{t("checkIns.title")}</h2>
      <p className="muted">{t("checkIns.intro")}</p>
      {blocked && <p className="notice">{t("checkIns.cancelled")}</p>}
      <TxStatus steps={tx.steps} />
      <OfflineConflicts ev={ev} />

      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.ids.length === 0 || typed.invalid.length > 0) return;
          void undo(typed.ids, (part, parts) => t("checkIns.txUndoTokens", { count: typed.ids.length, part, parts })).then((ok) => ok && setIdsText(""));
        }}
      >
        <h3>{t("checkIns.byToken")}</h3>
        <label>
          {t("checkIns.tokenIds")}
          <textarea
            rows={2}
            value={idsText}
            onChange={(e) => setIdsText(e.target.value)}
            placeholder="1000001, 1000002"
            spellCheck={false}
            aria-invalid={typed.invalid.length > 0}
            data-testid="undo-token-ids"
          />
        </label>
        {typed.invalid.length > 0 && (
          <p className="notice error" role="alert">
            {t("checkIns.invalidIds", { list: typed.invalid.join(", ") })}
          </p>
        )}
        {typed.ids.length > 0 && typed.invalid.length === 0 && checkIns.isSuccess && (
          <p className="muted small" data-testid="undo-token-summary">
            {t("checkIns.typedLive", { count: typed.ids.length, live: typedLive })}
          </p>
        )}
        <button type="submit" className="secondary" disabled={blocked || tx.busy || typed.ids.length === 0 || typed.invalid.length > 0} data-testid="undo-tokens">
          {t("checkIns.undoTokens", { count: typed.ids.length })}
        </button>
      </form>

      <section className="card">
        <h3>{t("checkIns.byGate")}</h3>
        <p className="muted small">{t("checkIns.byGateIntro")}</p>
        <QueryStatus query={checkIns} empty={gates.size === 0} emptyText={t("checkIns.none")} />
        {gates.size > 0 && (
          <div className="table-wrap">
            <table className="org-table" data-testid="check-in-gates">
              <TableHead columns={Object.values(gateColumn)} actions />
              <tbody>
                {[...gates.values()].map((g) => {
                  const active = hasGateRole(g.gate);
                  return (
                    <tr key={g.gate} data-testid="check-in-gate" data-gate={g.gate}>
                      <LabelledCell label={gateColumn.gate}>
                        <ShortAddress address={g.gate} />
                      </LabelledCell>
                      <LabelledCell label={gateColumn.access}>
                        {active === undefined ? "…" : active ? <span className="badge ok">{t("checkIns.hasAccess")}</span> : <span className="badge bad">{t("checkIns.revoked")}</span>}
                      </LabelledCell>
                      <LabelledCell label={gateColumn.live}>{g.live.length}</LabelledCell>
                      <LabelledCell label={gateColumn.undone}>{g.undone}</LabelledCell>
                      <LabelledCell label={gateColumn.last}>{formatDateTime(g.last, locale, ev.zone)}</LabelledCell>
                      <td>
                        <button
                          type="button"
                          className="link"
                          disabled={blocked || tx.busy || g.live.length === 0}
                          data-testid="undo-gate"
                          onClick={() => setConfirmGate(g.gate)}
                        >
                          {t("checkIns.undoGate", { count: g.live.length })}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {confirmGate && gates.get(confirmGate) && (
          <div className="notice" role="alertdialog" aria-labelledby="undo-gate-title" data-testid="undo-gate-confirm">
            <p id="undo-gate-title">
              <strong>{t("checkIns.confirmGate", { count: gates.get(confirmGate)!.live.length, gate: confirmGate })}</strong>
            </p>
            {hasGateRole(confirmGate) && (
              <p>
                {t("checkIns.stillHasAccess")} <Link to={`/organizer/${ev.address}/staff`}>{t("checkIns.toStaff")}</Link>
              </p>
            )}
            <div className="row">
              <button type="button" className="secondary" autoFocus onClick={() => setConfirmGate(null)}>
                {t("checkIns.keep")}
              </button>
              <button
                type="button"
                className="danger"
                data-testid="undo-gate-yes"
                disabled={tx.busy}
                onClick={() => {
                  const g = gates.get(confirmGate)!;
                  setConfirmGate(null);
                  const ids = [...g.live].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
                  void undo(ids, (part, parts) => t("checkIns.txUndoGate", { count: ids.length, gate: shortAddress(g.gate), part, parts }));
                }}
              >
                {t("checkIns.confirmYes")}
              </button>
            </div>
          </div>
        )}
      </section>

      <section className="card">
        <div className="spread">
          <h3>{t("checkIns.list")}</h3>
          {gates.size > 1 && (
            <label className="inline">
              {t("checkIns.gate")}{" "}
              <select value={gateFilter} onChange={(e) => setGateFilter(e.target.value)} data-testid="check-in-filter">
                <option value="">{t("checkIns.allGates")}</option>
                {[...gates.keys()].map((gate) => (
                  <option key={gate} value={gate}>
                    {shortAddress(gate)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        <QueryStatus query={checkIns} empty={list.length === 0} emptyText={t("checkIns.none")} />
        {list.length > 0 && (
          <div className="table-wrap">
            <table className="org-table" data-testid="check-in-list">
              <TableHead columns={Object.values(listColumn)} />
              <tbody>
                {list.slice(0, shown).map((c) => (
                  <tr key={c.id} data-testid="check-in-row" data-token={c.tokenId} data-undone={c.undone}>
                    <LabelledCell label={listColumn.time}>{formatDateTime(c.checkedInAt, locale, ev.zone)}</LabelledCell>
                    <LabelledCell label={listColumn.ticket}>
                      #{c.tokenId} <span className="muted small">{c.tier.name}</span>
                    </LabelledCell>
                    <LabelledCell label={listColumn.holder}>
                      <ShortAddress address={c.holder.id} />
                    </LabelledCell>
                    <LabelledCell label={listColumn.gate}>
                      <ShortAddress address={c.gate} />
                    </LabelledCell>
                    <LabelledCell label={listColumn.state}>
                      {c.undone ? (
                        <span className="badge bad" title={c.undoneBy ?? undefined}>
                          {c.undoneAt ? t("checkIns.undoneAt", { date: formatDateTime(c.undoneAt, locale, ev.zone) }) : t("checkIns.undone")}
                        </span>
                      ) : (
                        <span className="badge ok">{t("checkIns.checkedIn")}</span>
                      )}
                    </LabelledCell>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.length > shown && (
          <button type="button" className="secondary" onClick={() => setShown((n) => n + LIST_STEP)}>
            {t("checkIns.more", { count: list.length - shown })}
          </button>
        )}
      </section>
    </div>
  );
}
