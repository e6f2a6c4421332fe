// Event times in the venue's time zone (an IANA name, the event metadata's `timezone`): the
// wizard's wall-clock inputs ↔ unix seconds, and the one formatter every screen uses (through
// shared/format.ts). Intl and lib/ only: the unit tests load it without the app.
import { isTimeZone } from "../../../lib/time-zone.js";

export { isTimeZone };

/** The reader's own zone (the browser's). */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** The zone to show an event in: its venue's when the metadata names a valid one, else the reader's. */
export const venueZone = (zone?: string | null): string => (isTimeZone(zone) ? zone : browserTimeZone());

/** Every zone to offer in a picker: Intl's list, plus the reader's and UTC (V8 leaves both out of it). */
export function timeZoneChoices(): string[] {
  const listed = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([...listed, browserTimeZone(), "UTC"])].sort();
}

/** Whether timeStyle "short" pads the hour in `locale` (its resolved options do not say). */
const shortHour = (locale: string): "2-digit" | "numeric" => {
  const six = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: "UTC" }).formatToParts(Date.UTC(2026, 0, 1, 6));
  return six.find((p) => p.type === "hour")?.value.length === 2 ? "2-digit" : "numeric";
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    // The hour as timeStyle "short" writes it in this locale ("6:21 AM" in English, "06:21" in Chinese).
    const hour = options.hour && shortHour(locale);
    formatters.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, ...(hour ? { hour } : {}), timeZone: zone })));
  }
  return f;
}

