// Overview: counters from ORGANIZER_DASHBOARD (refreshed every 10 s; returns under the refund
// policy once the event has one), the charts (a separate, lazily loaded chunk with recharts) and
// CSV exports of sales (with each sale's channel and commission, the buyer's member level and the
// points spent), attendance and refunds (returns among them, by kind).
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatUnits } from "viem";

import { EVENT_CALENDARS, loadDashboard, ORGANIZER_EXPORT, queryIndex, revenue, type EventCalendars, type ExportCheckIn, type ExportRefund, type ExportSale, type OrganizerExport } from "../../../lib/index/index.js";
import { formatAmount } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { ErrorState, Loading } from "../shared/ui.js";
import { absoluteUrl, network } from "../wallet/network.js";
import type { ConsoleEvent } from "./types.js";
import { CALENDARS_ONLY, downloadText, toCsv } from "./util.js";

const Charts = lazy(() => import("./Charts.js"));

export function Overview({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const dashboard = useQuery({
    queryKey: ["organizer-dashboard", ev.address],
    queryFn: () => loadDashboard(absoluteUrl(network.indexUrl), ev.address),
    refetchInterval: 10_000,
  });
  // Tiers on a calendar sell per slot (a season's have no cap of their own; a run's seat map sells at every performance): no total supply to compare with.
  const calendars = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: ev.address, ...CALENDARS_ONLY });
  const calendarTiers = new Set(calendars.data?.event?.calendars.flatMap((c) => c.tiers.map((x) => x.tierId)) ?? []);
  if (dashboard.isLoading) return <Loading />;
  if (dashboard.error) return <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />;
  const event = dashboard.data?.event;
  if (!event) return <p className="notice">{t("console.notFound")}</p>;
  const money = revenue(event);
  const amount = (v: bigint) => formatAmount(v, ev.currency, i18n.language);
  const number = (v: string | bigint) => new Intl.NumberFormat(i18n.language).format(BigInt(v));
  const supply = event.tiers.reduce((s, x) => s + BigInt(x.supply), 0n);
  // Returns exist once the event has a refund policy (a policy can be dropped only for a more generous one).
  const returns = ev.info.refundDeadlines.length > 0 || BigInt(event.ticketsReturned) > 0n;
  const returnsRefunded = event.returns.reduce((s, r) => s + BigInt(r.amount), 0n);

  return (
    <>
      <div className="stats">
        <Stat testId="stat-sold" label={t("overview.sold")} value={number(event.ticketsSold)} note={calendarTiers.size > 0 ? undefined : t("overview.ofSupply", { supply: number(supply) })} />
        <Stat testId="stat-checked-in" label={t("overview.checkedIn")} value={number(event.ticketsCheckedIn)} />
        <Stat testId="stat-primary" label={t("overview.primary")} value={amount(money.netPrimary)} note={money.refunded > 0n ? t("overview.refunded", { amount: amount(money.refunded) }) : undefined} />
        <Stat testId="stat-resale" label={t("overview.resale")} value={amount(money.resaleVolume)} note={t("overview.resold", { n: number(event.ticketsResold) })} />
        <Stat testId="stat-royalties" label={t("overview.royalties")} value={amount(money.royalties)} />
        {returns && (
          <>
            <Stat testId="stat-returned" label={t("overview.returned")} value={number(event.ticketsReturned)} note={t("overview.returnedRefunded", { amount: amount(returnsRefunded) })} />
            <Stat testId="stat-kept" label={t("overview.kept")} value={amount(BigInt(event.returnsKept))} />
          </>
        )}
        {(ev.info.exchangesOffered || BigInt(event.ticketsExchanged) > 0n) && (
          <Stat testId="stat-exchanged" label={t("overview.exchanged")} value={number(event.ticketsExchanged)} />
        )}
      </div>
      <Exports ev={ev} />
      <Suspense fallback={<Loading />}>
        <Charts event={event} currency={ev.currency} zone={ev.zone} returns={returns} calendarTiers={calendarTiers} />
      </Suspense>
    </>
  );
}

function Stat({ testId, label, value, note }: { testId: string; label: string; value: string; note?: string }) {
  return (
    <div className="stat card">
      <span className="muted small">{label}</span>
      <strong data-testid={testId}>{value}</strong>
      {note && <span className="muted small">{note}</span>}
    </div>
  );
}

