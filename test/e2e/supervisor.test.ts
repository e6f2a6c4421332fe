// Nothing a test stack starts outlives the process that started it (issue 10, requirement 2):
// not the server, not `vite preview` and what it runs, not Chromium; on an uncaught error (the
// browser cannot start, or a crash with the browser open), on Ctrl-C / SIGTERM, and when the
// process is killed outright. Each case runs a real stack in its own process
// (support/stack-process.ts), records every process that descends from it, ends it, and then
// asserts that each of those processes and each port the stack listened on is gone.
import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { supervise, type Supervised } from "../../scripts/lib/supervisor.js";
import { eventually } from "./support/flows.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** pid → parent pid, for every process on the machine (Linux /proc). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...; comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      map.set(Number(entry), ppid);
    } catch {
      // exited while we looked
    }
  }
  return map;
}

/** Every process below `root`, with its command line. */
function descendants(root: number): { pid: number; command: string }[] {
  const map = parents();
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of map) {
      if (parent !== pid || found.includes(child)) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found.map((pid) => {
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    } catch {
      // gone already
    }
    return { pid, command };
  });
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill(0); it has released everything, so it counts as gone.
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      done(true);
    }).once("error", () => done(false));
  });

interface Started {
  child: Supervised;
  ports: number[];
  processes: { pid: number; command: string }[];
}

/**
 * The stack process's TMPDIR, its own: the stack's folder, Playwright's and Chromium's are made
 * there. A process killed outright cannot remove them; the test does, after each case. tsx's and
 * Node's compile caches are linked in, so the stack's modules need not be compiled again.
 */
let stackTmp: string | undefined;
function newStackTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), "chainpass-stack-process-"));
  for (const cache of readdirSync(tmpdir()).filter((name) => /^tsx-\d+$|^node-compile-cache$/.test(name))) symlinkSync(join(tmpdir(), cache), join(dir, cache));
  return dir;
}

async function startStackProcess(mode: string): Promise<Started> {
  let ready: ((line: string) => void) | undefined;
  const line = new Promise<string>((r) => (ready = r));
  let buffer = "";
  stackTmp = newStackTmp();
  const child = supervise("stack process", process.execPath, ["--no-warnings", "--import", "tsx", "test/e2e/support/stack-process.ts", mode], {
    cwd: ROOT,
    env: { TMPDIR: stackTmp },
    stdin: "pipe",
    onOutput: (chunk) => {
      buffer += chunk;
      const match = buffer.match(/READY (\{.*\})/);
      if (match) ready?.(match[1]);
    },
  });
  const json = await Promise.race([
    line,
    child.exited.then(() => {
      throw new Error(`the stack process exited before it was ready:\n${child.output()}`);
    }),
  ]);
  const { ports } = JSON.parse(json) as { ports: number[] };
  const processes = descendants(child.pid);
  return { child, ports, processes };
}

async function expectAllGone(started: Started, what: string) {
  await eventually(async () => started.processes.every((p) => !alive(p.pid)), `every process of the stack is gone after ${what}`, 15_000).catch(() => {
    const left = started.processes.filter((p) => alive(p.pid));
    throw new Error(`still running after ${what}:\n${left.map((p) => `${p.pid} ${p.command.slice(0, 160)}`).join("\n")}`);
  });
  for (const port of started.ports) {
    await eventually(async () => !(await listening(port)), `port ${port} is released after ${what}`, 10_000);
  }
}

describe("Child processes: a test stack leaves nothing running", function () {
  this.timeout(300_000); // the first stack of a run may build the app
  afterEach(() => {
    if (stackTmp) rmSync(stackTmp, { recursive: true, force: true });
    stackTmp = undefined;
  });

  it("when the browser cannot start (an uncaught error): server and vite preview stop, ports are free", async function () {
    const started = await startStackProcess("browser-fails");
    const names = started.processes.map((p) => p.command).join("\n");
    expect(names, "the stack's server is among its processes").to.match(/server\/main\.(ts|mjs)/); // the source, or its bundle under npm test
    expect(names, "and vite preview").to.match(/vite\.js preview/);
    started.child.child.stdin!.write("go\n");
    const { code } = await started.child.exited;
    expect(code, "the failure ends the process with an error").to.not.equal(0);
    expect(started.child.output()).to.contain("/nonexistent/chromium");
    await expectAllGone(started, "the failed browser launch");
  });

  it("on an uncaught error with a browser open: Chromium goes too", async function () {
    const started = await startStackProcess("crash");
    expect(started.processes.map((p) => p.command).join("\n"), "a browser runs").to.match(/chrom/i);
    started.child.child.stdin!.write("go\n");
    const { code } = await started.child.exited;
    expect(code).to.not.equal(0);
    await expectAllGone(started, "a crash");
  });

  it("on Ctrl-C (SIGINT): everything stops and the process exits 130", async function () {
    const started = await startStackProcess("wait");
    started.child.child.kill("SIGINT");
    expect((await started.child.exited).code).to.equal(130);
    await expectAllGone(started, "SIGINT");
  });

  it("when the process is killed outright (SIGKILL): its orphans notice and stop", async function () {
    const started = await startStackProcess("wait");
    started.child.child.kill("SIGKILL");
    await started.child.exited;
    await expectAllGone(started, "SIGKILL");
  });
});
