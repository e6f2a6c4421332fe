// Settings: pause/resume tiers, the check-in window, withdraw proceeds and royalties, send the
// platform's fees on, the gas budget for fans' passkey wallets, cancel the event.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useReadContract } from "wagmi";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_CALENDARS, type EventCalendars } from "../../../lib/index/index.js";
import { formatAmount, formatDateTime, nowSeconds } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { TxStatus } from "../shared/ui.js";
import { network } from "../wallet/network.js";
import { GasBudget } from "./GasBudget.js";
import type { ConsoleEvent } from "./types.js";
import { LabelledCell, TableHead } from "./TableHead.js";
import { CALENDARS_ONLY } from "./util.js";

const ignore = (e: unknown) => {
  if (!(e instanceof TxFailed)) throw e;
};

export function Settings({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const contract = { address: ev.address, abi: chainpassEventAbi } as const;
  const escrow = useReadContract({ ...contract, functionName: "escrowBalance" });
  // (royalties, platformFees) accrued and not yet withdrawn.
  const accrued = useReadContract({ ...contract, functionName: "accruedRoyalties" });
  const tiers = useTransactions({ currency: ev.currency, zone: ev.zone });
  const checkIn = useTransactions({ currency: ev.currency, zone: ev.zone });
  const money = useTransactions({ currency: ev.currency, zone: ev.zone });
  const danger = useTransactions({ currency: ev.currency, zone: ev.zone });
  // A calendar's tiers sell per slot (a season's have no cap of their own): their sales alone, the Calendar tab has the places.
  const calendars = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: ev.address, ...CALENDARS_ONLY });
  const onCalendar = new Set(calendars.data?.event?.calendars.flatMap((c) => c.tiers.map((x) => x.tierId)) ?? []);
  const dialog = useRef<HTMLDialogElement>(null);
  const { info } = ev;
  const amount = (v: bigint | undefined) => (v === undefined ? "…" : formatAmount(v, ev.currency, locale));
  const availableAt = Number(info.end) + info.settlementDelay;
  const locked = availableAt > nowSeconds();
  // The contract takes organizer changes (pause, cancel) only until the event is over.
  const ended = nowSeconds() >= Number(info.end);
  const refresh = () => {
    void escrow.refetch();
    void accrued.refetch();
  };
  const royalties = accrued.data?.[0];
  const platformFees = accrued.data?.[1];
  const column = { tier: t("charts.tier"), sold: t("charts.sold"), state: t("settings.state") };

  return (
    <div>
      <section className="card">
        <h2>{t("settings.tiers")}</h2>
        <div className="table-wrap">
          <table className="org-table" data-testid="tier-sales">
            <TableHead columns={Object.values(column)} actions />
            <tbody>
              {info.tiers.map((tier) => (
                <tr key={tier.id}>
                  <LabelledCell label={column.tier}>{tier.name}</LabelledCell>
                  <LabelledCell label={column.sold}>{onCalendar.has(tier.tierId) ? tier.sold : `${tier.sold} / ${tier.supply}`}</LabelledCell>
                  <LabelledCell label={column.state}>{tier.paused ? <span className="badge bad">{t("settings.paused")}</span> : <span className="badge ok">{t("settings.onSale")}</span>}</LabelledCell>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      data-testid={`pause-tier-${tier.tierId}`}
                      disabled={tiers.busy || info.cancelled || ended}
                      onClick={() =>
                        void tiers
                          .send(t(tier.paused ? "settings.txResume" : "settings.txPause", { tier: tier.name }), { ...contract, functionName: "setTierPaused", args: [BigInt(tier.tierId), !tier.paused] })
                          .catch(ignore)
                      }
                    >
                      {tier.paused ? t("settings.resume") : t("settings.pause")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <TxStatus steps={tiers.steps} />
      </section>

      <CheckInWindow ev={ev} tx={checkIn} />

      <section className="card">
        <h2>{t("settings.money")}</h2>
        <dl className="review">
          <dt>{t("settings.escrow")}</dt>
          <dd data-testid="escrow-balance">{amount(escrow.data)}</dd>
          <dt>{t("settings.availableAt")}</dt>
          <dd>
            {formatDateTime(availableAt, locale, ev.zone)}
            {locked && <span className="muted small"> ({t("settings.locked")})</span>}
          </dd>
          <dt>{t("settings.accrued")}</dt>
          <dd data-testid="accrued-royalties">{amount(royalties)}</dd>
          <dt>{t("settings.platformFees")}</dt>
          <dd data-testid="pending-platform-fees">{amount(platformFees)}</dd>
        </dl>
        <p className="muted small">{t("settings.feeNote", { fee: info.platformFeeBps / 100 })}</p>
        <p className="muted small">{t("settings.withdrawWho")}</p>
        <div className="row">
          <button
            type="button"
            className="primary"
            data-testid="withdraw"
            // Not before settlement (the contract would refuse with WithdrawalLocked), nor with nothing to take.
            disabled={money.busy || info.cancelled || locked || escrow.data === 0n}
            onClick={() => void money.send(t("settings.txWithdraw"), { ...contract, functionName: "withdraw" }).then(refresh, ignore)}
          >
            {locked ? t("settings.withdrawFrom", { date: formatDateTime(availableAt, locale, ev.zone) }) : t("settings.withdraw")}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="withdraw-royalties"
            disabled={money.busy || royalties === undefined || royalties === 0n}
            onClick={() => void money.send(t("settings.txRoyalties"), { ...contract, functionName: "withdrawRoyalties" }).then(refresh, ignore)}
          >
            {t("settings.withdrawRoyalties")}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="withdraw-platform-fees"
            disabled={money.busy || platformFees === undefined || platformFees === 0n}
            onClick={() => void money.send(t("settings.txPlatformFees"), { ...contract, functionName: "withdrawPlatformFees" }).then(refresh, ignore)}
          >
            {t("settings.withdrawPlatformFees")}
          </button>
        </div>
        <p className="muted small">{t("settings.platformFeesNote")}</p>
        <TxStatus steps={money.steps} />
      </section>

      {network.passkeys && <GasBudget ev={ev} />}
      <section className="card danger-zone">
        <h2>{t("settings.cancelTitle")}</h2>
        {info.cancelled ? (
          <p className="notice">{t("settings.alreadyCancelled")}</p>
        ) : ended ? (
          <p className="notice" data-testid="cancel-ended">
            {t("settings.endedNoChanges", { closesAt: formatDateTime(availableAt, locale, ev.zone) })}
          </p>
        ) : (
          <>
            <p>{t("settings.cancelIntro")}</p>
            <button type="button" className="danger" data-testid="cancel-event" disabled={danger.busy} onClick={() => dialog.current?.showModal()}>
              {t("settings.cancel")}
            </button>
          </>
        )}
        <TxStatus steps={danger.steps} />
        <dialog ref={dialog} className="wallet-dialog" aria-labelledby="cancel-title">
          <h2 id="cancel-title">{t("settings.confirmTitle", { name: info.name })}</h2>
          <p>{t("settings.confirmText", { sold: info.ticketsSold })}</p>
          <div className="row">
            <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
              {t("settings.keep")}
            </button>
            <button
              type="button"
              className="danger"
              data-testid="confirm-cancel"
              onClick={() => {
                dialog.current?.close();
                void danger.send(t("settings.txCancel"), { ...contract, functionName: "cancel" }).catch(ignore);
              }}
            >
              {t("settings.confirm")}
            </button>
          </div>
        </dialog>
      </section>
    </div>
  );
}

/**
 * When gates may admit: from `checkInLeadHours` before the start (the contract's eventInfo; 6 at
 * creation) until the end plus the settlement window. The organizer sets the lead.
 */
function CheckInWindow({ ev, tx }: { ev: ConsoleEvent; tx: ReturnType<typeof useTransactions> }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const info = useReadContract({ address: ev.address, abi: chainpassEventAbi, functionName: "eventInfo" });
  const [text, setText] = useState("");
  const lead = info.data?.checkInLeadHours;
  const start = Number(ev.info.start);
  const typed = /^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  const valid = typed !== undefined && typed <= MAX_CHECK_IN_LEAD_HOURS;

  function save() {
    if (!valid) return;
    tx.reset();
    void tx
      .send(t("settings.txCheckInLead", { hours: typed }), { address: ev.address, abi: chainpassEventAbi, functionName: "setCheckInLead", args: [typed] })
      .then(() => {
        setText("");
        void info.refetch();
      }, ignore);
  }

  return (
    <section className="card" aria-labelledby="check-in-window-title">
      <h2 id="check-in-window-title">{t("settings.checkInTitle")}</h2>
      <p data-testid="check-in-window">
        {lead === undefined
          ? "…"
          : t("settings.checkInWindow", {
              count: lead,
              opensAt: formatDateTime(Math.max(0, start - lead * 3600), locale, ev.zone),
              closesAt: formatDateTime(Number(ev.info.end) + ev.info.settlementDelay, locale, ev.zone),
            })}
      </p>
      <p className="muted small">{t("settings.checkInLeadHelp")}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          {t("settings.checkInLead")}
          <input
            inputMode="numeric"
            value={text}
            placeholder={lead === undefined ? "" : String(lead)}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={!!text && !valid}
            data-testid="check-in-lead"
          />
        </label>
        <button type="submit" className="secondary" disabled={!valid || tx.busy || ev.info.cancelled} data-testid="save-check-in-lead">
          {t("settings.saveCheckInLead")}
        </button>
      </form>
      {!!text && !valid && (
        <p className="notice error" role="alert">
          {t("settings.checkInLeadInvalid", { max: MAX_CHECK_IN_LEAD_HOURS })}
        </p>
      )}
      <TxStatus steps={tx.steps} />
    </section>
  );
}

/** setCheckInLead takes a uint8. */
const MAX_CHECK_IN_LEAD_HOURS = 255;
