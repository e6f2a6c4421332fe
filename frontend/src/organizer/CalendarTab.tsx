// Calendar (a lazily loaded tab, with recharts): an event's timed-entry calendars. For a season,
// per day of the shown month booked places against capacity (a bar chart, and the month as a heat
// map whose days open their slots), and a chosen day's slots one by one; for a run, each
// performance with its seats sold of the seat maps'. Every slot comes from the rule
// (lib/calendar.ts), with no booking as well as booked: the index (EVENT_CALENDARS) has a Slot only
// from its first booking. A day without bookings closes from here, and a closed one reopens
// (setDaysClosed; the contract refuses to close a day with bookings: DayHasBookings).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { isoDateOf, ruleOf, slotsOfDay, type CalendarRule, type SlotWindow } from "../../../lib/calendar.js";
import { EVENT_CALENDARS, queryIndex, type CalendarSlot, type EventCalendar, type EventCalendars } from "../../../lib/index/index.js";
import { formatDateTime, nowSeconds } from "../shared/format.js";
import { useIndexQuery } from "../shared/index-query.js";
import { TxFailed, useTransactions } from "../shared/tx.js";
import { ErrorState, Loading, TxStatus } from "../shared/ui.js";
import { formatZonedRange } from "../shared/venue-time.js";
import { absoluteUrl, network } from "../wallet/network.js";
import { Chart, Table } from "./Charts.js";
import { monthName, monthsOf, monthSpan, MonthGrid } from "./MonthGrid.js";
import { LabelledCell, TableHead } from "./TableHead.js";
import type { ConsoleEvent } from "./types.js";
import { CALENDARS_ONLY } from "./util.js";
import { offsetLabel } from "./wizard/schedule.js";

const COLORS = { booked: "#4f46e5", free: "#cbd5e1" };
/** Slots a page of EVENT_CALENDARS returns per calendar. */
const PAGE = 1000;

/** The calendars' slots with bookings starting in [from, to), every page, by calendar id then slot number. */
async function loadSlots(event: string, from: number, to: number): Promise<Map<number, Map<number, CalendarSlot>>> {
  const out = new Map<number, Map<number, CalendarSlot>>();
  for (let skip = 0; ; skip += PAGE) {
    const page = await queryIndex<EventCalendars>(absoluteUrl(network.indexUrl), EVENT_CALENDARS, { event, from: String(from), to: String(to), first: PAGE, skip });
    const calendars = page.event?.calendars ?? [];
    for (const c of calendars) {
      const slots = out.get(c.calendarId) ?? new Map<number, CalendarSlot>();
      for (const s of c.slots) slots.set(s.number, s);
      out.set(c.calendarId, slots);
    }
    if (calendars.every((c) => c.slots.length < PAGE)) return out;
  }
}

export default function CalendarTab({ ev }: { ev: ConsoleEvent }) {
  const { t } = useTranslation("organizer");
  const calendars = useIndexQuery<EventCalendars>(EVENT_CALENDARS, { event: ev.address, ...CALENDARS_ONLY });
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  if (calendars.isLoading) return <Loading />;
  if (calendars.error) return <ErrorState error={calendars.error} onRetry={() => void calendars.refetch()} />;
  const list = calendars.data?.event?.calendars ?? [];
  if (list.length === 0) return <p className="notice">{t("calendar.none")}</p>;
  const calendar = list.find((c) => c.calendarId === chosen) ?? list[0]!;
  const tierName = (id: number) => ev.info.tiers.find((x) => x.tierId === id)?.name ?? `#${id}`;
  return (
    <div className="calendar-tab">
      {list.length > 1 && (
        <label className="field">
          {t("calendar.choose")}
          <select data-testid="calendar-choose" value={calendar.calendarId} onChange={(e) => setChosen(Number(e.target.value))}>
            {list.map((c) => (
              <option key={c.calendarId} value={c.calendarId}>
                {c.tiers.map((x) => tierName(x.tierId)).join(", ")}
              </option>
            ))}
          </select>
        </label>
      )}
      <CalendarView key={calendar.calendarId} ev={ev} calendar={calendar} />
    </div>
  );
}