async function loadExport(event: string) {
  const url = absoluteUrl(network.indexUrl);
  const first = 1000;
  const sales: ExportSale[] = [];
  const checkIns: ExportCheckIn[] = [];
  const refunds: ExportRefund[] = [];
  /** Channel labels by the channel entity's id (sales name theirs by id). */
  const channels = new Map<string, string>();
  let salesDone = false;
  let checkInsDone = false;
  let refundsDone = false;
  while (!salesDone || !checkInsDone || !refundsDone) {
    const page = await queryIndex<OrganizerExport>(url, ORGANIZER_EXPORT, { event, first, salesSkip: sales.length, checkInsSkip: checkIns.length, refundsSkip: refunds.length });
    if (!page.event) break;
    for (const c of page.event.channels) channels.set(c.id, c.label);
    if (!salesDone) {
      sales.push(...page.event.sales);
      salesDone = page.event.sales.length < first;
    }
    if (!checkInsDone) {
      checkIns.push(...page.event.checkIns);
      checkInsDone = page.event.checkIns.length < first;
    }
    if (!refundsDone) {
      refunds.push(...page.event.refunds);
      refundsDone = page.event.refunds.length < first;
    }
  }
  return { sales, checkIns, refunds, channels };
}

type ExportKind = "sales" | "attendance" | "refunds";

function Exports({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [error, setError] = useState<unknown>(null);
  const iso = (s: string) => new Date(Number(s) * 1000).toISOString();
  const base = `${ev.info.symbol || "event"}-${ev.address.slice(2, 8)}`;

  async function run(kind: ExportKind) {
    setBusy(kind);
    setError(null);
    try {
      const data = await loadExport(ev.address);
      if (kind === "sales") {
        const rows = data.sales.map((s) => [
          iso(s.timestamp),
          s.kind,
          s.tier.name,
          s.tickets.map((x) => x.tokenId).join(" "),
          s.buyer.id,
          s.quantity,
          formatUnits(BigInt(s.amount), ev.currency.decimals),
          // The sales channel's label (empty for a direct sale) and its commission on the sale.
          s.channel ? (data.channels.get(s.channel.id) ?? "") : "",
          formatUnits(BigInt(s.commission), ev.currency.decimals),
          // The buyer's level in the event's membership program when they bought (empty: not a member), and the points spent on it.
          s.memberLevel ?? "",
          s.pointsSpent,
        ]);
        const symbol = ev.currency.symbol;
        downloadText(
          `${base}-sales.csv`,
          toCsv(["time", "kind", "tier", "token", "buyer", "quantity", `amount_${symbol}`, "channel", `commission_${symbol}`, "member_level", "points_spent"], rows),
        );
      } else if (kind === "attendance") {
        const rows = data.checkIns.map((c) => [iso(c.checkedInAt), c.tokenId, c.tier.name, c.holder.id, c.gate, c.undoneAt ? iso(c.undoneAt) : "", c.undoneBy ?? ""]);
        downloadText(`${base}-attendance.csv`, toCsv(["time", "token", "tier", "holder", "gate", "undone_at", "undone_by"], rows));
      } else {
        // kind: Claim (after a cancellation), Organizer (refundTicket) or Return (the holder, under the refund policy).
        const money = (v: string) => formatUnits(BigInt(v), ev.currency.decimals);
        const rows = data.refunds.map((r) => [iso(r.timestamp), r.kind, r.tier.name, r.tokenId, r.holder.id, r.recipient.id, money(r.amount), money(r.kept), r.released]);
        const symbol = ev.currency.symbol;
        downloadText(`${base}-refunds.csv`, toCsv(["time", "kind", "tier", "token", "holder", "recipient", `refunded_${symbol}`, `kept_${symbol}`, "released"], rows));
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="row exports">
      <button type="button" className="secondary" data-testid="export-sales" disabled={busy !== null} onClick={() => void run("sales")}>
        {busy === "sales" ? t("overview.exporting") : t("overview.exportSales")}
      </button>
      <button type="button" className="secondary" data-testid="export-attendance" disabled={busy !== null} onClick={() => void run("attendance")}>
        {busy === "attendance" ? t("overview.exporting") : t("overview.exportAttendance")}
      </button>
      <button type="button" className="secondary" data-testid="export-refunds" disabled={busy !== null} onClick={() => void run("refunds")}>
        {busy === "refunds" ? t("overview.exporting") : t("overview.exportRefunds")}
      </button>
      {error !== null && <ErrorState error={error} />}
    </div>
  );
}
