// `npm test`'s tests in two lanes side by side, and with `--checks` its checks beside them
// (scripts/checks.mjs). On a two-core machine the tests take 28 minutes one file after another,
// with one core idle for much of it (a browser test waits on its page, its chain and its server
// more than it computes); in lanes 16 to 23, as fast as the machine is that day. A loaded machine
// first found a server bug here: a worker thread slower to start than its "start" request's
// deadline never started its loop (the check-in writer, the index); those are standing orders now
// (server/workers/host.ts).
//
//   checks:       (`--checks`, as `npm test` runs it) lint, types, the contracts', the app's and the
//                 subgraph's builds; the tests start as soon as the contracts are built, and the
//                 checks that read the build (the subgraph first, eslint, tsc) go on beside them,
//                 one at a time. They were a 7-minute phase before the tests; most of it was the
//                 solc build on one core, and the ones after it took another 2 minutes on their
//                 own. The tests that run the compiled subgraph wait for its build: the checks
//                 write CHAINPASS_SUBGRAPH_DONE_FILE, set here, once it is done. (A nice value
//                 would not give the checks only the idle time: Linux's autogroup scheduling
//                 shares the CPU between sessions first, and every lane leads its own; with the
//                 lane's session at nice 19, the subgraph was not built before the tests read it.)
//   browser lane: test/e2e, two files at a time (Mocha's parallel mode, CHAINPASS_TEST_JOBS=2),
//                 the longest first
//   the rest:     the Solidity tests, then every other Mocha file, one after another
//
//   solo:         once the lanes have ended, the tests that assert latency, with nothing beside
//                 them (SOLO_FILES). Beside the lanes on a slower machine, gate-isolation's scans
//                 had a p95 of 212 ms under its flood (limit 150; 31 ms alone on the same code):
//                 what it measured was the other lanes, not the flood. About 20 s.
//
// Three test processes at once at most: with four (or three browser tests at once) a browser
// test's server took longer than its test allows to start its threads and follow its chain.
//
// Every file under test/ is in exactly one lane, as `hardhat test` finds them. Each lane's lines
// are printed as they come, led by its name; the run fails when any lane fails. Failed checks stop
// the tests; a failed test lane lets the other one run to its end, so that every failure is
// printed with its message. `hardhat test` alone still runs everything in one process.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { BUILT_MARKER } from "./lib/built-marker.mjs";
import { buildServerBundle } from "./lib/server-bundle.js";
import { shutdown, supervise } from "./lib/supervisor.js";

const TEST_DIR = "test";
const BROWSER_DIR = join(TEST_DIR, "e2e");
const SCRIPT_FILE = /\.(ts|cts|mts|js|cjs|mjs)$/i;
/**
 * Browser files, longest first (their tests' time in the fresh-clone run of 7773ca3, two at a time:
 * fan 346 s, gate 238, organizer 205, journey 110 ...), so that no long file starts last; the rest
 * follow by name. In that run organizer and season were not listed and ran among the last files.
 */
const LONGEST_BROWSER_FILES = [
  ...["fan", "gate", "organizer", "journey", "passkeys", "dev", "membership-console", "offline-scanner", "season", "safeguards", "channels", "rehearsal"],
  ...["supervisor", "museum", "ens", "static", "announcements", "membership", "scanner-decoder", "exchange"],
].map((name) => join(BROWSER_DIR, `${name}.test.ts`));
for (const file of LONGEST_BROWSER_FILES) if (!existsSync(file)) throw new Error(`LONGEST_BROWSER_FILES: no test file ${file}`);

const files = readdirSync(TEST_DIR, { recursive: true })
  .map(String)
  .filter((file) => SCRIPT_FILE.test(file))
  .map((file) => join(TEST_DIR, file))
  .sort();
const inBrowserDir = (file: string) => file.startsWith(BROWSER_DIR + "/");
const rank = (file: string) => {
  const at = LONGEST_BROWSER_FILES.indexOf(file);
  return at < 0 ? LONGEST_BROWSER_FILES.length : at;
};
/** Tests whose assertions are latencies: run alone, after the lanes. */
const SOLO_FILES = [join(TEST_DIR, "server", "gate-isolation.test.ts")];
for (const file of SOLO_FILES) if (!files.includes(file)) throw new Error(`SOLO_FILES: no test file ${file}`);
const browserFiles = files.filter(inBrowserDir).sort((a, b) => rank(a) - rank(b));
const otherFiles = files.filter((file) => !inBrowserDir(file) && !SOLO_FILES.includes(file));

