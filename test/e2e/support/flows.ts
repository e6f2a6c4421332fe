// What every browser test does with the app: open a page as a persona (a local account in an
// injected wallet, connected through EIP-6963), sign in with SIWE, wait for a transaction flow to
// settle, wait for text that loads after its element. The test files keep only their story.
import { expect } from "chai";
import jsqr from "jsqr";
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import type { Address, LocalAccount } from "viem";

import { MISSING_KEY } from "../../../frontend/src/i18n/missing-key.js";
import { eventually } from "../../helpers/eventually.js";
import { chainpassEventAbi } from "../../../lib/abi/index.js";
import { launchBrowser, newPage, type PageLog } from "./browser.js";
import { startStack, type Stack, type StackOptions } from "./stack.js";
import { installWallet, WALLET_RDNS, type TestWallet, type WalletOptions } from "./wallet.js";

export interface BrowserStack {
  stack: Stack;
  browser: Browser;
  /** Pages' console logs (openAs adds to it), printed when a test fails, cleared after each test. */
  logs: PageLog[];
  /** Reads an event contract's view (lib/abi's chainpassEventAbi). */
  read<T>(address: Address, functionName: string, args?: unknown[]): Promise<T>;
  /**
   * Waits until every ticket in `tokenIds` is checked in on `event`'s contract; if one is not
   * within `timeout`, fails with the gate writer's state (stack.writerReport).
   */
  checkedInOnChain(event: Address, tokenIds: bigint[], timeout?: number): Promise<void>;
}

/**
 * Registers what every browser test file needs, in the calling `describe`: one stack (see
 * startStack) and one browser for the whole file, stopped after it, and the pages' logs printed
 * when a test fails. The fields are set once the `before` hook has run.
 */
