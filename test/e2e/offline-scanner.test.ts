// Scanners that survive a dropped link (issue 19, requirement 4), in a real browser: two staff
// devices (two browser contexts on the concert's scanner page) hold the event's offline
// snapshot; their link is cut (context.setOffline), the same ticket is admitted on both and
// another on one, each marked "device offline" and queued in IndexedDB (it survives a reload,
// with the gate's API cut by route interception);
// the link returns, the queues upload, and the gate reports the duplicate as a conflict on a
// device and on the organizer's check-ins page. The ledger holds one admission each and the
// chain one checkIn each. A link that carries nothing: after one scan's time limit the device
// decides the next scans at once, until the gate answers again (gate/gate-link.ts), and a request
// lost on it (an upload) ends at its time limit instead of holding up the queue. A scan whose
// connection was reset after the gate admitted it uploads as that same admission. A scanner opened
// again gets the event's copy without the ticket rows it keeps; a device that cannot save the
// copy (full) checks against the one in the page; a device whose clock is off checks frame times
// by the gate's clock (gate/gate-clock.ts). A scanner that opens forgets the copies of other events
// it has not refreshed for two weeks, but not one with admissions still to upload. A pass admitted
// at one device a moment ago is refused at another whose link then drops: it learned of the
// admission from the feed, seconds after it, not from its next copy; so is the pass of a ticket's
// giver a moment after the gift (the new holder's is admitted), and that of a holder just denied.
//
// Tickets (scripts/seed-demo.ts, concert): fan 5's Standing 1000001 (admitted on both devices),
// fan 6's Standing 1000003 (on device B only).
import { expect } from "chai";
import type { Browser, Page, Route } from "playwright-core";
import { parseEther, parseEventLogs, type Address } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { TICKET_ROWS_PER_GROUP, usedOfBits, type OfflineSnapshotAnswer, type TicketRow } from "../../lib/offline-admissions.js";
import { eventually, openAs, PHONE, signIn, useBrowserStack } from "./support/flows.js";
import { WITH_SERVICE_WORKER } from "./support/browser.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const gateStaff = localAccount(DEMO_ACCOUNTS.gateStaff);
const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const [fan5, fan6, fan7, fan8] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));

