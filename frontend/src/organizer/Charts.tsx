// The dashboard's charts (recharts, loaded only by this lazily imported module): sales over time,
// inventory by tier, check-ins per hour, the revenue split, for an event with sales channels its
// sales by channel over time (with each channel's totals), for an event in a membership program its
// sales by the buyers' member level, and for an event with a refund policy (or returns), returns
// over time. And the membership program page's members by level. Each has a table fallback.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatUnits } from "viem";

import { checkInsPerHour, inventoryByTier, returnsOverTime, revenue, salesByChannel, salesByMemberLevel, salesOverTime, type OrganizerDashboard } from "../../../lib/index/index.js";
import { formatAmount, formatDate, formatDateTime, type Currency } from "../shared/format.js";
import { zoneLabel } from "../shared/venue-time.js";
import { levelName } from "./member-levels.js";
import { LabelledCell, TableHead } from "./TableHead.js";

const COLORS = { primary: "#4f46e5", resale: "#0891b2", sold: "#4f46e5", checkedIn: "#15803d", available: "#cbd5e1", fees: "#b45309", returned: "#b91c1c", refunded: "#f59e0b", direct: "#94a3b8" };
/** One per sales channel, in turn. */
const CHANNEL_COLORS = ["#4f46e5", "#0891b2", "#b45309", "#15803d", "#be185d", "#7c3aed", "#0d9488", "#ca8a04"];

type Dashboard = NonNullable<OrganizerDashboard["event"]>;

/**
 * `zone`: the venue's; check-ins are by the venue's hour (the axis unlabelled, the title names the
 * zone). `returns`: draw returns over time (the event has a refund policy, or had returns).
 * `calendarTiers`: tiers that sell calendar slots, whose places are per slot (the Calendar tab
 * shows them): no "available" of their own here.
 */
