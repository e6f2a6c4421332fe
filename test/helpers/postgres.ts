// A throwaway PostgreSQL server for a test file: `initdb` into a fresh temporary folder, `pg_ctl
// start` on a free port of 127.0.0.1 (its unix socket in that folder too), no fsync (the data dies
// with the test). Debian's `postgresql` package provides the programs (npm test installs it when
// missing: scripts/provision-test-deps.mjs); the server refuses to run as root, so as root both
// run as the `postgres` user, who then owns the folder.
//
// Nothing a test starts may outlive it (scripts/lib/supervisor.ts). `pg_ctl start` detaches the
// server into a session of its own, out of reach of the supervisor's process-group kills, so a
// small watchdog stops it instead: a shell started with a pipe from this process as its stdin.
// The pipe closes when this process ends, however it ends (SIGKILL included); the watchdog then
// runs `pg_ctl stop -m fast` (immediate if that fails) and removes the folder. stop() closes the
// pipe itself and waits for that; SIGINT / SIGTERM go through the supervisor's shutdown hooks to
// stop(), so a Ctrl-C stops the server before the process exits.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";

import { missingPostgresMessage, postgresBinDir } from "../../scripts/lib/postgres.mjs";
import { freePort, onShutdown, runToEnd } from "../../scripts/lib/supervisor.js";

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/chainpass, an empty database. */
  readonly url: string;
  readonly port: number;
  /** Milliseconds from the call to the database being ready (initdb, start, CREATE DATABASE). */
  readonly startupMs: number;
  /** Creates another empty database on the same server; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * Restarts the server as a database host's restart or failover would: `pg_ctl restart -m fast`
   * ends every connection (57P01), and the server refuses new ones until it is back on its port.
   */
  restart(): Promise<void>;
  /** Stops the server (pg_ctl stop -m fast) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

const WATCHDOG = [
  "cat >/dev/null 2>&1", // until the pipe closes: stop() or the end of the test process
  'dir=$1; shift',
  'if [ -f "$dir/data/postmaster.pid" ]; then "$@" -m fast >/dev/null 2>&1 || "$@" -m immediate >/dev/null 2>&1; fi',
  'rm -rf "$dir"',
].join("; ");

let databases = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const started = performance.now();
  const bin = postgresBinDir();
  if (!bin) throw new Error(missingPostgresMessage());
  const asRoot = process.getuid?.() === 0;
  // As root, run the server programs as `postgres` (the Debian package's user).
  const as = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args];

  const dir = mkdtempSync(join(tmpdir(), "chainpass-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    let owner: number[];
    try {
      owner = ["-u", "-g"].map((flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()));
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as (Debian's postgresql package creates it)");
    }
    chownSync(dir, owner[0], owner[1]);
  }

  const watchdog = spawn("sh", ["-c", WATCHDOG, "chainpass-pg-watchdog", dir, ...as("pg_ctl", ["-D", data, "-w", "-t", "30", "stop"]).flat()], {
    detached: true, // its own group: a Ctrl-C to the test's group must not kill it before it stops the server
    stdio: ["pipe", "ignore", "ignore"],
  });
  const watchdogExited = new Promise<void>((resolve) => watchdog.once("exit", () => resolve()));
  watchdog.unref(); // neither the child nor its pipe keeps the test process alive
  (watchdog.stdin as unknown as { unref(): void }).unref();

  let stopped: Promise<void> | undefined;
  let unregister = () => {};
  const stop = () =>
    (stopped ??= (async () => {
      unregister();
      watchdog.ref(); // keep the process alive while the server stops
      watchdog.stdin!.end();
      await watchdogExited;
    })());
  unregister = onShutdown(stop);

  try {
    const [initdb, initdbArgs] = as("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
    await runToEnd("initdb", initdb, initdbArgs, { timeoutMs: 120_000 });
    // Settings for a throwaway server (appended: the last one wins). No fsync and no full-page
    // writes: a crash loses the data, which dies with the test anyway.
    const settings = [
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      "fsync = off",
      "synchronous_commit = off",
      "full_page_writes = off",
      "max_connections = 200",
    ];
    appendFileSync(join(data, "postgresql.conf"), `\n# test/helpers/postgres.ts\n${settings.join("\n")}\n`);

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const [pgCtl, args] = as("pg_ctl", ["-D", data, "-l", join(dir, `server-${attempt}.log`), "-o", `-p ${port}`, "-w", "-t", "60", "start"]);
      try {
        await runToEnd("pg_ctl start", pgCtl, args, { timeoutMs: 90_000 });
        break;
      } catch (error) {
        // Another program took the port between freePort() and the bind: try another one.
        if (attempt < 3 && /could not bind|Address already in use/i.test(serverLog(dir, attempt))) continue;
        throw new Error(`${(error as Error).message}\nserver log:\n${serverLog(dir, attempt)}`, { cause: error });
      }
    }

    const base = `postgres://postgres@127.0.0.1:${port}`;
    const createDatabase = async (name = `chainpass_${process.pid}_${++databases}`) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    };
    const url = await createDatabase("chainpass");
    let restarts = 0;
    const restart = async () => {
      // Its own log file: without one, the server would write to pg_ctl's output, held open.
      const [pgCtl, args] = as("pg_ctl", ["-D", data, "-l", join(dir, `restart-${++restarts}.log`), "-m", "fast", "-w", "-t", "60", "restart"]);
      await runToEnd("pg_ctl restart", pgCtl, args, { timeoutMs: 90_000 });
    };
    return { url, port, startupMs: performance.now() - started, createDatabase, restart, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function serverLog(dir: string, attempt: number): string {
  try {
    return readFileSync(join(dir, `server-${attempt}.log`), "utf8").slice(-4000);
  } catch {
    return "(no server log)";
  }
}
