// Step 2 of a season or a run, the schedule: the first date and the length (days, or the last
// date), the slot's (performance's) length, how long before each slot its sale closes, a season's
// places per slot, groups of start times each on its days of the week (a list of times, or "from
// 10:00, N slots" back to back), and closed dates (typed, or picked on the season's months). The
// preview says what the contract will get: slots in all, the first and the last, slots a day.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { dayNumberOf, isoDateOf, weekdayOf } from "../../../../lib/calendar.js";
import { formatDateTimeRange } from "../../shared/format.js";
import { monthsOf, MonthGrid, WEEK, weekdayName } from "../MonthGrid.js";
import { newTimeGroup, type EventDraft, type PatchDraft, type ScheduleDraft, type TimeGroupDraft } from "./draft.js";
import { Field } from "./Field.js";
import { closedDatesOf, dayCountOf, isIsoDate, offsetLabel, offsetOn, planSchedule, scheduleField, timeOf, toggleClosed, type SchedulePlan } from "./schedule.js";
import type { Problems } from "./validate.js";

/** A schedule's most groups of start times (each makes at least one of the contract's 6 runs). */
const MAX_GROUPS = 6;

export function ScheduleStep({ draft, patch, problems }: { draft: EventDraft; patch: PatchDraft; problems: Problems }) {
  const { t } = useTranslation("organizer");
  const s = draft.schedule;
  const season = draft.format === "season";
  const set = (change: Partial<ScheduleDraft>) => patch((d) => ({ schedule: { ...d.schedule, ...change } }));
  const setGroup = (key: number, change: Partial<TimeGroupDraft>) => patch((d) => ({ schedule: { ...d.schedule, groups: d.schedule.groups.map((g) => (g.key === key ? { ...g, ...change } : g)) } }));
  const plan = planSchedule(draft);
  // The offset the contract gets, shown as soon as the first date is known.
  const offset = isIsoDate(s.firstDate) ? offsetOn(s.firstDate, draft.timezone) : undefined;
  const kind = season ? "season" : "run";
  return (
    <>
      <p className="muted">{t(`create.schedule.intro.${kind}`)}</p>
      <div className="form-grid">
        <Field id={scheduleField("first-date")} label={t("create.schedule.firstDate")} problems={problems}>
          <input type="date" data-testid={scheduleField("first-date")} value={s.firstDate} onChange={(e) => set({ firstDate: e.target.value })} />
        </Field>
        <Field id={scheduleField("until")} label={t("create.schedule.until")} problems={problems}>
          <select data-testid={scheduleField("until")} value={s.until} onChange={(e) => set({ until: e.target.value as ScheduleDraft["until"] })}>
            <option value="days">{t("create.schedule.untilDays")}</option>
            <option value="date">{t("create.schedule.untilDate")}</option>
          </select>
        </Field>
        {s.until === "days" ? (
          <Field id={scheduleField("days")} label={t("create.schedule.days")} problems={problems}>
            <input data-testid={scheduleField("days")} inputMode="numeric" value={s.days} onChange={(e) => set({ days: e.target.value })} />
          </Field>
        ) : (
          <Field id={scheduleField("last-date")} label={t("create.schedule.lastDate")} problems={problems}>
            <input type="date" data-testid={scheduleField("last-date")} value={s.lastDate} min={s.firstDate || undefined} onChange={(e) => set({ lastDate: e.target.value })} />
          </Field>
        )}
        <Field id={scheduleField("slot-minutes")} label={t(`create.schedule.slotMinutes.${kind}`)} help={t(`create.schedule.slotMinutesHelp.${kind}`)} problems={problems}>
          <input data-testid={scheduleField("slot-minutes")} inputMode="numeric" value={s.slotMinutes} onChange={(e) => set({ slotMinutes: e.target.value })} />
        </Field>
        <Field id={scheduleField("sale-lead")} label={t(`create.schedule.saleLead.${kind}`)} help={t("create.schedule.saleLeadHelp")} problems={problems}>
          <input data-testid={scheduleField("sale-lead")} inputMode="numeric" value={s.saleLead} onChange={(e) => set({ saleLead: e.target.value })} />
        </Field>
        {season && (
          <Field id={scheduleField("capacity")} label={t("create.schedule.capacity")} help={t("create.schedule.capacityHelp")} problems={problems}>
            <input data-testid={scheduleField("capacity")} inputMode="numeric" value={s.capacity} onChange={(e) => set({ capacity: e.target.value })} />
          </Field>
        )}
      </div>
      <p className="muted small" data-testid="schedule-offset">
        {offset === undefined ? t("create.schedule.zone", { zone: draft.timezone }) : t("create.schedule.offset", { zone: draft.timezone, offset: offsetLabel(offset) })}
      </p>
      {plan?.offsetChange && (
        <p className="notice" data-testid="schedule-offset-change">
          {t("create.schedule.offsetChange", { zone: draft.timezone, date: plan.offsetChange.date, offset: offsetLabel(plan.rule.utcOffsetMinutes), other: offsetLabel(plan.offsetChange.offsetMinutes) })}
        </p>
      )}

      {s.groups.map((group, i) => (
        <TimeGroup
          key={group.key}
          index={i}
          group={group}
          kind={kind}
          slotMinutes={s.slotMinutes}
          problems={problems}
          removable={s.groups.length > 1}
          onChange={(change) => setGroup(group.key, change)}
          onRemove={() => patch((d) => ({ schedule: { ...d.schedule, groups: d.schedule.groups.filter((g) => g.key !== group.key) } }))}
        />
      ))}
      {s.groups.length < MAX_GROUPS && (
        <button type="button" className="secondary" data-testid="schedule-add-group" onClick={() => patch((d) => ({ schedule: { ...d.schedule, groups: [...d.schedule.groups, newTimeGroup(season ? "season" : "matinee")] } }))}>
          {t(`create.schedule.addGroup.${kind}`)}
        </button>
      )}

      <ClosedDates draft={draft} set={set} problems={problems} />

      <h3>{t("create.schedule.preview")}</h3>
      {problems[scheduleField("runs")] && (
        <p className="notice error field-problem" id={scheduleField("runs")} tabIndex={-1} aria-invalid data-testid={`${scheduleField("runs")}-problem`}>
          {problems[scheduleField("runs")]}
        </p>
      )}
      {plan ? <SchedulePreview plan={plan} format={draft.format} zone={draft.timezone} /> : <p className="muted" data-testid="schedule-preview-empty">{t("create.schedule.previewEmpty")}</p>}
    </>
  );
}

