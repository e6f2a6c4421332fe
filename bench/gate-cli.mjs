// `npm run bench:gate [-- --cluster]`. Hardhat 3's `run` task refuses options it does not know
// (HHE504), so the script's own are read here and passed on in the environment:
// --cluster → BENCH_GATE_CLUSTER=1 (bench/gate.ts: three gate servers on one PostgreSQL, alone).
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--cluster");
if (unknown.length) {
  console.error(`bench:gate: unknown argument ${unknown.join(" ")} (the one option is --cluster)`);
  process.exit(2);
}
const env = { ...process.env, ...(args.includes("--cluster") ? { BENCH_GATE_CLUSTER: "1" } : {}) };
const child = spawn(process.execPath, ["node_modules/hardhat/dist/src/cli.js", "run", "bench/gate.ts"], { stdio: "inherit", env });
// Ctrl-C reaches the whole process group (the bench stops its children itself); SIGTERM is passed on.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
