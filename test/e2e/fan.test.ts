// Fans in a real browser (issue 6, requirements 2, 3 and 6), on the seeded demo events: explore's
// filters, the wallet dialog and the wrong chain, the language switch, a keyboard-only purchase,
// the event page's early price and live inventory, the seat map, the slot picker, the presale
// proof, gifts, the resale market's order and cancelling a listing, a refund after a
// cancellation, the rotating pass and the keepsake after the event. Every step checks the
// chain as well as the screen; nothing is mocked (see journey.test.ts for the main journey).
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { formatEther, parseEther, type Address, type Hash } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { decodePass } from "../../lib/pass/index.js";
import { confirmed, eventually, lastTx, openAs, type Persona, type PersonaOptions, PHONE, txMark, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";
import { WALLET_NAME, WALLET_RDNS, type TestWallet } from "./support/wallet.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
// As seeded: fan5 holds concert standing 1_000_001-2 and stalls seats 27-28 and is on the
// conference allowlist; fan6 listed concert 1_000_004 and holds museum tickets, two checked in;
// fan7 listed balcony seat 3_000_008; fan8 holds a conference Standard ticket and is on no list.
const [fan5, fan6, fan7, fan8] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));

describe("Fans in a real browser: explore, seats, slots, presale, gifts, listings, refunds, keepsakes", function () {
  this.timeout(120_000);
  const env = useBrowserStack({ seed: true });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let page: Page | undefined;

  before(() => ({ stack, browser } = env));
  afterEach(async function () {
    await page?.context().close();
    page = undefined;
  });

  const demo = () => stack.demo!;
  const publicClient = () => stack.clients.publicClient;
  const ownerOf = async (event: Address, token: bigint) => ((await read<Address>(event, "ownerOf", [token])) as string).toLowerCase();

  /** Opens `path` as `account` (closed after the test); returns the page and its wallet. */
  async function open(account: typeof fan5, path: string, opts: PersonaOptions = {}): Promise<Persona> {
    const persona = await openAs(browser, stack, account, path, logs, opts);
    page = persona.page;
    return persona;
  }

  /** Hashes of the transactions the wallet sent for the page, oldest first. */
  const sentHashes = (wallet: TestWallet) => wallet.requestsFor("eth_sendTransaction").flatMap((r) => ("result" in r.outcome ? [r.outcome.result as Hash] : []));

  /** A ticket card on My tickets: token ids repeat across events, so the event narrows it. */
  const card = (p: Page, event: Address, token: bigint) => p.locator(`[data-testid="ticket-${token}"][data-event="${event.toLowerCase()}"]`);

  /** What the organizer's wallet would send, from Node (a setup step of the story, not under test). */
  async function asOrganizer(event: Address, functionName: string, args: unknown[] = []) {
    const hash = await stack.clients.wallet(organizer).writeContract({ address: event, abi: chainpassEventAbi, functionName, args, account: organizer, chain: stack.clients.chain } as never);
    expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
    await stack.waitForIndex();
  }

  it("explore: search by name or venue, the date filters and the venue filter narrow the events", async function () {
    const { page: p } = await open(fan5, "/", { connect: false });
    const shown = async () => (await p.getByTestId("event-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-event")))).sort();
    const all = [demo().concert, demo().museum, demo().conference].map((a) => a.toLowerCase()).sort();
    const expectShown = (events: Address[], what: string) =>
      eventually(async () => JSON.stringify(await shown()) === JSON.stringify(events.map((a) => a.toLowerCase()).sort()), `${what}: ${events.length} event(s) shown`, 10_000);
    await eventually(async () => JSON.stringify(await shown()) === JSON.stringify(all), "all three demo events listed");
    // The venue names come from the metadata; the filter offers them once loaded.
    await eventually(async () => (await p.getByTestId("explore-venue").locator("option").count()) === 4, "three venues offered");
    await screenshot(p, "fan-explore");

    await p.getByTestId("explore-search").fill("harbour");
    await expectShown([demo().concert], "search by name");
    await p.getByTestId("explore-search").fill("expo centre");
    await expectShown([demo().conference], "search by venue");
    await p.getByTestId("explore-search").fill("no such event");
    await expectShown([], "search without a match");
    await p.getByText("No event matches these filters.").waitFor();
    await p.getByTestId("explore-search").fill("");

    // The museum is running now; the concert starts in 10 days, the conference in 30.
    await p.getByTestId("explore-date").selectOption("week");
    await expectShown([demo().museum], "this week");
    const concertStart = await read<{ start: bigint }>(demo().concert, "eventInfo");
    await p.getByTestId("explore-date").selectOption("date");
    await p.getByTestId("explore-day").fill(new Date(Number(concertStart.start) * 1000).toISOString().slice(0, 10)); // the browser runs in UTC
    await expectShown([demo().concert], "on the concert's day");
    await p.getByTestId("explore-date").selectOption("any");
    await expectShown([demo().concert, demo().museum, demo().conference], "any date");

    await p.getByTestId("explore-venue").selectOption("West Bund Gallery");
    await expectShown([demo().museum], "at the gallery");
    await screenshot(p, "fan-explore-venue-filter");
  });

  it("wallets: the injected wallet (EIP-6963) and the labelled development wallet, whose account picker switches accounts", async function () {
    const { page: p } = await open(fan5, "/tickets", { connect: false });
    await p.getByTestId("connect-wallet").click();
    const injected = p.getByTestId(`connector-${WALLET_RDNS}`);
    await injected.waitFor();
    expect(await injected.innerText()).to.contain(WALLET_NAME);
    const dev = p.getByTestId("connector-dev");
    expect(await dev.innerText()).to.contain("DEV");
    expect(await p.locator(".wallet-dialog").innerText()).to.contain("Development wallet: local test accounts, this chain only");
    await screenshot(p, "wallet-dialog");
    await dev.click();
    // The dev wallet starts on the first fan (account #5) and signs with the node's accounts.
    await p.locator(`[data-testid="wallet-address"][title="${fan5.address}"]`).waitFor();
    await p.getByTestId("dev-account").selectOption("6");
    await p.locator(`[data-testid="wallet-address"][title="${fan6.address}"]`).waitFor();
    // fan6's tickets (museum and concert) replace fan5's.
    await card(p, demo().museum, 3_000_001n).waitFor();
  });

  it("wrong chain: a clear prompt, nothing is sent, one click switches back; a rejected signature is said in words", async function () {
    const { page: p, wallet } = await open(fan5, `/events/${demo().concert}/checkout/1`);
    await p.getByTestId("quantity").waitFor();
    // The user picks Ethereum in the wallet.
    await wallet.switchChain(1);
    const banner = p.getByTestId("wrong-chain");
    await waitForText(banner, "chain 1");
    await screenshot(p, "fan-wrong-chain");
    await p.getByTestId("buy").click();
    const refused = await lastTx(p);
    expect(refused.state).to.equal("failed");
    expect(refused.error, refused.text).to.equal("wrongChain");
    expect(wallet.requestsFor("eth_sendTransaction"), "nothing reaches the wallet to sign").to.have.length(0);

    await banner.getByRole("button").click();
    await banner.waitFor({ state: "detached" });
    expect(wallet.chainId).to.equal(31337);
    expect(wallet.requestsFor("wallet_switchEthereumChain").at(-1)?.params).to.deep.equal([{ chainId: "0x7a69" }]);

    // The user presses Reject in the wallet: said in words, nothing bought; the next try goes through.
    const before = await read<bigint>(demo().concert, "balanceOf", [fan5.address]);
    wallet.rejectNext("eth_sendTransaction");
    let mark = await txMark(p);
    await p.getByTestId("buy").click();
    const rejected = await lastTx(p, { after: mark });
    expect(rejected.state).to.equal("failed");
    expect(rejected.error, rejected.text).to.equal("userRejected");
    expect(rejected.text).to.contain("You declined the request in your wallet.");
    expect(await read<bigint>(demo().concert, "balanceOf", [fan5.address])).to.equal(before);
    mark = await txMark(p);
    await p.getByTestId("buy").click();
    await confirmed(p, { after: mark });
    expect(await read<bigint>(demo().concert, "balanceOf", [fan5.address])).to.equal(before + 1n);
  });

  it("language: the switch turns the app into Simplified Chinese with dates in that locale, and it is remembered", async function () {
    const museum = demo().museum;
    const { page: p } = await open(fan7, `/events/${museum}`, { connect: false });
    await p.getByTestId("tier-1").waitFor();
    expect(await p.locator("main h2").first().innerText()).to.equal("Pick a time slot");
    const { start } = await read<{ start: bigint }>(museum, "eventInfo");
    const zhDate = new Intl.DateTimeFormat("zh-CN", { dateStyle: "medium", timeZone: "UTC" }).format(Number(start) * 1000); // e.g. 2026年11月22日
    await p.getByTestId("locale").selectOption("zh-CN");
    await waitForText(p.locator("main h2").first(), "选择入场时段");
    expect(await p.locator("header nav").innerText()).to.contain("发现活动");
    expect(await p.locator(".event-hero").innerText()).to.contain(zhDate);
    expect(await p.getByTestId("remaining-1").innerText()).to.match(/剩余|余/);
    expect(await p.evaluate(() => document.documentElement.lang)).to.equal("zh-CN");
    await screenshot(p, "fan-event-zh");
    await p.reload();
    await waitForText(p.locator("main h2").first(), "选择入场时段");
  });

  it("keyboard: a fan connects the wallet, picks a tier and buys with the keyboard alone", async function () {
    const concert = demo().concert;
    const { page: p } = await open(fan7, `/events/${concert}`, { connect: false });
    await p.getByTestId("tier-1").waitFor();
    /** Tabs forward until the element is focused (it must be reachable), then presses `key`. */
    async function tabTo(testId: string, key = "Enter") {
      for (let i = 0; i < 80; i++) {
        if ((await p.evaluate(() => document.activeElement?.getAttribute("data-testid"))) === testId) return p.keyboard.press(key);
        await p.keyboard.press("Tab");
      }
      throw new Error(`${testId} is not reachable with Tab`);
    }
    await tabTo("connect-wallet");
    await tabTo(`connector-${WALLET_RDNS}`);
    await p.locator(`[data-testid="wallet-address"][title="${fan7.address}"]`).waitFor();
    await tabTo("buy-1");
    await p.waitForURL(/\/checkout\/1$/);
    await p.getByTestId("quantity").waitFor();
    await tabTo("quantity", "ArrowUp");
    expect(await p.getByTestId("quantity").inputValue()).to.equal("2");
    const before = await read<{ sold: number }>(concert, "tier", [1n]);
    await tabTo("buy");
    await confirmed(p);
    expect((await read<{ sold: number }>(concert, "tier", [1n])).sold).to.equal(before.sold + 2);
    expect(await read<bigint>(concert, "balanceOf", [fan7.address])).to.be.greaterThanOrEqual(3n);
  });

  it("event page: the early price beside the full price, and remaining inventory that updates by itself", async function () {
    const concert = demo().concert;
    const { page: p } = await open(fan8, `/events/${concert}`, { connect: false });
    const tier = p.getByTestId("tier-1");
    await tier.waitFor();
    // Standing: 0.05 ETH, 0.04 until the early-bird deadline.
    await waitForText(tier.locator(".price"), "0.04 ETH");
    expect(await tier.locator(".price s").innerText()).to.contain("0.05 ETH");
    const { sold, supply } = await read<{ sold: number; supply: number }>(concert, "tier", [1n]);
    await waitForText(p.getByTestId("remaining-1"), `${supply - sold}`);
    // Someone else buys two: the open page shows it without a reload (it refetches every 5 s).
    const hash: Hash = await stack.clients
      .wallet(fan7)
      .writeContract({ address: concert, abi: chainpassEventAbi, functionName: "buy", args: [1n, 2n, fan7.address, parseEther("0.08")], value: parseEther("0.08"), account: fan7, chain: stack.clients.chain } as never);
    await publicClient().waitForTransactionReceipt({ hash });
    await waitForText(p.getByTestId("remaining-1"), `${supply - sold - 2}`, 20_000);
    await screenshot(p, "fan-event-early-price");
  });

  it("seat map: taken seats cannot be picked; two free seats are bought and then show as taken", async function () {
    const concert = demo().concert;
    const { page: p } = await open(fan8, `/events/${concert}/checkout/2`);
    await p.getByTestId("seat-29").waitFor();
    expect(await p.getByTestId("seat-27").isDisabled(), "seat 27 was sold in the seed").to.equal(true);
    await p.getByTestId("seat-41").click();
    await p.getByTestId("seat-42").click();
    // Stalls has 20 seats a row with lettered rows: seats 41 and 42 are row C, seats 1 and 2.
    await waitForText(p.getByTestId("selected-seats"), "Stalls, Row C, Seat 1; Stalls, Row C, Seat 2");
    await waitForText(p.getByTestId("total"), "0.24 ETH");
    await screenshot(p, "fan-seat-map");
    await p.getByTestId("buy").click();
    await confirmed(p);
    expect(await ownerOf(concert, 2_000_041n)).to.equal(fan8.address.toLowerCase());
    expect(await ownerOf(concert, 2_000_042n)).to.equal(fan8.address.toLowerCase());

    await p.goto(`${stack.appUrl}/events/${concert}/checkout/2`);
    await p.getByTestId("seat-41").waitFor();
    expect(await p.getByTestId("seat-41").isDisabled(), "seat 41 is now taken").to.equal(true);
    expect(await p.getByTestId("seat-43").isDisabled()).to.equal(false);
  });

  it("slot picker: the museum's timed entries by day with their times; one slot bought in USDC", async function () {
    const museum = demo().museum;
    const { page: p } = await open(fan7, `/events/${museum}`);
    await p.getByTestId("tier-2").waitFor();
    expect(await p.locator(".slot-day").count(), "slots grouped by day").to.be.greaterThan(0);
    const options = await read<{ entryStart: number; entryEnd: number }>(museum, "tierOptions", [2n]);
    const time = (s: number) => new Intl.DateTimeFormat("en-US", { timeStyle: "short", timeZone: "UTC" }).format(new Date(s * 1000));
    const slotText = await p.getByTestId("tier-2").locator(".slot").innerText();
    expect(slotText).to.contain(time(Number(options.entryStart))).and.to.contain(time(Number(options.entryEnd)));
    await screenshot(p, "fan-slot-picker");

    const before = await read<{ sold: number }>(museum, "tier", [2n]);
    await p.getByTestId("buy-2").click();
    await p.waitForURL(/\/checkout\/2$/);
    await waitForText(p.locator("form.checkout-form"), time(Number(options.entryStart)));
    await p.getByTestId("buy").click();
    await confirmed(p);
    const token = 2_000_000n + BigInt(before.sold + 1);
    expect(await ownerOf(museum, token)).to.equal(fan7.address.toLowerCase());
  });

  it("presale: an allowlisted fan sees the eligibility, the proof is fetched for the wallet and the purchase goes through; others are not eligible", async function () {
    const conference = demo().conference;
    const { page: p } = await open(fan5, `/events/${conference}`);
    const eligible = p.getByTestId("eligible-1");
    await eligible.waitFor();
    expect(await eligible.getAttribute("class")).to.contain("ok");
    await screenshot(p, "fan-presale-eligible");
    await p.getByTestId("buy-1").click();
    await waitForText(p.getByTestId("presale-status"), "2"); // the allowance from the proof
    await p.getByTestId("buy").click();
    await confirmed(p);
    expect(await read<bigint>(conference, "purchased", [1n, fan5.address])).to.equal(1n);
    await p.context().close();

    const { page: other } = await open(fan8, `/events/${conference}`);
    await other.getByTestId("eligible-1").waitFor();
    expect(await other.getByTestId("eligible-1").getAttribute("class")).to.contain("bad");
    expect(await other.getByTestId("buy-1").isDisabled()).to.equal(true);
    await other.goto(`${stack.appUrl}/events/${conference}/checkout/1`);
    // The proof request answers "not listed" (the status reads "checking" until then).
    await eventually(async () => (await other.getByTestId("presale-status").getAttribute("class"))?.includes("error"), "the checkout says: not eligible");
    expect(await other.getByTestId("buy").isDisabled()).to.equal(true);
  });

  it("gift: not to oneself; the recipient confirmed before sending; the allowance said once per event; a Locked ticket cannot be gifted", async function () {
    const { concert, conference } = demo();
    const chunks: string[] = [];
    const { page: p, wallet } = await open(fan5, "/tickets", { prepare: async (page) => void page.on("request", (request) => chunks.push(new URL(request.url()).pathname)) });
    const ticket = card(p, concert, 1_000_002n);
    await ticket.waitFor();
    // Free gifts count per holder for the whole event: said once, above the event's tickets.
    const allowance = p.getByTestId(`gifts-left-${concert.toLowerCase()}`);
    await waitForText(allowance, "Free gifts left: 2 of 2, for all your tickets to this event.");
    expect(await p.getByText(/free gifts/i).count(), "once per event, not per ticket").to.equal(1);
    // The local chain has no ENS: a name is refused in words, and lib/ens (its chunk) never loads.
    await ticket.getByTestId("gift-to-1000002").fill("friend.eth");
    const note = ticket.locator('[data-testid="gift-note-1000002"][data-problem="unavailable"]');
    await note.waitFor();
    expect(await note.innerText()).to.equal("ENS names are not available on Localhost.");
    expect(await ticket.getByTestId("gift-1000002").isDisabled()).to.equal(true);
    // Their own address: refused before anything is signed.
    await ticket.getByTestId("gift-to-1000002").fill(fan5.address);
    await waitForText(ticket.getByTestId("gift-self-1000002"), "That is your own wallet");
    expect(await ticket.getByTestId("gift-1000002").isDisabled()).to.equal(true);
    await ticket.getByTestId("gift-to-1000002").fill(fan8.address);
    expect(chunks.filter((path) => /\/ens-[\w-]+\.js$/.test(path))).to.deep.equal([]);
    // The first click only asks: the recipient in full, and that it cannot be undone.
    await ticket.getByTestId("gift-1000002").click();
    const confirm = ticket.getByTestId("gift-confirm-1000002");
    await waitForText(confirm, fan8.address);
    expect(await confirm.innerText()).to.contain("A gift cannot be undone");
    expect(wallet.requestsFor("eth_sendTransaction"), "nothing sent before the confirmation").to.have.length(0);
    await ticket.getByTestId("gift-confirm-send-1000002").click();
    // Once confirmed the ticket is no longer the fan's: its card (and its status) goes, a notice stays.
    await waitForText(p.getByTestId("tickets-flash"), "was sent to", 60_000);
    await card(p, concert, 1_000_002n).waitFor({ state: "detached" });
    expect(await ownerOf(concert, 1_000_002n)).to.equal(fan8.address.toLowerCase());
    expect(await read<bigint>(concert, "giftsUsed", [fan5.address])).to.equal(1n);
    await waitForText(allowance, "Free gifts left: 1 of 2");
    // The conference is Locked: its ticket (bought in the presale test) has no gift field.
    const locked = card(p, conference, 1_000_002n);
    await locked.waitFor();
    expect(await locked.getByTestId("gift-1000002").isDisabled()).to.equal(true);
    expect(await locked.getByTestId("gift-to-1000002").count()).to.equal(0);
    await screenshot(p, "fan-gifted");
  });

  it("resale market: listings sorted by price, the price new beside them, the fees named; the seller cancels a listing and it leaves the market", async function () {
    const concert = demo().concert;
    const { page: market } = await open(fan8, `/events/${concert}/resale`, { connect: false });
    await market.getByTestId("listing-1000004").waitFor();
    const order = () => market.locator('[data-testid^="listing-"]').evaluateAll((items) => items.map((i) => i.getAttribute("data-testid")));
    expect(await order()).to.deep.equal(["listing-1000004", "listing-3000008"]); // 0.044 then 0.085 ETH
    // Both tiers are still on sale new, for less than these listings: Standing at its early price
    // of 0.04 ETH (listed at 0.044), a Balcony seat at 0.08 (listed at 0.085). The cards say so.
    for (const [token, price] of [["1000004", "0.04"], ["3000008", "0.08"]]) {
      const newFrom = market.getByTestId(`new-from-${token}`);
      await waitForText(newFrom, `New from ${price} ETH`);
      expect(await newFrom.getAttribute("class")).to.contain("warn-text");
    }
    // Where the money of a resale goes, royalty and platform fee both named.
    const info = await read<{ royaltyBps: number; platformFeeBps: number }>(concert, "eventInfo", []);
    const pct = (value: number) => `${value / 100}%`;
    expect(await market.getByTestId("resale-fees").innerText()).to.contain(`${pct(info.royaltyBps)} goes to the organizer and ${pct(info.platformFeeBps)} to the platform`);
    await screenshot(market, "fan-resale-new-from");
    await market.context().close();

    const { page: p } = await open(fan6, "/tickets");
    const ticket = card(p, concert, 1_000_004n);
    await ticket.getByTestId("cancel-listing-1000004").click();
    await confirmed(p, { within: ticket });
    expect((await read<{ price: bigint }>(concert, "listing", [1_000_004n])).price).to.equal(0n);
    await ticket.getByTestId("cancel-listing-1000004").waitFor({ state: "detached" });
    await screenshot(p, "fan-listing-cancelled");
    await p.goto(`${stack.appUrl}/events/${concert}/resale`);
    await p.getByTestId("listing-3000008").waitFor();
    expect(await p.getByTestId("listing-1000004").count()).to.equal(0);
  });

  it("refund: after the organizer cancels, the fan claims back exactly what they paid", async function () {
    const conference = demo().conference;
    const token = 2_000_001n; // fan8's Standard ticket, 0.2 ETH
    const paid = await read<bigint>(conference, "pricePaid", [token]);
    expect(paid).to.equal(parseEther("0.2"));
    await asOrganizer(conference, "cancel");

    const { page: p, wallet } = await open(fan8, "/tickets");
    const ticket = card(p, conference, token);
    await waitForText(ticket.getByTestId(`refund-${token}`), formatEther(paid));
    expect(await ticket.getByTestId(`open-pass-${token}`).count(), "no pass for a cancelled event").to.equal(0);
    await screenshot(p, "fan-refund-offered");
    const before = await publicClient().getBalance({ address: fan8.address });
    await ticket.getByTestId(`refund-${token}`).click();
    // The refund burns the ticket: its card (and its status) goes, a notice stays.
    await waitForText(p.getByTestId("tickets-flash"), "refunded:", 60_000);
    await card(p, conference, token).waitFor({ state: "detached" });
    const receipt = await publicClient().getTransactionReceipt({ hash: sentHashes(wallet).at(-1)! });
    const after = await publicClient().getBalance({ address: fan8.address });
    expect(after - before).to.equal(paid - receipt.gasUsed * receipt.effectiveGasPrice);
    await read(conference, "ownerOf", [token]).then(
      () => expect.fail("the refunded ticket still has an owner"),
      (error: Error) => expect(error.message).to.contain("ERC721NonexistentToken"),
    );
  });

  it("the pass: one wallet signature, then a QR that changes every 15 s, full screen, with the brightness hint", async function () {
    const concert = demo().concert;
    const token = 1_000_003n; // fan6's Standing ticket
    // A fake clock, so the 15 s rotation is not waited for in real time.
    const { page: p, wallet } = await open(fan6, `/tickets/${concert}/${token}`, { context: PHONE, prepare: (page) => page.clock.install() });
    const qr = p.getByTestId("pass-qr");
    const shown = () => qr.getAttribute("data-pass");
    const first = await eventually(shown, "the first frame");
    const frame = decodePass(first);
    expect(frame.tokenId).to.equal(token);
    expect(frame.holder.toLowerCase()).to.equal(fan6.address.toLowerCase());
    expect(frame.delegation.ticket.toLowerCase()).to.equal(concert.toLowerCase());
    expect(await p.locator(".pass").innerText()).to.contain("Turn your screen brightness up for the scanner.");
    await waitForText(p.getByTestId("pass-countdown"), "s");

    await p.clock.fastForward(16_000);
    const second = await eventually(async () => ((await shown()) !== first ? shown() : undefined), "a new frame after 15 s");
    expect(decodePass(second!).timestamp - frame.timestamp).to.be.at.least(15);
    expect(decodePass(second!).frameSignature).to.not.equal(frame.frameSignature);
    expect(wallet.requestsFor("eth_signTypedData_v4"), "the wallet signs the delegation once").to.have.length(1);

    await p.getByTestId("pass-fullscreen").click();
    await eventually(() => p.evaluate(() => document.fullscreenElement?.classList.contains("pass") ?? false), "the pass fills the screen");
    await screenshot(p, "fan-pass-fullscreen");
    // Opened again on this phone: the stored delegation is reused, no new prompt.
    await p.reload();
    await eventually(shown, "a frame after reopening");
    expect(wallet.requestsFor("eth_signTypedData_v4")).to.have.length(1);
  });

  it("keepsake: after the museum closes, the tickets that were checked in become keepsakes", async function () {
    const museum = demo().museum;
    const { end } = await read<{ end: bigint }>(museum, "eventInfo");
    // The browser's clock a day after the end; the chain needs no change (nothing is sent).
    const { page: p } = await open(fan6, "/tickets", { prepare: (page) => page.clock.setFixedTime(new Date((Number(end) + 86_400) * 1000)) });
    const attended = card(p, museum, 1_000_001n);
    await attended.getByTestId("keepsake-1000001").waitFor();
    expect(await read<boolean>(museum, "isCheckedIn", [1_000_001n])).to.equal(true);
    await card(p, museum, 3_000_001n).getByTestId("keepsake-3000001").waitFor();
    // Not used: no keepsake; and after the end no pass, gift or resale.
    const unused = card(p, museum, 1_000_002n);
    await unused.waitFor();
    expect(await read<boolean>(museum, "isCheckedIn", [1_000_002n])).to.equal(false);
    expect(await unused.getByTestId("keepsake-1000002").count()).to.equal(0);
    expect(await unused.getByTestId("open-pass-1000002").count()).to.equal(0);
    await screenshot(p, "fan-keepsake");
  });
});
