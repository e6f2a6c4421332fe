// A month as a table of weeks (Monday first), each date's cell drawn by the caller: the wizard's
// closed-date picker and the console's capacity heat map. Dates are local dates at the venue
// ("YYYY-MM-DD"), counted as lib/calendar.ts counts them (days since 1970-01-01).
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { dayNumberOf, isoDateOf, weekdayOf } from "../../../lib/calendar.js";

/** "2026-12" → the month after or before it. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** The day numbers of a month's first date and of the next month's. */
export function monthSpan(month: string): [number, number] {
  return [dayNumberOf(`${month}-01`), dayNumberOf(`${shiftMonth(month, 1)}-01`)];
}

/** The months from the one holding `first` to the one holding `last` (day numbers). */
export function monthsOf(first: number, last: number): string[] {
  const out: string[] = [];
  const end = isoDateOf(last).slice(0, 7);
  for (let month = isoDateOf(first).slice(0, 7); month <= end; month = shiftMonth(month, 1)) out.push(month);
  return out;
}

/** "December 2026" in the reader's language. */
export const monthName = (month: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.parse(`${month}-01T00:00:00Z`));

/** A day of the week's short name (0 = Sunday). */
export const weekdayName = (weekday: number, locale: string, width: "short" | "narrow" | "long" = "short") =>
  new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" }).format(Date.UTC(2023, 0, 1 + weekday));

/** Monday first. */
export const WEEK = [1, 2, 3, 4, 5, 6, 0];

/** `renderDay(date, dayNumber)` draws a date's cell content (null: an empty cell, for a date outside what is shown); the month's name is the caption. */
export function MonthGrid({ month, renderDay, testId }: { month: string; renderDay: (date: string, dayNumber: number) => ReactNode; testId?: string }) {
  const { i18n } = useTranslation();
  const [from, to] = monthSpan(month);
  const lead = (weekdayOf(from) + 6) % 7;
  const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: to - from }, (_, i) => from + i)];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  return (
    <table className="org-month" data-testid={testId}>
      <caption>{monthName(month, i18n.language)}</caption>
      <thead>
        <tr>
          {WEEK.map((w) => (
            <th key={w} scope="col" abbr={weekdayName(w, i18n.language, "long")}>
              {weekdayName(w, i18n.language, "narrow")}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, i) => (
          <tr key={i}>
            {week.map((day, j) => (
              <td key={j}>{day === null ? null : renderDay(isoDateOf(day), day)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
