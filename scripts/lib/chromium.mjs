// Where the browser tests and bench:web find Chromium. Plain JavaScript so that the `pretest`
// step (scripts/provision-test-deps.mjs) can use it before anything is compiled.
//
// Test tools cannot download a browser on these machines: Debian's `chromium` package is the
// usual one; CHAINPASS_CHROMIUM names another binary; a browser that Playwright installed
// itself (`npx playwright install chromium` on a machine that can) is used when present.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Flags that keep Chromium quiet and headless in a container (no sandbox, no GPU, no phoning home). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--no-default-browser-check",
  "--mute-audio",
];

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Chromium binaries Playwright downloaded into its cache, newest first. */
function playwrightManaged() {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), ".cache", "ms-playwright");
  if (!existsSync(cache)) return [];
  return readdirSync(cache)
    .filter((dir) => /^chromium(_headless_shell)?-\d+$/.test(dir))
    .sort((a, b) => Number(b.split("-").pop()) - Number(a.split("-").pop()))
    .flatMap((dir) => [join(cache, dir, "chrome-linux", "chrome"), join(cache, dir, "chrome-linux", "headless_shell"), join(cache, dir, "chrome-headless-shell-linux64", "chrome-headless-shell")]);
}

/** The candidates in order of preference, with where each came from. */
export function chromiumCandidates() {
  const candidates = [];
  if (process.env.CHAINPASS_CHROMIUM) candidates.push({ path: process.env.CHAINPASS_CHROMIUM, from: "CHAINPASS_CHROMIUM" });
  candidates.push({ path: DEBIAN_CHROMIUM, from: "Debian's chromium package" });
  for (const path of playwrightManaged()) candidates.push({ path, from: "Playwright's browser cache" });
  return candidates;
}

/** Whether `path` is a Chromium that starts (prints its version). */
export function chromiumWorks(path) {
  if (!existsSync(path)) return false;
  try {
    execFileSync(path, ["--version"], { stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The first usable Chromium: CHAINPASS_CHROMIUM when set (and then only it: a wrong path is an
 * error, not a reason to use another browser), else Debian's, else Playwright's. Undefined when
 * none is found. Existence is checked, not a start, so this is cheap; `chromiumWorks` runs it.
 */
export function findChromium() {
  if (process.env.CHAINPASS_CHROMIUM) return existsSync(process.env.CHAINPASS_CHROMIUM) ? process.env.CHAINPASS_CHROMIUM : undefined;
  return chromiumCandidates().find((c) => existsSync(c.path))?.path;
}

/** The sentence a test or a benchmark prints when there is no Chromium. */
export function missingChromiumMessage() {
  if (process.env.CHAINPASS_CHROMIUM) return `CHAINPASS_CHROMIUM=${process.env.CHAINPASS_CHROMIUM} does not exist or does not start`;
  return `no Chromium found (looked at ${DEBIAN_CHROMIUM} and Playwright's browser cache): run \`sudo apt-get install -y chromium\`, or set CHAINPASS_CHROMIUM to a Chromium binary (npm test installs it by itself when it runs as root or with passwordless sudo)`;
}
