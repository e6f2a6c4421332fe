// The wizard's schedule (frontend/src/organizer/wizard/schedule.ts): what an organizer types for a
// season or a run becomes the contract's CalendarParams. Start times group into runs (back-to-back
// starts on the same days), closed dates become day indexes, the venue's offset is its zone's on
// the first date (and a later daylight-saving change is found), and what the contract would refuse
// is said before anything is sent.
// (The wizard's modules reach the app's network config, which reads import.meta.env.)
/// <reference types="vite/client" />
import { expect } from "chai";

import { slotWindow, weekdayMask } from "../../lib/calendar.js";
import { newSchedule, type EventDraft, type TimeGroupDraft } from "../../frontend/src/organizer/wizard/draft.js";
import { parseTime, planOf, readSchedule, runsOf } from "../../frontend/src/organizer/wizard/schedule.js";

const group = (over: Partial<TimeGroupDraft>): TimeGroupDraft => ({ key: 0, weekdays: [0, 1, 2, 3, 4, 5, 6], mode: "list", times: "", from: "", count: "", ...over });

function season(over: Partial<EventDraft["schedule"]> = {}): Pick<EventDraft, "format" | "schedule" | "timezone"> {
  return {
    format: "season",
    timezone: "Europe/Paris",
    schedule: {
      ...newSchedule("season"),
      firstDate: "2027-01-05",
      until: "date",
      lastDate: "2027-03-31",
      capacity: "40",
      saleLead: "30",
      groups: [
        group({ key: 1, weekdays: [0, 2, 3, 4, 5, 6], mode: "series", from: "10:00", count: "4" }),
        group({ key: 2, times: "16:00, 15:00" }),
      ],
      closed: "2027-01-10, 2027-02-01",
      ...over,
    },
  };
}

describe("Wizard schedule (season and run to CalendarParams)", function () {
  it("reads times of day, and groups back-to-back starts into runs of at most 63", function () {
    expect([parseTime("09:30"), parseTime("9.05"), parseTime("24:00"), parseTime("noon")]).to.deep.equal([570, 545, undefined, undefined]);
    expect(runsOf([600, 660, 720, 900, 960], 60, 127)).to.deep.equal([
      { startMinute: 600, count: 3, weekdays: 127 },
      { startMinute: 900, count: 2, weekdays: 127 },
    ]);
    const sixtyFour = Array.from({ length: 64 }, (_, k) => k * 15);
    expect(runsOf(sixtyFour, 15, 1).map((r) => r.count)).to.deep.equal([63, 1]);
  });

  it("makes a museum's season: runs in start order, day indexes of the closed dates, the zone's winter offset", function () {
    const { rule, issues } = readSchedule(season());
    expect(issues).to.deep.equal([]);
    expect(rule).to.deep.equal({
      firstDay: 20_823, // 2027-01-05
      dayCount: 86,
      utcOffsetMinutes: 60,
      slotMinutes: 60,
      saleLeadMinutes: 30,
      capacity: 40,
      runs: [
        { startMinute: 600, count: 4, weekdays: weekdayMask([0, 2, 3, 4, 5, 6]) },
        { startMinute: 900, count: 2, weekdays: 127 },
      ],
      closedDays: [5, 27],
    });
    // 10:00 in Paris on the first day (a Tuesday) is 09:00 UTC; Sunday the 10th is closed.
    expect(new Date(slotWindow(rule!, 1)!.start * 1000).toISOString()).to.equal("2027-01-05T09:00:00.000Z");
    expect(slotWindow(rule!, 1 + 5 * 6)).to.equal(undefined);
    const plan = planOf(rule!, "Europe/Paris");
    expect(plan.perWeekday).to.deep.equal([6, 2, 6, 6, 6, 6, 6]);
    // Summer time starts on 2027-03-28: from then the slots are an hour off the venue's clock.
    expect(plan.offsetChange).to.deep.equal({ date: "2027-03-28", offsetMinutes: 120 });
  });

  it("says what is wrong before anything is sent: a bad time, a closed date outside the season, too many runs", function () {
    expect(readSchedule(season({ groups: [group({ times: "10:00, 25:00" })] })).issues.map((i) => i.key)).to.deep.equal(["timesBad"]);
    expect(readSchedule(season({ closed: "2027-04-01" })).issues.map((i) => i.key)).to.deep.equal(["closedOutside"]);
    const scattered = group({ times: "08:00, 09:30, 11:00, 12:30, 14:00, 15:30, 17:00" });
    const { issues } = readSchedule(season({ groups: [scattered] }));
    expect(issues.map((i) => [i.key, i.values])).to.deep.equal([["runCount", { runs: 7, max: 6 }]]);
  });
});