const NUMERIC: Intl.DateTimeFormatOptions = { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" };

/** The wall clock in `zone` at `ms`: [year, month (1-12), day, hour, minute, second]. */
function wallClock(zone: string, ms: number): number[] {
  const parts = formatter("en-US", zone, NUMERIC).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return [get("year"), get("month"), get("day"), get("hour") % 24, get("minute"), get("second")];
}

/** `zone`'s offset from UTC at the instant `ms`, in minutes (east positive: Asia/Shanghai is 480). */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  const [y, mo, d, h, mi, s] = wallClock(zone, ms);
  const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const WALL_CLOCK = /^(\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * A wall-clock time at the venue (an `<input type="datetime-local">` value, "2026-06-01T20:00", or
 * a date, "2026-06-01", for its midnight) → unix seconds; undefined when empty or invalid. Across a
 * DST change it does what Temporal's "compatible" does: a time that occurs twice (clocks going
 * back) is the first one; a time that does not exist (clocks going forward) moves forward by the
 * gap (02:30 on the morning New York springs forward is 03:30 EDT).
 */
export function zonedToUnix(value: string, zone: string): number | undefined {
  const m = WALL_CLOCK.exec(value.trim());
  if (!m || !isTimeZone(zone)) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return undefined;
  const naive = Date.UTC(y!, mo! - 1, d!, h, mi, s);
  if (!Number.isFinite(naive) || new Date(naive).getUTCDate() !== d) return undefined; // 31 June
  // The offsets a day either side cover both sides of any change near this time.
  const before = zoneOffsetMinutes(zone, naive - 86_400_000);
  const after = zoneOffsetMinutes(zone, naive + 86_400_000);
  const fits = [...new Set([before, after])].map((offset) => naive - offset * 60_000).filter((ms) => zoneOffsetMinutes(zone, ms) * 60_000 === naive - ms);
  const ms = fits.length > 0 ? Math.min(...fits) : naive - before * 60_000;
  return Math.floor(ms / 1000);
}

/** Unix seconds → the venue's wall clock as a datetime-local value ("2026-06-01T20:00"). */
export function unixToZoned(seconds: number | bigint | string, zone: string): string {
  const [y, mo, d, h, mi] = wallClock(venueZone(zone), Number(seconds) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(y).padStart(4, "0")}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}`;
}

/** The calendar day at the venue ("2026-06-01"). */
const dayIn = (zone: string, ms: number) => unixToZoned(ms / 1000, zone).slice(0, 10);

/** How much of a moment a formatted time shows. `date` is a day alone (no zone label: it names no instant). */
export type TimeShape = "dateTime" | "date" | "time" | "dayHour";

const SHAPES: Record<TimeShape, Intl.DateTimeFormatOptions> = {
  // dateStyle "medium" and timeStyle "short" as components: Intl refuses timeZoneName beside styles.
  dateTime: { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" },
  date: { year: "numeric", month: "short", day: "numeric" },
  time: { hour: "numeric", minute: "2-digit" },
  dayHour: { month: "short", day: "numeric", hour: "numeric" },
};

/** The zone's short name at that instant in the reader's language: "GMT+8", "EST", "UTC". */
export function zoneLabel(seconds: number | bigint | string, locale: string, zone: string): string {
  const parts = formatter(locale, venueZone(zone), { timeZoneName: "short" }).formatToParts(new Date(Number(seconds) * 1000));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
}

export interface ZonedFormat {
  locale: string;
  /** The venue's zone; missing or invalid: the reader's (still labelled). */
  zone?: string | null;
  shape?: TimeShape;
  /** The reader's zone; the browser's by default. */
  reader?: string;
  /** Leave out the zone label (a chart axis, whose caption names the zone). */
  label?: boolean;
  /** The reader's own time, already formatted → the words around it: "(12:23 PM your time)". */
  yourTime?: (local: string) => string;
}

const englishYourTime = (local: string) => `(${local} your time)`;

/** Whether the reader's clock shows another wall-clock time than the venue's at `ms`. */
const differs = (zone: string, reader: string, ms: number) => zoneOffsetMinutes(zone, ms) !== zoneOffsetMinutes(reader, ms);

/** What of the reader's time to show beside the venue's: the time alone when the reader's day is the venue's. */
function localShape(shape: TimeShape, zone: string, reader: string, ms: number): TimeShape {
  if (shape === "dayHour") return shape;
  return dayIn(zone, ms) === dayIn(reader, ms) ? "time" : "dateTime";
}

/**
 * Unix seconds at the venue, labelled with its zone, and the reader's own time where their clock
 * differs: "Nov 22, 2026, 8:23 PM GMT+8 (12:23 PM your time)"; "Nov 22, 2026, 8:23 PM GMT+8" for
 * a reader in Shanghai. A `date` shape is the venue's day alone.
 */
export function formatZoned(seconds: number | bigint | string, o: ZonedFormat): string {
  const zone = venueZone(o.zone);
  const reader = o.reader ?? browserTimeZone();
  const shape = o.shape ?? "dateTime";
  const ms = Number(seconds) * 1000;
  const venue = formatter(o.locale, zone, SHAPES[shape]).format(ms);
  if (shape === "date") return venue;
  const labelled = o.label === false ? venue : `${venue} ${zoneLabel(seconds, o.locale, zone)}`;
  if (!differs(zone, reader, ms)) return labelled;
  const local = formatter(o.locale, reader, SHAPES[localShape(shape, zone, reader, ms)]).format(ms);
  return `${labelled} ${(o.yourTime ?? englishYourTime)(local)}`;
}

/**
 * A span at the venue: "Nov 22, 2026, 2:21 PM – 4:21 PM GMT+8 (6:21 AM – 8:21 AM your time)". The
 * end drops its date when it is the start's day; one label unless the zone's name changes between.
 */
export function formatZonedRange(start: number | bigint | string, end: number | bigint | string, o: ZonedFormat): string {
  const zone = venueZone(o.zone);
  const reader = o.reader ?? browserTimeZone();
  const shape = o.shape === "time" ? "time" : "dateTime";
  const [a, b] = [Number(start) * 1000, Number(end) * 1000];
  const at = (ms: number, s: TimeShape, z: string) => formatter(o.locale, z, SHAPES[s]).format(ms);
  const endShape = (z: string, first: TimeShape) => (dayIn(z, a) === dayIn(z, b) ? "time" : first === "time" ? "dateTime" : first);
  const [labelA, labelB] = [zoneLabel(start, o.locale, zone), zoneLabel(end, o.locale, zone)];
  const first = o.label === false || labelA === labelB ? at(a, shape, zone) : `${at(a, shape, zone)} ${labelA}`;
  const venue = `${first} – ${at(b, endShape(zone, shape), zone)}${o.label === false ? "" : ` ${labelB}`}`;
  if (!differs(zone, reader, a) && !differs(zone, reader, b)) return venue;
  const localFirst = shape === "time" ? localShape("time", zone, reader, a) : localShape("dateTime", zone, reader, a);
  const local = `${at(a, localFirst, reader)} – ${at(b, endShape(reader, localFirst), reader)}`;
  return `${venue} ${(o.yourTime ?? englishYourTime)(local)}`;
}