export function useBrowserStack(opts: StackOptions = {}): BrowserStack {
  const env: BrowserStack = {
    stack: undefined as unknown as Stack,
    browser: undefined as unknown as Browser,
    logs: [],
    read: <T>(address: Address, functionName: string, args: unknown[] = []) =>
      env.stack.clients.publicClient.readContract({ address, abi: chainpassEventAbi, functionName: functionName as never, args: args as never }) as Promise<T>,
    checkedInOnChain: async (event, tokenIds, timeout = 30_000) => {
      const all = async () => (await Promise.all(tokenIds.map((id) => env.read<boolean>(event, "isCheckedIn", [id])))).every(Boolean);
      try {
        await eventually(all, `ticket${tokenIds.length > 1 ? "s" : ""} ${tokenIds.join(", ")} checked in on chain`, timeout);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${await env.stack.writerReport(event)}`, { cause: error });
      }
    },
  };
  before(async function () {
    this.timeout(400_000); // the first stack of a run builds the app
    // Chromium starts while the stack does: neither needs the other until a page opens.
    const [stack, browser] = await Promise.allSettled([startStack(opts), launchBrowser()]);
    if (stack.status === "fulfilled") env.stack = stack.value;
    if (browser.status === "fulfilled") env.browser = browser.value;
    for (const started of [stack, browser]) if (started.status === "rejected") throw started.reason; // `after` stops the other
  });
  after(async function () {
    await Promise.all([env.browser?.close(), env.stack?.stop()]);
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") for (const log of env.logs) console.log(log.all.slice(-30).join("\n"));
    // A message key no catalogue has (frontend/src/i18n/index.ts reports it): the screen showed a key.
    const missing = env.logs.flatMap((log) => log.errors.filter((e) => e.startsWith(MISSING_KEY)));
    env.logs.length = 0;
    if (missing.length) throw new Error(`the app asked for messages no catalogue has: ${[...new Set(missing)].join("; ")}`);
  });
  return env;
}

/** A phone-sized screen: the pass and the gate are used on phones. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export interface Persona {
  page: Page;
  wallet: TestWallet;
  log: PageLog;
}

export interface PersonaOptions {
  /** Context options (a phone viewport, a locale). */
  context?: BrowserContextOptions;
  /** Connect the wallet to the app first. Default true. */
  connect?: boolean;
  /** The chain the wallet starts on. Default 31337. */
  chainId?: number;
  /** Runs on the page before it navigates (e.g. `page.clock.setFixedTime`). */
  prepare?: (page: Page) => Promise<void>;
  /** The wallet is a smart wallet (EIP-7702 and EIP-5792 through this bundler): support/smart-wallet.ts. */
  smartWallet?: WalletOptions["smartWallet"];
}

/**
 * Opens `path` in a new context whose injected wallet is `account`, and connects it through the
 * wallet dialog (EIP-6963). `logs` collects the page's console, printed when a test fails.
 */
export async function openAs(browser: Browser, stack: Stack, account: LocalAccount, path: string, logs: PageLog[], opts: PersonaOptions = {}): Promise<Persona> {
  const { page, log } = await newPage(browser, opts.context ?? {});
  logs.push(log);
  const wallet = await installWallet(page, { account, rpcUrl: stack.rpcUrl, chainId: opts.chainId, smartWallet: opts.smartWallet });
  await opts.prepare?.(page);
  await page.goto(stack.appUrl + path);
  if (opts.connect ?? true) await connectWallet(page, account.address);
  return { page, wallet, log };
}

/** Connects the page's injected test wallet through the wallet dialog. */
export async function connectWallet(page: Page, address: string) {
  await page.getByTestId("connect-wallet").click();
  await page.getByTestId(`connector-${WALLET_RDNS}`).click();
  await page.locator(`[data-testid="wallet-address"][title="${address}"]`).waitFor();
}

/** Signs in with SIWE through the page's sign-in button. */
export async function signIn(page: Page) {
  await page.getByTestId("sign-in").click();
  await page.getByTestId("sign-in").waitFor({ state: "detached" });
}

/**
 * Presses the create-event wizard's Next (its checks pass) and waits for `step` ("tickets",
 * "rules", "review") to be the current one.
 */
export async function wizardNext(page: Page, step: string) {
  await page.getByTestId("wizard-next").click();
  try {
    // A renderer on a loaded two-core machine: 5 s was once not enough (the page logged nothing).
    await page.locator(`.wizard-progress li[aria-current="step"][data-step="${step}"]`).waitFor({ timeout: 15_000 });
  } catch (error) {
    // Say where the wizard stayed and what it said, not only that it stayed.
    const at = await page.locator('.wizard-progress li[aria-current="step"]').getAttribute("data-step", { timeout: 1_000 }).catch(() => "unknown");
    const said = await page.locator('.field.invalid, [role="alert"], [id$="-problem"]').allInnerTexts().catch(() => []);
    throw new Error(`the wizard did not go on to "${step}": it is at "${at}"; on the page: ${said.length ? said.join(" | ") : "no problem shown"}`, { cause: error });
  }
}

/** A `datetime-local` input's value for unix `seconds` (the tests' browsers run in UTC). */
export const localInput = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 16);

/**
 * Fills the wizard's first step of a single event: its name, description, venue and times (unix
 * seconds), and a one-rectangle SVG poster (`color`: its fill), waiting for the poster's preview.
 */
export async function fillEventStep(page: Page, event: { name: string; description: string; venue: string; start: number; end: number; color?: string }) {
  await page.getByTestId("event-name").fill(event.name);
  await page.getByTestId("event-description").fill(event.description);
  await page.getByTestId("venue-name").fill(event.venue);
  await page.getByTestId("event-start").fill(localInput(event.start));
  await page.getByTestId("event-end").fill(localInput(event.end));
  const fill = event.color ? ` fill="${event.color}"` : "";
  const poster = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4"${fill}/></svg>`;
  await page.getByTestId("artwork").setInputFiles({ name: "poster.svg", mimeType: "image/svg+xml", buffer: Buffer.from(poster) });
  await page.getByTestId("artwork-preview").waitFor();
}

/**
 * Waits for the new event's console the wizard opens once it has created the event; returns its
 * address. When it does not open, the error says what the review showed (its notes, problems and
 * each step's state).
 */
export async function openedEventConsole(page: Page, timeout = 90_000): Promise<Address> {
  try {
    await page.waitForURL(/\/organizer\/0x[0-9a-fA-F]{40}/, { timeout });
  } catch (error) {
    const said = await page.locator('[role="alert"], [role="status"], .tx-steps li').allInnerTexts().catch(() => []);
    throw new Error(`the new event's console did not open within ${timeout / 1000} s; on the page: ${said.length ? said.join(" | ") : "nothing"}`, { cause: error });
  }
  return page.url().match(/0x[0-9a-fA-F]{40}/)![0] as Address;
}

/** Presses the wizard's Create and waits for the new event's console (openedEventConsole). */
export async function createFromWizard(page: Page): Promise<Address> {
  await page.getByTestId("create-event").click();
  return openedEventConsole(page);
}

/** Waits until the element's text contains `text` (values load after the element appears). */
export async function waitForText(locator: Locator, text: string, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await locator.innerText()).includes(text)) {
    if (Date.now() > deadline) throw new Error(`"${text}" never appeared; the element says "${await locator.innerText()}"`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export { eventually };

/**
 * Opens a ticket row's "Manage" panel on My tickets (what was paid, the keepsake, the gift, resale
 * and refund actions), unless it is open already; one panel is open at a time.
 */
export async function manage(row: Locator) {
  const button = row.locator('button[data-testid^="manage-"]');
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  await row.locator('[data-testid^="manage-panel-"]:not([hidden])').waitFor();
}

export interface SettledTx {
  state: string | null;
  /** The decoded custom error's name, when the step failed on one. */
  error: string | null;
  text: string;
}

export interface TxWait {
  /** Narrows the search to one part of the page (a card with its own flow). */
  within?: Locator;
  /** `txMark` taken before the action: only a step started after it counts. Default 0. */
  after?: number;
}

/**
 * The newest transaction step the page (or `within`) shows (steps carry page-unique ids): take it
 * before an action and pass it as `after`, so a finished earlier flow is not mistaken for this one.
 */
export async function txMark(page: Page, within?: Locator): Promise<number> {
  const ids = await (within ?? page).locator('[data-testid="tx-status"] li').evaluateAll((items) => items.map((li) => Number(li.getAttribute("data-step") ?? 0)));
  return Math.max(0, ...ids);
}

/**
 * Waits until the page's transaction flow settles: its last step confirmed or failed and no new
 * step started for a second (a checkout approves, then buys). Returns that last step.
 */
export async function lastTx(page: Page, { within, after = 0 }: TxWait = {}): Promise<SettledTx> {
  const steps = (within ?? page).locator('[data-testid="tx-status"] li');
  // The last step's id when it is newer than `after` and finished, else 0.
  const settled = async () => {
    const count = await steps.count();
    if (count === 0) return 0;
    const last = steps.nth(count - 1);
    const [id, state] = await Promise.all([last.getAttribute("data-step"), last.getAttribute("data-state")]).catch(() => [null, null]);
    return Number(id) > after && (state === "confirmed" || state === "failed") ? Number(id) : 0;
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const id = await settled();
    if (id > 0) {
      await page.waitForTimeout(1000);
      if ((await settled()) === id) break;
    } else if (Date.now() > deadline) throw new Error("the transaction did not settle in 90 s");
    else await page.waitForTimeout(200);
  }
  const step = steps.last();
  return { state: await step.getAttribute("data-state"), error: await step.getAttribute("data-error"), text: await step.innerText() };
}

/** Waits for the page's transaction flow and asserts that it confirmed. */
export async function confirmed(page: Page, wait: TxWait = {}) {
  const tx = await lastTx(page, wait);
  expect(tx.state, tx.text).to.equal("confirmed");
}

/**
 * Starts recording every state each transaction step of the page shows, in order (a step is
 * "signing", then "pending" once sent, then "confirmed" or "failed"). Call after the page loaded;
 * the recording survives in-app navigation. Returns a reader: step id → its states.
 */
export async function recordTxStates(page: Page): Promise<() => Promise<Record<string, string[]>>> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { txStates: typeof seen }).txStates = seen;
    // (No named functions in here: tsx wraps them in a __name helper the page does not have.)
    new MutationObserver(() => {
      for (const li of document.querySelectorAll('[data-testid="tx-status"] li')) {
        const id = li.getAttribute("data-step") ?? "?";
        const state = li.getAttribute("data-state") ?? "?";
        const states = (seen[id] ??= []);
        if (states[states.length - 1] !== state) states.push(state);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
  });
  return () => page.evaluate(() => (window as unknown as { txStates: Record<string, string[]> }).txStates);
}

// jsqr is a CommonJS (UMD) module whose typings declare `export default`; under Node ESM the
// default import is module.exports, which carries the function as `.default` too.
const jsQR = jsqr.default;

/** What the QR code drawn in an <img> says (decoded with jsQR from its pixels). */
export async function decodeQrImage(image: Locator): Promise<string | undefined> {
  const pixels = await image.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(img, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(data), width, height };
  });
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data;
}
