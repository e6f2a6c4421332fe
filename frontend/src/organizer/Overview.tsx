// Overview: counters from ORGANIZER_DASHBOARD (refreshed every 10 s), the charts (a separate,
// lazily loaded chunk with recharts) and CSV exports of sales and attendance.
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatUnits } from "viem";

import { loadDashboard, ORGANIZER_EXPORT, queryIndex, revenue, type ExportCheckIn, type ExportSale, type OrganizerExport } from "../../../lib/index/index.js";
import { formatAmount } from "../shared/format.js";
import { ErrorState, Loading } from "../shared/ui.js";
import { absoluteUrl, network } from "../wallet/network.js";
import type { ConsoleEvent } from "./types.js";
import { downloadText, toCsv } from "./util.js";

const Charts = lazy(() => import("./Charts.js"));

export function Overview({ ev }: { ev: ConsoleEvent }) {
  const { t, i18n } = useTranslation("organizer");
  const dashboard = useQuery({
    queryKey: ["organizer-dashboard", ev.address],
    queryFn: () => loadDashboard(absoluteUrl(network.indexUrl), ev.address),
    refetchInterval: 10_000,
  });
  if (dashboard.isLoading) return <Loading />;
  if (dashboard.error) return <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />;
  const event = dashboard.data?.event;
  if (!event) return <p className="notice">{t("console.notFound")}</p>;
  const money = revenue(event);
  const amount = (v: bigint) => formatAmount(v, ev.currency, i18n.language);
  const number = (v: string | bigint) => new Intl.NumberFormat(i18n.language).format(BigInt(v));
  const supply = event.tiers.reduce((s, x) => s + BigInt(x.supply), 0n);

  return (
    <>
      <div className="stats">
        <Stat testId="stat-sold" label={t("overview.sold")} value={number(event.ticketsSold)} note={t("overview.ofSupply", { supply: number(supply) })} />
        <Stat testId="stat-checked-in" label={t("overview.checkedIn")} value={number(event.ticketsCheckedIn)} />
        <Stat testId="stat-primary" label={t("overview.primary")} value={amount(money.netPrimary)} note={money.refunded > 0n ? t("overview.refunded", { amount: amount(money.refunded) }) : undefined} />
        <Stat testId="stat-resale" label={t("overview.resale")} value={amount(money.resaleVolume)} note={t("overview.resold", { n: number(event.ticketsResold) })} />
        <Stat testId="stat-royalties" label={t("overview.royalties")} value={amount(money.royalties)} />
      </div>
      <Exports ev={ev} />
      <Suspense fallback={<Loading />}>
        <Charts event={event} currency={ev.currency} zone={ev.zone} />
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
  let salesDone = false;
  let checkInsDone = false;
  while (!salesDone || !checkInsDone) {
    const page = await queryIndex<OrganizerExport>(url, ORGANIZER_EXPORT, { event, first, salesSkip: sales.length, checkInsSkip: checkIns.length });
    if (!page.event) break;
    if (!salesDone) {
      sales.push(...page.event.sales);
      salesDone = page.event.sales.length < first;
    }
    if (!checkInsDone) {
      checkIns.push(...page.event.checkIns);
      checkInsDone = page.event.checkIns.length < first;
    }
  }
  return { sales, checkIns };
}

function Exports({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const [busy, setBusy] = useState<"sales" | "attendance" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const iso = (s: string) => new Date(Number(s) * 1000).toISOString();
  const base = `${ev.info.symbol || "event"}-${ev.address.slice(2, 8)}`;

  async function run(kind: "sales" | "attendance") {
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
        ]);
        downloadText(`${base}-sales.csv`, toCsv(["time", "kind", "tier", "token", "buyer", "quantity", `amount_${ev.currency.symbol}`], rows));
      } else {
        const rows = data.checkIns.map((c) => [iso(c.checkedInAt), c.tokenId, c.tier.name, c.holder.id, c.gate, c.undoneAt ? iso(c.undoneAt) : "", c.undoneBy ?? ""]);
        downloadText(`${base}-attendance.csv`, toCsv(["time", "token", "tier", "holder", "gate", "undone_at", "undone_by"], rows));
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
      {error !== null && <ErrorState error={error} />}
    </div>
  );
}
