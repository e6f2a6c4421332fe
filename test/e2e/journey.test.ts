// The product's main journey in a real browser (issue 6, requirement 7): the built app, the
// server and a local node, every persona with its own injected EIP-1193 wallet backed by a local
// account; nothing mocked. Each step checks the chain as well as the screen, and saves a
// screenshot under test-results/e2e/.
//
//   organizer creates an event with artwork (ETH, Capped, 110 % cap, 5 % royalty), grants GATE,
//   issues a voucher on the USDC museum → fan A buys with ETH → fan B buys with USDC and the
//   voucher (approve, then buy) → fan A lists above the cap (refused, decoded) and at the cap →
//   fan C buys the listing → the dashboard shows the royalty → fan C opens the QR pass → the gate
//   reads it from Chromium's fake camera and admits it → the same pass is refused.
import { expect } from "chai";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { erc20Abi, formatEther, parseEther, type Address, type LocalAccount } from "viem";

import { resaleSplit } from "../../lib/resale.js";
import { tempFolder } from "../../scripts/lib/supervisor.js";
import { launchBrowser, newPage } from "./support/browser.js";
import { createFromWizard, confirmed, localInput, connectWallet, lastTx, manage, openAs, PHONE, signIn, txMark, useBrowserStack, waitForText, wizardNext } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";
import { installWallet } from "./support/wallet.js";
import { writeQrY4m } from "./support/y4m.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const gateStaff = localAccount(DEMO_ACCOUNTS.gateStaff);
const [fanA, fanB, fanC] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));

/** A 1×1 PNG is too small to look at; the artwork is an SVG poster (the server sanitizes SVG). */
const ARTWORK = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450"><rect width="800" height="450" fill="#1e1b4b"/><circle cx="620" cy="120" r="90" fill="#f59e0b"/><text x="48" y="260" fill="#fff" font-family="sans-serif" font-size="64" font-weight="700">E2E Night</text></svg>`,
);