describe("Offline scanners: admitting without the link, uploading, conflicts", function () {
  this.timeout(240_000);
  const env = useBrowserStack({ seed: true, serverEnv: { CHAINPASS_MAX_FRAME_AGE: "120" } });
  const { logs } = env;
  let stack: Stack;
  let browser: Browser;
  let concert: Address;

  before(() => {
    ({ stack, browser } = env);
    concert = stack.demo!.concert;
  });

  async function passOf(fan: typeof fan5, tokenId: bigint): Promise<string> {
    // The pass page finds the ticket in the fan's list from the index, read once: a ticket bought
    // or given a moment ago and not indexed yet shows "not found" (a rehearsal timed out here).
    await stack.waitForIndex();
    const { page } = await openAs(browser, stack, fan, `/tickets/${concert}/${tokenId}`, logs, { context: { ...PHONE, ...WITH_SERVICE_WORKER } });
    await page.waitForFunction(() => (document.querySelector('[data-testid="pass-qr"]')?.getAttribute("data-pass") ?? "").length > 0, undefined, { timeout: 30_000 });
    const pass = (await page.getByTestId("pass-qr").getAttribute("data-pass"))!;
    await page.context().close();
    return pass;
  }

  /** A Standing ticket of the fan's own, bought now (the seed's are used by the other tests). */
  async function buyStanding(fan: typeof fan7): Promise<bigint> {
    const price = parseEther("0.04"); // the early price
    const hash = await stack.clients
      .wallet(fan)
      .writeContract({ address: concert, abi: chainpassEventAbi, functionName: "buy", args: [1n, 1n, fan.address, price], value: price, account: fan, chain: stack.clients.chain } as never);
    const receipt = await stack.clients.publicClient.waitForTransactionReceipt({ hash });
    const [bought] = parseEventLogs({ abi: chainpassEventAbi, eventName: "Transfer", logs: receipt.logs });
    return (bought.args as { tokenId: bigint }).tokenId;
  }

  async function openScanner(): Promise<Page> {
    const { page } = await openAs(browser, stack, gateStaff, `/gate/${concert}`, logs, { context: { ...PHONE, ...WITH_SERVICE_WORKER } });
    await signIn(page);
    // The offline snapshot is on the device (IndexedDB) once the first refresh answered.
    await eventually(
      () =>
        page.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              const open = indexedDB.open("chainpass-gate");
              // Not made by the page yet: this probe must not make it (without the page's stores).
              open.onupgradeneeded = () => open.transaction!.abort();
              open.onerror = () => resolve(false);
              open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains("snapshots")) {
                  db.close();
                  return resolve(false);
                }
                const get = db.transaction("snapshots").objectStore("snapshots").getAll();
                get.onsuccess = () => {
                  db.close();
                  resolve(get.result.length > 0);
                };
                get.onerror = () => resolve(false);
              };
            }),
        ),
      "the scanner keeps the event's offline snapshot",
      20_000,
    );
    return page;
  }

  /**
   * Reloads an offline scanner with the gate still out of reach. The page itself needs the network
   * to load again (its service worker keeps the gate's chunks only once it controls the page), so
   * the device gets the network back with the gate's API still cut.
   */
  async function reloadWithoutTheGate(page: Page) {
    await page.route(
      (url) => url.pathname.startsWith("/gate/"),
      (route) => (route.request().resourceType() === "document" ? route.continue() : route.abort("internetdisconnected")),
    );
    await page.context().setOffline(false);
    await page.reload();
    await page.getByTestId("device-offline").waitFor({ timeout: 20_000 });
  }

  /** Types a pass into the scanner; returns the verdict shown. */
  async function scan(page: Page, pass: string) {
    await page.getByTestId("manual-pass").fill(pass);
    await page.getByTestId("manual-submit").click();
    const verdict = page.getByTestId("verdict");
    await verdict.waitFor({ timeout: 15_000 });
    const shown = {
      verdict: await verdict.getAttribute("data-verdict"),
      reason: await verdict.getAttribute("data-reason"),
      onDevice: await verdict.getAttribute("data-on-device"),
      text: await verdict.innerText(),
      /** Under an already-used refusal decided on the device: when it admitted the ticket ("" if before the link dropped). */
      usedAt: (await page.getByTestId("verdict-used-at").count()) ? await page.getByTestId("verdict-used-at").getAttribute("data-at") : null,
    };
    await verdict.click();
    await verdict.waitFor({ state: "detached" });
    return shown;
  }

  /** Admissions waiting on the device, as it shows them (read in one go: the notice leaves when the queue empties). */
  const queueCount = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid="offline-queue"]')?.getAttribute("data-count") ?? 0));
  const ledger = async (tokens: bigint[]) => {
    const response = await fetch(`${stack.serverUrl}/gate/${concert}/admitted?tokens=${tokens.join(",")}`);
    return ((await response.json()) as { admitted: string[] }).admitted;
  };

  /** A record the device keeps in its "snapshots" store (IndexedDB): a copy, or its rows apart (`<event>#rows`). */
  const savedRecord = (page: Page, key: string) =>
    page.evaluate(
      (key) =>
        new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
          const open = indexedDB.open("chainpass-gate");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction("snapshots").objectStore("snapshots").get(key);
            get.onsuccess = () => {
              open.result.close();
              resolve(get.result as Record<string, unknown> | undefined);
            };
            get.onerror = () => reject(get.error);
          };
        }),
      key,
    );

  /** The device's queue store, as the page keeps it: its records, or `records` added to it. */
  const queueStore = (page: Page, records: object[] = []) =>
    page.evaluate(
      (records) =>
        new Promise<{ event: string; tokenId: string; admittedAt: number }[]>((resolve, reject) => {
          const open = indexedDB.open("chainpass-gate");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction("queue", "readwrite");
            for (const record of records) tx.objectStore("queue").put(record);
            const all = tx.objectStore("queue").getAll();
            tx.oncomplete = () => {
              open.result.close();
              resolve(all.result);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      records,
    );

  /**
   * Scans that reach the gate and get no answer: the gate's answer is read (it admitted, or not),
   * then `lose` decides what the device gets instead. Returns whether the gate admitted the last.
   */
  async function loseAnswers(device: Page, lose: (route: Route) => Promise<void>) {
    const gate = { admitted: false };
    await device.route(
      (url) => url.pathname.endsWith("/scan"),
      async (route) => {
        const answer = await route.fetch();
        gate.admitted = (await answer.json()).verdict === "admit";
        await lose(route);
      },
    );
    return gate;
  }

  /** The link is back: the device's upload of `ticket` is the gate's own admission of that scan, not a conflict. */
  async function expectUploadedAsTheSameAdmission(device: Page, ticket: bigint) {
    const uploaded = device.waitForResponse((response) => response.url().endsWith("/offline-admissions"), { timeout: 30_000 });
    await device.unrouteAll({ behavior: "ignoreErrors" });
    const { results } = (await (await uploaded).json()) as { results: { tokenId: string; result: string }[] };
    expect(results, "the gate's own admission of that scan, not a second one").to.deep.equal([{ tokenId: ticket.toString(), result: "admitted" }]);
    await eventually(async () => (await queueCount(device)) === 0, "the device's queue emptied", 10_000);
    expect(await device.locator(`[data-testid="offline-conflict"][data-token="${ticket}"]`).count()).to.equal(0);
    expect(await ledger([ticket])).to.deep.equal([ticket.toString()]);
  }

  it("two devices admit offline, one ticket on both; on reconnect the ledger and the chain have each once and the duplicate is a conflict on a device and in the console", async function () {
    const both = 1_000_001n;
    const one = 1_000_003n;
    const [passBoth, passOne, deviceA, deviceB] = await Promise.all([passOf(fan5, both), passOf(fan6, one), openScanner(), openScanner()]);
    // Device B also keeps admissions of two other events, their keys just below and just above
    // this event's: neither is counted, uploaded or taken for this event's.
    const event = concert.toLowerCase();
    const elsewhere = [`0x${"0".repeat(40)}`, `${event}0`].map((other) => ({ event: other, tokenId: one.toString(), holder: fan6.address, admittedAt: 1 }));
    await queueStore(deviceB, elsewhere);

    // The link is cut for both devices.
    await deviceA.context().setOffline(true);
    await deviceB.context().setOffline(true);
    for (const page of [deviceA, deviceB]) await page.getByTestId("device-offline").waitFor({ timeout: 15_000 });
    expect(await deviceA.getByTestId("device-offline").innerText()).to.contain("Device offline. Passes are checked on this device");

    // The phone's storage full: the admission cannot be kept for upload, so it is not made, and
    // the staff are told why (not "already used").
    await deviceA.evaluate(() => {
      const add = IDBObjectStore.prototype.add;
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        if (this.name !== "queue") return add.call(this, value, key);
        IDBObjectStore.prototype.add = add; // once
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    await deviceA.getByTestId("manual-pass").fill(passBoth);
    await deviceA.getByTestId("manual-submit").click();
    const full = deviceA.locator('[data-testid="scan-problem"][data-problem="device-storage"]');
    await full.waitFor({ timeout: 15_000 });
    expect(await full.innerText()).to.contain("This device could not keep the admission for upload (QuotaExceededError");
    expect(await deviceA.getByTestId("verdict").count(), "no verdict").to.equal(0);
    expect(await queueCount(deviceA)).to.equal(0);

    // The queue cannot be read (the database broken): the device cannot tell whether it admitted
    // the ticket already, so it admits nothing and says so (before, "the server could not check").
    await deviceA.evaluate(() => {
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
        if (this.name !== "queue") return get.call(this, query);
        IDBObjectStore.prototype.get = get; // once
        throw new DOMException("The database connection is closing.", "InvalidStateError");
      };
    });
    await deviceA.getByTestId("manual-pass").fill(passBoth);
    await deviceA.getByTestId("manual-submit").click();
    const unreadable = deviceA.locator('[data-testid="scan-problem"][data-problem="device-storage"]');
    await unreadable.filter({ hasText: "could not read" }).waitFor({ timeout: 15_000 });
    expect(await unreadable.innerText()).to.contain("This device could not read the admissions it made offline (InvalidStateError: The database connection is closing.)");
    expect(await deviceA.getByTestId("verdict").count(), "no verdict").to.equal(0);
    expect(await queueCount(deviceA)).to.equal(0);

    const a = await scan(deviceA, passBoth);
    expect(a, JSON.stringify(a)).to.include({ verdict: "admit", onDevice: "true" });
    expect(a.text).to.contain("Admitted offline on this device");
    await screenshot(deviceA, "offline-scanner-admit");
    const b1 = await scan(deviceB, passBoth);
    expect(b1).to.include({ verdict: "admit", onDevice: "true" });
    const b2 = await scan(deviceB, passOne);
    expect(b2).to.include({ verdict: "admit", onDevice: "true" });
    // The same ticket again on the same device: refused there, in words, offline. The scan looks
    // its ticket up in the queue by its key (it read the whole queue at every scan before).
    await deviceB.evaluate(() => {
      const asked: unknown[] = [];
      (window as unknown as { queueKeysAsked: unknown[] }).queueKeysAsked = asked;
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
        if (this.name === "queue") asked.push(query);
        return get.call(this, query);
      };
    });
    const again = await scan(deviceB, passOne);
    expect(again).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true" });
    expect(again.text).to.contain("Checked offline on this device");
    // With when: the staff tell their own admission from a pass used elsewhere.
    const queuedOne = (await queueStore(deviceB)).find((r) => r.event === event && r.tokenId === one.toString());
    expect(again.usedAt, "when this device admitted it").to.equal(String(queuedOne?.admittedAt));
    expect(again.text).to.match(/Admitted at \S.* on this device/);
    expect(await deviceB.evaluate(() => (window as unknown as { queueKeysAsked: unknown[] }).queueKeysAsked), "the queue's keys the scan asked for").to.deep.equal([[event, one.toString()]]);
    // Two scans of one ticket at once: the second's lookup came before the first's write. The
    // queue's key, taken, refuses it in the same words (the storage is not at fault).
    await deviceB.evaluate(() => {
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
        return get.call(this, this.name === "queue" && Array.isArray(query) ? [query[0], "not queued"] : query);
      };
    });
    const raced = await scan(deviceB, passOne);
    expect(raced, JSON.stringify(raced)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true" });
    expect(Number(raced.usedAt), "admitted a moment ago").to.be.within(Number(queuedOne?.admittedAt), Math.ceil(Date.now() / 1000) + 1);
    await eventually(async () => (await queueCount(deviceA)) === 1 && (await queueCount(deviceB)) === 2, "the queues on the devices", 10_000);

    // The queue survives a reload (IndexedDB).
    await reloadWithoutTheGate(deviceB);
    await eventually(async () => (await queueCount(deviceB)) === 2, "device B's queue after a reload", 15_000);
    expect(await ledger([both, one])).to.deep.equal([]);
    await screenshot(deviceB, "offline-scanner-queue");

    // Device A reconnects first, then B: A's admission of the shared ticket wins, B's is a conflict.
    await deviceA.context().setOffline(false);
    await eventually(async () => (await queueCount(deviceA)) === 0, "device A uploaded", 20_000);
    await deviceB.unrouteAll();
    await eventually(async () => (await queueCount(deviceB)) === 0, "device B uploaded", 20_000);
    expect(await queueStore(deviceB), "the other events' admissions stay queued").to.deep.equal(elsewhere);

    // The ledger: each ticket once.
    expect(await ledger([both, one])).to.deep.equal([both.toString(), one.toString()]);

    // The conflict on the devices (B's own, and A's list too).
    for (const page of [deviceB, deviceA]) {
      const conflict = page.locator(`[data-testid="offline-conflict"][data-token="${both}"]`);
      await conflict.waitFor({ timeout: 20_000 });
      expect(await page.getByTestId("offline-conflicts").getAttribute("data-count")).to.equal("1");
    }
    const onB = await deviceB.locator(`[data-testid="offline-conflict"][data-token="${both}"]`).innerText();
    expect(onB).to.contain(`Ticket #${both}: admitted by this device`);
    expect(onB).to.match(/but Scanner [0-9A-F]{4} had admitted it/);
    await screenshot(deviceB, "offline-scanner-conflict");
    // The door's status line counts what came in on a device's own list (one admission per ticket).
    const offlineCount = async () => (await deviceA.getByTestId("admitted-offline").textContent({ timeout: 1000 }).catch(() => null)) ?? "";
    await eventually(async () => (await offlineCount()).includes("2 admitted on scanners without their link"), "the door's count of offline admissions", 20_000);

    // The chain: both checked in, once each (one CheckedIn log per ticket).
    await env.checkedInOnChain(concert, [both, one]);
    const logsOf = async (tokenId: bigint) =>
      (await stack.clients.publicClient.getContractEvents({ address: concert, abi: chainpassEventAbi, eventName: "CheckedIn", args: { tokenId }, fromBlock: 0n })).length;
    expect(await logsOf(both)).to.equal(1);
    expect(await logsOf(one)).to.equal(1);

    // The organizer's check-ins page lists the conflict.
    const { page: console_ } = await openAs(browser, stack, organizer, `/organizer/${concert}/checkins`, logs, { context: WITH_SERVICE_WORKER });
    await signIn(console_);
    const listed = console_.getByTestId("console-offline-conflicts");
    await listed.waitFor({ timeout: 20_000 });
    expect(await listed.getAttribute("data-count")).to.equal("1");
    expect(await listed.innerText()).to.contain("1 ticket admitted at two places");
    expect(await console_.locator(`[data-testid="console-offline-conflict"][data-token="${both}"]`).count()).to.equal(1);
    await screenshot(console_, "offline-scanner-console-conflict");
    for (const page of [deviceA, deviceB, console_]) await page.context().close();
  });

  it("a link that hangs: the gate admits a scan but its answer never arrives; after 5 s the device decides itself, and its upload is that same admission, not a conflict", async function () {
    const ticket = 1_000_002n;
    const [pass, device] = await Promise.all([passOf(fan5, ticket), openScanner()]);
    // The scan goes through to the gate; the answer is held back, as on a Wi-Fi that carries nothing back.
    const gate = await loseAnswers(device, () => new Promise<void>(() => undefined));
    const started = Date.now();
    const shown = await scan(device, pass);
    const waited = Date.now() - started;
    expect(shown, JSON.stringify(shown)).to.include({ verdict: "admit", onDevice: "true" });
    expect(gate.admitted, "the gate admitted the scan the device gave up on").to.equal(true);
    expect(waited, "decided after the scan's time limit").to.be.within(4_500, 12_000);
    expect(await ledger([ticket])).to.deep.equal([ticket.toString()]);
    // The link carries again: the queue uploads and the gate finds its own admission of that scan.
    await expectUploadedAsTheSameAdmission(device, ticket);
    await device.context().close();
  });

  it("a connection reset after the gate admitted the scan (a gate server that crashed): decided on the device at once, and its upload is that same admission, not a conflict", async function () {
    const ticket = await buyStanding(fan7);
    const [pass, device] = await Promise.all([passOf(fan7, ticket), openScanner()]);
    // The scan reaches the gate, which admits it; the connection is then reset, no answer sent.
    const gate = await loseAnswers(device, (route) => route.abort("connectionreset"));
    const started = Date.now();
    const shown = await scan(device, pass);
    expect(shown, JSON.stringify(shown)).to.include({ verdict: "admit", onDevice: "true" });
    expect(gate.admitted, "the gate admitted the scan whose answer was lost").to.equal(true);
    expect(Date.now() - started, "decided at once, not after the scan's time limit").to.be.below(4_500);
    await expectUploadedAsTheSameAdmission(device, ticket);
    await device.context().close();
  });

  it("a pass admitted at another gate a moment ago is refused on a device whose link then drops, before its next copy (the used-ticket feed), also after a reload", async function () {
    const ticket = await buyStanding(fan7);
    const [pass, deviceA, deviceB] = await Promise.all([passOf(fan7, ticket), openScanner(), openScanner()]);
    // A feed too far behind for one answer (more than 10,000 admissions since the copy): the device
    // fetches a new copy within 6 s of the answer (at a random moment, as every device of the venue
    // may hear the same), not at its next 30 s refresh.
    let toldTooMany = 0;
    await deviceB.route(
      (url) => url.pathname.endsWith("/used-since"),
      (route) => {
        toldTooMany = Date.now();
        return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ refresh: "admissions" }) });
      },
      { times: 1 },
    );
    await deviceB.waitForRequest((request) => new URL(request.url()).pathname.endsWith("/offline-snapshot") && toldTooMany > 0, { timeout: 15_000 });
    expect(Date.now() - toldTooMany, "a new copy asked for within the spread").to.be.below(8_000);
    // Device B gets no new copy of the event from here on: what it learns of the admission below
    // can only come from the feed.
    await deviceB.route(
      (url) => url.pathname.endsWith("/offline-snapshot"),
      (route) => route.abort("internetdisconnected"),
    );
    const fed = deviceB.waitForResponse(
      async (response) => response.url().includes("/used-since?") && ((await response.json()) as { tokenIds?: string[] }).tokenIds?.includes(ticket.toString()) === true,
      { timeout: 20_000 },
    );
    // The fan is let in at gate A, online...
    const atA = await scan(deviceA, pass);
    expect(atA, JSON.stringify(atA)).to.include({ verdict: "admit", onDevice: null });
    const admittedAt = Date.now();
    // ...and relays the rotating QR to a friend at device B, whose link has just dropped.
    await fed;
    expect(Date.now() - admittedAt, "fed within a few seconds").to.be.below(10_000);
    await deviceB.context().setOffline(true);
    await deviceB.getByTestId("device-offline").waitFor({ timeout: 15_000 });
    // The banner says how recent the device's news of other entrances is, beside its list's age.
    const feedNote = deviceB.getByTestId("device-offline-feed");
    expect(await feedNote.innerText()).to.match(/^Admissions at other entrances, tickets that changed hands and the deny list are known up to \d+ seconds? ago\.$/);
    expect(Number(await feedNote.getAttribute("data-age-ms"))).to.be.within(0, 15_000);
    const atB = await scan(deviceB, pass);
    expect(atB, JSON.stringify(atB)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true" });
    expect(atB.usedAt, "not an admission of this device").to.equal("");
    expect(atB.text).to.contain("Admitted before this device lost the link");
    expect(await queueCount(deviceB)).to.equal(0);
    // The feed is kept with the copy: the page read again offline refuses it too.
    await reloadWithoutTheGate(deviceB);
    expect(await deviceB.getByTestId("device-offline-feed").count(), "its time kept too").to.equal(1);
    const afterReload = await scan(deviceB, pass);
    expect(afterReload, JSON.stringify(afterReload)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true" });
    for (const page of [deviceA, deviceB]) await page.context().close();
  });

  it("a ticket given away and a holder denied a moment ago: on a device whose link then drops, before its next copy, the giver's pass and the denied holder's are refused and the new holder's admitted (the feed), also after a reload", async function () {
    const [ticket, kept] = [await buyStanding(fan7), await buyStanding(fan7)];
    const [giverPass, keptPass, device] = await Promise.all([passOf(fan7, ticket), passOf(fan7, kept), openScanner()]);
    // No new copy of the event from here on: what the device learns can only come from the feed.
    await device.route(
      (url) => url.pathname.endsWith("/offline-snapshot"),
      (route) => route.abort("internetdisconnected"),
    );
    type Fed = { tickets?: string[][]; denied?: string[] };
    const fedWith = (has: (answer: Fed) => boolean) =>
      device.waitForResponse(async (response) => response.url().includes("/used-since?") && has((await response.json()) as Fed), { timeout: 20_000 });
    const send = async (account: typeof fan7, functionName: string, args: unknown[]) => {
      const hash = await stack.clients.wallet(account).writeContract({ address: concert, abi: chainpassEventAbi, functionName, args, account, chain: stack.clients.chain } as never);
      await stack.clients.publicClient.waitForTransactionReceipt({ hash });
    };
    try {
      const gift = fedWith((answer) => answer.tickets?.some(([id]) => id === ticket.toString()) === true);
      await send(fan7, "gift", [ticket, fan8.address]);
      const given = Date.now();
      const row = ((await (await gift).json()) as { tickets: string[][] }).tickets.find(([id]) => id === ticket.toString())!;
      expect(row[1], "fed with its new holder").to.equal(fan8.address.toLowerCase());
      expect(Date.now() - given, "fed within a few seconds").to.be.below(10_000);
      // The organizer denies the giver: their other ticket's pass is no longer good either.
      const denial = fedWith((answer) => answer.denied?.includes(fan7.address.toLowerCase()) === true);
      await send(organizer, "setDenied", [[fan7.address], true]);
      await denial;
      const holderPass = await passOf(fan8, ticket);

      await device.context().setOffline(true);
      await device.getByTestId("device-offline").waitFor({ timeout: 15_000 });
      const expectRefusals = async (when: string) => {
        const giver = await scan(device, giverPass);
        expect(giver, `${when}: ${JSON.stringify(giver)}`).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", onDevice: "true" });
        const denied = await scan(device, keptPass);
        expect(denied, `${when}: ${JSON.stringify(denied)}`).to.include({ verdict: "refuse", reason: "denied", onDevice: "true" });
      };
      await expectRefusals("offline");
      // The page read again offline has the feed's changes too.
      await reloadWithoutTheGate(device);
      await expectRefusals("after a reload");
      const holder = await scan(device, holderPass);
      expect(holder, JSON.stringify(holder)).to.include({ verdict: "admit", onDevice: "true" });
      expect(await queueCount(device)).to.equal(1);
    } finally {
      await send(organizer, "setDenied", [[fan7.address], false]); // fan 7 buys in the other tests
      await device.context().close();
    }
  });

  it("a ticket given away: the device's next copy brings the rows of that ticket's group alone (the device names the groups it holds) and the used tickets as bitmaps; offline it checks against them and the rows it kept", async function () {
    const ticket = await buyStanding(fan6);
    const giverPass = await passOf(fan6, ticket);
    const groupOf = (id: string | bigint) => (BigInt(id) / TICKET_ROWS_PER_GROUP).toString();
    const copies: { url: string; groups: string[]; of: number }[] = [];
    /** The first copy's used tickets, sent as bitmaps (decoded here) and, asked without usedAs, as the list. */
    let used: { fromBits: string[]; listed: string[] } | undefined;
    const { page: device } = await openAs(browser, stack, gateStaff, `/gate/${concert}`, logs, {
      context: { ...PHONE, ...WITH_SERVICE_WORKER },
      prepare: async (page) => {
        // No feed: what the device learns comes in its copies, here every 1.5 s rather than 30 s.
        await page.route(
          (url) => url.pathname.endsWith("/used-since"),
          (route) => route.abort("internetdisconnected"),
        );
        await page.route(
          (url) => url.pathname.endsWith("/offline-snapshot"),
          async (route) => {
            const answer = await route.fetch();
            if (!answer.ok()) return route.fulfill({ response: answer }); // before signing in
            const body = (await answer.json()) as OfflineSnapshotAnswer;
            copies.push({ url: route.request().url(), groups: [...new Set((body.tickets ?? []).map(([id]) => groupOf(id)))], of: body.ticketGroups?.length ?? 0 });
            if (!used) {
              const listed = (await (await route.fetch({ url: route.request().url().replace(/[?&]usedAs=bits$/, "") })).json()) as OfflineSnapshotAnswer;
              used = { fromBits: [...body.used, ...usedOfBits(body.usedBits ?? [])], listed: listed.used };
            }
            // The body is sent again uncompressed: without the gate's encoding and length.
            const headers = Object.fromEntries(Object.entries(answer.headers()).filter(([name]) => !/^content-(encoding|length)$/i.test(name)));
            await route.fulfill({ status: answer.status(), headers, body: JSON.stringify({ ...body, refreshMs: 1_500 }) });
          },
        );
      },
    });
    try {
      await signIn(device);
      await eventually(async () => copies.length >= 2, "a first copy and a refresh", 20_000);
      expect(copies[0].groups, "the first copy: every group's rows").to.have.length(copies[0].of);
      expect(copies[0].of, "the concert's tiers make several groups").to.be.above(1);
      // The used tickets came as bitmaps: the same tickets as the list the gate sends an older app.
      expect(used!.listed, "tickets admitted by the tests before").to.have.length.above(0);
      expect([...used!.fromBits].sort(), "the bitmaps' tickets").to.deep.equal([...used!.listed].sort());
      expect(copies[1], "the next: none, with the groups it holds named").to.deep.include({ groups: [] });
      expect(copies[1].url).to.match(/\?ticketsTag=[A-Za-z0-9_-]+&held=[A-Za-z0-9_-]{16}(\.[A-Za-z0-9_-]{16})*&usedAs=bits$/);

      const before = copies.length;
      const hash = await stack.clients.wallet(fan6).writeContract({ address: concert, abi: chainpassEventAbi, functionName: "gift", args: [ticket, fan5.address], account: fan6, chain: stack.clients.chain } as never);
      await stack.clients.publicClient.waitForTransactionReceipt({ hash });
      await eventually(async () => copies.slice(before).some((copy) => copy.groups.length > 0), "a copy with the gift's group", 20_000);
      const sent = copies.slice(before).find((copy) => copy.groups.length > 0)!;
      expect(sent.groups, "the rows of the given ticket's group alone").to.deep.equal([groupOf(ticket)]);
      const holderPass = await passOf(fan5, ticket);

      expect((await savedRecord(device, concert.toLowerCase()))?.used, "the device keeps the used tickets as ids").to.include.members(used!.listed);
      // The device's rows: those it kept and those sent, the gift's with its new holder.
      const rows = async () => ((await savedRecord(device, `${concert.toLowerCase()}#rows`))?.tickets ?? []) as TicketRow[];
      const kept = await eventually(async () => {
        const all = await rows();
        return all.find(([id]) => id === ticket.toString())?.[1] === fan5.address.toLowerCase() ? all : undefined;
      }, "the device keeps the gift's row", 10_000);
      expect(new Set(kept.map(([id]) => groupOf(id))).size, "every group's rows, those it held too").to.equal(copies[0].of);
      expect(kept.find(([id]) => id === "4000001")?.[1], "a row of a group it held").to.equal(fan8.address.toLowerCase());

      await device.context().setOffline(true);
      await device.getByTestId("device-offline").waitFor({ timeout: 15_000 });
      const giver = await scan(device, giverPass);
      expect(giver, JSON.stringify(giver)).to.include({ verdict: "refuse", reason: "delegation-not-by-owner", onDevice: "true" });
      const holder = await scan(device, holderPass);
      expect(holder, JSON.stringify(holder)).to.include({ verdict: "admit", onDevice: "true" });
    } finally {
      await device.context().close();
    }
  });

  it("a gate server from before row groups and bitmaps (met in a rolling upgrade) refuses their parameters: the device asks again as that server knows, and keeps the copy it gets", async function () {
    const asked: { url: string; status: number }[] = [];
    const { page: device } = await openAs(browser, stack, gateStaff, `/gate/${concert}`, logs, {
      context: { ...PHONE, ...WITH_SERVICE_WORKER },
      prepare: async (page) => {
        await page.route(
          (url) => url.pathname.endsWith("/offline-snapshot"),
          async (route) => {
            const { searchParams } = new URL(route.request().url());
            // What the old server's schema answered to a parameter it did not know.
            const unknown = searchParams.has("usedAs") || searchParams.has("held");
            asked.push({ url: route.request().url(), status: unknown ? 400 : 200 });
            if (unknown) return route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ error: "invalid-request", message: "querystring must NOT have additional properties" }) });
            return route.continue();
          },
        );
      },
    });
    try {
      await signIn(device);
      await eventually(async () => asked.filter((a) => a.status === 200).length >= 1, "a copy asked as the old server knows", 20_000);
      expect(asked[0]).to.deep.include({ status: 400 });
      expect(new URL(asked[0].url).searchParams.get("usedAs")).to.equal("bits");
      expect(new URL(asked[1].url).search, "asked again, with nothing the old server does not know").to.equal("");
      const kept = await eventually(
        async () => {
          const rows = await savedRecord(device, `${concert.toLowerCase()}#rows`).catch(() => undefined);
          return ((rows?.tickets as unknown[] | undefined)?.length ?? 0) > 0 || undefined;
        },
        "the device keeps the copy",
        10_000,
      );
      expect(kept).to.equal(true);
      expect(await device.getByTestId("offline-list-not-kept").count(), "no problem shown").to.equal(0);
    } finally {
      await device.context().close();
    }
  });

  it("a link that carries nothing at all: the first scan waits its 5 s, the next is decided on the device at once without being sent; once the link carries, scans go to the gate again and the queue uploads though an upload was lost; a pass the gate admitted here is refused offline here before the list has it, also after a reload", async function () {
    const testStarted = Math.floor(Date.now() / 1000);
    const [first, second, third] = [2_000_027n, 2_000_028n, 1_000_005n];
    const [passFirst, passSecond, passThird, device] = await Promise.all([passOf(fan5, first), passOf(fan5, second), passOf(fan6, third), openScanner()]);
    // Every call to the gate is held without an answer, the scans' and the status's alike; those
    // held are never answered, as requests lost on such a link (the browser would wait minutes).
    let scansSent = 0;
    let uploadsHeld = 0;
    let hanging = true;
    await device.route(
      (url) => url.pathname.startsWith("/gate/"),
      (route) => {
        if (route.request().resourceType() === "document" || !hanging) return route.continue();
        const path = new URL(route.request().url()).pathname;
        if (path.endsWith("/scan")) scansSent++;
        if (path.endsWith("/offline-admissions")) uploadsHeld++;
        return new Promise<void>(() => undefined); // held to the end of the test
      },
    );

    let started = Date.now();
    const a = await scan(device, passFirst);
    const waitedFirst = Date.now() - started;
    expect(a, JSON.stringify(a)).to.include({ verdict: "admit", onDevice: "true" });
    expect(waitedFirst, "the first scan waits for the gate's answer until its time limit").to.be.within(4_500, 12_000);
    await device.getByTestId("device-offline").waitFor({ timeout: 5_000 });

    started = Date.now();
    const b = await scan(device, passSecond);
    const waitedSecond = Date.now() - started;
    expect(b, JSON.stringify(b)).to.include({ verdict: "admit", onDevice: "true" });
    expect(waitedSecond, "the next scan does not wait for a gate that did not answer").to.be.below(2_500);
    expect(scansSent, "only the first scan was sent to the gate").to.equal(1);
    await eventually(async () => (await queueCount(device)) === 2, "both admissions wait on the device", 10_000);
    const queuedFirst = (await queueStore(device)).find((r) => r.tokenId === first.toString());

    // The link carries again: the probe reaches the gate, the device says so, and the next scan is the gate's.
    // The device tries to upload while the link still carries nothing; that request is lost too.
    await eventually(async () => uploadsHeld > 0, "an upload tried while the link carries nothing", 15_000);
    hanging = false;
    await device.getByTestId("device-offline").waitFor({ state: "detached", timeout: 20_000 });
    const c = await scan(device, passThird);
    expect(c, JSON.stringify(c)).to.include({ verdict: "admit", onDevice: null });
    // The lost upload ends at its time limit (10 s), and the next one goes.
    await eventually(async () => (await queueCount(device)) === 0, "the device's queue uploaded", 30_000);
    expect((await ledger([first, second, third])).sort()).to.deep.equal([first, second, third].map(String).sort());
    for (const ticket of [first, second]) expect(await device.locator(`[data-testid="offline-conflict"][data-token="${ticket}"]`).count(), "no conflict: no other place admitted it").to.equal(0);

    // The gate admitted the third at this device's scan; the device's list has it only from a
    // refresh asked for after that. The link drops: the device refuses the pass too, and says it
    // admitted it itself, when (it admitted it offline again before).
    await device.context().setOffline(true);
    const again = await scan(device, passThird);
    expect(again, JSON.stringify(again)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true" });
    expect(Number(again.usedAt), "when the gate admitted it here").to.be.within(testStarted, Math.ceil(Date.now() / 1000) + 1);
    expect(again.text).to.match(/Admitted at \S.* on this device/);
    // So is the first, admitted here offline and since uploaded (out of the queue, maybe not yet in the list).
    const uploaded = await scan(device, passFirst);
    expect(uploaded, JSON.stringify(uploaded)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true", usedAt: String(queuedFirst?.admittedAt) });
    // The page read again offline (a reload, or a tab the phone dropped in the background) still
    // refuses both, with when this device admitted them: the gate's answers are kept on the device.
    await reloadWithoutTheGate(device);
    const reloaded = await scan(device, passThird);
    expect(reloaded, JSON.stringify(reloaded)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true", usedAt: again.usedAt });
    const uploadedReloaded = await scan(device, passFirst);
    expect(uploadedReloaded, JSON.stringify(uploadedReloaded)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true", usedAt: String(queuedFirst?.admittedAt) });
    // A device that never scanned it has it from its list, fetched after that admission: used before its link dropped.
    const other = await openScanner();
    await other.context().setOffline(true);
    const listed = await scan(other, passThird);
    expect(listed, JSON.stringify(listed)).to.include({ verdict: "refuse", reason: "already-used", onDevice: "true", usedAt: "" });
    expect(listed.text).to.contain("Admitted before this device lost the link");
    for (const page of [device, other]) await page.context().close();
  });

  it("a device that cannot save the refreshed list (full) keeps checking against it, says a reload would lose it, refreshes without the rows it holds, and writes them at the first save that succeeds", async function () {
    const refreshes: { url: string; withRows: boolean }[] = [];
    const { page: device } = await openAs(browser, stack, gateStaff, `/gate/${concert}`, logs, {
      context: { ...PHONE, ...WITH_SERVICE_WORKER },
      prepare: async (page) => {
        // The device's storage refuses the event's list, as a full phone does.
        await page.addInitScript(() => {
          const flags = window as unknown as { storageFull: boolean };
          flags.storageFull = true;
          const put = IDBObjectStore.prototype.put;
          IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
            if (flags.storageFull && this.name === "snapshots") throw new DOMException("the device is full (test)", "QuotaExceededError");
            return put.call(this, value, key);
          };
        });
        // Refreshed every 1.5 s, not 30 s, so the test sees several.
        await page.route(
          (url) => url.pathname.endsWith("/offline-snapshot"),
          async (route) => {
            const answer = await route.fetch();
            if (!answer.ok()) return route.fulfill({ response: answer }); // before signing in
            const body = (await answer.json()) as Record<string, unknown>;
            refreshes.push({ url: route.request().url(), withRows: "tickets" in body });
            // The body is sent again uncompressed: without the gate's encoding and length.
            const headers = Object.fromEntries(Object.entries(answer.headers()).filter(([name]) => !/^content-(encoding|length)$/i.test(name)));
            await route.fulfill({ status: answer.status(), headers, body: JSON.stringify({ ...body, refreshMs: 1_500 }) });
          },
        );
      },
    });
    await signIn(device);
    const notKept = device.getByTestId("offline-list-not-kept");
    await notKept.waitFor({ timeout: 20_000 });
    expect(await notKept.innerText()).to.match(/^This device could not save the latest ticket list \(QuotaExceededError: the device is full \(test\)\)\. If the link drops/);
    // The page holds the copy it could not keep, and asks with its rows' tag: not all the rows again.
    expect(await device.locator("h1[data-offline-list]").count(), "the page holds the refreshed list").to.equal(1);
    await eventually(async () => refreshes.length >= 3, "three refreshes", 20_000);
    expect(refreshes[0]!.withRows, "the first refresh brings the rows").to.equal(true);
    for (const later of refreshes.slice(1)) expect(later, "later refreshes ask with the tag of the rows held in the page").to.deep.include({ withRows: false });
    for (const later of refreshes.slice(1)) expect(later.url).to.match(/\?ticketsTag=[A-Za-z0-9_-]+&held=[A-Za-z0-9_.-]+&usedAs=bits$/);

    // Offline, it checks against that list.
    await device.context().setOffline(true);
    await device.getByTestId("device-offline").waitFor({ timeout: 15_000 });
    await device.context().setOffline(false);

    // Room again: the next save keeps the copy and the rows that came with the first refresh.
    await device.evaluate(() => ((window as unknown as { storageFull: boolean }).storageFull = false));
    await notKept.waitFor({ state: "detached", timeout: 20_000 });
    const saved = await device.evaluate(
      () =>
        new Promise<{ event: string; ticketsTag: string; tickets?: unknown[] }[]>((resolve, reject) => {
          const open = indexedDB.open("chainpass-gate");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("snapshots").objectStore("snapshots").getAll();
            all.onsuccess = () => {
              open.result.close();
              resolve(all.result);
            };
            all.onerror = () => reject(all.error);
          };
        }),
    );
    const event = concert.toLowerCase();
    const copy = saved.find((record) => record.event === event);
    const rows = saved.find((record) => record.event === `${event}#rows`);
    expect(copy, "the copy is kept").to.not.equal(undefined);
    expect(rows?.tickets, "its rows are kept beside it").to.have.length.above(0);
    expect(rows!.ticketsTag, "the rows are the copy's").to.equal(copy!.ticketsTag);
    await device.context().close();
  });

  it("a copy kept by the previous app, its rows inside it, is used after the update, and its rows move to a record of their own once; a later version of the database is not blocked by an open scanner, which then, offline, admits nothing and says to reload", async function () {
    const device = await openScanner();
    // The copy as the previous app kept it: one record, the rows inside.
    const store = <T>(work: string, key?: string) =>
      device.evaluate(
        ([work, key]) =>
          new Promise<unknown>((resolve, reject) => {
            const open = indexedDB.open("chainpass-gate");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction("snapshots", "readwrite");
              const snapshots = tx.objectStore("snapshots");
              let result: unknown;
              if (work === "keys") snapshots.getAllKeys().onsuccess = (e) => (result = (e.target as IDBRequest).result);
              if (work === "get") snapshots.get(key!).onsuccess = (e) => (result = (e.target as IDBRequest).result);
              if (work === "to-previous") {
                snapshots.getAll().onsuccess = (e) => {
                  const records = (e.target as IDBRequest<{ event: string; tickets?: unknown[] }[]>).result;
                  const copy = records.find((r) => !r.event.endsWith("#rows"))!;
                  const rows = records.find((r) => r.event === `${copy.event}#rows`)!;
                  snapshots.put({ ...copy, tickets: rows.tickets });
                  snapshots.delete(rows.event);
                };
              }
              tx.oncomplete = () => {
                open.result.close();
                resolve(result);
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        [work, key] as const,
      ) as Promise<T>;
    const event = concert.toLowerCase();
    await store("to-previous");
    expect(await store<string[]>("keys"), "one record, as the previous app kept it").to.deep.equal([event]);
    expect((await store<{ tickets?: unknown[] }>("get", event)).tickets).to.have.length.above(0);

    // Opened again: it asks with the copy's tag (it read the copy), gets the rest without rows, and
    // writes the rows it holds apart this once.
    const lean = device.waitForResponse((response) => /\/offline-snapshot\?ticketsTag=[A-Za-z0-9_-]+(&held=[A-Za-z0-9_.-]+)?&usedAs=bits$/.test(response.url()), { timeout: 20_000 });
    await device.reload();
    expect(await (await lean).json()).to.not.have.property("tickets");
    await eventually(async () => (await store<string[]>("keys")).length === 2, "the rows written apart", 10_000);
    expect(await store<string[]>("keys")).to.deep.equal([event, `${event}#rows`]);
    expect(await store<{ tickets?: unknown[] }>("get", event), "the copy without its rows").to.not.have.property("tickets");
    expect((await store<{ tickets: unknown[] }>("get", `${event}#rows`)).tickets).to.have.length.above(0);

    // A later app's new database version is not blocked by this page holding the database open.
    const upgrade = await device.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const open = indexedDB.open("chainpass-gate", 2);
          open.onblocked = () => resolve("blocked");
          open.onsuccess = () => {
            open.result.close();
            resolve("upgraded");
          };
          open.onerror = () => resolve(`error: ${open.error?.message}`);
        }),
    );
    expect(upgrade).to.equal("upgraded");

    // This page (the app before that version) can no longer open its database. Offline, it cannot
    // tell whether it admitted a ticket already: it admits nothing and says to reload.
    const pass = await passOf(fan8, 4_000_001n); // admitted only in the next test
    await device.context().setOffline(true);
    await device.getByTestId("device-offline").waitFor({ timeout: 15_000 });
    await device.getByTestId("manual-pass").fill(pass);
    await device.getByTestId("manual-submit").click();
    const problem = device.locator('[data-testid="scan-problem"][data-problem="device-storage"]');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.innerText()).to.match(/^This device could not read the admissions it made offline \(VersionError: .*reload the page/s);
    expect(await device.getByTestId("verdict").count(), "no verdict").to.equal(0);
    await device.context().close();
  });

  it("a device opened again gets the event's copy without the ticket rows it holds; with its clock ten minutes ahead it checks frame times offline by the gate's clock, and its upload is not refused as in the future", async function () {
    const ticket = 4_000_001n;
    const [pass, device] = await Promise.all([passOf(fan8, ticket), openScanner()]);
    // Opened again, the scanner asks for the event's copy with the tag of the ticket rows it
    // keeps, and gets it without them: they are current. It keeps its own rows (the offline
    // admission below needs this ticket's owner from them).
    const lean = device.waitForResponse((response) => /\/offline-snapshot\?ticketsTag=[A-Za-z0-9_-]+(&held=[A-Za-z0-9_.-]+)?&usedAs=bits$/.test(response.url()), { timeout: 20_000 });
    // What the page writes to IndexedDB: the copy is saved at each refresh, its rows only when they came.
    await device.addInitScript(() => {
      const writes: string[] = [];
      (window as unknown as { idbWrites: string[] }).idbWrites = writes;
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        writes.push(`${this.name}${value && typeof value === "object" && "tickets" in value ? " with rows" : ""}`);
        return put.call(this, value, key);
      };
    });
    await device.reload();
    const answer = (await (await lean).json()) as Record<string, unknown>;
    expect(answer, "the rows are not sent again").to.not.have.property("tickets");
    expect(answer, "the used tickets as bitmaps, the list empty").to.deep.include({ used: [] });
    expect(answer.usedBits).to.be.an("array");
    const writes = () => device.evaluate(() => (window as unknown as { idbWrites: string[] }).idbWrites);
    await eventually(async () => (await writes()).includes("snapshots"), "the refreshed copy was saved", 10_000);
    expect(await writes(), "the rows it holds are not written again").to.deep.equal(["snapshots"]);
    // The staff phone's clock is set ten minutes ahead; its next status polls tell it the gate's.
    await device.clock.install({ time: Date.now() + 600_000 });
    const learned = () =>
      device.evaluate(() => {
        const samples = JSON.parse(localStorage.getItem("chainpass-gate-clock") ?? "[]") as { offsetMs: number }[];
        return samples.length > 0 && samples.every((s) => Math.abs(s.offsetMs + 600_000) < 5_000);
      });
    await eventually(learned, "the device learned the gate's clock", 20_000);

    await device.context().setOffline(true);
    const shown = await scan(device, pass);
    // By the phone's own clock the frame would be ten minutes old: stale-frame.
    expect(shown, JSON.stringify(shown)).to.include({ verdict: "admit", onDevice: "true" });
    const uploaded = device.waitForResponse((response) => response.url().endsWith("/offline-admissions"), { timeout: 30_000 });
    await device.context().setOffline(false);
    const { results } = (await (await uploaded).json()) as { results: { tokenId: string; result: string }[] };
    expect(results).to.deep.equal([{ tokenId: ticket.toString(), result: "admitted" }]);
    expect(await ledger([ticket])).to.deep.equal([ticket.toString()]);
    await device.context().close();
  });

  it("a scanner opened forgets the copies of other events this device has not refreshed for two weeks, with their rows and notes, but keeps one with admissions still to upload", async function () {
    const device = await openScanner();
    const now = Date.now();
    const day = 86_400_000;
    // Copies of three other events, as this app keeps them: an old one (rows and a note), an old
    // one with an admission still queued here, and one refreshed yesterday.
    const [old, oldQueued, recent] = ["a", "b", "c"].map((digit) => `0x${digit.repeat(40)}`);
    const idb = (work: "seed" | "keys", seed?: { old: string; oldQueued: string; recent: string; now: number; day: number }) =>
      device.evaluate(
        ([work, seed]) =>
          new Promise<{ snapshots: string[]; queue: string[] }>((resolve, reject) => {
            const open = indexedDB.open("chainpass-gate");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction(["snapshots", "queue"], "readwrite");
              const snapshots = tx.objectStore("snapshots");
              const queue = tx.objectStore("queue");
              const found = { snapshots: [] as string[], queue: [] as string[] };
              if (work === "seed" && seed) {
                // (No named functions in here: tsx wraps them in a __name helper the page does not have.)
                for (const [event, age] of [
                  [seed.old, 15],
                  [seed.oldQueued, 15],
                  [seed.recent, 1],
                ] as const) {
                  snapshots.put({ event, version: 1, takenAt: seed.now - age * seed.day, ticketsTag: "t", used: [], denied: [], delegations: [] });
                }
                snapshots.put({ event: `${seed.old}#rows`, ticketsTag: "t", tickets: [["1", seed.old, "Standing", null, null, null]] });
                snapshots.put({ event: `${seed.old}#heard#1`, tokenId: "1", at: 1, noted: seed.now - 15 * seed.day });
                queue.put({ event: seed.oldQueued, tokenId: "7", holder: seed.oldQueued, admittedAt: 1 });
                snapshots.put({ event: `${seed.recent}#rows`, ticketsTag: "t", tickets: [] });
              }
              snapshots.getAllKeys().onsuccess = (e) => (found.snapshots = ((e.target as IDBRequest).result as string[]).map(String));
              queue.getAllKeys().onsuccess = (e) => (found.queue = ((e.target as IDBRequest).result as string[][]).map((key) => key.join("/")));
              tx.oncomplete = () => {
                open.result.close();
                resolve(found);
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        [work, seed] as const,
      );
    const event = concert.toLowerCase();
    const seeded = await idb("seed", { old, oldQueued, recent, now, day });
    expect(seeded.snapshots).to.include.members([old, `${old}#rows`, `${old}#heard#1`, oldQueued, recent, `${recent}#rows`, event]);

    await device.reload();
    await eventually(async () => !(await idb("keys")).snapshots.includes(old), "the old copy forgotten once the scanner opened", 20_000);
    const left = await idb("keys");
    expect(left.snapshots.filter((key) => key.startsWith(old)), "its rows and notes with it").to.deep.equal([]);
    expect(left.snapshots, "the copy with a queued admission, the recent one and this event's are kept").to.include.members([oldQueued, recent, `${recent}#rows`, event, `${event}#rows`]);
    expect(left.queue, "the queued admission is kept to be uploaded").to.deep.equal([`${oldQueued}/7`]);
    await device.context().close();
  });
});
