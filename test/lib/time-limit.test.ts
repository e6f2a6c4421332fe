// lib/time-limit.ts: a wait that ends, and leaves no timer behind when the work was first.
import { expect } from "chai";

import { within } from "../../lib/time-limit.js";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe("within (lib/time-limit.ts)", () => {
  it("gives the work's value when it comes first, without calling late", async () => {
    let lateCalled = false;
    expect(await within(after(5, "done"), 1_000, () => (lateCalled = true))).to.equal("done");
    expect(lateCalled).to.equal(false);
  });

  it("rejects with the work's error when it fails first", async () => {
    const error = await within(Promise.reject(new Error("broke")), 1_000, () => "late").catch((e: Error) => e);
    expect((error as Error).message).to.equal("broke");
  });

  it("gives late's value when the time runs out first", async () => {
    expect(await within(new Promise<string>(() => undefined), 10, () => "stand-in")).to.equal("stand-in");
  });

  it("rejects with late's error when late throws", async () => {
    const error = await within(new Promise<string>(() => undefined), 10, () => {
      throw new RangeError("too slow");
    }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect((error as Error).message).to.equal("too slow");
  });

  it("clears its timer as soon as the work settles (late never runs for a thousand answered waits)", async () => {
    let lateCalls = 0;
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => within(Promise.resolve(i), 20, () => ++lateCalls)));
    await after(80, undefined); // well past every limit: a timer left behind would have called late
    expect(lateCalls).to.equal(0);
  });

  it("does not keep the process alive while it waits", async () => {
    // A child Node that waits on a promise that never settles, limited to 60 s: it exits at once
    // unless the limit's timer holds the event loop.
    const { spawnSync } = await import("node:child_process");
    const started = Date.now();
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", `import { within } from "./lib/time-limit.ts"; void within(new Promise(() => {}), 60_000, () => 0);`],
      { timeout: 20_000, encoding: "utf8" },
    );
    expect(child.status, child.stderr).to.equal(0);
    expect(Date.now() - started).to.be.below(15_000);
  });
});
