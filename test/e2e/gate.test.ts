// The gate scanner in a real browser, beyond the camera (journey.test.ts reads a pass from the
// fake camera): the gate home, manual entry, every kind of refusal, the offline indicator and the
// keyboard. The built app, the server and a local node, gate staff and fans each with their own
// injected EIP-1193 wallet; nothing mocked. Passes are read from the fans' pass pages as a phone
// shows them. Each test checks the chain or the server as well as the screen, and saves a
// screenshot under test-results/e2e/.
//
// Tickets used (scripts/seed-demo.ts): concert — fan 5's Stalls seats 2000027 and 2000028 and
// Standing 1000001, fan 6's Standing 1000003, fan 8's VIP 4000001; museum — fan 6's first-slot
// tickets 1000002 (unused) and 1000001 (checked in by the seed); conference — fan 8's 2000001.
// Door backups: fan 5's Standing 1000002 by backup code, Stalls 2000100 (bought by fan 8 in the test) looked up by seat.
import { expect } from "chai";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { getAbiItem, parseEther, type Address, type Hex, type LocalAccount } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { decodePass, makePass, passKeyFromSecret } from "../../lib/pass/index.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { eventually, openAs, PHONE, signIn, useBrowserStack, waitForText } from "./support/flows.js";
import { WITH_SERVICE_WORKER } from "./support/browser.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const gateStaff = localAccount(DEMO_ACCOUNTS.gateStaff);
const [fan5, fan6, , fan8] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));

/** The base45 alphabet a pass is written in (lib/pass/codec.ts). */
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

interface Shown {
  verdict: string;
  reason: string;
  tier?: string;
  seat?: string;
  slot?: string;
  text: string;
}

interface Scan {
  /** The server's answer to POST /gate/:event/scan. */
  status: number;
  body: { verdict: string; reason?: string; ticket?: { tokenId: string; tier?: string; seat?: string; entryStart?: number; entryEnd?: number }; holder?: string };
  /** What the verdict screen showed. */
  shown: Shown;
}

interface GateStatus {
  snapshot: { block: number; tickets: number; rpcReachable: boolean; offline: boolean };
  ledger: { admitted: number; pendingOnChain: number; confirmedOnChain: number };
  checkInOpensAt: number;
  doorOpen: boolean;
}

