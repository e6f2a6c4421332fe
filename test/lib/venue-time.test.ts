// Event times at the venue (frontend/src/shared/venue-time.ts, behind shared/format.ts): a
// wall-clock time in the venue's IANA zone ↔ unix seconds, across DST changes, and the formatter
// every screen uses: the venue's time with its zone's label, and the reader's own time beside it
// only where their clock shows another time.
import { expect } from "chai";

import { commonEn, commonZh } from "../../frontend/src/i18n/common.js";
import { formatZoned, formatZonedRange, isTimeZone, timeZoneChoices, unixToZoned, venueZone, zonedToUnix, zoneOffsetMinutes } from "../../frontend/src/shared/venue-time.js";

const utc = (...parts: [number, number, number, number?, number?]) => Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0) / 1000;
/** The catalogue's "(… your time)" words, as shared/format.ts passes them. */
const yourTime = (template: string) => (local: string) => template.replace("{{time}}", local);
const en = { locale: "en-US", yourTime: yourTime(commonEn.time.yourTime) };
const zh = { locale: "zh-CN", yourTime: yourTime(commonZh.time.yourTime) };

describe("Venue time: zoned wall clock ↔ unix seconds, and the labelled formatter", function () {
  describe("zone names", function () {
    it("accepts IANA names Intl knows and refuses anything else, offsets included", function () {
      for (const zone of ["Asia/Shanghai", "America/New_York", "UTC", "Etc/GMT+8", "America/Argentina/Buenos_Aires"]) expect(isTimeZone(zone), zone).to.equal(true);
      for (const zone of ["Mars/Olympus_Mons", "+08:00", "GMT+8 ", "", "Asia/Shanghai/", 480, undefined]) expect(isTimeZone(zone), String(zone)).to.equal(false);
    });

    it("falls back to the reader's zone for an event without one (or with one this runtime does not know)", function () {
      const reader = Intl.DateTimeFormat().resolvedOptions().timeZone;
      expect(venueZone(undefined)).to.equal(reader);
      expect(venueZone("Mars/Olympus_Mons")).to.equal(reader);
      expect(venueZone("Asia/Shanghai")).to.equal("Asia/Shanghai");
    });

    it("offers every zone Intl lists, plus the reader's and UTC", function () {
      const choices = timeZoneChoices();
      expect(choices).to.include.members(["Asia/Shanghai", "Europe/London", "UTC", Intl.DateTimeFormat().resolvedOptions().timeZone]);
      expect(new Set(choices).size).to.equal(choices.length);
    });
  });

  describe("wall clock → unix seconds", function () {
    it("reads the time on the venue's clock, whatever the runtime's zone: 20:00 in Shanghai is 12:00 UTC", function () {
      expect(zonedToUnix("2026-06-01T20:00", "Asia/Shanghai")).to.equal(utc(2026, 6, 1, 12));
      expect(zonedToUnix("2026-06-01T20:00", "UTC")).to.equal(utc(2026, 6, 1, 20));
      expect(zonedToUnix("2026-06-01T20:00", "America/Los_Angeles")).to.equal(utc(2026, 6, 2, 3)); // PDT, UTC−7
      expect(zonedToUnix("2026-01-15T20:00", "America/Los_Angeles")).to.equal(utc(2026, 1, 16, 4)); // PST, UTC−8
      expect(zonedToUnix("2026-06-01T20:00", "Asia/Kolkata")).to.equal(utc(2026, 6, 1, 14, 30));
      expect(zonedToUnix("2026-06-01T20:00:30", "Asia/Shanghai")).to.equal(utc(2026, 6, 1, 12) + 30);
      expect(zonedToUnix("2026-06-01", "Asia/Shanghai"), "a date is its midnight").to.equal(utc(2026, 5, 31, 16));
    });

    it("across DST: a time that does not exist moves forward by the gap; a time that occurs twice is the first", function () {
      // New York springs forward on 8 March 2026 at 02:00 EST (07:00 UTC) to 03:00 EDT.
      expect(zoneOffsetMinutes("America/New_York", utc(2026, 3, 8, 6, 59) * 1000)).to.equal(-300);
      expect(zoneOffsetMinutes("America/New_York", utc(2026, 3, 8, 7) * 1000)).to.equal(-240);
      expect(zonedToUnix("2026-03-08T01:59", "America/New_York")).to.equal(utc(2026, 3, 8, 6, 59));
      expect(zonedToUnix("2026-03-08T02:30", "America/New_York"), "02:30 does not exist: 03:30 EDT").to.equal(utc(2026, 3, 8, 7, 30));
      expect(zonedToUnix("2026-03-08T03:00", "America/New_York")).to.equal(utc(2026, 3, 8, 7));
      // It falls back on 1 November 2026 at 02:00 EDT (06:00 UTC) to 01:00 EST: 01:30 happens twice.
      expect(zonedToUnix("2026-11-01T01:30", "America/New_York"), "the first 01:30 (EDT)").to.equal(utc(2026, 11, 1, 5, 30));
      expect(zonedToUnix("2026-11-01T02:30", "America/New_York")).to.equal(utc(2026, 11, 1, 7, 30));
      // London, and a southern-hemisphere zone (Sydney leaves DST on 5 April 2026 at 03:00 AEDT).
      expect(zonedToUnix("2026-03-29T01:30", "Europe/London"), "London's gap: 02:30 BST").to.equal(utc(2026, 3, 29, 1, 30));
      expect(zonedToUnix("2026-04-05T02:30", "Australia/Sydney"), "the first 02:30 (AEDT)").to.equal(utc(2026, 4, 4, 15, 30));
    });

    it("round-trips through the venue's wall clock, and refuses what is no time", function () {
      for (const zone of ["Asia/Shanghai", "America/New_York", "Europe/London", "Pacific/Chatham"]) {
        for (const seconds of [utc(2026, 1, 1), utc(2026, 3, 8, 7), utc(2026, 7, 4, 23, 59), utc(2026, 11, 1, 6)]) {
          const shown = unixToZoned(seconds, zone);
          expect(shown).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
          if (zone !== "America/New_York" || seconds !== utc(2026, 11, 1, 6)) expect(zonedToUnix(shown, zone), `${zone} ${shown}`).to.equal(seconds);
        }
      }
      expect(unixToZoned(utc(2026, 6, 1, 12), "Asia/Shanghai")).to.equal("2026-06-01T20:00");
      for (const bad of ["", "tomorrow", "2026-02-30T10:00", "2026-13-01T10:00", "2026-06-01T24:00"]) expect(zonedToUnix(bad, "UTC"), bad).to.equal(undefined);
      expect(zonedToUnix("2026-06-01T20:00", "Mars/Olympus_Mons")).to.equal(undefined);
    });
  });

  describe("the formatter", function () {
    const concert = utc(2026, 11, 22, 12, 23); // 20:23 in Shanghai

    it("shows the venue's time with its zone's label, and the reader's where their clock differs", function () {
      expect(formatZoned(concert, { ...en, zone: "Asia/Shanghai", reader: "UTC" })).to.equal("Nov 22, 2026, 8:23 PM GMT+8 (12:23 PM your time)");
      expect(formatZoned(concert, { ...en, zone: "Asia/Shanghai", reader: "Asia/Shanghai" }), "no duplicate for a reader in Shanghai").to.equal("Nov 22, 2026, 8:23 PM GMT+8");
      // Another zone name, same offset: the same wall clock, nothing added.
      expect(formatZoned(concert, { ...en, zone: "Asia/Shanghai", reader: "Asia/Singapore" })).to.equal("Nov 22, 2026, 8:23 PM GMT+8");
      expect(formatZoned(concert, { ...en, zone: "America/New_York", reader: "America/New_York" })).to.equal("Nov 22, 2026, 7:23 AM EST");
      expect(formatZoned(concert, { ...en, zone: "Asia/Shanghai", reader: "UTC", shape: "time" })).to.equal("8:23 PM GMT+8 (12:23 PM your time)");
      expect(formatZoned(concert, { ...en, zone: "Asia/Shanghai", reader: "UTC", shape: "date" }), "a day alone").to.equal("Nov 22, 2026");
      expect(formatZoned(concert, { ...zh, zone: "Asia/Shanghai", reader: "UTC" })).to.equal("2026年11月22日 20:23 GMT+8 （您所在时区 12:23）");
      expect(formatZoned(concert, { ...zh, zone: "Asia/Shanghai", reader: "Asia/Shanghai" })).to.equal("2026年11月22日 20:23 GMT+8");
    });

    it("gives the reader's date too when their day is another one", function () {
      const late = utc(2026, 11, 22, 17); // 01:00 on the 23rd in Shanghai
      expect(formatZoned(late, { ...en, zone: "Asia/Shanghai", reader: "America/Los_Angeles" })).to.equal("Nov 23, 2026, 1:00 AM GMT+8 (Nov 22, 2026, 9:00 AM your time)");
      expect(formatZoned(late, { ...en, zone: "Asia/Shanghai", reader: "America/Los_Angeles", shape: "time" })).to.equal("1:00 AM GMT+8 (Nov 22, 2026, 9:00 AM your time)");
    });

    it("labels the zone as it is at that instant (summer and winter time)", function () {
      expect(formatZoned(utc(2026, 7, 1, 18), { ...en, zone: "America/New_York", reader: "America/New_York" })).to.equal("Jul 1, 2026, 2:00 PM EDT");
      expect(formatZoned(utc(2026, 12, 1, 18), { ...en, zone: "Europe/London", reader: "Europe/London" })).to.equal("Dec 1, 2026, 6:00 PM GMT");
      expect(formatZoned(utc(2026, 7, 1, 18), { ...en, zone: "Europe/London", reader: "Europe/London" })).to.equal("Jul 1, 2026, 7:00 PM GMT+1");
    });

    it("an event without a zone: the reader's own, still labelled", function () {
      expect(formatZoned(concert, { ...en, zone: undefined, reader: Intl.DateTimeFormat().resolvedOptions().timeZone })).to.match(/ (UTC|GMT[+-]?\d*(:\d\d)?|[A-Z]{2,5})$/);
      expect(formatZoned(concert, { ...en, zone: "Mars/Olympus_Mons", reader: Intl.DateTimeFormat().resolvedOptions().timeZone })).to.not.contain("your time");
    });

    it("a span: the end's date only when it is another day, one label, the reader's span beside it", function () {
      const slot = [utc(2026, 11, 22, 6, 21), utc(2026, 11, 22, 8, 21)] as const; // 14:21–16:21 in Shanghai
      expect(formatZonedRange(...slot, { ...en, zone: "Asia/Shanghai", reader: "UTC" })).to.equal("Nov 22, 2026, 2:21 PM – 4:21 PM GMT+8 (6:21 AM – 8:21 AM your time)");
      expect(formatZonedRange(...slot, { ...en, zone: "Asia/Shanghai", reader: "Asia/Shanghai" })).to.equal("Nov 22, 2026, 2:21 PM – 4:21 PM GMT+8");
      expect(formatZonedRange(utc(2026, 11, 22, 6), utc(2026, 11, 24, 6), { ...en, zone: "Asia/Shanghai", reader: "Asia/Shanghai" })).to.equal("Nov 22, 2026, 2:00 PM – Nov 24, 2026, 2:00 PM GMT+8");
      // Across the end of summer time: each end has its own label.
      expect(formatZonedRange(utc(2026, 11, 1, 4), utc(2026, 11, 1, 8), { ...en, zone: "America/New_York", reader: "America/New_York" })).to.equal("Nov 1, 2026, 12:00 AM EDT – 3:00 AM EST");
      expect(formatZonedRange(...slot, { ...zh, zone: "Asia/Shanghai", reader: "UTC" })).to.equal("2026年11月22日 14:21 – 16:21 GMT+8 （您所在时区 06:21 – 08:21）");
    });
  });
});
