// `npm test`'s checks: the commands it ran one after another (`npm run lint`, `hardhat build`,
// both `tsc` projects, `npm run subgraph`), now side by side on the machine's cores. On a two-core
// machine they took 7 minutes of CPU in a row; the build alone is close to 3 of them, and the
// commands that need nothing it writes run beside it:
//
//   hardhat build ─┬─ eslint (all but the app), tsc --noEmit, the subgraph   (they read artifacts/
//   eslint frontend, tsc -p frontend, solhint,  ┘                            and types/)
//   the web app's build
//
// The web app's build (`npm run build:web`, into frontend/dist) is the one the browser tests
// serve; built here, on the core the solc build leaves free, the tests find it up to date.
//
// eslint runs as two processes, the app's project and the rest (the same files as `eslint .`:
// the app's type-aware rules need only its own tsconfig and the committed lib/abi). Each command's
// output is printed whole when it ends, never interleaved, with its time. The first failure stops
// the others and fails the run, as `&&` did. CHAINPASS_CHECK_JOBS=1 runs them one at a time.
//
// Under `npm test` (scripts/test-lanes.ts) the tests start once the build is done, beside the
// checks left: this prints BUILT_MARKER then, and CHAINPASS_CHECK_JOBS_AFTER_BUILD (1 there) says
// how many run at once from then on. The subgraph's build goes first among those: tests read it
// (the compiled subgraph against the local index); with CHAINPASS_SUBGRAPH_DONE_FILE set
// (test-lanes.ts sets it), that file is written once it is built, and those tests wait for it
// (test/helpers/subgraph-store.ts).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";

import { BUILT_MARKER } from "./lib/built-marker.mjs";

const npmRun = (script, ...args) => ({ name: ["npm run", script, ...args].join(" "), command: "npm", args: ["run", "--silent", script, ...args] });
const bin = (name, ...args) => ({ name: [name, ...args].join(" "), command: name, args });
const afterBuild = (step) => ({ ...step, needsBuild: true });

/** Longest first (CPU seconds on one core, measured), but the subgraph: a free core takes the first one it may run. */
const STEPS = [
  { ...bin("hardhat", "build", "--quiet"), build: true }, // ~165 s on a fresh clone (solc, viaIR)
  { ...afterBuild(npmRun("subgraph")), subgraph: true }, // ~30 s; first after the build: tests read it
  afterBuild(bin("eslint", "--max-warnings", "0", "--ignore-pattern", "frontend/", ".")), // ~95 s
  bin("eslint", "--max-warnings", "0", "frontend"), // ~60 s
  afterBuild(bin("tsc", "--noEmit")), // ~50 s
  bin("tsc", "-p", "frontend"), // ~30 s
  npmRun("build:web", "--", "--logLevel", "error"), // ~25 s; its warnings are the known externalised node: modules
  npmRun("lint:sol"), // ~5 s
];

// As under `npm test`: the project's own hardhat, eslint and tsc first on the PATH.
const env = { ...process.env, PATH: [join(import.meta.dirname, "..", "node_modules", ".bin"), process.env.PATH].join(delimiter) };
const jobs = Math.max(1, Number(process.env.CHAINPASS_CHECK_JOBS) || Math.min(2, availableParallelism()));
const jobsAfterBuild = Math.max(1, Number(process.env.CHAINPASS_CHECK_JOBS_AFTER_BUILD) || jobs);
const running = new Set();
let failed = false;
let built = false;

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.command, step.args, { env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    let done = false;
    const finish = (code, error) => {
      if (done) return;
      done = true;
      running.delete(child);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const text = Buffer.concat(output).toString().trimEnd();
      const stopped = failed && code !== 0;
      console.log(`\n> ${step.name} (${stopped ? "stopped" : code === 0 ? "ok" : `failed, exit ${code}`}, ${seconds} s)`);
      if (text && !stopped) console.log(text);
      if (error) console.log(error.message);
      if (code !== 0 && !failed) {
        failed = true;
        for (const other of running) other.kill("SIGTERM");
      }
      if (code === 0 && step.build) {
        built = true;
        console.log(`\n${BUILT_MARKER}`);
      }
      if (code === 0 && step.subgraph && process.env.CHAINPASS_SUBGRAPH_DONE_FILE) writeFileSync(process.env.CHAINPASS_SUBGRAPH_DONE_FILE, "");
      resolve();
    };
    child.on("error", (error) => finish(1, error));
    child.on("close", (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
const waiting = [...STEPS];
const inFlight = new Set();
while (!failed && (waiting.length || inFlight.size)) {
  const next = inFlight.size < (built ? jobsAfterBuild : jobs) ? waiting.findIndex((step) => !step.needsBuild || built) : -1;
  if (next >= 0) {
    const [step] = waiting.splice(next, 1);
    const promise = run(step).then(() => inFlight.delete(promise));
    inFlight.add(promise);
  } else {
    await Promise.race(inFlight); // a core is busy with each, or the rest waits for the build
  }
}
await Promise.all(inFlight);
console.log(`\nchecks: ${failed ? "FAILED" : "ok"} in ${((Date.now() - started) / 1000).toFixed(1)} s (${jobs} at a time)\n`);
process.exit(failed ? 1 : 0);
