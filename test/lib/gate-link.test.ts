// The scanner's circuit breaker (frontend/src/gate/gate-link.ts): after a scan finds the gate
// unreachable, scans skip the gate until a probe reaches it. The timer is the test's own.
import { expect } from "chai";

import { GateLink } from "../../frontend/src/gate/gate-link.js";

/** A timer driven by hand: `fire()` runs what is due, in order. */
function manualTimer() {
  const due: { run: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    schedule: (run: () => void, ms: number) => {
      const entry = { run, ms, cancelled: false };
      due.push(entry);
      return () => void (entry.cancelled = true);
    },
    pending: () => due.filter((e) => !e.cancelled).length,
    fire() {
      const now = due.splice(0).filter((e) => !e.cancelled);
      for (const e of now) e.run();
      return now.map((e) => e.ms);
    },
  };
}

/** A probe whose answers the test gives, one per call. */
function scriptedProbe() {
  const calls: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    probe: () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject })),
    calls,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Scanner: the gate link's circuit breaker", function () {
  it("goes down on an unreachable scan, probes every interval while the gate does not answer, and comes up on the first answer", async function () {
    const timer = manualTimer();
    const { probe, calls } = scriptedProbe();
    const changes: boolean[] = [];
    const link = new GateLink({ probe, probeEveryMs: 2000, schedule: timer.schedule, onChange: (down) => changes.push(down) });
    expect(link.down).to.equal(false);
    expect(timer.pending(), "no probe while the link is up").to.equal(0);

    link.unreachable();
    expect(link.down).to.equal(true);
    link.unreachable(); // a second failure while down changes nothing
    expect(changes).to.deep.equal([true]);
    expect(timer.fire(), "one probe, after the interval").to.deep.equal([2000]);
    expect(calls).to.have.length(1);
    calls[0].reject(new Error("no answer within 3 s"));
    await settle();
    expect(link.down, "still down after a probe that got no answer").to.equal(true);
    expect(timer.fire(), "the next probe after another interval").to.deep.equal([2000]);
    calls[1].resolve();
    await settle();
    expect(link.down).to.equal(false);
    expect(changes).to.deep.equal([true, false]);
    expect(timer.pending(), "no probe once the link is up").to.equal(0);
  });

  it("comes up when a scan reaches the gate first, and a probe of that outage answering late does not end the next one", async function () {
    const timer = manualTimer();
    const { probe, calls } = scriptedProbe();
    const link = new GateLink({ probe, probeEveryMs: 2000, schedule: timer.schedule });
    link.unreachable();
    timer.fire(); // the first outage's probe goes out and hangs
    link.reached(); // a scan got through meanwhile
    expect(link.down).to.equal(false);
    link.unreachable(); // and the link drops again
    calls[0].resolve(); // the old probe answers now
    await settle();
    expect(link.down, "the old outage's probe said nothing about this one").to.equal(true);
    expect(timer.fire()).to.deep.equal([2000]);
    calls[1].resolve();
    await settle();
    expect(link.down).to.equal(false);
  });

  it("stops probing when stopped", async function () {
    const timer = manualTimer();
    const { probe, calls } = scriptedProbe();
    const link = new GateLink({ probe, probeEveryMs: 2000, schedule: timer.schedule });
    link.unreachable();
    link.stop();
    expect(timer.fire(), "the scheduled probe was cancelled").to.deep.equal([]);
    expect(calls).to.have.length(0);
    link.unreachable();
    expect(timer.pending()).to.equal(0);
  });
});
