// An event's time zone: the IANA name its metadata's `timezone` holds ("Asia/Shanghai"). The
// server refuses metadata with any other value; the app shows the event's times in that zone.

/** An IANA zone name ("Asia/Shanghai", "UTC", "Etc/GMT+8"), not an offset ("+08:00"), which Intl also takes. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
export const MAX_TIME_ZONE_LENGTH = 64;

const known = new Map<string, boolean>();

/** Whether `zone` is an IANA time zone name this runtime's Intl knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length > MAX_TIME_ZONE_LENGTH || !ZONE_NAME.test(zone)) return false;
  let ok = known.get(zone);
  if (ok === undefined) {
    try {
      // A RangeError for a name Intl does not know.
      new Intl.DateTimeFormat("en", { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    known.set(zone, ok);
  }
  return ok;
}
