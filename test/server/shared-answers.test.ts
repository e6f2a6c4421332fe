// One computation shared by the requests asking within the reuse time (server/gate/shared-answers.ts):
// what every scanner polls costs the ledger one query per window, not one per poll.
import { expect } from "chai";

import { SharedAnswers } from "../../server/gate/shared-answers.js";

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