describe("Gate scanner: manual entry, refusals, offline indicator and keyboard", function () {
  this.timeout(120_000);
  // Passes are read from the fans' screens a while before some of them are scanned (and the
  // already-used check comes after the frame-age check): a wider frame window than the 35 s
  // production one keeps a loaded machine from turning them into "stale-frame".
  const env = useBrowserStack({ seed: true, rpcLink: true, serverEnv: { CHAINPASS_MAX_FRAME_AGE: "120" } });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let concert: Address;
  let museum: Address;
  let conference: Address;
  /** The seated concert pass admitted in test 2 and shown again in test 3. */
  let seatedPass = "";

  before(() => {
    ({ stack, browser } = env);
    ({ concert, museum, conference } = stack.demo!);
  });

  const checkedIn = (event: Address, tokenId: bigint) => read<boolean>(event, "isCheckedIn", [tokenId]);
  /** A time on the test browser's clock (UTC, in English): the reader's own time beside the venue's. */
  const utc = (seconds: number, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en", { ...o, timeZone: "UTC" }).format(seconds * 1000);
  /** A time at the venue, as the scanner shows it first (the demo events are in Shanghai, GMT+8). */
  const venue = (seconds: number, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en", { ...o, timeZone: "Asia/Shanghai" }).format(seconds * 1000);
  /** The scanner has the event's metadata (its venue's zone). */
  const venueZoneLoaded = (page: Page) => eventually(() => page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/ipfs/"))), "the event's metadata loaded");

  /** A phone page at `path` as `account`, connected and signed in with SIWE. */
  async function openGate(account: LocalAccount, path: string, context: BrowserContextOptions = PHONE): Promise<Page> {
    const { page } = await openAs(browser, stack, account, path, logs, { context });
    await signIn(page);
    return page;
  }

  /** The fan's pass page for a ticket, and the pass text its QR code shows now. */
  async function openPass(fan: LocalAccount, event: Address, tokenId: bigint): Promise<{ page: Page; pass: string }> {
    const { page } = await openAs(browser, stack, fan, `/tickets/${event}/${tokenId}`, logs, { context: PHONE });
    // First open: the app asks the wallet for the delegation signature by itself.
    await page.waitForFunction(() => (document.querySelector('[data-testid="pass-qr"]')?.getAttribute("data-pass") ?? "").length > 0, undefined, { timeout: 30_000 });
    return { page, pass: (await page.getByTestId("pass-qr").getAttribute("data-pass"))! };
  }

  async function passOf(fan: LocalAccount, event: Address, tokenId: bigint): Promise<string> {
    const { page, pass } = await openPass(fan, event, tokenId);
    await page.context().close();
    return pass;
  }

  /** The gate's status as the server answers it to the page's session. */
  async function gateStatus(page: Page, event: Address): Promise<GateStatus> {
    const response = await page.request.get(`${stack.appUrl}/gate/${event}/status`);
    expect(response.status(), await response.text()).to.equal(200);
    return response.json();
  }

  /** Waits until the scanner shows the gate's status (the counters leave "–"); returns the event-wide count. */
  async function statusShown(page: Page): Promise<number> {
    const count = page.getByTestId("event-admitted-count");
    await eventually(async () => /^\d+$/.test((await count.innerText()).trim()), "the gate status on screen", 15_000);
    return Number((await count.innerText()).trim());
  }

  /** The verdict on screen, read in one go (it leaves by itself after 2.5 s). */
  async function verdictShown(page: Page): Promise<Shown> {
    const handle = await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLElement>('[data-testid="verdict"]');
        if (!v) return undefined;
        // (No named helper functions in here: tsx's __name wrapper does not exist in the page.)
        const part: Record<string, string | undefined> = {};
        for (const id of ["tier", "seat", "slot"]) part[id] = v.querySelector(`[data-testid="verdict-${id}"]`)?.textContent ?? undefined;
        return { verdict: v.dataset.verdict!, reason: v.dataset.reason!, tier: part.tier, seat: part.seat, slot: part.slot, text: v.innerText };
      },
      undefined,
      { timeout: 15_000 },
    );
    return (await handle.jsonValue()) as Shown;
  }

  /** Types `text` into the manual entry, submits it (button or Enter) and returns the server's answer and the verdict. */
  async function scan(page: Page, text: string, submit: "click" | "enter" = "click"): Promise<Scan> {
    await page.getByTestId("verdict").waitFor({ state: "detached" });
    const field = page.getByTestId("manual-pass");
    await field.fill(text);
    const answered = page.waitForResponse((r) => r.url().endsWith("/scan") && r.request().method() === "POST");
    if (submit === "click") await page.getByTestId("manual-submit").click();
    else await field.press("Enter");
    const response = await answered;
    const shown = await verdictShown(page);
    return { status: response.status(), body: await response.json(), shown };
  }

  /** Dismisses the verdict as staff do before the next person (Escape; the keyboard test times it). */
  async function dismiss(page: Page) {
    await page.keyboard.press("Escape");
    await page.getByTestId("verdict").waitFor({ state: "detached" });
  }

  const admittedHere = async (page: Page) => (await page.getByTestId("admitted-count").innerText()).trim();

  it("the gate home lists the events where the account holds GATE; a fan sees none and the scanner refuses the fan", async function () {
    const GATE_ROLE = await read<Hex>(concert, "GATE_ROLE");
    for (const event of [concert, museum, conference]) {
      expect(await read<boolean>(event, "hasRole", [GATE_ROLE, gateStaff.address])).to.equal(true);
      expect(await read<boolean>(event, "hasRole", [GATE_ROLE, fan8.address])).to.equal(false);
    }
    const page = await openGate(gateStaff, "/gate");
    await page.getByTestId("gate-events").waitFor();
    const cards = page.getByTestId("gate-event");
    // Soonest first: the museum is open now, the concert in 10 days, the conference in 30.
    expect(await cards.evaluateAll((links) => links.map((a) => a.getAttribute("data-event")))).to.deep.equal([museum, concert, conference].map((a) => a.toLowerCase()));
    const museumCard = page.locator(`[data-testid="gate-event"][data-event="${museum.toLowerCase()}"]`);
    expect(await museumCard.innerText()).to.contain("Museum of Light");
    // Sold and checked in as the chain says: 4 museum tickets sold, the seed checked 2 in.
    let sold = 0;
    for (const tier of [1n, 2n, 3n]) sold += (await read<{ sold: number }>(museum, "tier", [tier])).sold;
    expect(sold).to.equal(4);
    expect(await checkedIn(museum, 1_000_001n)).to.equal(true);
    expect(await checkedIn(museum, 3_000_001n)).to.equal(true);
    expect(await museumCard.innerText()).to.contain(`2 of ${sold} checked in`);
    await screenshot(page, "gate-home-staff");
    await page.locator(`[data-testid="gate-event"][data-event="${concert.toLowerCase()}"]`).click();
    await page.waitForURL(`**/gate/${concert.toLowerCase()}`);
    await waitForText(page.locator("h1.gate-title"), "Scanner: Harbour Lights Live");
    await page.getByTestId("manual-pass").waitFor();
    await page.context().close();

    const fanPage = await openGate(fan8, "/gate");
    await fanPage.getByTestId("gate-no-events").waitFor();
    expect(await fanPage.getByTestId("gate-event").count()).to.equal(0);
    await screenshot(fanPage, "gate-home-not-staff");
    // The scanner itself, opened by address: refused in words, no way to scan.
    await fanPage.getByTestId("gate-event-address").fill(concert);
    await fanPage.getByTestId("gate-event-open").click();
    const problem = fanPage.getByTestId("gate-problem");
    await problem.waitFor();
    expect(await problem.getAttribute("data-problem")).to.equal("not-gate-staff");
    expect(await problem.innerText()).to.contain("does not hold the gate staff role for this event");
    expect(await fanPage.getByTestId("manual-pass").count()).to.equal(0);
    expect(await fanPage.getByTestId("start-camera").count()).to.equal(0);
    // The server refuses the fan's session too, for the status and for a scan.
    const status = await fanPage.request.get(`${stack.appUrl}/gate/${concert}/status`);
    expect(status.status()).to.equal(403);
    expect((await status.json()).error).to.equal("not-gate-staff");
    const scanned = await fanPage.request.post(`${stack.appUrl}/gate/${concert}/scan`, { data: { pass: "ANYTHING" } });
    expect(scanned.status()).to.equal(403);
    await screenshot(fanPage, "gate-scanner-not-staff");
    await fanPage.context().close();
  });

  it("manual entry of a seated concert pass: ADMIT with tier and seat, counters up, check-in written on chain", async function () {
    const ticket = 2_000_027n;
    let page: Page;
    [seatedPass, page] = await Promise.all([passOf(fan5, concert, ticket), openGate(gateStaff, `/gate/${concert}`)]);
    const before = await statusShown(page);
    expect(await admittedHere(page)).to.equal("0");
    expect(await checkedIn(concert, ticket)).to.equal(false);

    const { status, body, shown } = await scan(page, seatedPass);
    await screenshot(page, "gate-manual-admit-seat");
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body).to.include({ verdict: "admit", holder: fan5.address });
    expect(body.ticket).to.include({ tokenId: String(ticket), tier: "Stalls", seat: "Stalls, Row B, Seat 7" });
    expect(shown).to.include({ verdict: "admit", reason: "", tier: "Stalls", seat: "Stalls, Row B, Seat 7" });
    expect(shown.text).to.contain("ADMIT");
    expect(shown.slot).to.equal(undefined);

    await dismiss(page);
    expect(await admittedHere(page)).to.equal("1");
    await waitForText(page.getByTestId("event-admitted-count"), String(before + 1), 15_000);
    expect((await gateStatus(page, concert)).ledger.admitted).to.equal(before + 1);
    // The writer batches check-ins and sends them from the gate key.
    await env.checkedInOnChain(concert, [ticket]);
    await eventually(async () => (await gateStatus(page, concert)).ledger.confirmedOnChain >= 1, "the ledger sees the check-in confirmed");
    await screenshot(page, "gate-counters-after-admit");
    await page.context().close();
  });

  it("the same pass entered again is refused: already used, in words", async function () {
    expect(seatedPass, "the pass admitted by the previous test").to.not.equal("");
    const ticket = 2_000_027n;
    const page = await openGate(gateStaff, `/gate/${concert}`);
    const before = await statusShown(page);
    const { status, body, shown } = await scan(page, seatedPass);
    await screenshot(page, "gate-manual-refuse-already-used");
    expect(status, JSON.stringify(body)).to.equal(409);
    expect(body).to.include({ verdict: "refuse", reason: "already-used" });
    expect(shown).to.include({ verdict: "refuse", reason: "already-used", seat: "Stalls, Row B, Seat 7" });
    expect(shown.text).to.contain("REFUSE");
    expect(shown.text).to.contain("Already used");
    expect(shown.text).to.contain("This ticket has already been admitted.");
    // When and by whom, asked of the gate once the refusal shows: the previous test's admission,
    // by this staff member, from the QR pass.
    const usedAt = page.getByTestId("verdict-used-at");
    await usedAt.waitFor({ timeout: 7_000 }); // the refusal stays 8 s
    expect(await usedAt.innerText()).to.match(/^Admitted at \d{1,2}:\d{2}.* by you \(QR pass\)$/);
    await screenshot(page, "gate-refuse-already-used-by-whom");
    await dismiss(page);
    expect(await admittedHere(page)).to.equal("0");
    expect((await gateStatus(page, concert)).ledger.admitted).to.equal(before);
    // Checked in on chain exactly once.
    const logs = await stack.clients.publicClient.getLogs({
      address: concert,
      event: getAbiItem({ abi: chainpassEventAbi, name: "CheckedIn" }) as never,
      args: { tokenId: ticket } as never,
      fromBlock: 0n,
    });
    expect(logs.length).to.equal(1);
    await page.context().close();
  });

  it("a museum slot ticket is admitted with its entry slot; one the seed checked in is refused", async function () {
    const fresh = 1_000_002n;
    const used = 1_000_001n;
    /** The fan's side: the pass shown for the fresh ticket, and a frame for the used one. */
    const fanSide = async () => {
      const { page: fanPage, pass } = await openPass(fan6, museum, fresh);
      // The app shows no code for a ticket already checked in, so the used ticket's frame is signed
      // here with the pass key the phone keeps (same delegation, same lib/pass code as the app).
      const key = `chainpass.pass.31337.${museum.toLowerCase()}.${fan6.address.toLowerCase()}`;
      const stored = JSON.parse((await fanPage.evaluate((k) => localStorage.getItem(k), key))!) as {
        secret: Hex;
        signature: Hex;
        delegation: { chainId: string; ticket: Address; tokenId: string; passKey: Hex; validUntil: number };
      };
      const usedPass = await makePass({
        passKey: passKeyFromSecret(stored.secret),
        delegation: { ...stored.delegation, chainId: BigInt(stored.delegation.chainId), tokenId: BigInt(stored.delegation.tokenId) },
        holder: fan6.address,
        walletSignature: stored.signature,
        tokenId: used,
      });
      await fanPage.goto(`${stack.appUrl}/tickets/${museum}/${used}`);
      await fanPage.getByTestId("pass-checked-in").waitFor();
      await fanPage.context().close();
      return { pass, usedPass };
    };
    const [{ pass, usedPass }, page] = await Promise.all([fanSide(), openGate(gateStaff, `/gate/${museum}`)]);

    const options = await read<{ entryStart: number; entryEnd: number }>(museum, "tierOptions", [1n]);
    await statusShown(page);
    await venueZoneLoaded(page);
    const admitted = await scan(page, pass);
    await screenshot(page, "gate-manual-admit-slot");
    expect(admitted.status, JSON.stringify(admitted.body)).to.equal(200);
    expect(admitted.body.ticket).to.include({ tokenId: String(fresh), entryStart: options.entryStart, entryEnd: options.entryEnd });
    expect(admitted.shown).to.include({ verdict: "admit", tier: "Adult · first slot" });
    expect(admitted.shown.seat).to.equal(undefined);
    // "Nov 22, 2026, 2:21 PM – 4:21 PM GMT+8 (6:21 AM – 8:21 AM your time)": at the venue, then on the browser's UTC clock.
    const slot = admitted.shown.slot ?? "";
    // A slot that ends the next day at the venue names that day too.
    const sameDay = venue(options.entryStart, { dateStyle: "medium" }) === venue(options.entryEnd, { dateStyle: "medium" });
    const end = venue(options.entryEnd, sameDay ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" });
    expect(slot.startsWith(`${venue(options.entryStart, { dateStyle: "medium", timeStyle: "short" })} – ${end} GMT+8 (`), slot).to.equal(true);
    expect(slot.slice(slot.indexOf("(")), slot).to.contain(utc(options.entryStart, { timeStyle: "short" })).and.contain(`${utc(options.entryEnd, { timeStyle: "short" })} your time)`);
    await dismiss(page);

    const refused = await scan(page, usedPass);
    await screenshot(page, "gate-manual-refuse-seed-checked-in");
    expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
    expect(refused.shown).to.include({ verdict: "refuse", reason: "already-used", tier: "Adult · first slot" });
    expect(refused.shown.text).to.contain("Already used");
    await dismiss(page);
    expect(await admittedHere(page)).to.equal("1");
    // The event's count includes the two visitors the seed checked in on chain, not through this gate.
    expect((await gateStatus(page, museum)).ledger.admitted).to.equal(1);
    await waitForText(page.getByTestId("event-admitted-count"), "3", 15_000);
    await env.checkedInOnChain(museum, [fresh]);
    await page.context().close();
  });

  it("garbage, a pass for another event (named) and a pass with one character changed are refused with the failed check; nothing is admitted", async function () {
    const ticket = 2_000_028n;
    const [pass, otherEvent, page] = await Promise.all([passOf(fan5, concert, ticket), passOf(fan8, conference, 2_000_001n), openGate(gateStaff, `/gate/${concert}`)]);
    // One character of the frame signature changed (the last 64 bytes; base45 writes 2 bytes in
    // 3 characters), into one that still decodes: only the signature check can catch it.
    const original = decodePass(pass);
    const at = pass.length - 30;
    const tampered = [...BASE45]
      .filter((c) => c !== pass[at])
      .map((c) => pass.slice(0, at) + c + pass.slice(at + 1))
      .find((text) => {
        try {
          return decodePass(text) !== undefined;
        } catch {
          return false;
        }
      })!;
    const decoded = decodePass(tampered);
    expect(decoded.frameSignature).to.not.equal(original.frameSignature);
    expect({ ...decoded, frameSignature: "" }).to.deep.equal({ ...original, frameSignature: "" });

    const before = await statusShown(page);
    // The events the staff work come from the index with the page's title; a scan before that names the address.
    await waitForText(page.locator("h1.gate-title"), "Scanner: Harbour Lights Live", 15_000);
    const cases: [string, string, number, string, string][] = [
      ["garbage", "https://example.com/ticket/42", 400, "malformed", "Not a valid pass"],
      // Named: the staff work that event too, so the scanner knows which it is.
      ["another event", otherEvent, 422, "wrong-event", "This pass is for ChainConf Shanghai 2026, not this event."],
      ["one character changed", tampered, 422, "bad-frame-signature", "Pass signature wrong"],
    ];
    for (const [what, text, httpStatus, reason, title] of cases) {
      const { status, body, shown } = await scan(page, text);
      await screenshot(page, `gate-refuse-${reason}`);
      expect(status, `${what}: ${JSON.stringify(body)}`).to.equal(httpStatus);
      expect(body.verdict, what).to.equal("refuse");
      expect(shown.verdict, what).to.equal("refuse");
      expect(shown.reason, what).to.equal(reason);
      expect(shown.text, `${what}: ${JSON.stringify(shown.text)}`).to.contain(title);
      await dismiss(page);
      expect(await admittedHere(page), what).to.equal("0");
    }
    expect((await gateStatus(page, concert)).ledger.admitted).to.equal(before);
    expect(await checkedIn(concert, ticket)).to.equal(false);
    expect(await checkedIn(conference, 2_000_001n)).to.equal(false);

    // The untouched pass is good: the changed character alone made the difference.
    const genuine = await scan(page, pass);
    expect(genuine.status, JSON.stringify(genuine.body)).to.equal(200);
    expect(genuine.shown).to.include({ verdict: "admit", seat: "Stalls, Row B, Seat 8" });
    await env.checkedInOnChain(concert, [ticket]);
    await page.context().close();
  });

  it("before the conference's doors open: the scanner says when, and a valid pass is refused in words, not admitted", async function () {
    const ticket = 2_000_001n;
    const [pass, page] = await Promise.all([passOf(fan8, conference, ticket), openGate(gateStaff, `/gate/${conference}`)]);
    const info = await read<{ start: number; checkInLeadHours: number }>(conference, "eventInfo");
    const opensAt = Number(info.start) - info.checkInLeadHours * 3600;
    expect((await gateStatus(page, conference)).checkInOpensAt).to.equal(opensAt);
    await waitForText(page.getByTestId("door-not-open"), "Check-in opens");
    const refused = await scan(page, pass);
    expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
    expect(refused.shown).to.include({ verdict: "refuse", reason: "door-not-open" });
    expect(refused.shown.text).to.contain("Doors not open yet");
    await screenshot(page, "gate-refuse-door-not-open");
    await dismiss(page);
    expect(await admittedHere(page)).to.equal("0");
    expect(await checkedIn(conference, ticket)).to.equal(false);
    await page.context().close();
  });

  it("the offline indicator: browser offline, then the chain unreachable (a pass is still admitted from the snapshot), then all clear", async function () {
    const ticket = 4_000_001n;
    // This device goes offline: the app's service worker, blocked elsewhere.
    const [pass, page] = await Promise.all([passOf(fan8, concert, ticket), openGate(gateStaff, `/gate/${concert}`, { ...PHONE, ...WITH_SERVICE_WORKER })]);
    const before = await statusShown(page);
    const indicator = page.getByTestId("offline-indicator");
    expect(await indicator.count()).to.equal(0);

    // The device holds the event's offline snapshot: cut off, it says it checks passes itself
    // (test/e2e/offline-scanner.test.ts admits that way).
    await page.locator("h1[data-offline-list]").waitFor();
    await page.context().setOffline(true);
    const deviceOffline = page.getByTestId("device-offline");
    await deviceOffline.waitFor();
    expect(await deviceOffline.innerText()).to.contain("Device offline. Passes are checked on this device");
    await screenshot(page, "gate-offline-browser");
    await page.context().setOffline(false);
    await deviceOffline.waitFor({ state: "detached", timeout: 15_000 });
    expect(await indicator.count()).to.equal(0);

    // The server loses the node; the scanner says so at its next status poll (every 5 s).
    stack.rpcLink!.down();
    try {
      await page.locator('[data-testid="offline-indicator"][data-state="rpc"]').waitFor({ timeout: 20_000 });
      const status = await gateStatus(page, concert);
      expect(status.snapshot).to.include({ rpcReachable: false, offline: true });
      const text = await indicator.innerText();
      expect(text).to.contain("Chain connection lost. Admissions continue from the ticket list as it last changed");
      expect(text, "door language: no block numbers").to.not.match(/block/i);
      await screenshot(page, "gate-offline-rpc");

      const { status: httpStatus, body, shown } = await scan(page, pass);
      await screenshot(page, "gate-offline-rpc-admit");
      expect(httpStatus, JSON.stringify(body)).to.equal(200);
      expect(shown).to.include({ verdict: "admit", tier: "VIP" });
      await dismiss(page);
      expect(await admittedHere(page)).to.equal("1");
      await waitForText(page.getByTestId("event-admitted-count"), String(before + 1), 15_000);
      // Admitted at the gate, waiting for the chain.
      await waitForText(page.locator(".gate-counters"), "1 check-in waiting to be written on chain", 15_000);
      expect((await gateStatus(page, concert)).ledger).to.include({ admitted: before + 1, pendingOnChain: 1 });
      expect(await checkedIn(concert, ticket)).to.equal(false);
      expect(await indicator.getAttribute("data-state")).to.equal("rpc");
    } finally {
      stack.rpcLink!.up();
    }
    await indicator.waitFor({ state: "detached", timeout: 20_000 });
    expect((await gateStatus(page, concert)).snapshot.rpcReachable).to.equal(true);
    // The writer catches up once the node is back.
    await env.checkedInOnChain(concert, [ticket]);
    await screenshot(page, "gate-online-again");
    await page.context().close();
  });

  it("a listed ticket admitted at the door shows as used on the resale page and in My tickets before its check-in is on chain", async function () {
    // An open listing of the concert, held by a demo fan.
    const answer = (await (
      await fetch(`${stack.serverUrl}/subgraphs/name/chainpass`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ listings(where: { event: "${concert.toLowerCase()}", buyable: true }) { tokenId seller { id } } }` }),
      })
    ).json()) as { data: { listings: { tokenId: string; seller: { id: string } }[] } };
    const fans = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
    const listing = answer.data.listings.find((l) => fans.some((f) => f.address.toLowerCase() === l.seller.id));
    expect(listing, "a demo fan's open listing").to.not.equal(undefined);
    const holder = fans.find((f) => f.address.toLowerCase() === listing!.seller.id)!;
    const buyer = fans.find((f) => f !== holder)!;
    const ticket = BigInt(listing!.tokenId);
    const [pass, page] = await Promise.all([passOf(holder, concert, ticket), openGate(gateStaff, `/gate/${concert}`)]);
    await statusShown(page);

    // The writer cannot reach the chain: the admission stays the gate's alone for now.
    stack.rpcLink!.down();
    try {
      const { status, body } = await scan(page, pass);
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(await checkedIn(concert, ticket)).to.equal(false);

      const market = await openAs(browser, stack, buyer, `/events/${concert}/resale`, logs);
      await market.page.getByTestId(`used-at-door-${ticket}`).waitFor({ timeout: 20_000 });
      expect(await market.page.getByTestId(`buy-listing-${ticket}`).count(), "no buy button for a used ticket").to.equal(0);
      await screenshot(market.page, "fan-resale-used-at-door");
      await market.page.context().close();

      const mine = await openAs(browser, stack, holder, "/tickets", logs);
      await waitForText(mine.page.getByTestId(`ticket-${ticket}`), "Checked in", 20_000);
      await mine.page.context().close();
    } finally {
      stack.rpcLink!.up();
    }
    await env.checkedInOnChain(concert, [ticket]);
    await page.context().close();
  });

  it("a handheld scanner: Enter submits, the field empties and keeps the focus, the next scan goes in during a verdict; Escape dismisses", async function () {
    const ticket = 1_000_001n;
    const [pass, page] = await Promise.all([passOf(fan5, concert, ticket), openGate(gateStaff, `/gate/${concert}`)]);
    await statusShown(page);
    // When the verdict appears and leaves, in page time: a key, not the 2.5 s timer, must end it
    // (no screenshot while a verdict is up here, to keep the key well inside the 2.5 s).
    await page.evaluate(() => {
      const w = window as unknown as { verdictTimes: { shown?: number; gone?: number } };
      w.verdictTimes = {};
      let up = false;
      new MutationObserver(() => {
        const now = !!document.querySelector('[data-testid="verdict"]');
        if (now && !up) w.verdictTimes = { shown: performance.now() };
        if (!now && up) w.verdictTimes.gone = performance.now();
        up = now;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const onScreenMs = async () => {
      const times = await page.waitForFunction(() => {
        const t = (window as unknown as { verdictTimes: { shown?: number; gone?: number } }).verdictTimes;
        return t.gone !== undefined && t.shown !== undefined ? t.gone - t.shown : undefined;
      });
      return (await times.jsonValue()) as number;
    };
    const scans: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/scan")) scans.push(JSON.parse(r.postData() ?? "{}").pass);
    });
    const field = page.getByTestId("manual-pass");
    const fieldState = () =>
      page.evaluate(() => ({ focused: document.activeElement?.getAttribute("data-testid"), value: (document.querySelector('[data-testid="manual-pass"]') as HTMLTextAreaElement).value }));

    // The scanner types the code and presses Enter, as a keyboard does.
    await field.focus();
    let answered = page.waitForResponse((r) => r.url().endsWith("/scan"));
    await page.keyboard.insertText(pass);
    await page.keyboard.press("Enter");
    expect((await answered).status()).to.equal(200);
    expect(await verdictShown(page)).to.include({ verdict: "admit", tier: "Standing" });
    // Emptied, and still the field's focus: the next person's scan can come in now.
    expect(await fieldState()).to.deep.equal({ focused: "manual-pass", value: "" });

    // The next scan arrives while the verdict is up (here the same pass again): only it is sent.
    answered = page.waitForResponse((r) => r.url().endsWith("/scan"));
    await page.keyboard.insertText(pass);
    await page.keyboard.press("Enter");
    expect((await answered).status()).to.equal(409);
    await page.locator('[data-testid="verdict"][data-reason="already-used"]').waitFor();
    expect(scans).to.deep.equal([pass, pass]);
    expect(await fieldState()).to.deep.equal({ focused: "manual-pass", value: "" });
    await page.keyboard.press("Escape");
    await page.getByTestId("verdict").waitFor({ state: "detached" });
    expect(await onScreenMs()).to.be.below(2400);
    await screenshot(page, "gate-keyboard-dismissed");

    // Checked with the button instead: the verdict takes the focus, and Enter dismisses it.
    await field.fill(pass);
    answered = page.waitForResponse((r) => r.url().endsWith("/scan"));
    await page.getByTestId("manual-submit").click();
    expect((await answered).status()).to.equal(409);
    await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "verdict");
    await page.keyboard.press("Enter");
    await page.getByTestId("verdict").waitFor({ state: "detached" });
    expect(await onScreenMs()).to.be.below(2400);

    // Shift+Enter is a new line, not a scan.
    await field.focus();
    await page.keyboard.press("Shift+Enter");
    expect(await field.inputValue()).to.equal("\n");
    expect(await page.getByTestId("verdict").count()).to.equal(0);
    expect(scans.length).to.equal(3);
    expect(await admittedHere(page)).to.equal("1");
    await env.checkedInOnChain(concert, [ticket]);
    await page.context().close();
  });

  it("a museum ticket for a later slot: an amber TOO EARLY with the time to come back, not a refusal; nothing admitted", async function () {
    const ticket = 2_000_001n; // fan 7's second-slot ticket: its slot starts an hour after the seed
    const fan7 = localAccount(DEMO_ACCOUNTS.fans[2]);
    const [{ page: passPage, pass }, page] = await Promise.all([openPass(fan7, museum, ticket), openGate(gateStaff, `/gate/${museum}`)]);
    const options = await read<{ entryStart: number; entryEnd: number }>(museum, "tierOptions", [2n]);
    // The pass warned the holder first: a countdown to the slot.
    const warning = passPage.getByTestId("entry-window");
    expect(await warning.getAttribute("data-state")).to.equal("before");
    expect(await warning.innerText()).to.match(/^Entry opens in \d+ minutes, at /).and.to.contain(utc(options.entryStart, { timeStyle: "short" }));
    await screenshot(passPage, "fan-pass-too-early");
    await passPage.context().close();
    await statusShown(page);
    await venueZoneLoaded(page);
    const early = await scan(page, pass);
    expect(early.status).to.equal(422);
    expect(early.body).to.include({ verdict: "refuse", reason: "too-early" });
    // At the venue's clock with its label, and the staff phone's own (UTC) time beside it.
    const from = venue(options.entryStart, { timeStyle: "short" });
    expect(early.shown.text).to.contain("TOO EARLY").and.to.contain(`Entry from ${from} GMT+8 (`).and.to.contain(`${utc(options.entryStart, { timeStyle: "short" })} your time)`);
    expect(await page.locator(".gate-verdict.wait").count(), "amber, not red").to.equal(1);
    await screenshot(page, "gate-too-early");
    expect(await checkedIn(museum, ticket)).to.equal(false);
    await page.context().close();
  });

  it("door backups: the backup code under a pass, typed by hand, admits it; staff find a seat and admit it after confirming", async function () {
    const coded = 1_000_002n; // fan 5's second Standing ticket
    const [{ page: passPage }, page] = await Promise.all([openPass(fan5, concert, coded), openGate(gateStaff, `/gate/${concert}`)]);
    // The phone registers its pass with the gate and shows the code under the QR.
    const shownCode = passPage.getByTestId("pass-backup-code");
    await shownCode.waitFor({ timeout: 20_000 });
    const code = (await shownCode.innerText()).trim();
    expect(code).to.match(/^1000002 \d{3} \d{3}$/);
    await screenshot(passPage, "fan-pass-backup-code");
    await passPage.context().close();
    await statusShown(page);

    // Misheard digits: refused in words, and the ticket is still unused.
    const digits = Number(code.split(" ").slice(1).join(""));
    const wrong = await scan(page, `1000002 ${String((digits + 1) % 1_000_000).padStart(6, "0")}`, "enter");
    expect(wrong.body).to.include({ verdict: "refuse", reason: "bad-backup-code" });
    expect(wrong.shown.text).to.contain("Wrong backup code");
    await dismiss(page);
    const admitted = await scan(page, code, "enter");
    expect(admitted.status, JSON.stringify(admitted.body)).to.equal(200);
    expect(admitted.body).to.include({ verdict: "admit", method: "code", holder: fan5.address });
    expect(admitted.shown.verdict).to.equal("admit");
    await dismiss(page);

    // A dead phone: staff find the seat, see the holder, confirm, and the ticket is admitted once.
    // Fan 8 buys Stalls seat 100 (20 a row: row E, seat 20) for it.
    const seated = 2_000_100n;
    const price = parseEther("0.12");
    const hash = await stack.clients.wallet(fan8).writeContract({
      address: concert,
      abi: chainpassEventAbi,
      functionName: "buyWith",
      args: [2n, 1n, fan8.address, purchaseOptions({ seats: [100n], maxTotal: price })],
      value: price,
      account: fan8,
      chain: stack.clients.chain,
    } as never);
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    await page.getByTestId("lookup-query").fill("E 20");
    await page.getByTestId("lookup-submit").click();
    const row = page.getByTestId(`lookup-${seated}`);
    await row.waitFor();
    expect(await page.getByTestId("lookup-results").locator("li").count(), "one seat matches").to.equal(1);
    expect(await row.getAttribute("data-state")).to.equal("valid");
    expect(await row.innerText()).to.contain("Stalls, Row E, Seat 20").and.to.contain(`${fan8.address.slice(0, 6)}`);
    await row.getByTestId("lookup-admit").click();
    expect(await row.innerText()).to.contain("Check the holder's ID or booking first");
    expect(await checkedIn(concert, seated)).to.equal(false);
    await screenshot(page, "gate-lookup-confirm");
    const answered = page.waitForResponse((r) => r.url().endsWith("/admit") && r.request().method() === "POST");
    await row.getByTestId("lookup-confirm").click();
    const response = await answered;
    expect(response.status()).to.equal(200);
    expect(await response.json()).to.include({ verdict: "admit", method: "lookup" });
    expect(await verdictShown(page)).to.include({ verdict: "admit", seat: "Stalls, Row E, Seat 20" });
    await dismiss(page);
    await eventually(async () => (await row.getAttribute("data-state")) === "already-used", "the looked-up ticket shows as used");
    expect(await row.getByTestId("lookup-admit").count(), "no second admission offered").to.equal(0);
    // Found again, a used ticket says when, by whom and how it was admitted (a second person
    // claiming that seat is then told from the one who came in).
    await waitForText(row.getByTestId("lookup-used-at"), "by you (looked up by staff)");
    expect(await row.getByTestId("lookup-used-at").innerText()).to.match(/^Admitted at \S/);
    await waitForText(page.getByTestId("admitted-by-hand"), "1 by backup code, 1 looked up", 15_000);
    await env.checkedInOnChain(concert, [coded, seated]);
    await page.context().close();
  });

  it("the gate server unreachable, on a device without the offline list: the indicator says so and a scan is not checked", async function () {
    const ticket = 1_000_003n;
    const [pass, page] = await Promise.all([passOf(fan6, concert, ticket), openGate(gateStaff, `/gate/${concert}`)]);
    await statusShown(page);
    // A device that never received the event's offline snapshot (it is refused here, with or
    // without the tag of rows it holds: a glob ending in /offline-snapshot let the tagged refresh
    // of the reloaded page through, and on a loaded machine it once saved its copy into the new
    // database after the old one was deleted). The page is loaded again before its database is
    // deleted: a page lets go of the database when asked, and a refresh already under way when the
    // route was set could save its snapshot into a new one.
    await page.route((url) => url.pathname.endsWith("/offline-snapshot"), (route) => route.fulfill({ status: 503, body: "{}" }));
    await page.reload();
    await statusShown(page);
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          const request = indexedDB.deleteDatabase("chainpass-gate");
          request.onsuccess = request.onerror = request.onblocked = resolve;
        }),
    );
    await page.reload();
    await statusShown(page);
    const kept = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open("chainpass-gate");
          // Not there yet: leave it so (the page makes it with its stores), keeping nothing.
          open.onupgradeneeded = () => open.transaction!.abort();
          open.onerror = () => resolve(0);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains("snapshots")) return resolve((db.close(), 0));
            const count = db.transaction("snapshots").objectStore("snapshots").count();
            count.onsuccess = () => resolve((db.close(), count.result));
          };
        }),
    );
    expect(kept, "offline copies kept on the device").to.equal(0);
    await stack.server.stop();
    let health: unknown;
    try {
      health = await fetch(`${stack.serverUrl}/health`);
    } catch (error) {
      health = error;
    }
    expect(health).to.be.instanceOf(Error);

    // A valid pass scanned now: not a verdict, a warning not to admit on it.
    await page.getByTestId("manual-pass").fill(pass);
    await page.getByTestId("manual-submit").click();
    const problem = page.locator('[data-testid="scan-problem"][data-problem="unreachable"]');
    await problem.waitFor();
    expect(await problem.innerText()).to.contain("This scan was not checked: the server cannot be reached. Do not admit on this scan.");
    await page.locator('[data-testid="offline-indicator"][data-state="server"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("offline-indicator").innerText()).to.contain("The gate server cannot be reached");
    expect(await page.getByTestId("verdict").count()).to.equal(0);
    expect(await admittedHere(page)).to.equal("0");
    await screenshot(page, "gate-offline-server");
    expect(await checkedIn(concert, ticket)).to.equal(false);
    await page.context().close();
  });
});
