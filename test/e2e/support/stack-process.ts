// A test stack in a process of its own, for test/e2e/supervisor.test.ts: starts the stack (node,
// contracts, server, the built app behind vite preview), optionally a browser, prints one line
// `READY {"ports": [...]}`, waits for a line on stdin (so the test can list its processes first)
// and then ends the way argv[2] says:
//   browser-fails  launch Chromium from a path that does not exist: the error is not caught
//   crash          with a browser open, throw an uncaught error
//   wait           with a browser open, wait to be signalled (SIGINT, SIGTERM or SIGKILL)
// Run with `node --import tsx test/e2e/support/stack-process.ts <mode>` from the repository root.
// (Mocha loads every file under test/: imported rather than run, this file does nothing.)
import { resolve } from "node:path";

import { launchBrowser } from "./browser.js";
import { startStack } from "./stack.js";

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await main(process.argv[2]);

async function main(mode: string | undefined) {
  const go = () => new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  const stack = await startStack({ app: true });
  const ports = [stack.rpcUrl, stack.serverUrl, stack.appUrl].map((url) => Number(new URL(url).port));

  if (mode === "browser-fails") {
    process.env.CHAINPASS_CHROMIUM = "/nonexistent/chromium";
    console.log(`READY ${JSON.stringify({ ports })}`);
    await go();
    await launchBrowser(); // throws: nothing catches it
  } else {
    await launchBrowser();
    console.log(`READY ${JSON.stringify({ ports })}`);
    if (mode === "crash") {
      await go();
      throw new Error("a test stack crashed");
    }
    await new Promise(() => setInterval(() => undefined, 60_000)); // until signalled
  }
}