interface Step {
  command: string;
  args: string[];
  env?: Record<string, string>;
}
const hardhat = (args: string[], env?: Record<string, string>): Step => ({ command: "hardhat", args, env });
const withChecks = process.argv.includes("--checks");
/** `builds`: the lane that builds the contracts (the checks); `afterBuild`: a lane that waits for it. */
type Lane = { name: string; steps: Step[]; builds?: boolean; afterBuild?: boolean };
const LANES: Lane[] = [
  ...(withChecks ? [{ name: "checks", steps: [{ command: process.execPath, args: ["scripts/checks.mjs"], env: { CHAINPASS_CHECK_JOBS_AFTER_BUILD: "1" } }], builds: true }] : []),
  { name: "browser", steps: [hardhat(["test", "mocha", "--no-compile", ...browserFiles], { CHAINPASS_TEST_JOBS: "2" })], afterBuild: true },
  {
    name: "rest",
    steps: [hardhat(["test", "solidity", "--no-compile"]), hardhat(["test", "mocha", "--no-compile", ...otherFiles])],
    afterBuild: true,
  },
];

/** True once the checks lane has printed BUILT_MARKER, false if it ended without; true at once without `--checks`. */
let markBuilt: (built: boolean) => void = () => undefined;
const contractsBuilt = withChecks ? new Promise<boolean>((resolve) => (markBuilt = resolve)) : Promise.resolve(true);
const SOLO: Lane = { name: "solo", steps: [hardhat(["test", "mocha", "--no-compile", ...SOLO_FILES])], afterBuild: true };
const width = Math.max(...[...LANES, SOLO].map((lane) => lane.name.length));

/** Prints a child's output line by line, each led by its lane's name. */
function printer(name: string) {
  let partial = "";
  const label = `[${name.padEnd(width)}] `;
  return {
    write(chunk: string) {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      if (lines.length) process.stdout.write(lines.map((line) => label + line).join("\n") + "\n");
    },
    flush() {
      if (partial) process.stdout.write(label + partial + "\n");
      partial = "";
    },
  };
}

let failed = false;
/** Set when a lane's failure stops the others (the checks'). */
let stopping = false;
/** `afterFailure`: the lane runs even when a test lane has failed (so that its failures print too). */
async function runLane(lane: Lane, afterFailure = false): Promise<string> {
  if (lane.afterBuild && !(await contractsBuilt)) return `${lane.name}: not started (no build)`;
  const started = Date.now();
  const out = printer(lane.name);
  for (const step of lane.steps) {
    if (stopping || (failed && !afterFailure)) return `${lane.name}: ${stopping ? "stopped" : "not started (a lane failed)"}`;
    let tail = ""; // the marker may come split over two chunks
    const onOutput = (chunk: string) => {
      out.write(chunk);
      tail = (tail + chunk).slice(-(BUILT_MARKER.length + chunk.length));
      if (lane.builds && tail.includes(BUILT_MARKER)) markBuilt(true);
    };
    const child = supervise(`${lane.name} lane`, step.command, step.args, { env: step.env, onOutput });
    const { code, signal } = await child.exited;
    out.flush();
    if (lane.builds) markBuilt(false); // a no-op once built; else the waiting lanes give up
    if (code !== 0) {
      if (stopping) return `${lane.name}: stopped`;
      failed = true;
      // Failed checks stop the tests, as `&&` did. A failed test lane lets the other one finish:
      // stopped, its Mocha would print none of its failures, and a red run would not say why.
      if (lane.builds) {
        stopping = true;
        await shutdown();
      }
      return `${lane.name}: failed (${step.command === "hardhat" ? `hardhat ${step.args.slice(0, 2).join(" ")}` : step.args.join(" ")}: ${signal ?? `exit ${code}`})`;
    }
  }
  return `${lane.name}: ok in ${((Date.now() - started) / 1000).toFixed(0)} s`;
}

// Written by the checks once the subgraph is built; the tests that read the build wait for it.
if (withChecks) {
  process.env.CHAINPASS_SUBGRAPH_DONE_FILE = join(tmpdir(), `chainpass-subgraph-built-${process.pid}`);
  rmSync(process.env.CHAINPASS_SUBGRAPH_DONE_FILE, { force: true });
}
// The server's bundled build (scripts/lib/server-bundle.ts), from the source as it is now: every
// server and worker thread the tests start runs it instead of loading its modules through tsx.
const SERVER_BUNDLE = resolve("dist/server");
rmSync(SERVER_BUNDLE, { recursive: true, force: true });
await buildServerBundle(SERVER_BUNDLE);
process.env.CHAINPASS_SERVER_BUNDLE = SERVER_BUNDLE;
const started = Date.now();
const results = await Promise.all(LANES.map((lane) => runLane(lane)));
results.push(await runLane(SOLO, true));
if (withChecks) rmSync(process.env.CHAINPASS_SUBGRAPH_DONE_FILE!, { force: true });
console.log(`\ntests: ${results.join("; ")} (${((Date.now() - started) / 60_000).toFixed(1)} min in all)`);
process.exit(failed ? 1 : 0);
