// Channels: who sells the event's tickets besides the organizer (a box office, a travel agency, an
// influencer's link). Each channel (EVENT_CHANNELS) with its payout, commission rate (fixed for its
// life), sales and commission (earned, owed until settlement, paid), and its share link
// (/events/<event>?ch=<id>: purchases through it credit the channel); change its payout, close it.
// Add one: a label, a payout (an address, or an ENS name where the network has ENS) and a
// commission of 0 to 50 %.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useHref } from "react-router";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { EVENT_CHANNELS, type EventChannel, type EventChannels } from "../../../lib/index/index.js";
import { formatAmount, nowSeconds } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { RecipientInput, RecipientNote, useRecipient } from "../shared/recipient-input.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { FullAddress, QueryStatus, TxStatus } from "../shared/ui.js";
import { CopyButton, QrCode } from "./share.js";
import type { ConsoleEvent } from "./types.js";
import { LabelledCell, TableHead } from "./TableHead.js";
import { percentToBps } from "./util.js";

/** contracts: MAX_COMMISSION_BPS and MAX_CHANNELS (contracts/ticket/TicketBase.sol). */
const MAX_COMMISSION_BPS = 5_000;
const MAX_CHANNELS = 255;
/** A label is not stored on chain (ChannelAdded carries it): kept short, as the reports show it. */
const MAX_LABEL = 64;

const ignore = (e: unknown) => {
  if (!(e instanceof TxFailed)) throw e;
};

type Tx = ReturnType<typeof useTransactions>;

/** Basis points as a percentage in the reader's locale ("10%", "12.5%"). */
const percentOf = (bps: number, locale: string) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(bps / 10_000);