describe("Journey: organizer, fans and gate in a real browser", function () {
  this.timeout(180_000);
  // The pass is read from the fan's screen, then the gate browser starts with it as its camera
  // feed; on a loaded CI machine that can take longer than the production 35 s frame window.
  const env = useBrowserStack({ seed: true, serverEnv: { CHAINPASS_MAX_FRAME_AGE: "120" } });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let gateBrowser: Browser | undefined;
  let event: Address; // created by the organizer in the browser
  const ticket = 1_000_001n; // fan A's ticket: tier 1, serial 1

  before(() => ({ stack, browser } = env));
  after(() => gateBrowser?.close());


  /** A page whose injected wallet is `account`, connected to the app through EIP-6963. */
  async function persona(account: LocalAccount, path: string, on: Browser = browser, phone = false): Promise<Page> {
    return (await openAs(on, stack, account, path, logs, { context: phone ? PHONE : {} })).page;
  }

  it("the organizer creates an event with artwork, grants GATE and issues a voucher", async function () {
    const page = await persona(organizer, "/organizer/new");
    await signIn(page);
    const now = Math.floor(Date.now() / 1000);
    await page.getByTestId("event-name").fill("E2E Night");
    await page.getByTestId("event-description").fill("A night made by the browser test.");
    await page.getByTestId("venue-name").fill("Test Hall");
    // Doors open 6 hours before the start (the contract's default): tonight, so the gate can admit.
    await page.getByTestId("event-start").fill(localInput(now + 3 * 3600));
    await page.getByTestId("event-end").fill(localInput(now + 7 * 3600));
    await page.getByTestId("artwork").setInputFiles({ name: "poster.svg", mimeType: "image/svg+xml", buffer: ARTWORK });
    await page.getByTestId("artwork-preview").waitFor();
    await wizardNext(page, "tickets");
    await page.getByTestId("currency").selectOption("eth");
    await page.getByTestId("tier-name-0").fill("Adult");
    await page.getByTestId("tier-price-0").fill("0.1");
    await page.getByTestId("tier-supply-0").fill("100");
    await wizardNext(page, "rules");
    await page.getByTestId("royalty").fill("5");
    await page.getByTestId("resale-cap").fill("110");
    await page.getByTestId("policy").selectOption("capped");
    await wizardNext(page, "review");
    await screenshot(page, "organizer-create-event", { fullPage: true });
    event = await createFromWizard(page);

    const info = await read<{ name: string; royaltyBps: number; resaleCapBps: number; metadataURI: string; policy: number }>(event, "eventInfo");
    expect(info).to.include({ name: "E2E Night", royaltyBps: 500, resaleCapBps: 11_000, policy: 1 });
    const metadata = await (await fetch(`${stack.appUrl}/ipfs/${info.metadataURI.slice("ipfs://".length)}`)).json();
    expect(metadata.image).to.match(/^ipfs:\/\//);
    expect((await fetch(`${stack.appUrl}/ipfs/${metadata.image.slice("ipfs://".length)}`)).status).to.equal(200);
    expect((await read<{ price: bigint }>(event, "tier", [1n])).price).to.equal(parseEther("0.1"));

    await page.getByTestId("tab-staff").click();
    await page.getByTestId("staff-address").fill(gateStaff.address);
    await page.getByTestId("grant-gate").click();
    await confirmed(page);
    expect(await read<boolean>(event, "hasRole", [await read(event, "GATE_ROLE"), gateStaff.address])).to.equal(true);

    // A 20 % code on the demo museum, which sells in USDC.
    await page.goto(`${stack.appUrl}/organizer/${stack.demo!.museum}/offers`);
    await page.getByTestId("voucher-code").fill("E2E20");
    await page.getByTestId("voucher-kind").selectOption("percent");
    await page.getByTestId("voucher-value").fill("20");
    await page.getByTestId("voucher-max-uses").fill("10");
    await page.getByTestId("create-voucher").click();
    await page.getByTestId("voucher-saved").waitFor();
    const stored = await fetch(`${stack.appUrl}/events/${stack.demo!.museum}/vouchers/E2E20`);
    expect(stored.status).to.equal(200);
    await page.context().close();
  });

  it("fan A buys with ETH", async function () {
    const page = await persona(fanA, `/events/${event}`);
    await page.getByTestId("tier-1").waitFor();
    expect(await page.getByTestId("remaining-1").innerText()).to.contain("100");
    await screenshot(page, "fan-event-page");
    await page.getByTestId("buy-1").click();
    await page.getByTestId("quantity").fill("1");
    await screenshot(page, "fan-checkout");
    await page.getByTestId("buy").click();
    await confirmed(page);
    expect((await read<Address>(event, "ownerOf", [ticket])).toLowerCase()).to.equal(fanA.address.toLowerCase());
    expect(await read<bigint>(event, "pricePaid", [ticket])).to.equal(parseEther("0.1"));
    await screenshot(page, "fan-bought");
    await page.context().close();
  });

  it("fan B buys with USDC and the voucher at 20 % off: a permit signed, then one transaction, nothing left approved", async function () {
    const museum = stack.demo!.museum;
    const usdc = stack.platform.usdc;
    // The second slot: the first has started, and a slot is not sold once it has.
    const tier = await read<{ price: bigint; sold: number }>(museum, "tier", [2n]);
    const balanceOf = (account: Address) => stack.clients.publicClient.readContract({ address: usdc, abi: erc20Abi, functionName: "balanceOf", args: [account] });
    const before = await balanceOf(fanB.address);
    const { page, wallet } = await openAs(browser, stack, fanB, `/events/${museum}/checkout/2`, logs);
    await page.getByTestId("quantity").fill("1");
    await page.getByTestId("voucher-code").fill("E2E20");
    await page.getByTestId("apply-voucher").click();
    await page.getByTestId("voucher-result").waitFor();
    await page.getByTestId("buy").click();
    await confirmed(page);
    const steps = await page.getByTestId("tx-status").locator("li").allInnerTexts();
    expect(steps, "the permit (a signature), then the purchase").to.have.length(2);
    expect(steps[0]).to.contain("a signature, no fee");
    expect(wallet.requestsFor("eth_signTypedData_v4"), "one permit signed").to.have.length(1);
    expect(wallet.requestsFor("eth_sendTransaction"), "one transaction: no approve").to.have.length(1);
    expect(before - (await balanceOf(fanB.address))).to.equal((tier.price * 80n) / 100n);
    expect(await stack.clients.publicClient.readContract({ address: usdc, abi: erc20Abi, functionName: "allowance", args: [fanB.address, museum] }), "nothing left approved").to.equal(0n);
    expect((await read<{ sold: number }>(museum, "tier", [2n])).sold).to.equal(tier.sold + 1);
    await screenshot(page, "fan-usdc-voucher-bought");
    await page.context().close();
  });

  it("a fan without enough USDC is told what is missing before anything is signed", async function () {
    const museum = stack.demo!.museum;
    const broke = localAccount(12); // ETH for gas, no USDC
    const { page, wallet } = await openAs(browser, stack, broke, `/events/${museum}/checkout/2`, logs);
    await page.getByTestId("quantity").fill("2");
    const shortfall = page.getByTestId("balance-short");
    await waitForText(shortfall, "your wallet has 0.00 USDC");
    expect(await shortfall.innerText()).to.match(/You need \d+\.\d\d USDC/);
    expect(await page.getByTestId("buy").isDisabled()).to.equal(true);
    expect(wallet.requestsFor("eth_sendTransaction").length + wallet.requestsFor("eth_signTypedData_v4").length, "nothing asked of the wallet").to.equal(0);
    await page.context().close();
  });

  it("an unknown voucher code is said in the reader's language, and the message leaves with the code", async function () {
    const museum = stack.demo!.museum;
    for (const [locale, sentence] of [
      ["en-US", 'There is no voucher "BOGUS" for this event.'],
      ["zh-CN", "本活动没有优惠码“BOGUS”。"],
    ] as const) {
      const { page } = await openAs(browser, stack, fanC, `/events/${museum}/checkout/2`, logs, { context: { locale } });
      await page.getByTestId("voucher-code").fill("BOGUS");
      await page.getByTestId("apply-voucher").click();
      await waitForText(page.getByTestId("voucher-result"), sentence);
      await page.getByTestId("voucher-code").fill("");
      await page.getByTestId("voucher-result").waitFor({ state: "detached" });
      await page.context().close();
    }
  });

  it("fan A lists above the cap (refused with the cap in words), then at the cap", async function () {
    const page = await persona(fanA, "/tickets");
    // Token ids repeat across events (fan A also holds demo tickets): the card of this event.
    const card = page.locator(`[data-testid="ticket-${ticket}"][data-event="${event.toLowerCase()}"]`);
    await manage(card);
    await waitForText(card.getByTestId(`cap-${ticket}`), "0.11");
    await card.getByTestId(`list-price-${ticket}`).fill("0.12");
    await card.getByTestId(`list-${ticket}`).click();
    const refused = await lastTx(page);
    expect(refused.state).to.equal("failed");
    expect(refused.error).to.equal("ResalePriceAboveCap");
    expect(refused.text).to.contain("0.11");
    await screenshot(page, "fan-list-above-cap-refused");
    expect((await read<{ price: bigint }>(event, "listing", [ticket])).price).to.equal(0n);

    const mark = await txMark(page);
    await card.getByTestId(`list-price-${ticket}`).fill("0.11");
    // Before listing, the seller sees what reaches them: the price less royalty and platform fee,
    // as the contract will split it (lib/resale.ts against the event's own rates).
    const info = await read<{ royaltyBps: number; platformFeeBps: number }>(event, "eventInfo", []);
    const split = resaleSplit(parseEther("0.11"), info.royaltyBps, info.platformFeeBps);
    await waitForText(card.getByTestId(`you-receive-${ticket}`), `You receive ${formatEther(split.seller)} ETH`);
    expect(await card.getByTestId(`you-receive-${ticket}`).innerText()).to.contain(`royalty (${formatEther(split.royalty)} ETH)`);
    await card.getByTestId(`list-${ticket}`).click();
    await confirmed(page, { after: mark });
    expect((await read<{ price: bigint }>(event, "listing", [ticket])).price).to.equal(parseEther("0.11"));
    await screenshot(page, "fan-listed-at-cap");
    await page.context().close();
  });

  it("fan C buys the listing; the organizer's dashboard shows the royalty", async function () {
    const page = await persona(fanC, `/events/${event}/resale`);
    await page.getByTestId(`listing-${ticket}`).waitFor();
    await screenshot(page, "fan-resale-market");
    await page.getByTestId(`buy-listing-${ticket}`).click();
    await confirmed(page);
    expect((await read<Address>(event, "ownerOf", [ticket])).toLowerCase()).to.equal(fanC.address.toLowerCase());
    await page.context().close();

    const royalty = (parseEther("0.11") * 500n) / 10_000n; // 5 % of the resale price
    const dashboard = await persona(organizer, `/organizer/${event}`);
    await signIn(dashboard);
    await waitForText(dashboard.getByTestId("stat-royalties"), formatEther(royalty));
    await dashboard.getByTestId("chart-sales").waitFor();
    await screenshot(dashboard, "organizer-dashboard", { fullPage: true });
    await dashboard.context().close();
  });

  it("fan C's QR pass, read by the gate's camera, admits once and is refused the second time", async function () {
    const page = await persona(fanC, `/tickets/${event}/${ticket}`, browser, true);
    // First open: the app asks the wallet for the one delegation signature by itself.
    const qr = page.getByTestId("pass-qr");
    await page.waitForFunction(() => (document.querySelector('[data-testid="pass-qr"]')?.getAttribute("data-pass") ?? "").length > 0, undefined, { timeout: 30_000 });
    const pass = (await qr.getAttribute("data-pass"))!;
    await screenshot(page, "fan-pass");
    await page.context().close();

    const y4m = writeQrY4m(join(tempFolder("chainpass-e2e-"), "pass.y4m"), pass);
    gateBrowser = await launchBrowser({ fakeCameraY4m: y4m });
    const gate = await persona(gateStaff, `/gate/${event}`, gateBrowser, true);
    await signIn(gate);
    await gate.getByTestId("start-camera").click();
    const verdict = gate.getByTestId("verdict");
    await verdict.and(gate.locator('[data-verdict="admit"]')).waitFor({ timeout: 30_000 });
    await screenshot(gate, "gate-admit");
    // A pass held in front of the camera is not re-sent while it stays in view (the scanner would
    // otherwise flash "already used" at the fan just admitted). Shown again later: refused.
    await gate.getByTestId("stop-camera").click();
    await gate.waitForTimeout(3_500);
    await gate.getByTestId("start-camera").click();
    await gate.locator('[data-testid="verdict"][data-verdict="refuse"]').waitFor({ timeout: 30_000 });
    expect(await gate.getByTestId("verdict").getAttribute("data-reason")).to.equal("already-used");
    await screenshot(gate, "gate-refuse-already-used");
    await gate.context().close();
  });

  it("every main screen fits a 360 px phone, in Simplified Chinese", async function () {
    const { page, log } = await newPage(browser, { ...PHONE, viewport: { width: 360, height: 740 }, locale: "zh-CN" });
    logs.push(log);
    await page.addInitScript(() => localStorage.setItem("chainpass.locale", "zh-CN"));
    await installWallet(page, { account: fanA, rpcUrl: stack.rpcUrl });
    const concert = stack.demo!.concert;
    const screens: [string, string][] = [
      ["/", '[data-testid="event-card"]'],
      [`/events/${concert}`, '[data-testid="tier-1"]'],
      [`/events/${concert}/checkout/2`, '[data-testid^="seat-"]'],
      [`/events/${concert}/resale`, "main h1"],
      [`/events/${stack.demo!.museum}`, '[data-testid="tier-1"]'],
      ["/tickets", '[data-testid^="ticket-"]'],
      [`/tickets/${concert}/1000001`, '[data-testid="pass-qr"]:not([data-pass=""])'], // fan A's Standing ticket, its QR drawn
      ["/organizer", "main"],
      ["/gate", "main"],
    ];
    await page.goto(stack.appUrl);
    await connectWallet(page, fanA.address);
    for (const [path, ready] of screens) {
      await page.goto(stack.appUrl + path);
      await page.locator(ready).first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).to.be.at.most(360);
      expect(await page.locator("header nav").innerText()).to.contain("发现活动");
    }
    await screenshot(page, "zh-gate-sign-in-360");
    await page.context().close();
  });
});
