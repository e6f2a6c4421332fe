// One computation shared by the requests asking within the reuse time (server/gate/shared-answers.ts):
// what every scanner polls costs the ledger one query per window, not one per poll.
import { expect } from "chai";

import { NextReads, SharedAnswers } from "../../server/gate/shared-answers.js";

describe("Server: answers shared by the requests asking within a short time", function () {
  it("computes once for the requests within the reuse time, in flight or done, per key; again after it", async function () {
    const shared = new SharedAnswers<number>(500);
    let computed = 0;
    let release!: () => void;
    const slow = () => new Promise<number>((resolve) => (release = () => resolve(++computed)));
    const t = 1_000_000;
    const asked = [shared.get("a", slow, t), shared.get("a", slow, t + 100)];
    release();
    expect(await Promise.all(asked), "the second joined the first while in flight").to.deep.equal([1, 1]);
    expect(await shared.get("a", async () => ++computed, t + 499)).to.equal(1);
    expect(await shared.get("b", async () => ++computed, t + 499), "another key").to.equal(2);
    expect(await shared.get("a", async () => ++computed, t + 500), "past the reuse time").to.equal(3);
  });

  it("computes again within the reuse time when what the answer is computed from changed (its version)", async function () {
    const shared = new SharedAnswers<number>(10_000);
    let computed = 0;
    const compute = async () => ++computed;
    const [rows, newRows] = [{}, {}];
    const t = 1_000_000;
    expect(await shared.get("a", compute, t, rows)).to.equal(1);
    expect(await shared.get("a", compute, t + 1, rows), "the same version").to.equal(1);
    expect(await shared.get("a", compute, t + 2, newRows), "another version").to.equal(2);
  });

  it("does not keep a failed answer: the next request computes again", async function () {
    const shared = new SharedAnswers<string>(10_000);
    const t = 1_000_000;
    const failed = shared.get("a", async () => Promise.reject(new Error("database unavailable")), t);
    await failed.then(
      () => expect.fail("should have failed"),
      (error: Error) => expect(error.message).to.equal("database unavailable"),
    );
    expect(await shared.get("a", async () => "read", t + 1)).to.equal("read");
  });
});

describe("Server: the next read shared by the requests that come while one is under way", function () {
  /** A read of `state.written` that ends when released; counts the reads started. */
  function slowReads() {
    const state = { written: 0, started: 0, releases: [] as (() => void)[] };
    const read = () => {
      state.started++;
      const seen = state.written;
      return new Promise<number>((resolve) => state.releases.push(() => resolve(seen)));
    };
    const releaseAll = () => state.releases.splice(0).forEach((release) => release());
    return { state, read, releaseAll };
  }
  const turns = (n: number) => Array.from({ length: n }).reduce<Promise<unknown>>((p) => p.then(() => new Promise((r) => setImmediate(r))), Promise.resolve());

  it("gives every request a read started after it: those coming during a read share the next, so one runs and one waits however many ask", async function () {
    const reads = new NextReads<number>();
    const { state, read, releaseAll } = slowReads();
    // Two asked in the same turn share one read.
    const first = [reads.read("a", read), reads.read("a", read)];
    await turns(2);
    expect(state.started).to.equal(1);
    // A write, then twenty more requests while the first read is under way.
    state.written = 1;
    const during = Array.from({ length: 20 }, () => reads.read("a", read));
    await turns(3);
    expect(state.started, "the next read waits for the one under way").to.equal(1);
    releaseAll();
    expect(await Promise.all(first)).to.deep.equal([0, 0]);
    await turns(3);
    expect(state.started, "one more read for the twenty").to.equal(2);
    releaseAll();
    expect(new Set(await Promise.all(during)), "each saw the write made before it asked").to.deep.equal(new Set([1]));
    // Another key reads on its own, at once.
    const other = reads.read("b", read);
    await turns(2);
    expect(state.started).to.equal(3);
    releaseAll();
    expect(await other).to.equal(1);
  });

  it("fails a failed read's requests only: the next request reads again", async function () {
    const reads = new NextReads<number>();
    let calls = 0;
    const fail = async (): Promise<number> => {
      calls++;
      throw new Error("the ledger is down");
    };
    const failed = await Promise.allSettled([reads.read("a", fail), reads.read("a", fail)]);
    expect(failed.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(calls, "one read for both").to.equal(1);
    expect(await reads.read("a", async () => ++calls)).to.equal(2);
  });
});
