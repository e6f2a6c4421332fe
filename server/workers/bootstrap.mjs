// Entry of every worker thread of the server (server/workers/host.ts). The modules are
// TypeScript: register tsx's loader in this thread (whatever loaded the parent: `node --import
// tsx`, Hardhat's test runner), lower this thread's priority when asked, then load the module, or
// its bundled build when there is one (`bundled`: server/workers/bundle.ts), which needs no tsx.
import { setPriority } from "node:os";
import { workerData } from "node:worker_threads";

const { entry, bundled, nice } = workerData.bootstrap;
// node:sqlite announces itself as experimental once per thread; the main thread's flags
// (--no-warnings=ExperimentalWarning) do not reach a worker, so say it here.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (/SQLite is an experimental feature/.test(String(warning))) return;
  return emitWarning.call(process, warning, ...rest);
};
if (nice) {
  try {
    // On Linux the nice value is per thread: this lowers this worker only, never the gate's
    // thread. Elsewhere it may apply to the process or fail; either way the worker still runs.
    setPriority(nice);
  } catch {
    // not permitted here
  }
}
if (bundled) {
  await import(bundled);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(entry);
}