export default function Charts({
  event,
  currency,
  zone,
  returns: showReturns = false,
  calendarTiers = new Set(),
}: {
  event: Dashboard;
  currency: Currency;
  zone: string;
  returns?: boolean;
  calendarTiers?: ReadonlySet<number>;
}) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const amount = (v: bigint) => formatAmount(v, currency, locale);

  const sales = salesOverTime(event.sales).map((b) => ({
    // Buckets are UTC days (lib/index/dashboard.ts), so they are named as UTC days: the title says so.
    label: formatDate(b.start, locale, "UTC"),
    primary: Number(b.primaryTickets),
    resale: Number(b.resaleTickets),
  }));
  const inventory = inventoryByTier(event.tiers).map((x) => ({
    name: x.name,
    checkedIn: Number(x.checkedIn),
    soldNotIn: Number(x.sold - x.checkedIn),
    sold: Number(x.sold),
    available: calendarTiers.has(x.tierId) ? 0 : Number(x.available),
  }));
  const returns = returnsOverTime(event.returns).map((b) => ({
    // UTC days, as the sales chart's.
    label: formatDate(b.start, locale, "UTC"),
    tickets: b.tickets,
    refunded: b.refunded,
    kept: b.kept,
    refundedNumber: Number(formatUnits(b.refunded, currency.decimals)),
  }));
  // Primary sales per channel (0: direct), one series each, named by its label.
  const channelSales = salesByChannel(event.sales);
  const channelIds = [...new Set(channelSales.flatMap((b) => [...b.tickets.keys()]))].sort((a, b) => a - b);
  const channelName = (id: number) => (id === 0 ? t("charts.direct") : (event.channels.find((c) => c.channelId === id)?.label ?? `#${id}`));
  const byChannel = channelSales.map((b) => ({
    // UTC days, as the sales chart's.
    label: formatDate(b.start, locale, "UTC"),
    ...Object.fromEntries(channelIds.map((id) => [`c${id}`, Number(b.tickets.get(id) ?? 0n)])),
  }));
  const channelTotals = channelIds.map((id) => ({
    name: channelName(id),
    tickets: channelSales.reduce((n, b) => n + (b.tickets.get(id) ?? 0n), 0n),
    paid: channelSales.reduce((n, b) => n + (b.amount.get(id) ?? 0n), 0n),
  }));
  // Primary sales by the buyer's member level when they bought (non-members first), named by the program's levels.
  const levelNames = event.membershipProgram?.levelNames ?? [];
  const memberSales = salesByMemberLevel(event.sales);
  const showMemberLevels = !!event.membershipProgram || memberSales.some((g) => g.level !== null);
  const byLevel = memberSales.map((g) => ({
    name: g.level === null ? t("charts.nonMembers") : levelName(g.level, levelNames, t),
    sales: g.sales,
    tickets: Number(g.tickets),
    amount: g.amount,
  }));
  const perHour = checkInsPerHour(event.checkIns);
  const hours = perHour.map((h) => ({ label: formatDateTime(h.hour, locale, zone, "dayHour", false), count: h.count }));
  const hoursZone = perHour.length > 0 ? zoneLabel(perHour[0]!.hour, locale, zone) : zone;
  const money = revenue(event);
  const split = [
    { key: "primaryNet", value: money.netPrimary, color: COLORS.primary },
    { key: "royalties", value: money.royalties, color: COLORS.resale },
    { key: "platformFees", value: money.platformFees, color: COLORS.fees },
  ].map((x) => ({ ...x, name: t(`charts.${x.key}`), number: Number(formatUnits(x.value, currency.decimals)) }));

  const tick = { fontSize: 12 };
  return (
    <div className="charts">
      <Chart title={t("charts.sales")} testId="chart-sales" empty={sales.length === 0} table={
        <Table head={[t("charts.day"), t("charts.primaryTickets"), t("charts.resaleTickets")]} rows={sales.map((s) => [s.label, s.primary, s.resale])} />
      }>
        <BarChart data={sales}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={tick} />
          <YAxis allowDecimals={false} tick={tick} width={36} />
          <Tooltip />
          <Legend />
          <Bar dataKey="primary" name={t("charts.primaryTickets")} stackId="s" fill={COLORS.primary} />
          <Bar dataKey="resale" name={t("charts.resaleTickets")} stackId="s" fill={COLORS.resale} />
        </BarChart>
      </Chart>

      {event.channels.length > 0 && (
        <>
          <Chart title={t("charts.channels")} testId="chart-channels" empty={byChannel.length === 0} table={
            <Table head={[t("charts.day"), ...channelIds.map(channelName)]} rows={byChannel.map((row) => [row.label, ...channelIds.map((id) => (row as Record<string, number | string>)[`c${id}`])])} />
          }>
            <BarChart data={byChannel}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={tick} />
              <YAxis allowDecimals={false} tick={tick} width={36} />
              <Tooltip />
              <Legend />
              {channelIds.map((id, i) => (
                <Bar key={id} dataKey={`c${id}`} name={channelName(id)} stackId="c" fill={id === 0 ? COLORS.direct : CHANNEL_COLORS[i % CHANNEL_COLORS.length]} />
              ))}
            </BarChart>
          </Chart>
          <section className="card chart" data-testid="channel-totals" aria-labelledby="channel-totals-title">
            <h2 id="channel-totals-title">{t("charts.channelTotals")}</h2>
            {channelTotals.length === 0 ? (
              <p className="muted">{t("charts.empty")}</p>
            ) : (
              <Table head={[t("charts.channel"), t("charts.tickets"), t("charts.paid")]} rows={channelTotals.map((c) => [c.name, c.tickets.toString(), amount(c.paid)])} />
            )}
          </section>
        </>
      )}

      {showMemberLevels && (
        <Chart title={t("charts.memberLevels")} testId="chart-member-levels" empty={byLevel.length === 0} table={
          <Table head={[t("charts.memberLevel"), t("charts.purchases"), t("charts.tickets"), t("charts.paid")]} rows={byLevel.map((g) => [g.name, g.sales, g.tickets, amount(g.amount)])} />
        }>
          <BarChart data={byLevel}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={tick} />
            <YAxis allowDecimals={false} tick={tick} width={36} />
            <Tooltip />
            <Bar dataKey="tickets" name={t("charts.tickets")} fill={COLORS.primary}>
              {byLevel.map((g, i) => (
                <Cell key={g.name} fill={memberSales[i]!.level === null ? COLORS.direct : CHANNEL_COLORS[memberSales[i]!.level! % CHANNEL_COLORS.length]} />
              ))}
            </Bar>
          </BarChart>
        </Chart>
      )}

      <Chart title={t("charts.inventory")} testId="chart-inventory" empty={inventory.length === 0} table={
        <Table
          head={[t("charts.tier"), t("charts.sold"), t("charts.checkedIn"), t("charts.available")]}
          rows={inventory.map((x) => [x.name, x.sold, x.checkedIn, x.available])}
        />
      }>
        <BarChart data={inventory} layout="vertical" margin={{ left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={tick} />
          <YAxis type="category" dataKey="name" tick={tick} width={80} />
          <Tooltip />
          <Legend />
          <Bar dataKey="checkedIn" name={t("charts.checkedIn")} stackId="i" fill={COLORS.checkedIn} />
          <Bar dataKey="soldNotIn" name={t("charts.soldNotIn")} stackId="i" fill={COLORS.sold} />
          <Bar dataKey="available" name={t("charts.available")} stackId="i" fill={COLORS.available} />
        </BarChart>
      </Chart>

      <Chart title={t("charts.checkIns", { zone: hoursZone })} testId="chart-checkins" empty={hours.length === 0} table={
        <Table head={[t("charts.hour"), t("charts.admissions")]} rows={hours.map((h) => [h.label, h.count])} />
      }>
        <BarChart data={hours}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={tick} />
          <YAxis allowDecimals={false} tick={tick} width={36} />
          <Tooltip />
          <Bar dataKey="count" name={t("charts.admissions")} fill={COLORS.checkedIn} />
        </BarChart>
      </Chart>

      <Chart title={t("charts.revenue")} testId="chart-revenue" empty={split.every((x) => x.value === 0n)} table={
        <Table head={[t("charts.part"), t("charts.amount")]} rows={split.map((x) => [x.name, amount(x.value)])} />
      }>
        <PieChart>
          <Pie data={split.filter((x) => x.number > 0)} dataKey="number" nameKey="name" outerRadius="75%" isAnimationActive={false}>
            {split.filter((x) => x.number > 0).map((x) => (
              <Cell key={x.key} fill={x.color} />
            ))}
          </Pie>
          <Tooltip formatter={(v) => `${v} ${currency.symbol}`} />
          <Legend />
        </PieChart>
      </Chart>

      {showReturns && (
        <Chart title={t("charts.returns")} testId="chart-returns" empty={returns.length === 0} table={
          <Table
            head={[t("charts.day"), t("charts.returnedTickets"), t("charts.refundedAmount"), t("charts.keptAmount")]}
            rows={returns.map((r) => [r.label, r.tickets, amount(r.refunded), amount(r.kept)])}
          />
        }>
          <BarChart data={returns}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={tick} />
            <YAxis yAxisId="tickets" allowDecimals={false} tick={tick} width={36} />
            <YAxis yAxisId="amount" orientation="right" tick={tick} width={56} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="tickets" dataKey="tickets" name={t("charts.returnedTickets")} fill={COLORS.returned} />
            <Bar yAxisId="amount" dataKey="refundedNumber" name={t("charts.refundedIn", { symbol: currency.symbol })} fill={COLORS.refunded} />
          </BarChart>
        </Chart>
      )}
    </div>
  );
}

/** A membership program's members per level, plain members (level 0) first, empty levels included. */
export function MembersByLevel({ rows }: { rows: { name: string; members: number }[] }) {
  const { t } = useTranslation("organizer");
  const tick = { fontSize: 12 };
  return (
    <Chart title={t("charts.membersByLevel")} testId="chart-members-by-level" empty={rows.every((r) => r.members === 0)} table={
      <Table head={[t("charts.level"), t("charts.members")]} rows={rows.map((r) => [r.name, r.members])} />
    }>
      <BarChart data={rows}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={tick} />
        <YAxis allowDecimals={false} tick={tick} width={36} />
        <Tooltip />
        <Bar dataKey="members" name={t("charts.members")} fill={COLORS.primary} />
      </BarChart>
    </Chart>
  );
}

/** A chart in its card with its title, "No data yet" when empty, and its table behind "Show as table" (the calendar tab's too). */
export function Chart({ title, testId, empty, table, children }: { title: string; testId: string; empty: boolean; table: ReactNode; children: ReactNode }) {
  const { t } = useTranslation("organizer");
  return (
    <figure className="card chart" data-testid={testId} aria-label={title}>
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      {empty ? (
        <p className="muted">{t("charts.empty")}</p>
      ) : (
        <>
          <div className="chart-box" aria-hidden>
            <ResponsiveContainer width="100%" height={240}>
              {children as React.ReactElement}
            </ResponsiveContainer>
          </div>
          <details>
            <summary>{t("charts.showTable")}</summary>
            {table}
          </details>
        </>
      )}
    </figure>
  );
}

export function Table({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  return (
    <div className="table-wrap">
      <table className="org-table">
        <TableHead columns={head} />
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <LabelledCell key={j} label={head[j]!}>
                  {c}
                </LabelledCell>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
