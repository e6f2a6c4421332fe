// The organizer console in a real browser, beyond the journey (journey.test.ts creates an event,
// grants GATE and issues a voucher): allowlist presale upload, deny list, pausing a tier, revoking
// staff, a voucher as QR and copied code, CSV exports, the dashboard's charts, seat holds and comps
// on the seat map, returns in the dashboard, withdrawals (refused while locked, then after
// settlement) and cancelling an event. The demo events are the scene;
// every step checks the chain or the server as well as the screen, and saves a screenshot under
// test-results/e2e/.
//
// The first tests create events of their own in the wizard (USDC, seats, a timed tier; a venue's
// time zone) and check its steps (each stopped by Next with what is wrong beside each field). A
// phone-sized test reads every console table of the museum and the conference as cards.
// Which demo event each test changes, so that they do not get in each other's way:
//   conference  allowlist of tier 1 (replaced), vouchers read; cancelled by the last test
//   concert     deny list (fan D stays denied), tier 1 paused and resumed, sales CSV, withdrawals
//   museum      staff granted and revoked, attendance CSV, charts
// Seat holds and returns use a seated show of their own ("Holds Hall", made once by seatedShow):
// fans A and B buy there and return a ticket each under its refund policy.
// The withdrawal moves the chain's clock past the concert's settlement (~17 days): it runs after
// every test that needs the demo's sale windows, and the conference (32 days out) is still live.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { formatEther, formatUnits, parseEther, parseEventLogs, toFunctionSelector, zeroAddress, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { formatZoned, unixToZoned } from "../../frontend/src/shared/venue-time.js";
import { chainpassEventAbi, chainpassMembershipAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import { buildAllowlist } from "../../lib/allowlist.js";
import { LOCALHOST } from "../../lib/networks.js";
import { ORGANIZER_EXPORT, queryIndex, SEATS_TAKEN, type OrganizerExport, type SeatsTaken } from "../../lib/index/index.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { PER_TRANSACTION } from "../../lib/transaction-gas.js";
import { codeIdFor } from "../../lib/vouchers.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { ServerSession } from "../../scripts/seed-demo.js";
import { createFromWizard, confirmed, fillEventStep, localInput, openedEventConsole, decodeQrImage, eventually, lastTx, openAs, PHONE, type PersonaOptions, recordTxStates, signIn, txMark, useBrowserStack, waitForText, wizardNext } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const gateWriter = localAccount(DEMO_ACCOUNTS.gateWriter);
const [fanA, fanB, fanC, fanD] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
/** Accounts nobody else uses: a fresh key per run. */
const stranger = () => privateKeyToAccount(generatePrivateKey()).address;

const lower = (a: string) => a.toLowerCase();

/** A downloaded CSV as rows of cells (the app quotes no cell of these exports). */
function parseCsv(text: string): string[][] {
  return text
    .split(/\r\n/)
    .filter(Boolean)
    .map((line) => line.split(","));
}

describe("Organizer console in a real browser: offers, deny list, tiers, staff, exports, charts, money, cancel", function () {
  this.timeout(120_000);
  const env = useBrowserStack({ seed: true });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;

  before(() => ({ stack, browser } = env));

  const demo = () => stack.demo!;
  const send = async (account: LocalAccount, address: Address, functionName: string, args: unknown[], value?: bigint) => {
    const hash = await stack.clients.wallet(account).writeContract({ address, abi: chainpassEventAbi, functionName, args, account, chain: stack.clients.chain, value } as never);
    const receipt = await stack.clients.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status, functionName).to.equal("success");
    return receipt;
  };
  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(stack.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };

  /** A page whose injected wallet is `account`, connected to the app through EIP-6963. */
  async function persona(account: LocalAccount, path: string, opts: PersonaOptions = {}): Promise<Page> {
    return (await openAs(browser, stack, account, path, logs, opts)).page;
  }

  /** What the wizard says is wrong with a field: what its aria-describedby names as a problem; null when it is not marked invalid. */
  const problemOf = (page: Page, testId: string) =>
    page.getByTestId(testId).evaluate((field) => {
      if (field.getAttribute("aria-invalid") !== "true") return null;
      const described = (field.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id));
      return described.find((el) => el?.classList.contains("field-problem"))?.textContent ?? "(no message)";
    });
  const focusedField = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
  const currentStep = (page: Page) => page.locator('.wizard-progress li[aria-current="step"]').getAttribute("data-step");

  /**
   * A show of the organizer's own, made once for the tests that need it (seat holds, returns, the
   * phone): Stalls, 2 lettered rows of 8 seats (ids 1-16) and a Box of 4 (ids 17-20), and a
   * Standing tier; a refund policy of 75 % until a day before the start (a direct
   * setRefundPolicy); fan A buys seats 1 and 2 and returns seat 2, fan B buys a standing place and
   * returns it (direct returnTicket transactions).
   */
  let show: Promise<Address> | undefined;
  const seatedShow = () => (show ??= makeSeatedShow());
  const SHOW_PRICE = parseEther("0.02");
  async function makeSeatedShow(): Promise<Address> {
    const now = Number((await stack.clients.publicClient.getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const start = now + 12 * 86_400;
    const tiers = [
      { name: "Stalls", price: SHOW_PRICE, supply: 1, saleStart: now - 3600, saleEnd: start },
      { name: "Standing", price: SHOW_PRICE / 2n, supply: 50, saleStart: now - 3600, saleEnd: start },
    ];
    const spec = { name: "Holds Hall", symbol: "HH", start, end: start + 3 * 3600 };
    const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#a16207"/></svg>';
    const metadataURI = await session.publish({ ...spec, description: "Seats held back, given away and returned.", venue: "Holds Hall", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
    const event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI, policy: 1, giftsPerHolder: 2 }, tiers);
    const section = (name: string) => `0x${Buffer.from(name).toString("hex").padEnd(32, "0")}`;
    await send(organizer, event, "setSeatMap", [
      1n,
      [
        { section: section("Stalls"), firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 8, letteredRows: true },
        { section: section("Box"), firstRow: 1, rows: 1, firstSeat: 1, seatsPerRow: 4, letteredRows: false },
      ],
    ]);
    await send(organizer, event, "setRefundPolicy", [[{ secondsBefore: 86_400, shareBps: 7_500 }], false]);
    const seats = purchaseOptions({ seats: [1n, 2n], maxTotal: 2n * SHOW_PRICE });
    await send(fanA, event, "buyWith", [1n, 2n, fanA.address, seats], 2n * SHOW_PRICE);
    await send(fanB, event, "buy", [2n, 1n, fanB.address, SHOW_PRICE / 2n], SHOW_PRICE / 2n);
    await send(fanA, event, "returnTicket", [1_000_002n]);
    await send(fanB, event, "returnTicket", [2_000_001n]);
    await stack.waitForIndex();
    return event;
  }

  /** The organizer's console at `path` (under /organizer/<event>), signed in with SIWE. */
  async function console_(event: Address, tab = "", opts: PersonaOptions = {}): Promise<Page> {
    const page = await persona(organizer, `/organizer/${event}${tab ? `/${tab}` : ""}`, opts);
    await signIn(page);
    await page.getByTestId("console-title").waitFor();
    return page;
  }

  it("the wizard creates a USDC event with a seated tier and a timed tier with an early price; each transaction shows its progress", async function () {
    const usdc = stack.platform.usdc;
    const page = await persona(organizer, "/organizer/new");
    await signIn(page);
    const states = await recordTxStates(page);
    const now = Math.floor(Date.now() / 1000);
    const start = now + 5 * 86_400;
    await fillEventStep(page, { name: "E2E Expo", description: "Seats on the floor, timed entry for the hall.", venue: "Test Expo Hall", start, end: start + 6 * 3600, color: "#0f766e" });
    await wizardNext(page, "tickets");
    await page.getByTestId("currency").selectOption("usdc");
    // Tier 1: adults, 2 × 10 seats on the floor (the seat count must match the supply).
    await page.getByTestId("tier-kind-0").selectOption("adult");
    expect(await page.getByTestId("tier-name-0").inputValue()).to.equal("Adult");
    await page.getByTestId("tier-price-0").fill("12.5");
    await page.getByTestId("tier-supply-0").fill("20");
    await page.getByTestId("tier-0").locator("details.tier-options > summary").click(); // "More options"
    await page.getByTestId("tier-seated-0").check();
    await page.getByTestId("tier-0-section-0").fill("Floor");
    await page.getByTestId("tier-0-rows-0").fill("2");
    await page.getByTestId("tier-0-seats-0").fill("10");
    await waitForText(page.getByTestId("tier-seat-count-0"), "20");
    // Tier 2: children, a timed entry slot and an early price for the next day.
    await page.getByTestId("add-tier").click();
    await page.getByTestId("tier-kind-1").selectOption("child");
    await page.getByTestId("tier-price-1").fill("6");
    await page.getByTestId("tier-supply-1").fill("50");
    await page.getByTestId("tier-1").locator("details.tier-options > summary").click();
    await page.getByTestId("tier-early-price-1").fill("5");
    await page.getByTestId("tier-early-until-1").fill(localInput(now + 86_400));
    await page.getByTestId("tier-entry-start-1").fill(localInput(start));
    await page.getByTestId("tier-entry-end-1").fill(localInput(start + 2 * 3600));
    await screenshot(page, "organizer-create-seats-slots", { fullPage: true });
    await wizardNext(page, "rules");
    await page.getByTestId("royalty").fill("4");
    await page.getByTestId("resale-cap").fill("100");
    // Capped unless the organizer chooses otherwise (under Open the cap would bind nothing).
    expect(await page.getByTestId("policy").inputValue(), "the default policy").to.equal("capped");
    await page.getByTestId("policy").selectOption("open");
    await wizardNext(page, "review");
    // The review says what will be created: both tiers with their seats, slot and early price.
    const tiers = await page.getByTestId("review-tiers").innerText();
    expect(tiers).to.contain("Adult: 12.50 USDC × 20").and.contain("20 seats for 20 tickets");
    expect(tiers).to.contain("Child: 6.00 USDC × 50").and.contain("early price 5.00 USDC").and.contain("entry ");
    const event = await createFromWizard(page);

    // Three transactions (create, the child tier's options, the seat map), each seen signing, then pending, then confirmed.
    const seen = Object.values(await states());
    expect(seen, JSON.stringify(seen)).to.have.length(3);
    for (const steps of seen) expect(steps).to.deep.equal(["signing", "pending", "confirmed"]);

    const info = await read<{ currency: Address; royaltyBps: number; resaleCapBps: number; policy: number; start: bigint }>(event, "eventInfo");
    expect(info).to.include({ currency: usdc, royaltyBps: 400, resaleCapBps: 10_000, policy: 0 });
    expect((await read<{ name: string; price: bigint; supply: number }>(event, "tier", [1n])).price).to.equal(12_500_000n);
    expect(await read<{ name: string; price: bigint; supply: number }>(event, "tier", [2n])).to.include({ name: "Child", price: 6_000_000n, supply: 50 });
    const options = await read<{ earlyPrice: bigint; earlyUntil: number; entryStart: number; entryEnd: number }>(event, "tierOptions", [2n]);
    expect(options).to.include({ earlyPrice: 5_000_000n, entryStart: start - (start % 60), entryEnd: start - (start % 60) + 7200 });
    await page.context().close();

    // What a fan sees: the seat map with "Floor" rows A and B, the slot and the early price in USDC.
    const fan = await persona(fanA, `/events/${event}`);
    await waitForText(fan.getByTestId("tier-2").locator(".price"), "5.00 USDC");
    expect(await fan.getByTestId("tier-2").locator(".price s").innerText()).to.contain("6.00 USDC");
    expect(await fan.getByTestId("tier-2").locator(".slot").count()).to.equal(1);
    await fan.getByTestId("buy-1").click();
    await fan.getByTestId("seat-20").waitFor();
    expect(await fan.getByTestId("seat-1").getAttribute("title")).to.equal("Floor, Row A, Seat 1");
    expect(await fan.getByTestId("seat-20").getAttribute("title")).to.equal("Floor, Row B, Seat 10");
    expect(await fan.getByTestId("seat-21").count()).to.equal(0);
    await fan.context().close();
  });

  it("Create waits for a platform fee it could not read: the review says its reads fail and are tried again; pressed then, the event is created once a read gets through", async function () {
    const page = await persona(organizer, "/organizer");
    await signIn(page);
    // Reads of the fee (alone or in a multicall) are dropped, then held, then let through.
    const feeCall = toFunctionSelector("platformFeeBps()").slice(2);
    let feeReads: "dropped" | "held" | "through" = "dropped";
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    await page.route("**/rpc", async (route) => {
      if (feeReads === "through" || !(route.request().postData() ?? "").includes(feeCall)) return route.fallback();
      if (feeReads === "dropped") return route.abort("connectionreset");
      held++;
      await released;
      return route.fallback();
    });
    await page.getByTestId("create-event-link").click();
    const states = await recordTxStates(page);
    const start = Math.floor(Date.now() / 1000) + 9 * 86_400;
    await fillEventStep(page, { name: "Fee Hall", description: "Created once the platform fee is read.", venue: "Fee Hall", start, end: start + 3 * 3600, color: "#b45309" });
    await wizardNext(page, "tickets");
    await page.getByTestId("tier-kind-0").selectOption("adult");
    await page.getByTestId("tier-price-0").fill("0.01");
    await page.getByTestId("tier-supply-0").fill("10");
    await wizardNext(page, "rules");
    await wizardNext(page, "review");
    await waitForText(page.getByTestId("review-fee-note"), "could not be read; check your connection. It is read again every few seconds.");
    expect(await page.getByTestId("review-fee").innerText()).to.equal("…");

    // The page reads it again on its own; that read hangs. Create, pressed meanwhile, waits for
    // the fee, says so, and sends nothing.
    feeReads = "held";
    await eventually(async () => held > 0, "the fee read again without a reload", 15_000);
    await page.getByTestId("create-event").click();
    await waitForText(page.getByTestId("review-fee-note"), "Reading the platform fee; the event is created as soon as it is known.");
    expect(await page.getByTestId("create-event").isDisabled(), "Create while it waits").to.equal(true);
    expect(Object.keys(await states()), "transactions before the fee is known").to.deep.equal([]);

    // The read gets through: the event is created without pressing Create again.
    feeReads = "through";
    release();
    const event = await openedEventConsole(page);
    expect((await read<{ platformFeeBps: number }>(event, "eventInfo")).platformFeeBps).to.equal(Number(await stack.clients.publicClient.readContract({ address: stack.platform.factory, abi: ticketFactoryAbi, functionName: "platformFeeBps" })));
    await page.context().close();
  });

  it("time zone and refund policy: the wizard reads every time on the venue's clock (Asia/Shanghai, from a UTC browser); the chain gets those instants and a two-step refund policy, the metadata the zone and the policy", async function () {
    const page = await persona(organizer, "/organizer/new");
    await signIn(page);
    const states = await recordTxStates(page);
    // A day three weeks ahead: 20:00 in Shanghai (UTC+8, no DST) is 12:00 UTC.
    const day = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
    const [y, m, d] = day.split("-").map(Number);
    const noonUtc = Date.UTC(y!, m! - 1, d!, 12) / 1000;
    expect(await page.getByTestId("event-timezone").inputValue(), "the organizer's own zone by default").to.equal("UTC");
    await page.getByTestId("event-timezone").selectOption("Asia/Shanghai");
    await page.getByTestId("event-name").fill("Zoned Night");
    await page.getByTestId("event-description").fill("An evening on the Bund, times at the venue.");
    await page.getByTestId("venue-name").fill("Bund Stage");
    await page.getByTestId("event-start").fill(`${day}T20:00`);
    await page.getByTestId("event-end").fill(`${day}T23:00`);
    expect(await page.getByTestId("timezone-help").innerText()).to.contain("Asia/Shanghai");
    await page.getByTestId("artwork").setInputFiles({ name: "poster.svg", mimeType: "image/svg+xml", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#b91c1c"/></svg>') });
    await page.getByTestId("artwork-preview").waitFor();
    await wizardNext(page, "tickets");
    await page.getByTestId("tier-name-0").fill("Standing");
    await page.getByTestId("tier-price-0").fill("0.01");
    await page.getByTestId("tier-supply-0").fill("100");
    // An entry slot and the sale's end, on the same clock.
    await page.getByTestId("tier-0").locator("details.tier-options > summary").click();
    await page.getByTestId("tier-entry-start-0").fill(`${day}T19:00`);
    await page.getByTestId("tier-entry-end-0").fill(`${day}T21:00`);
    await page.getByTestId("tier-sale-end-0").fill(`${day}T18:00`);
    await wizardNext(page, "rules");
    // Returns: a full refund until 3 days before the start, half until 12 hours before, none after.
    expect(await page.getByTestId("refund-policy").inputValue(), "no returns by default").to.equal("none");
    await page.getByTestId("refund-policy").selectOption("steps");
    await page.getByTestId("refund-before-0").fill("3");
    expect(await page.getByTestId("refund-unit-0").inputValue(), "in days by default").to.equal("days");
    await page.getByTestId("refund-share-0").fill("100");
    await page.getByTestId("add-refund-step").click();
    await page.getByTestId("refund-before-1").fill("12");
    await page.getByTestId("refund-unit-1").selectOption("hours");
    await page.getByTestId("refund-share-1").fill("50");
    await wizardNext(page, "review");
    // The review says it at the venue, and on the organizer's (UTC) clock.
    expect(await page.getByTestId("review-when").innerText()).to.match(/8:00 PM – 11:00 PM GMT\+8 \(12:00 PM – 3:00 PM your time\)$/);
    // The policy in words, each deadline at the venue too; the timed tier counts from its slot.
    const atVenue = (seconds: number) => formatZoned(seconds, { locale: "en-US", zone: "Asia/Shanghai", reader: "UTC" });
    expect(await page.getByTestId("review-refunds").innerText()).to.equal(
      `Returns: full refund until 3 days before the start (${atVenue(noonUtc - 3 * 86_400)}); 50% until 12 hours before the start (${atVenue(noonUtc - 12 * 3600)}); none after. Ticket types with an entry slot count from the start of their slot.`,
    );
    await screenshot(page, "organizer-create-time-zone", { fullPage: true });
    const event = await createFromWizard(page);

    const info = await read<{ start: number; end: number; metadataURI: string }>(event, "eventInfo");
    expect(Number(info.start), "20:00 in Shanghai").to.equal(noonUtc);
    expect(Number(info.end), "23:00 in Shanghai").to.equal(noonUtc + 3 * 3600);
    expect(Number((await read<{ saleEnd: number }>(event, "tier", [1n])).saleEnd), "18:00 in Shanghai").to.equal(noonUtc - 2 * 3600);
    const options = await read<{ entryStart: number; entryEnd: number }>(event, "tierOptions", [1n]);
    expect([Number(options.entryStart), Number(options.entryEnd)], "19:00–21:00 in Shanghai").to.deep.equal([noonUtc - 3600, noonUtc + 3600]);
    const metadata = (await (await fetch(`${stack.serverUrl}/ipfs/${info.metadataURI.slice("ipfs://".length)}`)).json()) as { timezone?: string; start_time: number; refundPolicy?: unknown };
    expect(metadata).to.include({ timezone: "Asia/Shanghai", start_time: noonUtc });
    // The refund policy on chain (no exchanges: the app offers none yet) and in the metadata.
    const policy = [
      { secondsBefore: 3 * 86_400, shareBps: 10_000 },
      { secondsBefore: 12 * 3600, shareBps: 5_000 },
    ];
    const [steps, exchanges] = await read<[{ secondsBefore: number; shareBps: number }[], boolean]>(event, "refundPolicy");
    expect([steps.map((step) => ({ secondsBefore: Number(step.secondsBefore), shareBps: Number(step.shareBps) })), exchanges]).to.deep.equal([policy, false]);
    expect(metadata.refundPolicy).to.deep.equal({ steps: policy });
    // Its own step in the progress: create, the refund policy, the tier's entry slot; each signed, sent and confirmed.
    const seen = Object.values(await states());
    expect(seen, JSON.stringify(seen)).to.have.length(3);
    for (const steps of seen) expect(steps).to.deep.equal(["signing", "pending", "confirmed"]);
    // The console shows the event at the venue, labelled, with the organizer's time beside it.
    await waitForText(page.getByTestId("console-when"), "GMT+8");
    expect(await page.getByTestId("console-when").innerText()).to.match(/8:00 PM – 11:00 PM GMT\+8 \(12:00 PM – 3:00 PM your time\)$/);
    await page.context().close();
  });

  it("the wizard checks each step on Next: it stays, says beside each field what is wrong and focuses the first; fixed, it goes on; Back keeps what was typed", async function () {
    const page = await persona(organizer, "/organizer/new");
    await signIn(page);
    const start = Math.floor(Date.now() / 1000) + 10 * 86_400;
    const artwork = { name: "poster.svg", mimeType: "image/svg+xml", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#7c3aed"/></svg>') };

    // Step 1, the event: it ends before it starts, and has no artwork.
    await page.getByTestId("event-name").fill("Checked Fair");
    await page.getByTestId("event-description").fill("A fair whose wizard is filled in wrong first.");
    await page.getByTestId("venue-name").fill("Check Hall");
    await page.getByTestId("event-start").fill(localInput(start));
    await page.getByTestId("event-end").fill(localInput(start - 3600));
    await page.getByTestId("wizard-next").click();
    await page.getByTestId("event-end-problem").waitFor();
    expect(await currentStep(page), "Next stays on the step").to.equal("event");
    expect(await problemOf(page, "event-end")).to.equal("The end must be after the start.");
    expect(await problemOf(page, "artwork")).to.equal("Upload the artwork.");
    expect(await problemOf(page, "event-name"), "a good field is not marked").to.equal(null);
    expect(await focusedField(page), "the focus is on the first field with a problem").to.equal("event-end");
    expect(await page.getByTestId("step-problems").innerText()).to.equal("Fix the 2 marked fields to go on.");
    await screenshot(page, "organizer-create-step-problems");
    // A fixed field loses its message as it is fixed; with both fixed, Next goes on.
    await page.getByTestId("event-end").fill(localInput(start + 4 * 3600));
    await page.getByTestId("event-end-problem").waitFor({ state: "detached" });
    expect(await problemOf(page, "event-end")).to.equal(null);
    await page.getByTestId("artwork").setInputFiles(artwork);
    await page.getByTestId("artwork-preview").waitFor();
    await wizardNext(page, "tickets");
    expect(await page.evaluate(() => document.activeElement?.id), "the new step's heading has the focus").to.equal("wizard-step-title");

    // Step 2, the tickets: no name, a price that is not one, no tickets, an entry slot with no end
    // (among the tier's options, folded away again).
    await page.getByTestId("tier-price-0").fill("ten");
    await page.getByTestId("tier-supply-0").fill("0");
    const options = page.getByTestId("tier-0").locator("details.tier-options");
    await options.locator("summary").click();
    await page.getByTestId("tier-entry-start-0").fill(localInput(start));
    await options.locator("summary").click();
    await page.getByTestId("wizard-next").click();
    await page.getByTestId("tier-name-0-problem").waitFor();
    expect(await currentStep(page)).to.equal("tickets");
    expect(await problemOf(page, "tier-name-0")).to.equal("Give the ticket type a name.");
    expect(await problemOf(page, "tier-price-0")).to.contain("Enter a price");
    expect(await problemOf(page, "tier-supply-0")).to.equal("Supply must be at least 1.");
    expect(await problemOf(page, "tier-entry-end-0")).to.equal("Set when the entry slot ends.");
    expect(await options.getAttribute("open"), "options holding a problem unfold").to.not.equal(null);
    expect(await focusedField(page)).to.equal("tier-name-0");
    await screenshot(page, "organizer-create-tier-problems");

    // Back: step 1 as typed, the artwork still there; then step 2 as it was left, messages included.
    await page.getByTestId("wizard-back").click();
    await page.locator('.wizard-progress li[aria-current="step"][data-step="event"]').waitFor();
    expect(await page.getByTestId("event-name").inputValue()).to.equal("Checked Fair");
    expect(await page.getByTestId("event-end").inputValue()).to.equal(localInput(start + 4 * 3600));
    await page.getByTestId("artwork-preview").waitFor();
    await wizardNext(page, "tickets");
    expect(await page.getByTestId("tier-price-0").inputValue()).to.equal("ten");
    expect(await page.getByTestId("tier-entry-start-0").inputValue()).to.equal(localInput(start));
    expect(await problemOf(page, "tier-supply-0")).to.equal("Supply must be at least 1.");
    await page.getByTestId("tier-name-0").fill("General");
    await page.getByTestId("tier-price-0").fill("0.02");
    await page.getByTestId("tier-supply-0").fill("40");
    await options.locator("summary").click();
    await page.getByTestId("tier-entry-end-0").fill(localInput(start + 3600));
    await wizardNext(page, "rules");

    // Step 3, the rules: a royalty above the contract's 10 %.
    await page.getByTestId("royalty").fill("12");
    await page.getByTestId("wizard-next").click();
    await page.getByTestId("royalty-problem").waitFor();
    expect(await currentStep(page)).to.equal("rules");
    expect(await problemOf(page, "royalty")).to.equal("The royalty must be a percentage between 0 and 10.");
    expect(await focusedField(page)).to.equal("royalty");
    await page.getByTestId("royalty").fill("7.5");
    // The refund policy, row by row: each deadline later and each share smaller than the row
    // above's, a whole number of days or hours, 0.01 to 100 %.
    await page.getByTestId("refund-policy").selectOption("steps");
    await page.getByTestId("refund-before-0").fill("2");
    await page.getByTestId("refund-share-0").fill("50");
    await page.getByTestId("add-refund-step").click();
    await page.getByTestId("refund-before-1").fill("3");
    await page.getByTestId("refund-share-1").fill("80");
    await page.getByTestId("add-refund-step").click();
    await page.getByTestId("refund-before-2").fill("soon");
    await page.getByTestId("refund-unit-2").selectOption("hours");
    await page.getByTestId("refund-share-2").fill("0");
    await page.getByTestId("wizard-next").click();
    await page.getByTestId("refund-before-1-problem").waitFor();
    expect(await currentStep(page)).to.equal("rules");
    expect(await problemOf(page, "royalty"), "fixed").to.equal(null);
    expect(await problemOf(page, "refund-before-0")).to.equal(null);
    expect(await problemOf(page, "refund-share-0")).to.equal(null);
    expect(await problemOf(page, "refund-before-1")).to.equal("Each deadline must be closer to the start than the one above: fewer days or hours before.");
    expect(await problemOf(page, "refund-share-1")).to.equal("Each refund must be smaller than the one above.");
    expect(await problemOf(page, "refund-before-2")).to.equal("Enter a whole number of days or hours (0: until the start).");
    expect(await problemOf(page, "refund-share-2")).to.equal("The refund must be a percentage from 0.01 to 100.");
    expect(await focusedField(page)).to.equal("refund-before-1");
    expect(await page.getByTestId("step-problems").innerText()).to.equal("Fix the 4 marked fields to go on.");
    await screenshot(page, "organizer-create-refund-problems", { fullPage: true });
    await page.getByTestId("refund-before-1").fill("1");
    await page.getByTestId("refund-share-1").fill("25");
    await page.getByTestId("refund-before-1-problem").waitFor({ state: "detached" });
    await page.getByTestId("remove-refund-step-2").click();
    await wizardNext(page, "review");
    expect(await page.getByTestId("review-refunds").innerText()).to.contain("Returns: 50% until 2 days before the start (").and.contain("; 25% until 1 day before the start (");
    expect(await page.getByTestId("review-tiers").innerText()).to.contain("General: 0.02 ETH × 40");
    expect(await page.getByTestId("review-rules").innerText()).to.contain("royalty 7.5%");

    // The indicator goes back to any step, and forward only through complete ones.
    const indicator = (step: string) => page.locator(`.wizard-progress li[data-step="${step}"] button`);
    await indicator("event").click();
    await page.locator('.wizard-progress li[aria-current="step"][data-step="event"]').waitFor();
    await page.getByTestId("event-name").fill("");
    await indicator("review").click();
    await page.getByTestId("event-name-problem").waitFor();
    expect(await currentStep(page)).to.equal("event");
    expect(await problemOf(page, "event-name")).to.equal("Give the event a name.");
    await page.getByTestId("event-name").fill("Checked Fair");
    await indicator("review").click();
    await page.locator('.wizard-progress li[aria-current="step"][data-step="review"]').waitFor();
    expect(await page.getByTestId("review-rules").innerText()).to.contain("royalty 7.5%");
    await page.context().close();
  });

  it("uploads an allowlist CSV: the Merkle root and presale start land on chain, the server serves proofs to listed wallets only", async function () {
    const conference = demo().conference;
    const listed = stranger();
    const csv = ["address,allowance", `${fanD.address},2`, listed].join("\n"); // no allowance: 1
    const expected = buildAllowlist([
      { address: fanD.address, allowance: 2n },
      { address: listed, allowance: 1n },
    ]);
    const before = await read<{ presaleRoot: Hex }>(conference, "tierOptions", [1n]);
    expect(before.presaleRoot, "the demo's own allowlist").to.not.equal(expected.root);
    const presaleStart = (Math.floor(Date.now() / 60_000) - 10) * 60; // a minute, as the input takes it

    const page = await console_(conference, "offers");
    const tier = page.getByTestId("allowlist-1");
    // The console's time inputs are the venue's clock: the demo conference is in Shanghai.
    await page.getByTestId("presale-start-1").fill(unixToZoned(presaleStart, "Asia/Shanghai"));
    await page.getByTestId("allowlist-file-1").setInputFiles({ name: "early-access.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("allowlist-upload-1").click();
    await waitForText(page.getByTestId("allowlist-result-1"), expected.root);
    expect(await page.getByTestId("allowlist-result-1").innerText()).to.contain("2 addresses, Merkle root");
    await confirmed(page, { within: tier });
    await screenshot(tier, "organizer-allowlist-uploaded");

    const options = await read<{ presaleRoot: Hex; presaleStart: number }>(conference, "tierOptions", [1n]);
    expect(options.presaleRoot).to.equal(expected.root);
    expect(options.presaleStart).to.equal(presaleStart);
    // The console shows what the chain now holds (once the index caught up).
    await waitForText(tier.locator("p", { hasText: "Presale from" }), expected.root);

    const proofOf = (address: Address) => fetch(`${stack.serverUrl}/events/${conference}/allowlists/1/${address}`);
    const served = await proofOf(fanD.address);
    expect(served.status).to.equal(200);
    const body = (await served.json()) as { root: Hex; proof: Hex[]; allowance: string };
    expect(body).to.deep.equal({ root: expected.root, proof: expected.proofFor(fanD.address)!.proof, allowance: "2" });
    // The served proof opens the presale on chain: the listed fan's presale purchase simulates.
    const price = (await read<{ price: bigint }>(conference, "tier", [1n])).price;
    await stack.clients.publicClient.simulateContract({
      address: conference,
      abi: chainpassEventAbi,
      functionName: "buyWith",
      args: [1n, 2n, fanD.address, purchaseOptions({ proof: body.proof, allowance: 2n, maxTotal: price * 2n })],
      account: fanD,
      value: price * 2n,
    } as never);
    // fan A was on the demo's list, which this upload replaced.
    const refused = await proofOf(fanA.address);
    expect(refused.status).to.equal(404);
    expect(((await refused.json()) as { error: string }).error).to.equal("not-listed");
    await page.context().close();

    // The listed fan's event page finds the wallet on the presale list.
    const fan = await persona(fanD, `/events/${conference}`);
    await fan.locator('[data-testid="tier-1"][data-state="presale"]').waitFor();
    await fan.locator('[data-testid="eligible-1"].ok').waitFor();
    await screenshot(fan.getByTestId("tier-1"), "fan-presale-eligible");
    await fan.context().close();
  });

  it("deny list: adds two accounts, removes one, and the denied fan's checkout is refused with the decoded error", async function () {
    const concert = demo().concert;
    const other = stranger();
    const page = await console_(concert, "deny");
    await page.getByTestId("deny-addresses").fill(`${fanD.address}\n${other}`);
    await page.getByTestId("deny-add").click();
    await confirmed(page);
    expect(await read<boolean>(concert, "isDenied", [fanD.address])).to.equal(true);
    expect(await read<boolean>(concert, "isDenied", [other])).to.equal(true);
    const list = page.getByTestId("deny-list");
    await waitForText(list, lower(fanD.address));
    await waitForText(list, lower(other));
    expect(await list.locator("li").count()).to.equal(2);
    await screenshot(page, "organizer-deny-list");

    const mark = await txMark(page);
    await list.locator("li", { hasText: lower(other) }).getByTestId("deny-remove").click();
    await confirmed(page, { after: mark });
    expect(await read<boolean>(concert, "isDenied", [other])).to.equal(false);
    expect(await read<boolean>(concert, "isDenied", [fanD.address])).to.equal(true);
    await eventually(async () => (await list.locator("li").count()) === 1, "the removed account leaves the list");
    expect(await list.innerText()).to.contain(lower(fanD.address)).and.not.contain(lower(other));
    await page.context().close();

    const sold = (await read<{ sold: number }>(concert, "tier", [1n])).sold;
    const fan = await persona(fanD, `/events/${concert}/checkout/1`);
    await fan.getByTestId("quantity").fill("1");
    await waitForText(fan.getByTestId("total"), "ETH");
    await fan.getByTestId("buy").click();
    const refused = await lastTx(fan);
    expect(refused.state).to.equal("failed");
    expect(refused.error).to.equal("AddressDenied");
    expect(refused.text).to.contain("deny list").and.contain(fanD.address);
    await screenshot(fan, "fan-denied-checkout");
    expect((await read<{ sold: number }>(concert, "tier", [1n])).sold).to.equal(sold);
    expect(await read<bigint>(concert, "purchased", [1n, fanD.address])).to.equal(0n);
    await fan.context().close();
  });

  it("deny list: a list longer than one transaction may carry goes in two, each a step of its own", async function () {
    // lib/transaction-gas.ts: 2^24 gas a transaction (EIP-7825, which Hardhat's node enforces).
    const concert = demo().concert;
    const accounts = Array.from({ length: PER_TRANSACTION.setDenied + 1 }, stranger);
    const page = await console_(concert, "deny");
    await page.getByTestId("deny-addresses").fill(accounts.join("\n"));
    // Every time the Deny button turns enabled again, the steps on screen then: between the two
    // parts (the first confirmed, the lists refetching) it must stay disabled, or a
    // second click would send a part again.
    await page.evaluate(() => {
      const enabledWithSteps: number[] = [];
      Object.assign(window, { enabledWithSteps });
      let wasDisabled = false;
      new MutationObserver(() => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="deny-add"]');
        if (!button || button.disabled) wasDisabled = true;
        else if (wasDisabled) {
          wasDisabled = false;
          enabledWithSteps.push(document.querySelectorAll('[data-testid="tx-status"] li').length);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId("deny-add").click();
    const steps = page.getByTestId("tx-status").locator("li");
    await waitForText(steps.first(), `Deny ${accounts.length} account(s) (1/2)`);
    await waitForText(steps.nth(1), `Deny ${accounts.length} account(s) (2/2)`);
    await confirmed(page);
    expect(await steps.count()).to.equal(2);
    await eventually(() => page.getByTestId("deny-add").isEnabled(), "the Deny button enabled once the list is sent");
    const enabledWithSteps = await page.evaluate(() => (window as unknown as { enabledWithSteps: number[] }).enabledWithSteps);
    expect(enabledWithSteps.length, "times the Deny button turned enabled again").to.be.greaterThan(0);
    expect(enabledWithSteps.filter((n) => n !== 2), "steps on screen when the Deny button turned enabled before both were sent").to.deep.equal([]);
    expect(await steps.first().getAttribute("data-state")).to.equal("confirmed");
    for (const account of [accounts[0], accounts[PER_TRANSACTION.setDenied - 1], accounts[PER_TRANSACTION.setDenied]]) {
      expect(await read<boolean>(concert, "isDenied", [account]), account).to.equal(true);
    }
    await page.context().close();
  });

  it("pauses a tier: paused on chain and not buyable on the fan's page; resumes it", async function () {
    const concert = demo().concert;
    const page = await console_(concert, "settings");
    const toggle = page.getByTestId("pause-tier-1");
    await waitForText(toggle, "Pause");
    let mark = await txMark(page);
    await toggle.click();
    await confirmed(page, { after: mark });
    expect((await read<{ paused: boolean }>(concert, "tier", [1n])).paused).to.equal(true);
    await waitForText(toggle, "Resume");
    await screenshot(page, "organizer-tier-paused");

    const fan = await persona(fanA, `/events/${concert}`);
    const card = fan.locator('[data-testid="tier-1"][data-state="paused"]');
    await card.waitFor();
    expect(await card.innerText()).to.contain("Sales paused");
    expect(await fan.getByTestId("buy-1").evaluate((el) => el.tagName === "BUTTON" && (el as HTMLButtonElement).disabled)).to.equal(true);
    // Other tiers of the event stay on sale.
    await fan.locator('[data-testid="tier-4"][data-state="open"]').waitFor();
    await screenshot(fan, "fan-tier-paused");

    mark = await txMark(page);
    await toggle.click();
    await confirmed(page, { after: mark });
    expect((await read<{ paused: boolean }>(concert, "tier", [1n])).paused).to.equal(false);
    await waitForText(toggle, "Pause");
    await fan.reload();
    await fan.locator('[data-testid="tier-1"][data-state="open"]').waitFor();
    expect(await fan.getByTestId("buy-1").evaluate((el) => el.tagName)).to.equal("A");
    await fan.context().close();
    await page.context().close();
  });

  it("revokes a gate account granted a moment before: hasRole is false on chain and it leaves the staff list", async function () {
    const museum = demo().museum;
    const scanner = stranger();
    const gateRole = await read<Hex>(museum, "GATE_ROLE");
    const page = await console_(museum, "staff");
    await page.getByTestId("staff-address").fill(scanner);
    await page.getByTestId("grant-gate").click();
    await confirmed(page);
    expect(await read<boolean>(museum, "hasRole", [gateRole, scanner])).to.equal(true);
    const row = page.getByTestId("staff-list").getByTestId("staff-row").filter({ hasText: lower(scanner) });
    await row.waitFor();
    expect(await row.getAttribute("data-gate")).to.equal("true");
    await screenshot(page, "organizer-staff-granted");

    const mark = await txMark(page);
    await row.getByTestId("revoke-gate").click();
    await confirmed(page, { after: mark });
    expect(await read<boolean>(museum, "hasRole", [gateRole, scanner])).to.equal(false);
    await row.waitFor({ state: "detached" });
    // The demo's gate staff keep their role.
    expect(await read<boolean>(museum, "hasRole", [gateRole, gateWriter.address])).to.equal(true);
    await page.getByTestId("staff-row").filter({ hasText: lower(gateWriter.address) }).waitFor();
    await screenshot(page, "organizer-staff-revoked");
    await page.context().close();
  });

  it("shows a voucher code as a QR that decodes to the code, and copies the code to the clipboard", async function () {
    const conference = demo().conference;
    const code = "WELCOME10";
    const page = await console_(conference, "offers");
    const row = page.locator(`[data-testid="voucher-row"][data-code="${code}"]`);
    await row.waitFor();
    // The uses column is the chain's count (voucherUses), not the server's.
    const [used, revoked] = await read<readonly [bigint, boolean]>(conference, "voucherUses", [codeIdFor(code)]);
    expect(revoked).to.equal(false);
    await waitForText(row.getByTestId("voucher-uses"), `${used} / 100`);

    await row.locator("summary").click();
    const qr = row.getByTestId("voucher-qr");
    await qr.waitFor();
    expect(await decodeQrImage(qr)).to.equal(code);
    await screenshot(row, "organizer-voucher-qr");

    await row.getByTestId("copy-code").click();
    await waitForText(row.getByTestId("copy-code"), "Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(code);
    // What a fan types is what the server redeems.
    const stored = await fetch(`${stack.serverUrl}/events/${conference}/vouchers/${code}`);
    expect(stored.status).to.equal(200);
    expect(((await stored.json()) as { code: string }).code).to.equal(code);
    await page.context().close();
  });

  it("exports the sales and attendance CSVs, row for row what the chain's logs say", async function () {
    const { concert, museum } = demo();
    const client = stack.clients.publicClient;
    const time = async (blockNumber: bigint) => new Date(Number((await client.getBlock({ blockNumber })).timestamp) * 1000).toISOString();
    const tierName = async (event: Address, tokenId: bigint) => (await read<{ name: string }>(event, "tier", [tokenId / 1_000_000n])).name;

    // Sales of the concert: one row per purchase, from TicketsPurchased and the mints beside it,
    // and the points a member spent on it (the membership contract's PointsSpent in its transaction).
    const concertLogs = parseEventLogs({ abi: chainpassEventAbi, logs: await client.getLogs({ address: concert, fromBlock: 0n }) });
    const spentLogs = parseEventLogs({ abi: chainpassMembershipAbi, eventName: "PointsSpent", logs: await client.getLogs({ address: stack.platform.membership, fromBlock: 0n }) });
    const sales: string[][] = [];
    for (const l of concertLogs) {
      if (l.eventName !== "TicketsPurchased") continue;
      const tokens = concertLogs.flatMap((t) => (t.eventName === "Transfer" && t.transactionHash === l.transactionHash && t.args.from === zeroAddress ? [t.args.tokenId] : []));
      const spent = spentLogs.find((p) => p.transactionHash === l.transactionHash);
      // No channel sold these: an empty channel and no commission.
      sales.push([
        await time(l.blockNumber),
        "Primary",
        await tierName(concert, tokens[0]),
        tokens.join(" "),
        lower(l.args.buyer),
        String(l.args.quantity),
        formatEther(l.args.totalPaid),
        "",
        "0",
        String(spent ? spent.args.pointsPerTicket * spent.args.quantity : 0n),
      ]);
    }
    expect(sales, "the demo's five concert purchases").to.have.length(5);
    // The buyer's member level when they bought is the index's (empty: not a member), in the same order.
    const exported = await queryIndex<OrganizerExport>(`${stack.appUrl}${LOCALHOST.indexUrl}`, ORGANIZER_EXPORT, { event: lower(concert) });
    const levels = exported.event!.sales.map((s) => (s.memberLevel === null ? "" : String(s.memberLevel)));

    const page = await console_(concert);
    await page.getByTestId("stat-sold").waitFor();
    const [salesFile] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-sales").click()]);
    expect(salesFile.suggestedFilename()).to.equal(`HLL-${lower(concert).slice(2, 8)}-sales.csv`);
    const salesCsv = parseCsv(await readFile(await salesFile.path(), "utf8"));
    expect(salesCsv[0]).to.deep.equal(["time", "kind", "tier", "token", "buyer", "quantity", "amount_ETH", "channel", "commission_ETH", "member_level", "points_spent"]);
    expect(salesCsv.slice(1).map((row) => row.slice(0, 9).concat(row[10]!))).to.deep.equal(sales);
    expect(salesCsv.slice(1).map((row) => row[9])).to.deep.equal(levels);
    await screenshot(page, "organizer-overview-exports", { fullPage: false });
    await page.context().close();

    // Attendance of the museum: the gate writer's two admissions.
    const museumLogs = parseEventLogs({ abi: chainpassEventAbi, eventName: "CheckedIn", logs: await client.getLogs({ address: museum, fromBlock: 0n }) });
    const checkIns: string[][] = [];
    for (const l of museumLogs) {
      const { timestamp } = await client.getBlock({ blockNumber: l.blockNumber });
      checkIns.push([new Date(Number(timestamp) * 1000).toISOString(), String(l.args.tokenId), await tierName(museum, l.args.tokenId), lower(l.args.holder), lower(l.args.gate), "", ""]);
    }
    expect(checkIns.map((c) => c[1])).to.have.members(["1000001", "3000001"]);
    expect(checkIns.every((c) => c[3] === lower(fanB.address) && c[4] === lower(gateWriter.address))).to.equal(true);

    const museumPage = await console_(museum);
    await museumPage.getByTestId("stat-checked-in").waitFor();
    const [attendanceFile] = await Promise.all([museumPage.waitForEvent("download"), museumPage.getByTestId("export-attendance").click()]);
    expect(attendanceFile.suggestedFilename()).to.equal(`MOL-${lower(museum).slice(2, 8)}-attendance.csv`);
    const attendance = parseCsv(await readFile(await attendanceFile.path(), "utf8"));
    expect(attendance[0]).to.deep.equal(["time", "token", "tier", "holder", "gate", "undone_at", "undone_by"]);
    expect(attendance.slice(1)).to.have.deep.members(checkIns);
    expect(attendance).to.have.length(3);
    await museumPage.context().close();
  });

  it("draws the dashboard's four charts for an event with sales and check-ins, with tables that match the chain", async function () {
    const museum = demo().museum;
    const page = await console_(museum);
    for (const id of ["chart-sales", "chart-inventory", "chart-checkins", "chart-revenue"]) {
      const chart = page.getByTestId(id);
      // recharts draws once ResponsiveContainer has measured its box: an SVG with marks in it.
      await chart.locator("svg.recharts-surface").first().waitFor();
      expect(await chart.locator(".recharts-bar-rectangle, .recharts-pie-sector").count(), `${id} has bars or sectors`).to.be.greaterThan(0);
    }
    await screenshot(page, "organizer-dashboard-charts", { fullPage: true });

    const tableRows = async (id: string) => {
      const chart = page.getByTestId(id);
      await chart.locator("summary").click();
      return chart.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent ?? "")));
    };
    // Inventory by tier: sold, checked in and available per tier, as the chain counts them.
    const client = stack.clients.publicClient;
    const museumLogs = parseEventLogs({ abi: chainpassEventAbi, logs: await client.getLogs({ address: museum, fromBlock: 0n }) });
    const admitted = museumLogs.flatMap((l) => (l.eventName === "CheckedIn" ? [l.args.tokenId / 1_000_000n] : []));
    const inventory = await tableRows("chart-inventory");
    expect(inventory).to.have.length(3);
    for (let tierId = 1n; tierId <= 3n; tierId++) {
      const tier = await read<{ name: string; sold: number; supply: number }>(museum, "tier", [tierId]);
      const checkedIn = admitted.filter((t) => t === tierId).length;
      expect(inventory[Number(tierId) - 1], tier.name).to.deep.equal([tier.name, String(tier.sold), String(checkedIn), String(tier.supply - tier.sold)]);
    }
    // Check-ins per hour add up to the admissions; the revenue split's primary part is every
    // purchase's payment (nothing refunded, nothing resold).
    const hours = await tableRows("chart-checkins");
    expect(hours.reduce((sum, r) => sum + Number(r[1]), 0)).to.equal(admitted.length).and.equal(2);
    const paid = museumLogs.reduce((sum, l) => sum + (l.eventName === "TicketsPurchased" ? l.args.totalPaid : 0n), 0n);
    const [whole, fraction = ""] = formatUnits(paid, 6).split(".");
    const split = await tableRows("chart-revenue");
    expect(split[0]).to.deep.equal(["Primary sales (net of refunds)", `${whole}.${fraction.padEnd(2, "0")} USDC`]);
    expect(paid).to.equal(63_500_000n); // the demo's museum tickets: 3 × 18.50 + 8.00 USDC
    await page.context().close();
  });

  it("seat holds: two seats and a whole block held from the map (held on chain, unavailable at the fan's checkout), one released, one given to a fan as a free ticket", async function () {
    const event = await seatedShow();
    const isHeld = (seat: number) => read<boolean>(event, "isSeatHeld", [1n, BigInt(seat)]);
    const isTaken = (seat: number) => read<boolean>(event, "isSeatTaken", [1n, BigInt(seat)]);
    const indexHeld = async () => (await queryIndex<SeatsTaken>(`${stack.appUrl}${LOCALHOST.indexUrl}`, SEATS_TAKEN, { tier: `${lower(event)}${(1n).toString(16).padStart(64, "0")}` })).heldSeats.map((h) => h.serial);
    const page = await console_(event, "seats");
    // Only the seated tier has a map; the standing tier is not offered.
    const tier = page.getByTestId("holds-1");
    await tier.getByTestId("seat-20").waitFor();
    expect(await page.getByTestId("holds-2").count()).to.equal(0);
    const seat = (n: number) => tier.getByTestId(`seat-${n}`);
    const stateOf = (n: number) => seat(n).getAttribute("data-state");
    // Sold, free (seat 2 was returned) and, once held, held seats: told apart by mark and label, not colour alone.
    expect([await stateOf(1), await seat(1).innerText(), await seat(1).getAttribute("aria-label")]).to.deep.equal(["taken", "×", "Stalls, Row A, Seat 1 (sold)"]);
    expect(await seat(1).isDisabled()).to.equal(true);
    expect([await stateOf(2), await seat(2).innerText()]).to.deep.equal(["free", "2"]);
    await waitForText(page.getByTestId("held-count-1"), "0 held");

    // Two seats, and the Box (seats 17-20) by its heading.
    await seat(3).click();
    await seat(4).click();
    await tier.getByTestId("seat-block-1").click();
    await waitForText(page.getByTestId("holds-selection-1"), "Selected: 6 free, 0 held.");
    expect(await seat(18).getAttribute("aria-pressed")).to.equal("true");
    // The heading again unselects the block; once more selects it.
    await tier.getByTestId("seat-block-1").click();
    await waitForText(page.getByTestId("holds-selection-1"), "Selected: 2 free, 0 held.");
    await tier.getByTestId("seat-block-1").click();
    expect(await page.getByTestId("release-1").isDisabled(), "nothing held selected").to.equal(true);
    await waitForText(page.getByTestId("hold-1"), "Hold (6)");
    let mark = await txMark(page, tier);
    await page.getByTestId("hold-1").click();
    await confirmed(page, { within: tier, after: mark });
    const heldSeats = [3, 4, 17, 18, 19, 20];
    for (const n of heldSeats) expect([n, await isHeld(n), await isTaken(n)]).to.deep.equal([n, true, true]);
    expect(await isHeld(5)).to.equal(false);
    expect(await indexHeld()).to.deep.equal(heldSeats);
    await waitForText(page.getByTestId("held-count-1"), "6 held");
    await eventually(async () => (await stateOf(3)) === "held", "seat 3 shown held");
    expect([await seat(3).innerText(), await seat(3).getAttribute("aria-label"), await seat(3).isDisabled()]).to.deep.equal(["◆", "Stalls, Row A, Seat 3 (held)", false]);
    expect(await page.getByTestId("holds-selection-1").innerText()).to.equal("No seat selected.");
    await screenshot(tier, "organizer-seat-holds");

    // The fan's checkout: every held seat unavailable, the seat beside them free.
    const fan = await persona(fanC, `/events/${event}/checkout/1`);
    await fan.getByTestId("seat-20").waitFor();
    for (const n of heldSeats) expect([n, await fan.getByTestId(`seat-${n}`).isDisabled(), await fan.getByTestId(`seat-${n}`).getAttribute("data-state")]).to.deep.equal([n, true, "taken"]);
    expect(await fan.getByTestId("seat-5").isDisabled()).to.equal(false);
    await screenshot(fan, "fan-checkout-held-seats");

    // Release one: seat 4 is free again on chain, in the index and on the map.
    await seat(4).click();
    await waitForText(page.getByTestId("holds-selection-1"), "Selected: 0 free, 1 held.");
    expect(await page.getByTestId("hold-1").isDisabled(), "nothing free selected").to.equal(true);
    mark = await txMark(page, tier);
    await page.getByTestId("release-1").click();
    await confirmed(page, { within: tier, after: mark });
    expect([await isHeld(4), await isTaken(4)]).to.deep.equal([false, false]);
    expect(await indexHeld()).to.deep.equal([3, 17, 18, 19, 20]);
    await waitForText(page.getByTestId("held-count-1"), "5 held");
    await eventually(async () => (await stateOf(4)) === "free", "seat 4 shown free");

    // Give seat 17 to fan C: a refused address first (nothing sent), then fan C's.
    await seat(17).click();
    const recipient = page.getByTestId("comp-recipient-1");
    await recipient.fill("0x1234");
    await page.getByTestId("give-1").click();
    await page.locator('[data-testid="comp-note-1"][data-state="refused"]').waitFor();
    expect(await recipient.getAttribute("aria-invalid")).to.equal("true");
    expect(await tier.locator('[data-testid="tx-status"] li').count(), "no transaction for a refused address").to.equal(2);
    await recipient.fill(fanC.address);
    mark = await txMark(page, tier);
    await page.getByTestId("give-1").click();
    await confirmed(page, { within: tier, after: mark });
    expect(await read<Address>(event, "ownerOf", [1_000_017n])).to.equal(fanC.address);
    expect(await read<bigint>(event, "pricePaid", [1_000_017n])).to.equal(0n);
    expect([await isHeld(17), await isTaken(17)]).to.deep.equal([false, true]);
    const [comp] = await stack.clients.publicClient.getContractEvents({ address: event, abi: chainpassEventAbi, eventName: "TicketsPurchased", args: { tierId: 1n }, fromBlock: "latest" });
    expect(comp.args).to.deep.include({ recipient: fanC.address, firstTokenId: 1_000_017n, quantity: 1n, totalPaid: 0n });
    expect(await indexHeld()).to.deep.equal([3, 18, 19, 20]);
    await waitForText(page.getByTestId("held-count-1"), "4 held");
    await eventually(async () => (await stateOf(17)) === "taken", "seat 17 shown sold");
    expect(await recipient.inputValue(), "the form cleared").to.equal("");
    await page.context().close();

    // The fan's map after a reload: seat 4 free again, seat 17 taken (by the comp).
    await fan.reload();
    await fan.getByTestId("seat-20").waitFor();
    expect(await fan.getByTestId("seat-4").isDisabled()).to.equal(false);
    expect(await fan.getByTestId("seat-17").isDisabled()).to.equal(true);
    await fan.context().close();
  });

  it("returns: the counters, the chart of returns per day (its table as the TicketReturned logs say) and the refunds CSV, for returns made on chain by fans", async function () {
    const event = await seatedShow();
    const client = stack.clients.publicClient;
    const returned = await client.getContractEvents({ address: event, abi: chainpassEventAbi, eventName: "TicketReturned", fromBlock: 0n });
    expect(returned.map((l) => [l.args.tokenId, l.args.holder])).to.deep.equal([
      [1_000_002n, fanA.address],
      [2_000_001n, fanB.address],
    ]);
    // What each refunded and kept adds up to its price; the policy's 75 % went back.
    const prices = [SHOW_PRICE, SHOW_PRICE / 2n];
    returned.forEach((l, i) => expect([l.args.refunded, l.args.kept]).to.deep.equal([(prices[i]! * 3n) / 4n, prices[i]! / 4n]));
    const kept = returned.reduce((s, l) => s + l.args.kept!, 0n);
    const refunded = returned.reduce((s, l) => s + l.args.refunded!, 0n);
    const timeOf = async (blockNumber: bigint) => Number((await client.getBlock({ blockNumber })).timestamp);

    const page = await console_(event);
    await waitForText(page.getByTestId("stat-returned"), "2");
    expect(await page.getByTestId("stat-kept").innerText()).to.equal(`${formatEther(kept)} ETH`);
    expect(await page.locator(".stat", { has: page.getByTestId("stat-returned") }).innerText()).to.contain(`${formatEther(refunded)} ETH refunded to holders`);

    const chart = page.getByTestId("chart-returns");
    await chart.locator("svg.recharts-surface").first().waitFor();
    expect(await chart.locator(".recharts-bar-rectangle").count(), "bars drawn").to.be.greaterThan(0);
    await screenshot(chart, "organizer-returns-chart");
    // The table: one row per UTC day of the logs, with the count, refunded and kept amounts.
    const days = new Map<number, { count: number; refunded: bigint; kept: bigint }>();
    for (const l of returned) {
      const day = Math.floor((await timeOf(l.blockNumber)) / 86_400) * 86_400;
      const d = days.get(day) ?? { count: 0, refunded: 0n, kept: 0n };
      days.set(day, { count: d.count + 1, refunded: d.refunded + l.args.refunded!, kept: d.kept + l.args.kept! });
    }
    const expected = [...days].sort(([a], [b]) => a - b).map(([day, d]) => [formatZoned(day, { locale: "en", zone: "UTC", shape: "date" }), String(d.count), `${formatEther(d.refunded)} ETH`, `${formatEther(d.kept)} ETH`]);
    await chart.locator("summary").click();
    const rows = await chart.locator("tbody tr").evaluateAll((trs) => trs.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent ?? "")));
    expect(rows).to.deep.equal(expected);
    expect(await chart.locator("thead th").allInnerTexts()).to.deep.equal(["Day", "Tickets returned", "Refunded", "Kept"]);

    // The refunds CSV: one row per refund with its kind, here the two returns.
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-refunds").click()]);
    expect(file.suggestedFilename()).to.equal(`HH-${lower(event).slice(2, 8)}-refunds.csv`);
    const csv = parseCsv(await readFile(await file.path(), "utf8"));
    expect(csv[0]).to.deep.equal(["time", "kind", "tier", "token", "holder", "recipient", "refunded_ETH", "kept_ETH", "released"]);
    const csvRows = [];
    for (const l of returned) {
      const tierName = (await read<{ name: string }>(event, "tier", [l.args.tokenId! / 1_000_000n])).name;
      csvRows.push([new Date((await timeOf(l.blockNumber)) * 1000).toISOString(), "Return", tierName, String(l.args.tokenId), lower(l.args.holder!), lower(l.args.holder!), formatEther(l.args.refunded!), formatEther(l.args.kept!), "true"]);
    }
    expect(csv.slice(1)).to.deep.equal(csvRows);
    await page.context().close();
  });

  it("on a phone (390 × 844) every console table is a list of cards: nothing scrolls sideways, each value led by its column's name", async function () {
    const { museum, conference } = demo();
    const checked: string[] = [];
    /** Every table of the page as laid out: the page's and each table's sideways overflow, and each cell with the name it shows. */
    const checkTables = async (page: Page, where: string) => {
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        tables: [...document.querySelectorAll<HTMLTableElement>("main table")].map((table) => {
          // The buttons' column is named for screen readers only: its cells show no name.
          const heads = [...table.querySelectorAll("thead th")].map((th) => (th.querySelector(".sr-only") ? null : th.textContent));
          return {
            id: table.getAttribute("data-testid") ?? table.closest("[data-testid]")?.getAttribute("data-testid") ?? "?",
            overflow: table.parentElement!.scrollWidth - table.parentElement!.clientWidth,
            headHeight: table.tHead!.getBoundingClientRect().height,
            cells: [...table.tBodies[0]!.rows].flatMap((row) =>
              [...row.cells].map((td, j) => {
                const name = getComputedStyle(td, "::before");
                const box = td.getBoundingClientRect();
                return { head: heads[j], label: td.dataset.label, content: name.content, display: name.display, visibility: name.visibility, width: box.width, right: box.right, text: td.textContent };
              }),
            ),
          };
        }),
      }));
      expect(layout.scrollWidth, `${where}: the page scrolls sideways`).to.be.at.most(layout.clientWidth);
      expect(layout.tables.length, `${where}: tables`).to.be.greaterThan(0);
      for (const table of layout.tables) {
        const at = `${where}, ${table.id}`;
        expect(table.overflow, `${at}: the table scrolls sideways`).to.be.at.most(0);
        expect(table.headHeight, `${at}: the header row is for screen readers only`).to.be.at.most(1);
        expect(table.cells.length, `${at}: cells`).to.be.greaterThan(0);
        for (const cell of table.cells) {
          expect(cell.right, `${at}: "${cell.text}" inside the screen`).to.be.at.most(layout.clientWidth);
          if (cell.head === null) continue;
          expect(cell.label, `${at}: "${cell.text}" is named after its column`).to.equal(cell.head);
          expect(cell.content, `${at}: "${cell.text}" shows its column's name`).to.equal(JSON.stringify(cell.head));
          expect([cell.display, cell.visibility, cell.width > 0], `${at}: "${cell.text}"'s name is visible`).to.deep.equal(["block", "visible", true]);
        }
        checked.push(at);
      }
    };

    const page = await console_(museum, "", { context: PHONE });
    // The dashboard's four charts, each with its table unfolded.
    await page.getByTestId("chart-revenue").locator("summary").waitFor();
    for (const summary of await page.locator("figure.chart summary").all()) await summary.click();
    await checkTables(page, "overview");
    await screenshot(page.getByTestId("chart-inventory"), "organizer-phone-chart-table");
    await page.getByTestId("tab-staff").click();
    await page.getByTestId("staff-row").first().waitFor();
    await checkTables(page, "staff");
    await screenshot(page.getByTestId("staff-list"), "organizer-phone-staff");
    await page.getByTestId("tab-checkIns").click();
    await page.getByTestId("check-in-row").first().waitFor();
    await page.getByTestId("check-in-gate").first().waitFor();
    await checkTables(page, "check-ins");
    await screenshot(page, "organizer-phone-check-ins");
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("pause-tier-1").waitFor();
    await checkTables(page, "settings");
    await page.context().close();

    const offers = await console_(conference, "offers", { context: PHONE });
    await offers.getByTestId("voucher-row").first().waitFor();
    await checkTables(offers, "offers");
    await screenshot(offers.getByTestId("voucher-list"), "organizer-phone-vouchers");
    await offers.context().close();

    // A seated show with returns: its dashboard's tables (the returns chart's among them; no
    // check-ins, so no table there), and the seat map, which pans inside its box, not the page.
    const hall = await console_(await seatedShow(), "", { context: PHONE });
    await hall.getByTestId("chart-returns").locator("summary").waitFor();
    for (const summary of await hall.locator("figure.chart summary").all()) await summary.click();
    await checkTables(hall, "returns overview");
    await screenshot(hall.getByTestId("chart-returns"), "organizer-phone-returns-table");
    await hall.getByTestId("tab-seats").click();
    await hall.getByTestId("holds-1").getByTestId("seat-20").waitFor();
    const widths = await hall.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(widths.scrollWidth, "seats: the page scrolls sideways").to.be.at.most(widths.clientWidth);
    await screenshot(hall, "organizer-phone-seat-holds");
    await hall.context().close();
    // Charts 4, staff 1, check-ins 2, settings 1, offers 1; the show's charts: sales, inventory, revenue, returns.
    // And sales by member level on the dashboard of an event in a membership program (the demo's museum).
    const memberLevels = checked.filter((c) => c.endsWith("chart-member-levels"));
    expect(memberLevels.every((c) => c === "overview, chart-member-levels"), checked.join("; ")).to.equal(true);
    expect(checked.length - memberLevels.length, checked.join("; ")).to.equal(13);
    expect(checked.filter((c) => c.startsWith("returns overview")), checked.join("; ")).to.have.length(4);
  });

  it("withdraws royalties at once; proceeds wait for settlement (the button says from when) and are withdrawn after it", async function () {
    const concert = demo().concert;
    const client = stack.clients.publicClient;
    const balance = () => client.getBalance({ address: organizer.address });
    const gasOf = async (hash: Hex) => {
      const receipt = await client.getTransactionReceipt({ hash });
      return receipt.gasUsed * receipt.effectiveGasPrice;
    };
    const info = await read<{ end: number; settlementDelay: number; platformFeeBps: number; payout: Address }>(concert, "eventInfo");
    expect(info.payout).to.equal(organizer.address);

    // A resale on the demo market: fan C buys fan B's listed standing ticket; 5 % is royalty.
    const listing = await read<{ price: bigint }>(concert, "listing", [1_000_004n]);
    expect(listing.price).to.equal(parseEther("0.044")); // the cap: 110% of the 0.04 it was bought for
    await send(fanC, concert, "buyListing", [1_000_004n, listing.price], listing.price);
    const [royalties] = await read<readonly [bigint, bigint]>(concert, "accruedRoyalties");
    expect(royalties).to.equal((listing.price * 500n) / 10_000n);
    const escrow = await read<bigint>(concert, "escrowBalance");
    expect(escrow).to.equal(parseEther("0.82")); // the demo's five concert purchases

    const page = await console_(concert, "settings");
    await waitForText(page.getByTestId("escrow-balance"), `${formatEther(escrow)} ETH`);
    await waitForText(page.getByTestId("accrued-royalties"), `${formatEther(royalties)} ETH`);
    // "Withdrawable from <date> (not yet)", in the Money section's facts.
    expect(await page.locator("dl.review", { has: page.getByTestId("escrow-balance") }).innerText()).to.contain("(not yet)");

    let before = await balance();
    let mark = await txMark(page);
    await page.getByTestId("withdraw-royalties").click();
    await confirmed(page, { after: mark });
    const [royaltyLog] = await client.getContractEvents({ address: concert, abi: chainpassEventAbi, eventName: "RoyaltiesWithdrawn", fromBlock: 0n });
    expect(royaltyLog.args.royalties).to.equal(royalties);
    expect((await balance()) - before).to.equal(royalties - (await gasOf(royaltyLog.transactionHash)));
    const platformFee = (listing.price * BigInt(info.platformFeeBps)) / 10_000n;
    expect(await read<readonly [bigint, bigint]>(concert, "accruedRoyalties")).to.deep.equal([0n, platformFee]);
    await eventually(async () => (await page.getByTestId("accrued-royalties").innerText()).trim() === "0 ETH", "accrued royalties shown as 0");
    // The resale's platform fee is separate: anyone may send it to the factory.
    await waitForText(page.getByTestId("pending-platform-fees"), `${formatEther(platformFee)} ETH`);
    mark = await txMark(page);
    await page.getByTestId("withdraw-platform-fees").click();
    await confirmed(page, { after: mark });
    expect(await read<readonly [bigint, bigint]>(concert, "accruedRoyalties")).to.deep.equal([0n, 0n]);

    // Before end + settlement delay the contract would refuse: the button says from when, and waits.
    const withdraw = page.getByTestId("withdraw");
    expect(await withdraw.isDisabled()).to.equal(true);
    expect(await withdraw.innerText()).to.match(/^Withdraw proceeds \(from .+\)$/);
    await screenshot(page, "organizer-withdraw-locked");
    expect(await read<bigint>(concert, "escrowBalance")).to.equal(escrow);
    await page.context().close();

    // Settlement: the chain's clock moves past end + delay, and the browser's clock with it.
    const availableAt = info.end + info.settlementDelay;
    const head = await client.getBlock();
    await rpc("evm_increaseTime", [availableAt - Number(head.timestamp) + 60]);
    await rpc("evm_mine");
    const chainNow = Number((await client.getBlock()).timestamp);
    expect(chainNow).to.be.greaterThan(availableAt);

    const later = await console_(concert, "settings", { prepare: (p) => p.clock.install({ time: chainNow * 1000 }) });
    await waitForText(later.getByTestId("escrow-balance"), `${formatEther(escrow)} ETH`);
    expect(await later.locator("dl.review", { has: later.getByTestId("escrow-balance") }).innerText()).to.not.contain("(not yet)");
    before = await balance();
    mark = await txMark(later);
    await later.getByTestId("withdraw").click();
    await confirmed(later, { after: mark });
    const [withdrawn] = await client.getContractEvents({ address: concert, abi: chainpassEventAbi, eventName: "ProceedsWithdrawn", fromBlock: head.number + 1n });
    const fee = (escrow * BigInt(info.platformFeeBps)) / 10_000n;
    expect(withdrawn.args).to.deep.include({ by: organizer.address, payout: organizer.address, amount: escrow - fee, platformFee: fee });
    expect((await balance()) - before).to.equal(escrow - fee - (await gasOf(withdrawn.transactionHash)));
    expect(await read<bigint>(concert, "escrowBalance")).to.equal(0n);
    await eventually(async () => (await later.getByTestId("escrow-balance").innerText()).trim() === "0 ETH", "escrow shown as 0");
    await screenshot(later, "organizer-withdrawn");
    // Over: the console no longer offers what the contract would refuse (EventAlreadyEnded).
    await later.getByTestId("cancel-ended").waitFor();
    expect(await later.getByTestId("cancel-event").count()).to.equal(0);
    expect(await later.getByTestId("pause-tier-1").isDisabled()).to.equal(true);
    await later.context().close();
  });

  it("cancels an event after a confirmation: cancelled on chain, and the fan's page says so and sells nothing", async function () {
    const conference = demo().conference;
    const page = await console_(conference, "settings");
    await page.getByTestId("cancel-event").click();
    const dialog = page.locator("dialog[open]");
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain("ChainConf Shanghai 2026");
    await screenshot(page, "organizer-cancel-confirm", { fullPage: false });
    const mark = await txMark(page);
    await page.getByTestId("confirm-cancel").click();
    await confirmed(page, { after: mark });
    expect((await read<{ cancelled: boolean }>(conference, "eventInfo")).cancelled).to.equal(true);
    await waitForText(page.locator("main"), "This event is cancelled.");
    await page.getByTestId("cancel-event").waitFor({ state: "detached" });
    expect(await page.getByTestId("withdraw").isDisabled()).to.equal(true);
    await screenshot(page, "organizer-cancelled");
    await page.context().close();

    const fan = await persona(fanA, `/events/${conference}`);
    await waitForText(fan.locator("article"), "This event was cancelled.");
    const buttons = fan.locator('[data-testid^="buy-"]');
    expect(await buttons.count()).to.equal(3);
    expect(await buttons.evaluateAll((els) => els.every((el) => el.tagName === "BUTTON" && (el as HTMLButtonElement).disabled))).to.equal(true);
    // Every tier says so too, not "On sale" or "Presale".
    const states = await fan.locator('[data-testid^="tier-"][data-state]').evaluateAll((els) => els.map((el) => el.getAttribute("data-state")));
    expect(states).to.deep.equal(["cancelled", "cancelled", "cancelled"]);
    await screenshot(fan, "fan-event-cancelled");
    await fan.context().close();
  });
});