export function Channels({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const query = useIndexQuery<EventChannels>(EVENT_CHANNELS, { event: ev.address });
  const rows = useTransactions({ currency: ev.currency, zone: ev.zone });
  const channels = query.data?.event?.channels ?? [];
  // The contract takes new channels only until the event ends (EventAlreadyEnded), and none once cancelled.
  const closedToNew = ev.info.cancelled || nowSeconds() >= Number(ev.info.end);
  const column = {
    channel: t("channels.channel"),
    payout: t("channels.payout"),
    commission: t("channels.commission"),
    state: t("channels.state"),
    sold: t("channels.sold"),
    revenue: t("channels.revenue"),
    earned: t("channels.earned"),
    owed: t("channels.owed"),
    paid: t("channels.paid"),
    link: t("channels.link"),
  };

  return (
    <div>
      <h2>{t("channels.title")}</h2>
      <p className="muted">{t("channels.intro", { max: percentOf(MAX_COMMISSION_BPS, i18n.language) })}</p>
      <QueryStatus query={query} empty={channels.length === 0} emptyText={t("channels.none")} />
      {channels.length > 0 && (
        <div className="table-wrap">
          <table className="org-table" data-testid="channel-list">
            <TableHead columns={Object.values(column)} actions />
            <tbody>
              {channels.map((channel) => (
                <ChannelRow key={channel.id} ev={ev} channel={channel} column={column} tx={rows} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TxStatus steps={rows.steps} />
      {closedToNew ? (
        <p className="notice" data-testid="channels-closed">
          {ev.info.cancelled ? t("channels.cancelled") : t("channels.ended")}
        </p>
      ) : (
        <AddChannel ev={ev} full={channels.length >= MAX_CHANNELS} />
      )}
    </div>
  );
}

function ChannelRow({ ev, channel, column, tx }: { ev: ConsoleEvent; channel: EventChannel; column: Record<string, string>; tx: Tx }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const id = channel.channelId;
  // The fan's event page, absolute from the app's base (a static build's hash route included).
  const href = useHref(`/events/${ev.address}?ch=${id}`);
  const link = new URL(href, window.location.href).href;
  const [editing, setEditing] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const amount = (v: string | bigint) => formatAmount(BigInt(v), ev.currency, locale);
  const number = (v: bigint) => new Intl.NumberFormat(locale).format(v);
  const reversed = BigInt(channel.ticketsReversed);
  const sold = BigInt(channel.ticketsSold) - reversed;
  const earned = BigInt(channel.commissionEarned) - BigInt(channel.commissionReversed);

  const close = () => {
    dialog.current?.close();
    void tx.send(t("channels.txClose", { label: channel.label }), { address: ev.address, abi: chainpassEventAbi, functionName: "closeChannel", args: [BigInt(id)] }).catch(ignore);
  };

  return (
    <tr data-testid={`channel-${id}`} data-open={channel.open}>
      <LabelledCell label={column.channel}>
        <strong data-testid={`channel-label-${id}`}>{channel.label}</strong> <span className="muted small">#{id}</span>
      </LabelledCell>
      <LabelledCell label={column.payout}>
        {editing ? (
          <PayoutForm ev={ev} channel={channel} tx={tx} onDone={() => setEditing(false)} />
        ) : (
          <span data-testid={`channel-payout-${id}`}>
            <FullAddress address={channel.payout} className="address break" />
          </span>
        )}
      </LabelledCell>
      <LabelledCell label={column.commission} data-testid={`channel-commission-${id}`}>
        {percentOf(channel.commissionBps, locale)}
      </LabelledCell>
      <LabelledCell label={column.state}>
        {channel.open ? <span className="badge ok">{t("channels.open")}</span> : <span className="badge bad">{t("channels.closed")}</span>}
      </LabelledCell>
      <LabelledCell label={column.sold}>
        <span data-testid={`channel-sold-${id}`}>{number(sold)}</span>
        {reversed > 0n && <span className="muted small"> {t("channels.reversed", { n: number(reversed) })}</span>}
      </LabelledCell>
      <LabelledCell label={column.revenue} data-testid={`channel-revenue-${id}`}>
        {amount(channel.revenue)}
      </LabelledCell>
      <LabelledCell label={column.earned} data-testid={`channel-earned-${id}`}>
        {amount(earned)}
      </LabelledCell>
      <LabelledCell label={column.owed} data-testid={`channel-owed-${id}`}>
        {amount(channel.commissionOwed)}
      </LabelledCell>
      <LabelledCell label={column.paid} data-testid={`channel-paid-${id}`}>
        {amount(channel.commissionPaid)}
      </LabelledCell>
      <LabelledCell label={column.link}>
        {channel.open ? (
          <>
            <code className="break small" data-testid={`channel-link-${id}`}>
              {link}
            </code>{" "}
            <CopyButton text={link} testId={`copy-channel-${id}`} />
            <QrCode text={link} testId={`channel-qr-${id}`} />
          </>
        ) : (
          <span className="muted small">{t("channels.noLink")}</span>
        )}
      </LabelledCell>
      <td>
        <span className="row">
          {!editing && (
            <button type="button" className="link" disabled={tx.busy} data-testid={`change-payout-${id}`} onClick={() => setEditing(true)}>
              {t("channels.changePayout")}
            </button>
          )}
          {channel.open && (
            <button type="button" className="link" disabled={tx.busy} data-testid={`close-channel-${id}`} onClick={() => dialog.current?.showModal()}>
              {t("channels.close")}
            </button>
          )}
        </span>
        <dialog ref={dialog} className="wallet-dialog" aria-labelledby={`close-channel-title-${id}`}>
          <h2 id={`close-channel-title-${id}`}>{t("channels.confirmTitle", { label: channel.label })}</h2>
          <p>{t("channels.confirmText", { owed: amount(channel.commissionOwed) })}</p>
          <div className="row">
            <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
              {t("channels.keep")}
            </button>
            <button type="button" className="danger" data-testid={`confirm-close-channel-${id}`} onClick={close}>
              {t("channels.confirmClose")}
            </button>
          </div>
        </dialog>
      </td>
    </tr>
  );
}

/** A channel's new payout: an address (or an ENS name), sent once it is one. */
function PayoutForm({ ev, channel, tx, onDone }: { ev: ConsoleEvent; channel: EventChannel; tx: Tx; onDone: () => void }) {
  const { t } = useTranslation("organizer");
  const [input, setInput] = useState("");
  const [tried, setTried] = useState(false);
  const recipient = useRecipient(input);
  const invalid = tried && (recipient.status === "refused" || recipient.status === "empty");
  const id = channel.channelId;
  const noteId = `channel-payout-note-${id}`;

  async function save() {
    setTried(true);
    if (recipient.status !== "resolved") return;
    const { address, name } = recipient;
    try {
      await tx.send(t("channels.txPayout", { label: channel.label, address: name ?? address }), {
        address: ev.address,
        abi: chainpassEventAbi,
        functionName: "setChannelPayout",
        args: [BigInt(id), address],
      });
      onDone();
    } catch (e) {
      ignore(e);
    }
  }

  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <RecipientInput
        label={t("channels.newPayout")}
        testId={`payout-input-${id}`}
        value={input}
        onChange={(text) => {
          setInput(text);
          setTried(false);
        }}
        invalid={invalid}
        describedBy={noteId}
      />
      <button type="submit" className="secondary" data-testid={`save-payout-${id}`} disabled={tx.busy || recipient.status === "looking-up"}>
        {t("channels.savePayout")}
      </button>
      <button type="button" className="link" onClick={onDone}>
        {t("channels.cancelEdit")}
      </button>
      {(invalid || recipient.status !== "refused") && <RecipientNote state={recipient} testId={noteId} id={noteId} />}
      {tried && recipient.status === "empty" && (
        <p id={noteId} className="small bad-text" role="alert">
          {t("channels.problem.payout")}
        </p>
      )}
    </form>
  );
}

/** The "Add channel" form: each field checked before anything is sent. */
function AddChannel({ ev, full }: { ev: ConsoleEvent; full: boolean }) {
  const { t, i18n } = useTranslation("organizer");
  const max = percentOf(MAX_COMMISSION_BPS, i18n.language);
  const { steps, send, busy } = useTransactions({ currency: ev.currency, zone: ev.zone });
  const [label, setLabel] = useState("");
  const [payout, setPayout] = useState("");
  const [percent, setPercent] = useState("");
  const [tried, setTried] = useState(false);
  const recipient = useRecipient(payout);
  const bps = percentToBps(percent);

  const problems = {
    label: !label.trim() ? t("channels.problem.label") : label.trim().length > MAX_LABEL ? t("channels.problem.labelLong", { max: MAX_LABEL }) : undefined,
    payout: recipient.status === "empty" ? t("channels.problem.payout") : undefined,
    commission: bps === undefined || bps > MAX_COMMISSION_BPS ? t("channels.problem.commission", { max }) : undefined,
  };
  const shown = (field: keyof typeof problems) => (tried ? problems[field] : undefined);
  const payoutRefused = tried && recipient.status === "refused";

  async function add() {
    setTried(true);
    if (problems.label || problems.commission || recipient.status !== "resolved" || bps === undefined) return;
    const name = label.trim();
    try {
      await send(t("channels.txAdd", { label: name, percent: percentOf(bps, i18n.language) }), {
        address: ev.address,
        abi: chainpassEventAbi,
        functionName: "addChannel",
        args: [recipient.address, BigInt(bps), name],
      });
      setLabel("");
      setPayout("");
      setPercent("");
      setTried(false);
    } catch (e) {
      ignore(e);
    }
  }

  return (
    <form
      className="card"
      data-testid="add-channel"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h3>{t("channels.add")}</h3>
      <div className="form-grid">
        <label>
          {t("channels.label")}
          <input
            data-testid="channel-label"
            value={label}
            maxLength={MAX_LABEL}
            onChange={(e) => setLabel(e.target.value)}
            placeholder={t("channels.labelPlaceholder")}
            aria-invalid={!!shown("label")}
            aria-describedby={shown("label") ? "channel-label-problem" : undefined}
          />
          {shown("label") && (
            <span id="channel-label-problem" className="small bad-text field-problem" role="alert">
              {shown("label")}
            </span>
          )}
        </label>
        <label>
          {t("channels.payoutAddress")}
          <RecipientInput
            testId="channel-payout"
            value={payout}
            onChange={(text) => {
              setPayout(text);
              setTried(false);
            }}
            invalid={!!shown("payout") || payoutRefused}
            describedBy={shown("payout") ? "channel-payout-problem" : "channel-payout-note"}
          />
          {shown("payout") && (
            <span id="channel-payout-problem" className="small bad-text field-problem" role="alert">
              {shown("payout")}
            </span>
          )}
          {(payoutRefused || recipient.status !== "refused") && <RecipientNote state={recipient} testId="channel-payout-note" id="channel-payout-note" />}
        </label>
        <label>
          {t("channels.commissionPercent")}
          <input
            data-testid="channel-commission"
            inputMode="decimal"
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            placeholder="10"
            aria-invalid={!!shown("commission")}
            aria-describedby={shown("commission") ? "channel-commission-problem" : "channel-commission-help"}
          />
          {shown("commission") ? (
            <span id="channel-commission-problem" className="small bad-text field-problem" role="alert">
              {shown("commission")}
            </span>
          ) : (
            <span id="channel-commission-help" className="muted small">
              {t("channels.commissionHelp", { max })}
            </span>
          )}
        </label>
      </div>
      {full && <p className="notice error">{t("channels.full", { max: MAX_CHANNELS })}</p>}
      <button type="submit" className="primary" data-testid="add-channel-submit" disabled={busy || full || recipient.status === "looking-up"}>
        {t("channels.addButton")}
      </button>
      <TxStatus steps={steps} />
    </form>
  );
}
