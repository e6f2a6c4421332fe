// The scanner in a browser without a BarcodeDetector (iOS Safari, Firefox, desktop Linux: an init
// script deletes Chromium's, if it has one): the camera's frames are read by ZXing in WebAssembly
// (frontend/src/gate/zxing.ts), whose .wasm comes from the app's own origin and from nowhere else.
// A real pass (lib/pass: the fan's wallet signs the delegation, the pass key the frame) shown to
// Chromium's fake camera is admitted, and the ticket is checked in on chain. If the .wasm cannot
// be loaded, the scanner falls back to jsQR and still reads the pass.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Address, LocalAccount } from "viem";

import { makePass, passKeyFromSecret, signDelegation, type PassDelegation } from "../../lib/pass/index.js";
import { launchBrowser, WITH_SERVICE_WORKER } from "./support/browser.js";
import { eventually, openAs, PHONE, signIn, useBrowserStack } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount } from "./support/stack.js";
import { writeQrY4m } from "./support/y4m.js";

const gateStaff = localAccount(DEMO_ACCOUNTS.gateStaff);
const [fan5, fan6] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));

describe("Gate scanner without a BarcodeDetector: ZXing in WebAssembly from the app's own origin", function () {
  this.timeout(180_000);
  // A pass is drawn into the fake camera's file before its browser starts and the staff sign in:
  // a wider frame window than the 35 s production one keeps a loaded machine from "stale-frame".
  const env = useBrowserStack({ seed: true, serverEnv: { CHAINPASS_MAX_FRAME_AGE: "120" } });
  let dir: string;
  const cameras: Browser[] = [];

  before(() => (dir = mkdtempSync(join(tmpdir(), "chainpass-e2e-decoder-"))));
  after(async () => {
    for (const browser of cameras) await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh pass for `tokenId`, as the fan's phone makes it (an all-tickets delegation). */
  async function passOf(fan: LocalAccount, event: Address, tokenId: bigint, seed: number): Promise<string> {
    const passKey = passKeyFromSecret(`0x${seed.toString(16).padStart(2, "0").repeat(32)}`);
    const now = Math.floor(Date.now() / 1000);
    const delegation: PassDelegation = { chainId: 31337n, ticket: event, tokenId: 0n, passKey: passKey.publicKey, validUntil: now + 86_400 };
    const walletSignature = await signDelegation(fan, delegation);
    return makePass({ passKey, delegation, holder: fan.address, walletSignature, tokenId, now });
  }

  /**
   * The scanner, signed in as gate staff, in a browser whose camera shows `pass` and which has no
   * BarcodeDetector; every request the page makes is recorded. `prepare` runs before it loads.
   */
  async function scannerShowing(pass: string, event: Address, opts: { prepare?: (page: Page) => Promise<void>; serviceWorkers?: "block" } = {}) {
    const camera = await launchBrowser({ fakeCameraY4m: writeQrY4m(join(dir, `${cameras.length}.y4m`), pass) });
    cameras.push(camera);
    const requests: { url: string; status?: number }[] = [];
    const { page } = await openAs(camera, env.stack, gateStaff, `/gate/${event}`, env.logs, {
      context: { ...PHONE, serviceWorkers: opts.serviceWorkers ?? WITH_SERVICE_WORKER.serviceWorkers },
      prepare: async (page) => {
        await page.addInitScript(() => delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector);
        page.on("request", (request) => requests.push({ url: request.url() }));
        page.on("response", (response) => {
          const seen = requests.find((r) => r.url === response.url() && r.status === undefined);
          if (seen) seen.status = response.status();
        });
        await opts.prepare?.(page);
      },
    });
    await signIn(page);
    expect(await page.evaluate(() => "BarcodeDetector" in globalThis)).to.equal(false);
    return { page, requests };
  }

  /** Starts the camera and waits for the verdict the camera's frames bring. */
  async function scanWithCamera(page: Page) {
    const answered = page.waitForResponse((r) => r.url().endsWith("/scan") && r.request().method() === "POST", { timeout: 60_000 });
    await page.getByTestId("start-camera").click();
    const response = await answered;
    const verdict = page.getByTestId("verdict");
    await verdict.waitFor({ timeout: 15_000 });
    return { status: response.status(), body: await response.json(), verdict: await verdict.getAttribute("data-verdict"), decoder: await page.getByTestId("camera").getAttribute("data-decoder") };
  }

  it("reads a real pass from the camera with ZXing (the .wasm from the app's origin) and admits it; checked in on chain", async function () {
    const { concert } = env.stack.demo!;
    const ticket = 1_000_003n; // fan 6's Standing ticket
    const pass = await passOf(fan6, concert, ticket, 0x61);
    expect(pass).to.have.length(345);
    const { page, requests } = await scannerShowing(pass, concert);

    const scan = await scanWithCamera(page);
    await screenshot(page, "gate-camera-zxing-admit");
    expect(scan.decoder).to.equal("zxing");
    expect(scan.status, JSON.stringify(scan.body)).to.equal(200);
    expect(scan.body).to.include({ verdict: "admit", holder: fan6.address });
    expect(scan.body.ticket).to.include({ tokenId: String(ticket) });
    expect(scan.verdict).to.equal("admit");

    // ZXing's .wasm: fetched once, from the app's own origin, and answered (every .wasm the page
    // asked for came from there); no request left the machine.
    const origin = new URL(env.stack.appUrl).origin;
    expect(requests.filter((r) => r.url.endsWith(".wasm")).map((r) => new URL(r.url).origin)).to.satisfy((origins: string[]) => origins.every((o) => o === origin));
    const wasm = requests.filter((r) => /\/assets\/zxing_reader-[\w-]+\.wasm$/.test(new URL(r.url).pathname));
    expect(wasm.map((r) => r.url)).to.have.length(1);
    expect(new URL(wasm[0].url).origin).to.equal(origin);
    await eventually(async () => wasm[0].status === 200, "the .wasm answered 200");
    const elsewhere = requests.filter((r) => !["127.0.0.1", "localhost"].includes(new URL(r.url).hostname));
    expect(elsewhere.map((r) => r.url)).to.deep.equal([]);
    // jsQR was never loaded.
    expect(requests.filter((r) => /\/assets\/jsqr-[\w-]+\.js$/.test(r.url))).to.deep.equal([]);

    await env.checkedInOnChain(concert, [ticket]);
    await page.context().close();
  });

  it("the .wasm cannot be loaded: the scanner falls back to jsQR and still admits a pass", async function () {
    const { concert } = env.stack.demo!;
    const ticket = 1_000_001n; // fan 5's Standing ticket
    const pass = await passOf(fan5, concert, ticket, 0x51);
    // (Playwright's routes do not see what a service worker fetches: none here.)
    const { page, requests } = await scannerShowing(pass, concert, { serviceWorkers: "block", prepare: async (page) => void (await page.route("**/*.wasm", (route) => route.abort("failed"))) });

    const scan = await scanWithCamera(page);
    expect(scan.decoder).to.equal("jsqr");
    expect(scan.status, JSON.stringify(scan.body)).to.equal(200);
    expect(scan.body).to.include({ verdict: "admit", holder: fan5.address });
    expect(scan.verdict).to.equal("admit");
    expect(requests.filter((r) => /\/assets\/jsqr-[\w-]+\.js$/.test(r.url))).to.have.length(1);
    await page.context().close();
  });
});
