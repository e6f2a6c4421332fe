// /gate: the events where the signed-in wallet holds the GATE role, and an address field for
// the rest (a role granted a moment ago, an index that lags).
import "./messages.js";
import "./gate.css";

import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { isAddress } from "viem";
import { useAccount } from "wagmi";

import { MY_ROLES } from "../../../lib/index/documents.js";
import type { MyRoles } from "../../../lib/index/types.js";
import { formatDateTime } from "../shared/format.js";
import { useEventMetadata } from "../shared/metadata.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ErrorState, Loading, RequireSession } from "../shared/ui.js";

export function GateHome() {
  const { t } = useTranslation("gate");
  return (
    <section className="gate-home">
      <h1>{t("home.title")}</h1>
      <p className="muted">{t("home.intro")}</p>
      <RequireSession>
        <GateEvents />
        <ManualEvent />
      </RequireSession>
    </section>
  );
}

function GateEvents() {
  const { t, i18n } = useTranslation("gate");
  const { address } = useAccount();
  const roles = useIndexQuery<MyRoles>(MY_ROLES, { account: address?.toLowerCase() }, { enabled: !!address });
  if (roles.isLoading) return <Loading />;
  if (roles.error) return <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />;
  const events = (roles.data?.eventAccounts ?? [])
    .filter((row) => row.gate)
    .map((row) => row.event)
    .sort((a, b) => Number(a.start) - Number(b.start));
  if (events.length === 0) return <p className="notice" data-testid="gate-no-events">{t("home.none")}</p>;
  return (
    <ul className="gate-events" data-testid="gate-events">
      {events.map((event) => (
        <li key={event.id}>
          <Link to={`/gate/${event.id}`} className="gate-event card" data-testid="gate-event" data-event={event.id}>
            <span className="gate-event-name">
              {event.name} {event.cancelled && <span className="badge bad">{t("home.cancelled")}</span>}
            </span>
            <span className="muted small">
              <EventStart event={event} locale={i18n.language} />
            </span>
            <span className="small">{t("home.checkedIn", { checkedIn: event.ticketsCheckedIn, sold: event.ticketsSold })}</span>
            <span className="gate-event-open" aria-hidden>
              {t("home.open")} →
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function ManualEvent() {
  const { t } = useTranslation("gate");
  const navigate = useNavigate();
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const address = value.trim();
    if (!isAddress(address, { strict: false })) return setInvalid(true);
    void navigate(`/gate/${address.toLowerCase()}`);
  };
  return (
    <form className="card gate-manual-event" onSubmit={submit} noValidate>
      <h2>{t("home.manualTitle")}</h2>
      <label>
        {t("home.manualLabel")}
        <input
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setInvalid(false);
          }}
          placeholder="0x…"
          autoComplete="off"
          spellCheck={false}
          inputMode="text"
          aria-invalid={invalid}
          aria-describedby="gate-event-hint"
          data-testid="gate-event-address"
        />
      </label>
      <p id="gate-event-hint" className={invalid ? "notice error" : "muted small"} role={invalid ? "alert" : undefined}>
        {invalid ? t("home.manualInvalid") : t("home.manualHint")}
      </p>
      <button type="submit" className="primary gate-big" data-testid="gate-event-open">
        {t("home.manualOpen")}
      </button>
    </form>
  );
}

/** The event's start at its venue (the zone from its metadata). */
function EventStart({ event, locale }: { event: { metadataURI: string; start: string }; locale: string }) {
  const meta = useEventMetadata(event.metadataURI);
  return <>{formatDateTime(event.start, locale, meta.data?.timezone)}</>;
}
