// The one owner of child processes for `npm run dev`, the test stacks and the benchmarks.
//
// Nothing started here may outlive the process that started it, whichever way that process
// ends:
// - normal exit, process.exit(), an uncaught error: the 'exit' hook SIGKILLs every child's
//   process group (synchronously: nothing async runs after 'exit');
// - SIGINT / SIGTERM (Ctrl-C, a CI timeout): children are stopped gracefully (SIGTERM to the
//   group, SIGKILL after a grace period), shutdown hooks run (close a node, a browser, remove a
//   temporary folder), then the process exits with 130 / 143;
// - SIGKILL of this process (no hook can run): every Node child preloads exit-with-parent.mjs,
//   notices it was orphaned within 250 ms and stops its own group.
// Each child leads its own process group (`detached`), so what it starts (esbuild under Vite, a
// server's workers) is stopped with it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { within } from "../../lib/time-limit.js";

const GUARD = pathToFileURL(new URL("./exit-with-parent.mjs", import.meta.url).pathname).href;
const OUTPUT_LINES = 200;

export interface Supervised {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last lines the child printed (stdout and stderr), for error messages. */
  output(): string;
  /** Resolves when the child has exited, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the child is still running. */
  readonly running: boolean;
  /** SIGTERM to the child's group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SuperviseOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called with every chunk the child prints (after it is kept for `output()`). */
  onOutput?: (chunk: string, stream: "stdout" | "stderr") => void;
  /** stdin of the child; default "ignore". */
  stdin?: "ignore" | "pipe";
  /** Open an IPC channel (child.send / process.send), as `fork` does. */
  ipc?: boolean;
}

const children = new Set<Supervised>();
const shutdownHooks: (() => unknown)[] = [];
const exitCleanups: (() => void)[] = [];
let hooksInstalled = false;
let shuttingDown: Promise<void> | undefined;
let signalExitCode: number | undefined;

/**
 * The exit code after SIGINT / SIGTERM; default 130 / 143. `npm run dev` ends with Ctrl-C as a
 * matter of course and sets 0.
 */
export function setSignalExitCode(code: number) {
  installHooks();
  signalExitCode = code;
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal); // the group is gone or was never made
    } catch {
      // already gone
    }
  }
}

function installHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    for (const supervised of children) if (supervised.running) killGroup(supervised.pid, "SIGKILL");
    for (const cleanup of exitCleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // best effort on the way out
      }
    }
  });
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      void shutdown().finally(() => process.exit(signalExitCode ?? code));
    });
  }
}

/**
 * Starts `command` as a supervised child. For Node programs pass `process.execPath` as the
 * command; they get the orphan guard through NODE_OPTIONS.
 */
