// Headless Chromium for the browser tests: Debian's package (/usr/bin/chromium, which `npm test`
// installs when missing: scripts/provision-test-deps.mjs) or the one scripts/lib/chromium.mjs
// finds, driven by playwright-core. playwright-core never downloads a browser; the env flag
// below also stops any Playwright code path that would try.
import { existsSync } from "node:fs";
import { resolve } from "node:path";

import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from "playwright-core";

import { CHROMIUM_ARGS, findChromium, missingChromiumMessage } from "../../../scripts/lib/chromium.mjs";

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

export { CHROMIUM_ARGS };

export interface LaunchBrowserOptions {
  /**
   * A Y4M file the fake camera shows (see y4m.ts). Chromium reads it at launch, so a test that
   * needs another picture launches another browser. Camera prompts are granted automatically.
   */
  fakeCameraY4m?: string;
  /** More Chromium flags. */
  args?: string[];
  /** Milliseconds between Playwright actions (debugging). Default CHAINPASS_E2E_SLOWMO or 0. */
  slowMo?: number;
}

/**
 * Context options for a test of the offline app: its pages may register the app's service worker.
 * newPage blocks it otherwise: in every new context the worker would install, fetch its precache
 * (73 files) and route every request through itself; blocked, five pages opened as the tests open
 * them took a third less of the browser process's CPU.
 */
export const WITH_SERVICE_WORKER = { serviceWorkers: "allow" } as const;

/** Launches headless Chromium. Close it in an `after` hook (`await browser.close()`). */
export async function launchBrowser(opts: LaunchBrowserOptions = {}): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingChromiumMessage());
  const args: string[] = [...CHROMIUM_ARGS, ...(opts.args ?? [])];
  if (opts.fakeCameraY4m) {
    const file = resolve(opts.fakeCameraY4m);
    if (!existsSync(file)) throw new Error(`fake camera file ${file} does not exist`);
    args.push("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${file}`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args,
    slowMo: opts.slowMo ?? Number(process.env.CHAINPASS_E2E_SLOWMO ?? 0),
    timeout: 30_000,
  });
}

/** What a page printed: console errors and warnings, and uncaught exceptions. */
export interface PageLog {
  errors: string[];
  warnings: string[];
  /** Everything, in order, for a failure message. */
  all: string[];
}

/**
 * A new context and page with the usual test defaults (desktop viewport, English, UTC, service
 * workers blocked unless WITH_SERVICE_WORKER), the camera permission granted, and a log of what the
 * page printed. Pass `locale: "zh-CN"` for the Chinese catalogue or a phone viewport for mobile
 * screens.
 */
export async function newPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; log: PageLog }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "UTC",
    serviceWorkers: "block",
    ...options,
  });
  await context.grantPermissions(["camera", "clipboard-read", "clipboard-write"]).catch(() => undefined);
  const page = await context.newPage();
  return { context, page, log: recordLog(page) };
}

/** Records a page's console errors and warnings and its uncaught exceptions. */
export function recordLog(page: Page): PageLog {
  const log: PageLog = { errors: [], warnings: [], all: [] };
  page.on("console", (message: ConsoleMessage) => {
    const line = `[console.${message.type()}] ${message.text()}`;
    log.all.push(line);
    if (message.type() === "error") log.errors.push(message.text());
    if (message.type() === "warning") log.warnings.push(message.text());
  });
  page.on("pageerror", (error) => {
    log.all.push(`[pageerror] ${error.stack ?? error.message}`);
    log.errors.push(error.message);
  });
  return log;
}
