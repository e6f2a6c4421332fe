// The door's last resort: a dead phone, a cracked screen. Staff find the ticket by seat, holder
// address or ticket number, check the person (an ID, the booking) and admit with a confirmation.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { formatTime, shortAddress } from "../shared/format.js";
import { UsedAt } from "./admission-line.js";
import { lookUpTickets, ScanProblem, type LookedUpTicket } from "./gate-api.js";
import { KNOWN_REASONS } from "./messages.js";

/**
 * `zone`: the venue's (slot times are its clock); `device`: this device's id (a used ticket's line
 * says "this device" for its own admissions).
 */
export function LookupPanel({
  event,
  zone,
  device,
  busy,
  onAdmit,
}: {
  event: string;
  zone: string | undefined;
  device: string;
  busy: boolean;
  onAdmit: (ticket: LookedUpTicket) => Promise<void>;
}) {
  const { t, i18n } = useTranslation("gate");
  const [query, setQuery] = useState("");
  const [searched, setSearched] = useState<string>();
  const [tickets, setTickets] = useState<LookedUpTicket[]>();
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState<LookedUpTicket>();

  const find = async (q: string) => {
    if (!q) return;
    setSearching(true);
    setError(undefined);
    setConfirming(undefined);
    try {
      setTickets((await lookUpTickets(event, q)).tickets);
      setSearched(q);
    } catch (e) {
      setError(e instanceof ScanProblem ? e.message : String(e));
    } finally {
      setSearching(false);
    }
  };
  const stateText = (ticket: LookedUpTicket) => {
    if (ticket.state === "valid") return t("lookup.valid");
    const from = ticket.entryStart !== undefined ? formatTime(ticket.entryStart, i18n.language, zone) : "";
    const until = ticket.entryEnd !== undefined ? formatTime(ticket.entryEnd, i18n.language, zone) : "";
    return KNOWN_REASONS.has(ticket.state) ? t(`reason.${ticket.state}.title`, { from, until }) : ticket.state;
  };

  return (
    <form
      className="card gate-lookup"
      onSubmit={(e) => {
        e.preventDefault();
        void find(query.trim());
      }}
    >
      <h2>{t("lookup.title")}</h2>
      <label>
        {t("lookup.label")}
        <input value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" spellCheck={false} maxLength={100} aria-describedby="gate-lookup-hint" data-testid="lookup-query" />
      </label>
      <p id="gate-lookup-hint" className="muted small">
        {t("lookup.hint")}
      </p>
      <button type="submit" className="secondary gate-big" disabled={searching || !query.trim()} data-testid="lookup-submit">
        {searching ? t("lookup.searching") : t("lookup.submit")}
      </button>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {tickets && tickets.length === 0 && <p className="muted">{t("lookup.none", { query: searched })}</p>}
      {tickets && tickets.length > 0 && (
        <ul className="gate-lookup-results" data-testid="lookup-results">
          {tickets.map((ticket) => (
            <li key={ticket.tokenId} data-testid={`lookup-${ticket.tokenId}`} data-state={ticket.state}>
              <span>
                <strong>#{ticket.tokenId}</strong> {ticket.tier} {ticket.seat && <>· {ticket.seat}</>}
                <br />
                <span className="small">
                  {t("lookup.holder")}: <span className="address">{shortAddress(ticket.holder)}</span> ·{" "}
                  <span className={ticket.state === "valid" ? "badge ok" : "badge"}>{stateText(ticket)}</span>
                  {/* Used: when, by whom and how, before staff turn someone away or let them in. */}
                  {ticket.state === "already-used" && <UsedAt event={event} tokenId={ticket.tokenId} device={device} zone={zone} testId="lookup-used-at" />}
                </span>
              </span>
              {ticket.state === "valid" && confirming?.tokenId !== ticket.tokenId && (
                <button type="button" className="secondary" onClick={() => setConfirming(ticket)} data-testid="lookup-admit">
                  {t("lookup.admit")}
                </button>
              )}
              {confirming?.tokenId === ticket.tokenId && (
                <span className="gate-lookup-confirm" role="alertdialog" aria-label={t("lookup.admit")}>
                  <span>{t("lookup.confirm", { id: ticket.tokenId, holder: shortAddress(ticket.holder) })}</span>
                  <span className="actions">
                    <button
                      type="button"
                      className="primary"
                      disabled={busy}
                      data-testid="lookup-confirm"
                      onClick={() => {
                        setConfirming(undefined);
                        void onAdmit(ticket).then(() => find(searched ?? ""));
                      }}
                    >
                      {t("lookup.yes")}
                    </button>
                    <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
                      {t("lookup.cancel")}
                    </button>
                  </span>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