export function supervise(name: string, command: string, args: string[], opts: SuperviseOptions = {}): Supervised {
  installHooks();
  const nodeOptions = [process.env.NODE_OPTIONS, opts.env?.NODE_OPTIONS, `--import=${GUARD}`].filter(Boolean).join(" ");
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, NODE_OPTIONS: nodeOptions },
    stdio: opts.ipc ? [opts.stdin ?? "ignore", "pipe", "pipe", "ipc"] : [opts.stdin ?? "ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  const keep = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    const text = chunk.toString();
    lines.push(...text.split("\n").filter(Boolean));
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
    opts.onOutput?.(text, stream);
  };
  child.stdout!.on("data", keep("stdout"));
  child.stderr!.on("data", keep("stderr"));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    // spawn failed (no such binary): 'exit' never comes
    child.once("error", () => resolve({ code: child.exitCode ?? -1, signal: null }));
  });
  const supervised: Supervised = {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => lines.join("\n"),
    exited,
    get running() {
      return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async stop(graceMs = 5000) {
      if (!supervised.running) return void (await exited);
      killGroup(supervised.pid, "SIGTERM");
      const timer = setTimeout(() => killGroup(supervised.pid, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // The leader is gone; make sure nothing it started lingers in its group.
      killGroup(supervised.pid, "SIGKILL");
    },
  };
  children.add(supervised);
  void exited.then(() => children.delete(supervised));
  return supervised;
}

/**
 * Runs a supervised child to completion; resolves with its output, rejects when it exits
 * non-zero or runs longer than `timeoutMs`.
 */
export async function runToEnd(name: string, command: string, args: string[], opts: SuperviseOptions & { timeoutMs?: number } = {}): Promise<string> {
  let all = "";
  const supervised = supervise(name, command, args, {
    ...opts,
    onOutput: (chunk, stream) => {
      all += chunk;
      opts.onOutput?.(chunk, stream);
    },
  });
  const timer = setTimeout(() => void supervised.stop(1000), opts.timeoutMs ?? 5 * 60_000);
  const { code, signal } = await supervised.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} failed (${signal ?? `exit ${code}`}):\n${all.slice(-4000)}`);
  return all;
}

/**
 * Registers a step for a graceful shutdown (close a node or a browser); hooks run in reverse
 * order of registration, after the children are stopped. Returns a function that unregisters it.
 */
export function onShutdown(hook: () => unknown): () => void {
  installHooks();
  shutdownHooks.push(hook);
  return () => {
    const at = shutdownHooks.indexOf(hook);
    if (at >= 0) shutdownHooks.splice(at, 1);
  };
}

/** Removes `path` when this process exits, however it exits (short of SIGKILL). */
export function removeOnExit(path: string) {
  installHooks();
  exitCleanups.push(() => rmSync(path, { recursive: true, force: true }));
}

/** A new folder under the system's temp folder, removed when this process exits (a full `npm test` used to leave ~1 GB behind). */
export function tempFolder(prefix = "chainpass-") {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  removeOnExit(folder);
  return folder;
}

/** Stops every supervised child and runs the shutdown hooks. Idempotent while it runs. */
export function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    await Promise.all([...children].map((c) => c.stop()));
    for (const hook of shutdownHooks.splice(0).reverse()) {
      try {
        await hook();
      } catch {
        // keep going: the rest must still be stopped
      }
    }
  })().finally(() => (shuttingDown = undefined));
  return shuttingDown;
}

/**
 * Runs a script's `main` and ends the process after it: shuts everything down, then exits with
 * main's code (default 0), or prints the error and exits 1. A script run by `hardhat run` needs
 * this: Hardhat catches a failing script's error, and the open node, children and browser would
 * then keep the process alive. Shutdown is bounded, so a hook that hangs cannot hang the exit.
 */
export async function runMain(main: () => Promise<number | void>, opts: { timeoutMs?: number; name?: string } = {}): Promise<never> {
  installHooks();
  let code = 1;
  const limit = opts.timeoutMs
    ? setTimeout(() => {
        console.error(`${opts.name ?? "script"}: did not finish within ${opts.timeoutMs! / 1000} s; stopping`);
        void bounded(shutdown()).finally(() => process.exit(1));
      }, opts.timeoutMs)
    : undefined;
  limit?.unref();
  try {
    code = (await main()) ?? 0;
  } catch (error) {
    console.error(error);
  }
  clearTimeout(limit);
  await bounded(shutdown());
  process.exit(code);
}

const bounded = (work: Promise<void>, ms = 15_000) => within(work, ms, () => undefined);

/** The children still running (name and pid), for tests and diagnostics. */
export function runningChildren(): { name: string; pid: number }[] {
  return [...children].filter((c) => c.running).map((c) => ({ name: c.name, pid: c.pid }));
}

/**
 * Test and tool ports come from below the kernel's ephemeral range. A port handed out here is often
 * bound minutes later by a child process (`npm run dev` binds its app port after the chain and the
 * seeding); inside the ephemeral range, any bind to port 0 or any outgoing connection of a parallel
 * test lane could take it meanwhile (that happened: the dev test's app URL answered from another
 * lane's server). Below it, only another pick from here can, and the pick is random.
 */
const PORT_FLOOR = 15_000;
const portCeiling = (() => {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > PORT_FLOOR + 1_000) return low - 1;
  } catch {
    // not Linux: below the IANA dynamic range
  }
  return 49_151;
})();

/** Listens on a random port of the test range on 127.0.0.1, trying another when one is taken. */
async function listenInRange(holder: Server): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = PORT_FLOOR + Math.floor(Math.random() * (portCeiling - PORT_FLOOR + 1));
    const bound = await new Promise<boolean>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" || error.code === "EACCES" ? resolve(false) : reject(error));
      holder.once("error", failed);
      holder.listen(port, "127.0.0.1", () => {
        holder.off("error", failed);
        resolve(true);
      });
    });
    if (bound) return port;
    if (attempt >= 100) throw new Error(`no free port between ${PORT_FLOOR} and ${portCeiling} after 100 tries`);
  }
}

/**
 * A TCP port on 127.0.0.1 held by a listener until `release()`: for a port that must be known
 * long before its server starts (an origin baked into other configuration). Between freePort()
 * and a late bind, another pick may land on the same port; holding it closes that window down to
 * the release itself.
 */
export async function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  const holder = createServer();
  holder.unref(); // a reservation never keeps the process alive
  const port = await listenInRange(holder);
  let released: Promise<void> | undefined;
  const release = () => (released ??= new Promise<void>((done) => holder.close(() => done())));
  return { port, release };
}

/** A TCP port free on 127.0.0.1 right now, below the ephemeral range (see PORT_FLOOR). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listenInRange(probe);
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/**
 * The first match of `pattern` in what a child says on stdout (where it listens, say): pass
 * `onOutput` to supervise(), then `wait` for the match. A child that exits first, or says nothing
 * of the kind within `ms`, is an error naming its output.
 */
export function outputLine(pattern: RegExp) {
  let said: string | undefined = "";
  let heard: (match: RegExpExecArray) => void;
  const line = new Promise<RegExpExecArray>((resolve) => (heard = resolve));
  return {
    onOutput: (text: string, stream: "stdout" | "stderr") => {
      // Once heard, nothing more is kept or searched: a node or a server logging every request says a lot.
      if (stream !== "stdout" || said === undefined) return;
      said = (said + text).slice(-4096);
      const match = pattern.exec(said);
      if (!match) return;
      said = undefined;
      heard(match);
    },
    /** The match; `what` the line says, for the errors ("listened"). */
    wait: (child: Supervised, ms: number, what: string) =>
      within(
        Promise.race([line, child.exited.then(() => Promise.reject(new Error(`${child.name} exited before it ${what}:\n${child.output()}`)))]),
        ms,
        () => Promise.reject(new Error(`${child.name} did not say it ${what} within ${ms / 1000} s:\n${child.output()}`)),
      ),
  };
}

/**
 * Waits until `url` answers below 500 (or, with `request`, until `ready` says its answer is), failing
 * early when `child` exits. Returns the response.
 */
export async function waitForUrl(url: string, child: Supervised, timeoutMs = 60_000, request?: { init: RequestInit; ready: (response: Response) => Promise<boolean> }): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.running) throw new Error(`${child.name} exited before answering at ${url}:\n${child.output()}`);
    try {
      const response = await fetch(url, request?.init);
      if (request ? await request.ready(response) : response.status < 500) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer at ${url} within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