/** What one slot holds: its window, its index counts (none yet: 0), and its places (undefined: no shared limit and no seat map to count). */
interface SlotRow {
  window: SlotWindow;
  booked: number;
  sold: number;
  checkedIn: number;
  capacity?: number;
}

/** A day of the season in the shown month. */
interface DayRow {
  date: string;
  day: number;
  closed: boolean;
  slots: SlotRow[];
  booked: number;
  capacity?: number;
}

function CalendarView({ ev, calendar }: { ev: ConsoleEvent; calendar: EventCalendar }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const rule: CalendarRule = ruleOf(calendar);
  const closed = new Set(calendar.closedDays);
  const lastDay = rule.firstDay + rule.dayCount - 1;
  const months = monthsOf(rule.firstDay, lastDay);
  // Today at the venue, by the calendar's offset: its month if the season is on, else the season's first.
  const today = Math.floor((nowSeconds() + rule.utcOffsetMinutes * 60) / 86_400);
  const [month, setMonth] = useState(() => (today >= rule.firstDay && today <= lastDay ? isoDateOf(today).slice(0, 7) : months[0]!));
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [monthFrom, monthTo] = monthSpan(month);
  // Slots of a date may start after its midnight (a run past midnight): read two days more, keep the month's dates.
  const from = monthFrom * 86_400 - rule.utcOffsetMinutes * 60;
  const to = (monthTo + 2) * 86_400 - rule.utcOffsetMinutes * 60;
  const slots = useQuery({
    queryKey: ["index", "calendar-slots", ev.address, month],
    queryFn: () => loadSlots(ev.address, from, to),
    refetchInterval: 15_000,
  });
  const changes = useTransactions({ currency: ev.currency, zone: ev.zone });

  // A run (no shared capacity): each performance sells its tiers' seat maps once, so the seats are its places.
  const tiers = ev.info.tiers.filter((x) => calendar.tiers.some((c) => c.tierId === x.tierId));
  const run = rule.capacity === 0;
  const seats = tiers.every((x) => x.seated) ? tiers.reduce((n, x) => n + Number(x.supply), 0) : undefined;
  const perSlot = run ? seats : rule.capacity;
  const booked = slots.data?.get(calendar.calendarId);

  const days: DayRow[] = [];
  for (let n = Math.max(monthFrom, rule.firstDay); n < Math.min(monthTo, lastDay + 1); n++) {
    const day = n - rule.firstDay;
    const isClosed = closed.has(day);
    // A closed day's slots, as they would be: shown so that the organizer sees what reopening gives back.
    const windows = slotsOfDay(rule, day, new Set());
    const rows = windows.map((w): SlotRow => {
      const s = booked?.get(w.slot);
      return { window: w, booked: s?.booked ?? 0, sold: s?.sold ?? 0, checkedIn: s?.checkedIn ?? 0, capacity: perSlot };
    });
    days.push({
      date: isoDateOf(n),
      day,
      closed: isClosed,
      slots: rows,
      booked: rows.reduce((sum, r) => sum + r.booked, 0),
      capacity: isClosed ? 0 : perSlot === undefined ? undefined : perSlot * rows.length,
    });
  }
  const byDate = new Map(days.map((d) => [d.date, d]));
  const chosen = days.find((d) => d.day === selected);
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const dateLabel = (date: string, style: "short" | "long" = "short") =>
    new Intl.DateTimeFormat(locale, style === "short" ? { month: "short", day: "numeric", timeZone: "UTC" } : { dateStyle: "full", timeZone: "UTC" }).format(Date.parse(`${date}T00:00:00Z`));
  const timeRange = (w: SlotWindow) => formatZonedRange(w.start, w.end, { locale, zone: ev.zone, shape: "time", reader: ev.zone });
  const ended = nowSeconds() >= Number(ev.info.end) || ev.info.cancelled;

  const chart = days.map((d) => ({
    label: dateLabel(d.date),
    booked: d.booked,
    free: d.capacity === undefined ? 0 : Math.max(0, d.capacity - d.booked),
  }));
  const at = months.indexOf(month);
  const go = (i: number) => {
    setMonth(months[i]!);
    setSelected(undefined);
  };

  function setClosed(day: DayRow, close: boolean) {
    void changes
      .send(t(close ? "calendar.txClose" : "calendar.txReopen", { date: dateLabel(day.date, "long") }), {
        address: ev.address,
        abi: chainpassEventAbi,
        functionName: "setDaysClosed",
        args: [BigInt(calendar.calendarId), [BigInt(day.day)], close],
      })
      .catch((e: unknown) => {
        if (!(e instanceof TxFailed)) throw e;
      });
  }

  const slotColumns = [t("calendar.slot"), t("calendar.time"), t("calendar.booked"), t("calendar.capacity"), t("calendar.left"), t("calendar.checkedIn"), t("calendar.saleCloses")];
  const perfColumns = [t("calendar.performance"), t("calendar.seatsSold"), t("calendar.checkedIn")];
  const performances = days.filter((d) => !d.closed).flatMap((d) => d.slots);
  return (
    <>
      <p className="muted" data-testid="calendar-summary">
        {run
          ? t(seats === undefined ? "calendar.runSummaryOpen" : "calendar.runSummary", {
              first: dateLabel(isoDateOf(rule.firstDay), "long"),
              last: dateLabel(isoDateOf(lastDay), "long"),
              minutes: rule.slotMinutes,
              seats: number(seats ?? 0),
            })
          : t("calendar.seasonSummary", {
              first: dateLabel(isoDateOf(rule.firstDay), "long"),
              last: dateLabel(isoDateOf(lastDay), "long"),
              minutes: rule.slotMinutes,
              capacity: number(rule.capacity),
            })}{" "}
        {t("calendar.offsetNote", { zone: ev.zone, offset: offsetLabel(rule.utcOffsetMinutes) })}
      </p>
      <div className="row month-nav">
        <button type="button" className="secondary" data-testid="calendar-prev-month" disabled={at <= 0} onClick={() => go(at - 1)}>
          ‹ {t("calendar.prevMonth")}
        </button>
        <strong data-testid="calendar-month">{monthName(month, locale)}</strong>
        <button type="button" className="secondary" data-testid="calendar-next-month" disabled={at >= months.length - 1} onClick={() => go(at + 1)}>
          {t("calendar.nextMonth")} ›
        </button>
      </div>
      {slots.error ? <ErrorState error={slots.error} onRetry={() => void slots.refetch()} /> : null}
      {slots.isLoading && <Loading />}
      <div className="calendar-layout">
        <section className="card">
          <h2>{t(run ? "calendar.heatTitleRun" : "calendar.heatTitle")}</h2>
          <p className="muted small">{t("calendar.heatHelp")}</p>
          <MonthGrid
            month={month}
            testId="capacity-month"
            renderDay={(date) => {
              const d = byDate.get(date);
              if (!d) return <span className="org-day out">{Number(date.slice(8))}</span>;
              const none = d.slots.length === 0;
              const ratio = d.capacity ? Math.min(1, d.booked / d.capacity) : 0;
              const label = d.closed ? t("calendar.closed") : none ? t("calendar.noSlots") : d.capacity === undefined ? number(d.booked) : `${number(d.booked)}/${number(d.capacity)}`;
              return (
                <button
                  type="button"
                  className={`org-day heat${d.closed ? " closed" : ""}${none ? " none" : ""}${ratio > 0.55 ? " dark" : ""}`}
                  style={d.closed || none ? undefined : { ["--fill" as string]: String(ratio) }}
                  data-testid={`capacity-day-${date}`}
                  data-booked={d.booked}
                  data-capacity={d.capacity ?? ""}
                  data-closed={d.closed}
                  aria-pressed={selected === d.day}
                  aria-label={`${dateLabel(date, "long")}: ${label}`}
                  onClick={() => setSelected(d.day)}
                >
                  <span className="org-day-number">{Number(date.slice(8))}</span>
                  <span className="org-day-fill">{label}</span>
                </button>
              );
            }}
          />
        </section>
        <Chart
          title={t("calendar.chartTitle", { month: monthName(month, locale) })}
          testId="chart-calendar"
          empty={chart.length === 0}
          table={
            <Table
              head={[t("calendar.day"), t("calendar.booked"), t("calendar.capacity")]}
              rows={days.map((d) => [dateLabel(d.date), d.booked, d.closed ? t("calendar.closed") : d.capacity === undefined ? t("calendar.noLimit") : d.capacity])}
            />
          }
        >
          <BarChart data={chart}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
            <Tooltip />
            <Legend />
            <Bar dataKey="booked" name={t("calendar.booked")} stackId="d" fill={COLORS.booked} isAnimationActive={false} />
            <Bar dataKey="free" name={t("calendar.free")} stackId="d" fill={COLORS.free} isAnimationActive={false} />
          </BarChart>
        </Chart>
      </div>

      <section className="card" data-testid="calendar-day" aria-live="polite">
        {!chosen ? (
          <p className="muted">{t("calendar.pickDay")}</p>
        ) : (
          <>
            <div className="spread">
              <h2 data-testid="calendar-day-title">{dateLabel(chosen.date, "long")}</h2>
              {chosen.closed ? (
                <button type="button" className="secondary" data-testid="calendar-reopen-day" disabled={changes.busy || ended} onClick={() => setClosed(chosen, false)}>
                  {t("calendar.reopenDay")}
                </button>
              ) : (
                chosen.slots.length > 0 && (
                  <button type="button" className="secondary" data-testid="calendar-close-day" disabled={changes.busy || ended || chosen.booked > 0} onClick={() => setClosed(chosen, true)}>
                    {t("calendar.closeDay")}
                  </button>
                )
              )}
            </div>
            {chosen.closed && <p className="notice" data-testid="calendar-day-closed">{t("calendar.closedNote")}</p>}
            {!chosen.closed && chosen.booked > 0 && <p className="muted small">{t("calendar.hasBookings")}</p>}
            {chosen.slots.length === 0 ? (
              <p className="muted">{t("calendar.noSlotsDay")}</p>
            ) : (
              <div className="table-wrap">
                <table className="org-table" data-testid="calendar-slots">
                  <TableHead columns={slotColumns} />
                  <tbody>
                    {chosen.slots.map((s) => (
                      <tr key={s.window.slot} data-testid={`slot-row-${s.window.slot}`} className={chosen.closed ? "muted" : undefined}>
                        <LabelledCell label={slotColumns[0]!}>{s.window.slot}</LabelledCell>
                        <LabelledCell label={slotColumns[1]!}>{timeRange(s.window)}</LabelledCell>
                        <LabelledCell label={slotColumns[2]!} data-testid={`slot-booked-${s.window.slot}`}>
                          {number(s.booked)}
                        </LabelledCell>
                        <LabelledCell label={slotColumns[3]!}>{s.capacity === undefined ? t("calendar.noLimit") : number(s.capacity)}</LabelledCell>
                        <LabelledCell label={slotColumns[4]!}>{s.capacity === undefined ? "—" : number(Math.max(0, s.capacity - s.booked))}</LabelledCell>
                        <LabelledCell label={slotColumns[5]!}>{number(s.checkedIn)}</LabelledCell>
                        <LabelledCell label={slotColumns[6]!}>{formatDateTime(s.window.saleClosesAt, locale, ev.zone, "time")}</LabelledCell>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
        <TxStatus steps={changes.steps} />
      </section>

      {run && (
        <section className="card">
          <h2>{t("calendar.performances", { month: monthName(month, locale) })}</h2>
          {performances.length === 0 ? (
            <p className="muted">{t("calendar.noPerformances")}</p>
          ) : (
            <div className="table-wrap">
              <table className="org-table" data-testid="calendar-performances">
                <TableHead columns={perfColumns} />
                <tbody>
                  {performances.map((s) => (
                    <tr key={s.window.slot} data-testid={`performance-${s.window.slot}`}>
                      <LabelledCell label={perfColumns[0]!}>{formatZonedRange(s.window.start, s.window.end, { locale, zone: ev.zone, reader: ev.zone })}</LabelledCell>
                      <LabelledCell label={perfColumns[1]!} data-testid={`performance-sold-${s.window.slot}`}>
                        {s.capacity === undefined ? number(s.booked) : `${number(s.booked)} / ${number(s.capacity)}`}
                      </LabelledCell>
                      <LabelledCell label={perfColumns[2]!}>{number(s.checkedIn)}</LabelledCell>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
