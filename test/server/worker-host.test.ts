// Worker threads (server/workers/host.ts): standing orders such as "follow the chain" reach a
// worker however slowly it starts, and every worker that replaces it. A request with a deadline
// sent at start did not: on a loaded machine the gate's chain worker took longer than its 10 s,
// the "start" was dropped, and the check-in writer never ran (admissions never reached the chain).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import { WorkerHost, WorkerTimeout, WorkerUnavailable } from "../../server/workers/host.js";
import { tempFolder } from "../../scripts/lib/supervisor.js";
import { eventually } from "../helpers/eventually.js";

const RUNTIME = pathToFileURL(join(import.meta.dirname, "../../server/workers/runtime.ts")).href;

/** A worker module that keeps its thread busy for `startupMs` before it serves (slow module loading). */
function slowWorker(): URL {
  const file = join(tempFolder("chainpass-worker-host-"), "slow-worker.mts");
  writeFileSync(
    file,
    `import { emit, moduleData, serve } from ${JSON.stringify(RUNTIME)};
const { startupMs } = moduleData<{ startupMs: number }>();
const until = Date.now() + startupMs;
while (Date.now() < until) {}
serve(async (body: { kind: string }) => {
  if (body.kind === "crash") process.exit(3);
  // Many events at once: the main thread receives them together, in one turn.
  if (body.kind === "burst") for (let i = 0; i < 1_000; i++) emit(body.kind);
  else emit(body.kind);
  return true;
});
`,
  );
  return pathToFileURL(file);
}

describe("Server: worker threads' standing orders", function () {
  this.timeout(60_000);
  let host: WorkerHost<{ kind: string }, unknown> | undefined;
  afterEach(() => host?.close());

  it("a request whose deadline ends before the worker is ready is dropped; a standing order given with it arrives", async function () {
    const seen: unknown[] = [];
    host = new WorkerHost({ name: "slow", entry: slowWorker(), data: { startupMs: 1_500 }, onEvent: (body) => seen.push(body) });
    const request = host.request({ kind: "ping" }, 200);
    host.standing("follow", { kind: "start" });
    const error = await request.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(WorkerTimeout);
    await eventually(async () => seen.includes("start"), "the standing order at the worker", 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen, "the dropped request never ran; the order ran once").to.deep.equal(["start"]);
  });

  it("every worker started after a crash gets the standing orders again; a later order under a key replaces the earlier one", async function () {
    const seen: unknown[] = [];
    let restarts = 0;
    host = new WorkerHost({ name: "slow", entry: slowWorker(), data: { startupMs: 300 }, onEvent: (body) => seen.push(body), onRestart: () => restarts++ });
    host.standing("follow", { kind: "start" });
    host.standing("points", { kind: "post" });
    await eventually(async () => seen.length === 2, "both orders at the first worker", 20_000);
    expect(seen).to.have.members(["start", "post"]);

    host.standing("points", { kind: "post-again" }); // the worker is ready: sent now
    await eventually(async () => seen.length === 3, "the replacing order at the first worker", 20_000);
    expect(seen[2]).to.equal("post-again");

    const crash = await host.request({ kind: "crash" }, 5_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(crash).to.be.instanceOf(WorkerUnavailable);
    await eventually(async () => seen.length === 5, "the orders at the restarted worker", 20_000);
    expect(restarts).to.equal(1);
    expect(seen.slice(3)).to.have.members(["start", "post-again"]);
  });

  it("a worker replaced by restart() is heard no more: its events still on their way are dropped, not taken for the new worker's", async function () {
    let seen = 0;
    let restarted: Promise<void> | undefined;
    let afterRestart = 0;
    host = new WorkerHost({
      name: "slow",
      entry: slowWorker(),
      data: { startupMs: 0 },
      onEvent: () => {
        seen++;
        if (restarted) afterRestart++;
        // At the first of the burst, the worker is replaced (a runaway, or the gate's test hook).
        else restarted = host!.restart();
      },
    });
    await host.request({ kind: "burst" }, 10_000).catch(() => undefined); // the restart fails it, or it was answered first
    await eventually(async () => restarted !== undefined, "the first event", 10_000);
    await restarted;
    await host.whenReady();
    expect(seen, "events heard").to.be.greaterThan(0);
    expect(afterRestart, "events of the old worker heard after its replacement").to.equal(0);
  });
});
