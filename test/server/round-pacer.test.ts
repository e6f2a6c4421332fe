// The freshness barrier's pacing (server/gate/round-pacer.ts): when the next round may start.
import { expect } from "chai";

import { RoundPacer } from "../../server/gate/round-pacer.js";

/** A round whose answer the test gives. */
function round() {
  let answer!: (fresh: boolean) => void;
  const promise = new Promise<boolean>((resolve) => (answer = resolve));
  return { promise, answer };
}

describe("Server: the freshness barrier's round pacing", function () {
  it("starts a quiet door's round at once", async function () {
    const pacer = new RoundPacer(2);
    expect(pacer.ready(performance.now()), "nothing started yet").to.equal(undefined);
    const first = round();
    const started = pacer.started(performance.now() - 10, first.promise);
    first.answer(true);
    expect(await started).to.equal(true);
    await Promise.resolve();
    expect(pacer.ready(performance.now()), "the last round is back and the floor has passed").to.equal(undefined);
  });

  it("lets no round start while one is out: scans arriving meanwhile wait for its answer", async function () {
    const pacer = new RoundPacer(0);
    const out = round();
    expect(await pacer.started(performance.now(), Promise.resolve(true))).to.equal(true);
    const started = pacer.started(performance.now(), out.promise);
    const ready = pacer.ready(performance.now());
    expect(ready, "a round is out").to.not.equal(undefined);
    let readyAt = 0;
    const waited = ready!.then(() => (readyAt = performance.now()));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(readyAt, "still out after 30 ms").to.equal(0);
    const answeredAt = performance.now();
    out.answer(true);
    await waited;
    expect(readyAt).to.be.at.least(answeredAt);
    expect(await started, "the round's own answer").to.equal(true);
  });

  it("starts rounds at most every floor interval, even when each comes back at once", async function () {
    const pacer = new RoundPacer(40);
    const startedAt = performance.now();
    await pacer.started(startedAt, Promise.resolve(true));
    const ready = pacer.ready(performance.now());
    expect(ready, "within the floor").to.not.equal(undefined);
    await ready;
    expect(performance.now() - startedAt).to.be.at.least(40);
    expect(pacer.ready(startedAt + 40), "after it").to.equal(undefined);
  });

  it("answers the round's own result to whoever started it, and frees the way when a round fails", async function () {
    const pacer = new RoundPacer(0);
    const failing = Promise.reject(new Error("no answer"));
    await pacer.started(performance.now(), failing).catch(() => undefined);
    await Promise.resolve();
    expect(pacer.ready(performance.now())).to.equal(undefined);
  });
});
