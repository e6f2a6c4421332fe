// The scanner's knowledge of the gate's clock (frontend/src/gate/gate-clock.ts): what offline
// checks of frame times go by on a device whose own clock is off.
import { expect } from "chai";

import { GateClock } from "../../frontend/src/gate/gate-clock.js";

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe("Scanner: the gate's clock on the device", function () {
  it("reads the gate's time as the device's plus the offset of the sample with the shortest round trip", function () {
    const clock = new GateClock(memoryStorage());
    expect(clock.offsetMs(), "no sample: the device's own clock").to.equal(0);
    const device = 1_800_000_000_000; // the device's clock, 10 minutes ahead of the gate's
    const gate = device - 600_000;
    // Asked at device, answered 400 ms later; the gate read its clock 300 ms in (a slow way back).
    clock.note(gate + 300, device, device + 400);
    expect(clock.offsetMs()).to.equal(-600_000 + 100);
    // A quicker exchange later: 20 ms there and back, the gate's clock read at its midpoint.
    clock.note(gate + 5_010, device + 5_000, device + 5_020);
    expect(clock.offsetMs(), "the 20 ms sample wins").to.equal(-600_000);
    expect(clock.nowSeconds(device + 60_000)).to.equal(Math.floor((gate + 60_000) / 1000));
  });

  it("starts again from the new sample when a clock was set since (the offset moved more than the round trips allow)", function () {
    const clock = new GateClock(memoryStorage());
    const t = 1_800_000_000_000;
    clock.note(t + 5, t, t + 10); // offset 0, 10 ms
    clock.note(t + 1_005 + 400, t + 1_000, t + 1_010); // 400 ms off with 10 ms round trips: within the slack
    expect(clock.offsetMs(), "a second of slack: the first sample still wins").to.equal(0);
    // The device's clock is set ten minutes ahead: a sample with a slower round trip, but far off.
    clock.note(t + 2_000 + 40, t + 602_000, t + 602_080);
    expect(clock.offsetMs(), "the older samples were dropped").to.equal(-600_000);
  });

  it("keeps its samples across a reload (storage), drops the oldest, and ignores what is not a sample", function () {
    const storage = memoryStorage();
    const clock = new GateClock(storage);
    clock.note(1_500, 0, 2_000); // offset 500, round trip 2 s
    expect(clock.offsetMs()).to.equal(500);
    for (let i = 1; i <= 6; i++) clock.note(i * 1000 + 500 + 50, i * 1000 + 500, i * 1000 + 600); // offset 0, 100 ms
    expect(clock.offsetMs(), "the quicker samples win").to.equal(0);
    clock.note(Number.NaN, 0, 10);
    clock.note(5, 10, 0); // answered before it was sent: a clock reset between the two readings
    const reloaded = new GateClock(storage);
    expect(reloaded.offsetMs()).to.equal(0);
    expect(JSON.parse(storage.items.get("chainpass-gate-clock")!), "six kept of seven: the oldest went").to.deep.equal(Array.from({ length: 6 }, () => ({ offsetMs: 0, rttMs: 100 })));

    storage.setItem("chainpass-gate-clock", "not json");
    expect(new GateClock(storage).offsetMs(), "a damaged entry is no sample").to.equal(0);
    storage.setItem("chainpass-gate-clock", JSON.stringify([{ offsetMs: 42, rttMs: 3 }, { offsetMs: "x", rttMs: 1 }]));
    expect(new GateClock(storage).offsetMs()).to.equal(42);
    expect(new GateClock(undefined).offsetMs(), "no storage at all").to.equal(0);
  });
});