function TimeGroup({
  index,
  group,
  kind,
  slotMinutes,
  problems,
  removable,
  onChange,
  onRemove,
}: {
  index: number;
  group: TimeGroupDraft;
  kind: "season" | "run";
  slotMinutes: string;
  problems: Problems;
  removable: boolean;
  onChange: (change: Partial<TimeGroupDraft>) => void;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation("organizer");
  const weekdaysId = scheduleField("weekdays", index);
  const weekdaysProblem = problems[weekdaysId];
  const toggle = (w: number, on: boolean) => onChange({ weekdays: on ? [...group.weekdays, w].sort() : group.weekdays.filter((x) => x !== w) });
  return (
    <fieldset className="time-group" data-testid={`schedule-group-${index}`}>
      <legend>{t(index === 0 ? `create.schedule.group.${kind}` : `create.schedule.moreGroup.${kind}`)}</legend>
      <fieldset
        className="weekdays"
        id={weekdaysId}
        tabIndex={-1}
        aria-invalid={weekdaysProblem ? true : undefined}
        aria-describedby={weekdaysProblem ? `${weekdaysId}-problem` : undefined}
      >
        <legend>{t("create.schedule.weekdays")}</legend>
        {WEEK.map((w) => (
          <label key={w} className="inline">
            <input type="checkbox" data-testid={`schedule-weekday-${index}-${w}`} checked={group.weekdays.includes(w)} onChange={(e) => toggle(w, e.target.checked)} />
            {weekdayName(w, i18n.language)}
          </label>
        ))}
        {weekdaysProblem && (
          <span id={`${weekdaysId}-problem`} className="field-problem" data-testid={`${weekdaysId}-problem`}>
            {weekdaysProblem}
          </span>
        )}
      </fieldset>
      <div className="row" role="radiogroup" aria-label={t("create.schedule.timesAs")}>
        <label className="inline">
          <input type="radio" name={`times-mode-${group.key}`} data-testid={`schedule-mode-${index}-list`} checked={group.mode === "list"} onChange={() => onChange({ mode: "list" })} />
          {t("create.schedule.modeList")}
        </label>
        <label className="inline">
          <input type="radio" name={`times-mode-${group.key}`} data-testid={`schedule-mode-${index}-series`} checked={group.mode === "series"} onChange={() => onChange({ mode: "series" })} />
          {t("create.schedule.modeSeries")}
        </label>
      </div>
      {group.mode === "list" ? (
        <Field id={scheduleField("times", index)} label={t(`create.schedule.times.${kind}`)} help={t("create.schedule.timesHelp")} problems={problems}>
          <input data-testid={scheduleField("times", index)} value={group.times} placeholder={kind === "run" ? "19:30" : "10:00, 11:00, 14:30"} onChange={(e) => onChange({ times: e.target.value })} />
        </Field>
      ) : (
        <div className="form-grid">
          <Field id={scheduleField("from", index)} label={t("create.schedule.from")} problems={problems}>
            <input type="time" data-testid={scheduleField("from", index)} value={group.from} onChange={(e) => onChange({ from: e.target.value })} />
          </Field>
          <Field id={scheduleField("count", index)} label={t("create.schedule.count")} help={t("create.schedule.countHelp", { minutes: slotMinutes || "…" })} problems={problems}>
            <input data-testid={scheduleField("count", index)} inputMode="numeric" value={group.count} onChange={(e) => onChange({ count: e.target.value })} />
          </Field>
        </div>
      )}
      {removable && (
        <button type="button" className="link danger-link" data-testid={`schedule-remove-group-${index}`} onClick={onRemove}>
          {t("create.schedule.removeGroup")}
        </button>
      )}
    </fieldset>
  );
}

/** Closed dates: a text field of dates, and the season's months to pick them on (a date without slots cannot be picked: nothing to close). */
function ClosedDates({ draft, set, problems }: { draft: EventDraft; set: (change: Partial<ScheduleDraft>) => void; problems: Problems }) {
  const { t } = useTranslation("organizer");
  const s = draft.schedule;
  const dayCount = dayCountOf(s);
  const season = isIsoDate(s.firstDate) && dayCount && dayCount > 0 && dayCount <= 65_535 ? { first: dayNumberOf(s.firstDate), count: dayCount } : undefined;
  const months = season ? monthsOf(season.first, season.first + season.count - 1) : [];
  const [shown, setShown] = useState(0);
  const month = months[Math.min(shown, months.length - 1)];
  const closed = new Set(closedDatesOf(s).dates);
  const openOn = new Set(s.groups.flatMap((g) => g.weekdays));
  return (
    <div className="closed-dates">
      <Field id={scheduleField("closed")} label={t("create.schedule.closed")} help={t("create.schedule.closedHelp")} problems={problems}>
        <input data-testid={scheduleField("closed")} value={s.closed} placeholder="2026-12-25, 2027-01-01" onChange={(e) => set({ closed: e.target.value })} />
      </Field>
      {season && month && (
        <div className="closed-picker" data-testid="closed-picker">
          <div className="row">
            <button type="button" className="secondary" data-testid="closed-prev-month" disabled={shown <= 0} onClick={() => setShown((n) => n - 1)} aria-label={t("create.schedule.prevMonth")}>
              ‹
            </button>
            <button type="button" className="secondary" data-testid="closed-next-month" disabled={shown >= months.length - 1} onClick={() => setShown((n) => n + 1)} aria-label={t("create.schedule.nextMonth")}>
              ›
            </button>
          </div>
          <MonthGrid
            month={month}
            renderDay={(date, day) => {
              if (day < season.first || day >= season.first + season.count) return <span className="org-day out">{Number(date.slice(8))}</span>;
              const open = openOn.has(weekdayOf(day));
              return (
                <button
                  type="button"
                  className={`org-day${closed.has(date) ? " closed" : ""}`}
                  data-testid={`closed-${date}`}
                  aria-pressed={closed.has(date)}
                  disabled={!open && !closed.has(date)}
                  title={closed.has(date) ? t("create.schedule.closedDay") : open ? t("create.schedule.openDay") : t("create.schedule.noSlotsDay")}
                  onClick={() => set({ closed: toggleClosed(s, date) })}
                >
                  {Number(date.slice(8))}
                </button>
              );
            }}
          />
        </div>
      )}
    </div>
  );
}

/** What the schedule makes: slots (performances) in all, on how many dates, the first and the last, slots a day by day of the week, and the runs the contract gets. */
export function SchedulePreview({ plan, format, zone }: { plan: SchedulePlan; format: EventDraft["format"]; zone: string }) {
  const { t, i18n } = useTranslation("organizer");
  const locale = i18n.language;
  const kind = format === "run" ? "run" : "season";
  const { rule } = plan;
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const days = (mask: number) =>
    WEEK.filter((w) => mask & (1 << w))
      .map((w) => weekdayName(w, locale))
      .join(" ");
  return (
    <dl className="review schedule-preview" data-testid="schedule-preview">
      <dt>{t(`create.schedule.total.${kind}`)}</dt>
      <dd data-testid="preview-slots">
        {t(`create.schedule.slotsOnDays.${kind}`, { slots: number(plan.slots), days: number(plan.openDays), dates: isoDateOf(rule.firstDay), last: isoDateOf(rule.firstDay + rule.dayCount - 1) })}
        {rule.closedDays.length > 0 && <> {t("create.schedule.closedCount", { count: rule.closedDays.length })}</>}
      </dd>
      <dt>{t("create.schedule.first")}</dt>
      <dd data-testid="preview-first">{plan.first ? formatDateTimeRange(plan.first.start, plan.first.end, locale, zone) : "—"}</dd>
      <dt>{t("create.schedule.last")}</dt>
      <dd data-testid="preview-last">{plan.last ? formatDateTimeRange(plan.last.start, plan.last.end, locale, zone) : "—"}</dd>
      <dt>{t(`create.schedule.perDay.${kind}`)}</dt>
      <dd>
        <ul className="per-weekday" data-testid="preview-per-day">
          {WEEK.map((w) => (
            <li key={w} className={plan.perWeekday[w] ? undefined : "muted"}>
              {weekdayName(w, locale)} <strong>{plan.perWeekday[w]}</strong>
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t("create.schedule.runs")}</dt>
      <dd data-testid="preview-runs">
        {rule.runs.map((r, i) => (
          <span key={i} className="run-chip">
            {t("create.schedule.run", { from: timeOf(r.startMinute), count: r.count, minutes: rule.slotMinutes, days: days(r.weekdays) })}
          </span>
        ))}
        <span className="muted small"> {t("create.schedule.runsNote", { count: rule.runs.length })}</span>
      </dd>
      {format === "season" && (
        <>
          <dt>{t("create.schedule.places")}</dt>
          <dd data-testid="preview-places">{t("create.schedule.placesValue", { capacity: number(rule.capacity), total: number(rule.capacity * plan.slots) })}</dd>
        </>
      )}
      <dt>{t("create.schedule.offsetTerm")}</dt>
      <dd data-testid="preview-offset">{t("create.schedule.offsetValue", { offset: offsetLabel(rule.utcOffsetMinutes), zone })}</dd>
    </dl>
  );
}
