// Fans in a real browser (issue 6, requirements 2, 3 and 6), on the seeded demo events: explore's
// filters, the wallet dialog and the wrong chain, the language switch, a keyboard-only purchase,
// the event page's early price and live inventory, the seat map, the slot picker, the presale
// proof, gifts, the resale market's order and cancelling a listing, a refund after a
// cancellation, the rotating pass and the keepsake after the event. Every step checks the
// chain as well as the screen; nothing is mocked (see journey.test.ts for the main journey).
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { formatEther, keccak256, parseEther, parseEventLogs, parseUnits, toHex, type Address, type Hash } from "viem";

import { formatZoned } from "../../frontend/src/shared/venue-time.js";
import { chainpassEventAbi } from "../../lib/abi/index.js";
import { decodePass } from "../../lib/pass/index.js";
import { artifact, createEvent } from "../../scripts/lib/local-chain.js";
import { ServerSession } from "../../scripts/seed-demo.js";
import { fanPasses } from "../helpers/server.js";
import { confirmed, eventually, lastTx, manage, openAs, type Persona, type PersonaOptions, PHONE, signIn, txMark, useBrowserStack, waitForText } from "./support/flows.js";
import { WITH_SERVICE_WORKER } from "./support/browser.js";
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

  /** What a fan's wallet would send, from Node (a setup step, not under test). */
  async function asFan(fan: typeof fan5, event: Address, functionName: string, args: unknown[] = []) {
    const hash = await stack.clients.wallet(fan).writeContract({ address: event, abi: chainpassEventAbi, functionName, args, account: fan, chain: stack.clients.chain } as never);
    expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
    await stack.waitForIndex();
  }

  // The local chain's price feeds (MockPriceFeed, ignition/modules/LocalDemo.ts), read and set from Node.
  const feedAbi = artifact("test/MockPriceFeed.sol/MockPriceFeed.json").abi;
  const feedOf = (currency: "native" | "stablecoin") => stack.platform.priceFeeds![currency];
  async function feedRound(currency: "native" | "stablecoin") {
    const address = feedOf(currency);
    const [, answer] = (await publicClient().readContract({ address, abi: feedAbi, functionName: "latestRoundData" })) as [bigint, bigint];
    const decimals = (await publicClient().readContract({ address, abi: feedAbi, functionName: "decimals" })) as number;
    return { answer, decimals };
  }
  /** The feed's owner (the deployer, account 0) sets a new answer. */
  async function setFeedAnswer(currency: "native" | "stablecoin", answer: bigint) {
    const deployer = localAccount(DEMO_ACCOUNTS.platform);
    const hash = await stack.clients.wallet(deployer).writeContract({ address: feedOf(currency), abi: feedAbi, functionName: "setAnswer", args: [answer], account: deployer, chain: stack.clients.chain });
    expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
  }
  /** "≈ $12.30": `amount` at the feed's answer now, to the cent (half up), as an English reader sees it. */
  async function usd(amount: bigint, decimals: number, currency: "native" | "stablecoin") {
    const round = await feedRound(currency);
    const scale = 10n ** BigInt(decimals + round.decimals);
    const cents = (amount * round.answer * 100n + scale / 2n) / scale;
    const dollars = `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}` as `${number}`;
    return `≈ ${new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(dollars)}`;
  }
  const ESTIMATE_TITLE = "Estimate in US dollars from the Localhost price feed";

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

  it("explore: “from” is the lowest price a fan can pay now, with its estimate in US dollars; a cheaper resale counts; with nothing on sale, when sales open", async function () {
    const { concert, museum, conference } = demo();
    const { page: p } = await open(fan5, "/", { connect: false });
    const from = (event: Address) => p.locator(`[data-testid="event-card"][data-event="${event.toLowerCase()}"] [data-testid="from"]`);
    // The concert: Standing at its early price (0.04 ETH), under the other tiers and the listings (0.044, 0.085).
    await waitForText(from(concert), "from 0.04 ETH");
    await waitForText(from(concert), await usd(parseEther("0.04"), 18, "native"));
    expect(await from(concert).getByTestId("from-usd").getAttribute("title")).to.equal(ESTIMATE_TITLE);
    // The museum: the child slot (8 USDC) has started, so its sale has ended; the second adult slot still sells.
    const child = await read<{ price: bigint; saleEnd: number }>(museum, "tier", [3n]);
    expect([child.price, child.saleEnd < Date.now() / 1000]).to.deep.equal([parseUnits("8", 6), true]);
    await waitForText(from(museum), "from 18.50 USDC");
    await waitForText(from(museum), await usd(parseUnits("18.5", 6), 6, "stablecoin"));
    // The conference: Student (0.1 ETH) is on sale to everyone; Early access only in its allowlist presale.
    await waitForText(from(conference), "from 0.1 ETH");
    await waitForText(p.getByTestId("estimate-note"), "estimates in US dollars from the Localhost price feed");
    await screenshot(p, "fan-explore-from-usd");

    // A museum ticket listed for less than anything new: the resale price is the "from".
    await asFan(fan6, museum, "list", [1_000_002n, parseUnits("10", 6)]);
    await p.reload();
    await waitForText(from(museum), "from 10.00 USDC on resale");
    await waitForText(from(museum), await usd(parseUnits("10", 6), 6, "stablecoin"));
    await asFan(fan6, museum, "cancelListing", [1_000_002n]);

    // Nothing on public sale at the conference (Standard and Student paused): when sales open, no price.
    try {
      await asOrganizer(conference, "setTierPaused", [2n, true]);
      await asOrganizer(conference, "setTierPaused", [3n, true]);
      await p.reload();
      await eventually(async () => (await from(conference).getAttribute("data-kind")) === "opens", "the conference says when sales open");
      const { saleStart } = await read<{ saleStart: number }>(conference, "tier", [1n]);
      const opens = await from(conference).innerText();
      expect(opens).to.match(/^Sales open /).and.contain(String(new Date(saleStart * 1000).getUTCFullYear())).and.not.contain("ETH");
      // The presale paused too: nothing on sale now, and none to come.
      await asOrganizer(conference, "setTierPaused", [1n, true]);
      await p.reload();
      await waitForText(from(conference), "Not on sale now");
      await screenshot(p, "fan-explore-not-on-sale");
    } finally {
      for (const tier of [1n, 2n, 3n]) await asOrganizer(conference, "setTierPaused", [tier, false]);
    }
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

  it("a page that needs a wallet: with none connected, it says so with a connect button that opens the wallet dialog", async function () {
    const { page: p } = await open(fan8, "/tickets", { connect: false });
    const wall = p.getByTestId("connect-first");
    await waitForText(wall, "Connect a wallet to see this page.");
    await screenshot(p, "fan-tickets-connect-first");
    await wall.getByTestId("connect-in-page").click();
    // The header's dialog (one dialog for the whole app), its connectors offered.
    await p.locator(".wallet-dialog[open]").waitFor();
    await p.getByTestId(`connector-${WALLET_RDNS}`).click();
    await p.locator(`[data-testid="wallet-address"][title="${fan8.address}"]`).waitFor();
    await wall.waitFor({ state: "detached" });
    await card(p, demo().conference, 2_000_001n).waitFor();
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

  it("time zone: the concert's times at the venue, labelled GMT+8, with the reader's own time beside them only where it differs", async function () {
    const concert = demo().concert;
    const { start } = await read<{ start: bigint }>(concert, "eventInfo");
    const at = (zone: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-US", { ...o, timeZone: zone }).format(Number(start) * 1000);
    const venueStart = at("Asia/Shanghai", { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }); // "Dec 11, 2026, 2:31 PM"
    const utcStart = at("UTC", { timeStyle: "short" }); // "6:31 AM"

    // A reader in UTC: the venue's time with its label, and theirs beside it.
    const { page: p } = await open(fan5, `/events/${concert}`, { connect: false, context: { timezoneId: "UTC" } });
    const when = p.getByTestId("event-when");
    await waitForText(when, "GMT+8"); // the metadata's zone (until it loads, the reader's)
    const text = await when.innerText();
    expect(text.startsWith(`${venueStart} – `), text).to.equal(true);
    expect(text).to.match(/ GMT\+8 \(.+ your time\)$/);
    expect(text.slice(text.indexOf("(")), "the reader's UTC time").to.contain(utcStart);
    // The tiers' times too: the sale's close, at the venue, with the reader's beside it.
    expect(await p.getByTestId("tier-1").innerText()).to.match(/until .+ GMT\+8 \(.+ your time\)/);
    await screenshot(p, "fan-time-zone-utc");
    // The explore card of the concert says the same.
    await p.goto(`${stack.appUrl}/`);
    const card = p.locator(`[data-testid="event-card"][data-event="${concert.toLowerCase()}"] time`);
    await waitForText(card, "GMT+8");
    const cardText = await card.innerText();
    expect(cardText.startsWith(`${venueStart} GMT+8 (`) && cardText.endsWith(`${utcStart} your time)`), cardText).to.equal(true);
    await p.context().close();
    page = undefined;

    // A reader in Shanghai: the venue's time alone, no second time.
    const { page: local } = await open(fan5, `/events/${concert}`, { connect: false, context: { timezoneId: "Asia/Shanghai" } });
    const localWhen = local.getByTestId("event-when");
    await waitForText(localWhen, "GMT+8");
    await local.getByTestId("tier-1").waitFor();
    const localText = await localWhen.innerText();
    expect(localText.startsWith(`${venueStart} – `), localText).to.equal(true);
    expect(localText).to.match(/ GMT\+8$/);
    expect(await local.locator("main").innerText()).to.not.contain("your time");
    await screenshot(local, "fan-time-zone-shanghai");
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

  it("estimates in US dollars: tier prices, the checkout's unit price and total, resale listings, from the feed's answer on chain, which they follow", async function () {
    const { concert, museum } = demo();
    const { page: p } = await open(fan8, `/events/${concert}`);
    // Standing at its early price and VIP at its price, each with its estimate, marked as one.
    await waitForText(p.getByTestId("usd-1"), await usd(parseEther("0.04"), 18, "native"));
    await waitForText(p.getByTestId("usd-4"), await usd(parseEther("0.3"), 18, "native"));
    expect(await p.getByTestId("usd-1").getAttribute("title")).to.equal(ESTIMATE_TITLE);
    expect(await p.getByTestId("usd-1").textContent()).to.contain("(estimate in US dollars)"); // for screen readers
    await waitForText(p.getByTestId("estimate-note"), "estimates in US dollars from the Localhost price feed, for reference only");
    await screenshot(p, "fan-event-usd");

    // The checkout: the unit price, and the total for three.
    await p.getByTestId("buy-1").click();
    await p.waitForURL(/\/checkout\/1$/);
    await waitForText(p.getByTestId("unit"), `1 × 0.04 ETH (${await usd(parseEther("0.04"), 18, "native")})`);
    await p.getByTestId("quantity").fill("3");
    await waitForText(p.getByTestId("total"), "0.12 ETH");
    await waitForText(p.getByTestId("usd-total"), await usd(parseEther("0.12"), 18, "native"));
    expect(await usd(parseEther("0.12"), 18, "native"), "ETH at 2,500 on the local chain").to.equal("≈ $300.00");
    await screenshot(p, "fan-checkout-usd");

    // The feed's owner sets a new answer on chain: after a reload the estimates follow it.
    const before = await feedRound("native");
    try {
      await setFeedAnswer("native", 312_345_678_901n); // $3,123.45678901
      await p.reload();
      const unit = await usd(parseEther("0.04"), 18, "native");
      expect(unit).to.equal("≈ $124.94");
      await waitForText(p.getByTestId("unit"), `0.04 ETH (${unit})`);
      // Resale listings, at the same answer.
      await p.goto(`${stack.appUrl}/events/${concert}/resale`);
      await waitForText(p.getByTestId("usd-listing-3000008"), await usd(parseEther("0.085"), 18, "native"));
    } finally {
      await setFeedAnswer("native", before.answer);
    }
    // USDC at the museum, from the USDC / USD feed.
    await p.goto(`${stack.appUrl}/events/${museum}`);
    await waitForText(p.getByTestId("usd-2"), await usd(parseUnits("18.5", 6), 6, "stablecoin"));
    // My tickets: what a ticket was bought for (fan8's conference Standard, 0.2 ETH).
    await p.goto(`${stack.appUrl}/tickets`);
    await manage(card(p, demo().conference, 2_000_001n));
    await waitForText(card(p, demo().conference, 2_000_001n).getByTestId("usd-paid-2000001"), await usd(parseEther("0.2"), 18, "native"));
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
    expect(await p.getByTestId("checkout-bought").innerText()).to.contain("2 × Stalls").and.to.contain("Stalls, Row C, Seat 1; Stalls, Row C, Seat 2").and.to.contain("0.24 ETH");
    expect(await ownerOf(concert, 2_000_041n)).to.equal(fan8.address.toLowerCase());
    expect(await ownerOf(concert, 2_000_042n)).to.equal(fan8.address.toLowerCase());

    await p.goto(`${stack.appUrl}/events/${concert}/checkout/2`);
    await p.getByTestId("seat-41").waitFor();
    expect(await p.getByTestId("seat-41").isDisabled(), "seat 41 is now taken").to.equal(true);
    expect(await p.getByTestId("seat-43").isDisabled()).to.equal(false);
  });

  it("checkout before connecting: the order, its total and a connect button in the page; after connecting the purchase, then a confirmation repeating what was bought", async function () {
    const concert = demo().concert;
    const { page: p } = await open(fan7, `/events/${concert}/checkout/1`, { connect: false });
    await p.getByTestId("quantity").fill("2");
    await eventually(async () => /\d ETH$/.test((await p.getByTestId("total").innerText()).trim()), "the total before connecting");
    const total = (await p.getByTestId("total").innerText()).trim();
    expect(await p.getByTestId("buy").count(), "no Buy button without a wallet").to.equal(0);
    expect(await p.getByTestId("connect-to-buy").innerText()).to.contain("nothing is charged until you confirm");
    await screenshot(p, "fan-checkout-before-connect");
    await p.getByTestId("connect-in-page").click();
    await p.getByTestId(`connector-${WALLET_RDNS}`).click();
    await p.locator(`[data-testid="wallet-address"][title="${fan7.address}"]`).waitFor();
    // The order survives connecting.
    expect(await p.getByTestId("quantity").inputValue()).to.equal("2");
    await waitForText(p.getByTestId("buy"), total);
    const before = await read<bigint>(concert, "balanceOf", [fan7.address]);
    await p.getByTestId("buy").click();
    await confirmed(p);
    expect(await read<bigint>(concert, "balanceOf", [fan7.address])).to.equal(before + 2n);
    const bought = await p.getByTestId("checkout-bought").innerText();
    expect(bought).to.contain("2 × Standing").and.to.contain(total);
    await screenshot(p, "fan-checkout-confirmation");
  });

  it("seat map on a phone: 40 px seats that pan with a hint, the stage centred over the hall, marks as well as colours, the whole hall at a tap; pages open at the top", async function () {
    const concert = demo().concert;
    const { page: p } = await open(fan8, `/events/${concert}`, { context: PHONE });
    // A new page opens at its top: scrolled down the event page, a link to the checkout.
    await p.getByTestId("buy-2").waitFor();
    await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await p.evaluate(() => window.scrollY)).to.be.greaterThan(0);
    await p.getByTestId("buy-2").click();
    await p.getByTestId("seat-29").waitFor();
    expect(await p.evaluate(() => window.scrollY), "the checkout opens at its top").to.equal(0);

    const box = async (testId: string) => (await p.getByTestId(testId).boundingBox())!;
    const seat = await box("seat-29");
    expect(seat.width, "touch target").to.be.at.least(40);
    expect(seat.height, "touch target").to.be.at.least(40);
    // 20 seats a row do not fit 390 px: the map pans and says so, opened on the stage.
    expect(await p.getByTestId("seat-map-hint").innerText()).to.contain("Swipe to see the whole hall");
    const map = await box("seat-map");
    const stage = await box("stage");
    expect(Math.abs(stage.x + stage.width / 2 - (map.x + map.width / 2)), "the stage in the middle of the screen").to.be.below(24);
    const rows = p.locator(".seat-rows").first();
    const hall = (await rows.boundingBox())!;
    expect(Math.abs(stage.x + stage.width / 2 - (hall.x + hall.width / 2)), "the stage centred over the seats").to.be.below(24);
    // Taken, free and selected differ by mark, not colour alone.
    expect(await p.getByTestId("seat-27").innerText()).to.equal("×");
    expect(await p.getByTestId("seat-27").getAttribute("aria-label")).to.contain("(taken)");
    await p.getByTestId("seat-29").click();
    expect(await p.getByTestId("seat-29").innerText()).to.equal("✓");
    expect(await p.getByTestId("seat-29").getAttribute("aria-pressed")).to.equal("true");
    expect(await p.getByTestId("seat-30").innerText()).to.equal("10");
    await screenshot(p, "fan-seat-map-phone");

    // The whole hall at once: every seat on screen; a tap there zooms back in to it and picks nothing.
    await p.getByTestId("seat-map-zoom").click();
    await eventually(async () => (await p.getByTestId("seat-map").evaluate((el) => el.scrollWidth <= el.clientWidth + 1)), "the whole hall fits");
    expect(await p.getByTestId("seat-map-hint").innerText()).to.contain("Tap where you want to sit");
    await screenshot(p, "fan-seat-map-whole-hall");
    await p.getByTestId("seat-240").click(); // the last seat of the last row
    await eventually(async () => (await box("seat-240")).width >= 40, "zoomed back in");
    const last = await box("seat-240");
    expect(last.x >= map.x && last.x + last.width <= map.x + map.width + 1, "zoomed in on the seat tapped").to.equal(true);
    expect(await p.getByTestId("seat-240").getAttribute("aria-pressed"), "a tap in the whole-hall view picks no seat").to.equal("false");
    expect(await p.getByTestId("selected-seats").innerText()).to.equal("Stalls, Row B, Seat 9");
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
    await manage(ticket);
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
    await manage(locked);
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
    await manage(ticket);
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
    await waitForText(ticket.getByTestId(`status-${token}`), "Event cancelled: refund to claim");
    expect(await ticket.getByTestId(`open-pass-${token}`).count(), "no pass for a cancelled event").to.equal(0);
    await manage(ticket);
    await waitForText(ticket.getByTestId(`refund-${token}`), formatEther(paid));
    await screenshot(p, "fan-refund-offered");
    const before = await publicClient().getBalance({ address: fan8.address });
    await ticket.getByTestId(`refund-${token}`).click();
    // The refund burns the ticket: a notice, and its row says refunded, with nothing left to do.
    await waitForText(p.getByTestId("tickets-flash"), "refunded:", 60_000);
    await waitForText(ticket.getByTestId(`status-${token}`), "Refunded");
    expect(await ticket.getByTestId(`manage-${token}`).count(), "nothing to manage").to.equal(0);
    expect(await ticket.getByTestId(`open-pass-${token}`).count()).to.equal(0);
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
    // The museum is over: listed under the past events, after those to come.
    await p.getByTestId("past-events").waitFor();
    const groups = await p.getByTestId("event-group").evaluateAll((list) => list.map((g) => g.getAttribute("data-event")));
    expect(groups.at(-1), "the museum last").to.equal(museum.toLowerCase());
    await waitForText(attended.getByTestId("status-1000001"), "Checked in");
    await manage(attended);
    await attended.getByTestId("keepsake-1000001").waitFor();
    expect(await read<boolean>(museum, "isCheckedIn", [1_000_001n])).to.equal(true);
    await manage(card(p, museum, 3_000_001n));
    await card(p, museum, 3_000_001n).getByTestId("keepsake-3000001").waitFor();
    // Not used: no keepsake; and after the end no pass, gift or resale: nothing to manage.
    const unused = card(p, museum, 1_000_002n);
    await waitForText(unused.getByTestId("status-1000002"), "Event over");
    expect(await read<boolean>(museum, "isCheckedIn", [1_000_002n])).to.equal(false);
    expect(await unused.getByTestId("open-pass-1000002").count()).to.equal(0);
    expect(await unused.getByTestId("manage-1000002").count()).to.equal(0);
    expect(await unused.getByTestId("keepsake-1000002").count()).to.equal(0);
    await screenshot(p, "fan-keepsake");
  });

  /** Waits until a service worker controls the page (registered on load, it claims the page once its precache is in). */
  const controlled = (p: Page) => p.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 30_000 });

  it("installable offline app: a web app manifest with its icons, and a service worker that controls the page", async function () {
    const { page: p } = await open(fan8, "/", { connect: false, context: WITH_SERVICE_WORKER });
    const href = await p.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).to.equal("/manifest.webmanifest");
    const response = await p.request.get(`${stack.appUrl}${href}`);
    expect(response.status()).to.equal(200);
    const manifest = (await response.json()) as Record<string, unknown> & { icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest).to.include({ name: "Chainpass", short_name: "Chainpass", start_url: "./", scope: "./", display: "standalone", theme_color: "#4f46e5", background_color: "#f8fafc" });
    // Each PNG icon is served, a PNG of the size it claims (IHDR: width and height at bytes 16 and 20).
    for (const size of [192, 512]) expect(manifest.icons.some((icon) => icon.sizes === `${size}x${size}` && icon.type === "image/png" && !icon.purpose), `a ${size} px icon`).to.equal(true);
    expect(manifest.icons.some((icon) => icon.purpose === "maskable")).to.equal(true);
    for (const icon of manifest.icons.filter((i) => i.type === "image/png")) {
      const png = await (await p.request.get(new URL(icon.src, `${stack.appUrl}${href}`).href)).body();
      expect(png.subarray(1, 4).toString(), icon.src).to.equal("PNG");
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).to.equal(icon.sizes);
    }
    await controlled(p);
    const registration = await p.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      return { scope: r.scope, script: r.active?.scriptURL };
    });
    expect(registration).to.deep.equal({ scope: `${stack.appUrl}/`, script: `${stack.appUrl}/sw.js` });
    // Chromium's own check: nothing keeps the app from being installed, but that a test context is
    // incognito (a browser profile of its own would be; the manifest, icons and worker are not).
    const cdp = await p.context().newCDPSession(p);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((e) => e.errorId)).to.deep.equal(["in-incognito"]);
  });

  it("offline pass: a scan still reaches the server; then with no network My tickets and the pass reload from this phone, the QR still turning, the check-in as last known", async function () {
    this.timeout(180_000);
    const concert = demo().concert;
    const [standing, seat] = [1_000_001n, 2_000_027n]; // fan5's, as seeded
    // Gate staff admit fan5's seat on a page the service worker controls: the scan (a POST) goes to the server, untouched.
    const staff = localAccount(DEMO_ACCOUNTS.gateStaff);
    const { page: gate } = await openAs(browser, stack, staff, `/gate/${concert}`, logs, { context: { ...PHONE, ...WITH_SERVICE_WORKER } });
    try {
      await signIn(gate);
      await controlled(gate);
      const fromWorker: string[] = [];
      gate.context().on("request", (request) => void (request.serviceWorker() && fromWorker.push(`${request.method()} ${request.url()}`)));
      const pass = await (await fanPasses(fan5, concert, 71)).pass(seat);
      const answered = gate.waitForResponse((r) => r.url().endsWith("/scan") && r.request().method() === "POST");
      await gate.getByTestId("manual-pass").fill(pass);
      await gate.getByTestId("manual-submit").click();
      const scan = await answered;
      expect(scan.fromServiceWorker(), "answered by the server, not the service worker").to.equal(false);
      expect([scan.status(), (await scan.json()).verdict]).to.deep.equal([200, "admit"]);
      expect(fromWorker.filter((line) => line.startsWith("POST") || line.includes("/gate/")), "the worker fetched no POST and nothing of /gate").to.deep.equal([]);
    } finally {
      await gate.context().close();
    }
    await env.checkedInOnChain(concert, [seat]);
    await stack.waitForIndex();

    // Online once: My tickets, then each pass (the first asks the wallet for the delegation).
    const { page: p, wallet } = await open(fan5, "/tickets", { context: { ...PHONE, ...WITH_SERVICE_WORKER }, prepare: (page) => page.clock.install() });
    await card(p, concert, standing).waitFor();
    await waitForText(card(p, concert, seat), "Checked in");
    await controlled(p);
    await p.goto(`${stack.appUrl}/tickets/${concert}/${standing}`);
    const qr = p.getByTestId("pass-qr");
    const shown = () => qr.getAttribute("data-pass");
    await eventually(shown, "the first frame online");
    await p.goto(`${stack.appUrl}/tickets/${concert}/${seat}`);
    await p.getByTestId("pass-checked-in").waitFor();
    expect(await p.getByTestId("last-known").count(), "online: no offline note").to.equal(0);

    await p.context().setOffline(true);
    try {
      // The pass, reloaded with no network: the frame is signed here with the stored pass key, and turns.
      await p.goto(`${stack.appUrl}/tickets/${concert}/${standing}`);
      const first = await eventually(shown, "a frame offline");
      const frame = decodePass(first);
      expect([frame.tokenId, frame.holder.toLowerCase()]).to.deep.equal([standing, fan5.address.toLowerCase()]);
      await p.clock.fastForward(16_000);
      const next = await eventually(async () => ((await shown()) !== first ? shown() : undefined), "a new frame offline after 15 s");
      expect(decodePass(next!).timestamp - frame.timestamp).to.be.at.least(15);
      const info = await p.locator(".pass-info").innerText();
      expect(info).to.contain("Harbour Lights Live").and.to.contain("Standing").and.to.contain(`#${standing}`);
      expect(await p.getByTestId("last-known").innerText()).to.match(/^Last known, offline · updated \w{3} \d+, \d{4}/);
      expect(await p.getByTestId("app-offline").innerText()).to.equal("Offline — showing your tickets as last seen");
      await screenshot(p, "fan-pass-offline");

      // The ticket admitted at the door: checked in, as last known.
      await p.goto(`${stack.appUrl}/tickets/${concert}/${seat}`);
      await p.getByTestId("pass-checked-in").getByTestId("last-known").waitFor();

      // My tickets: the list as last seen, the admitted ticket checked in.
      await p.goto(`${stack.appUrl}/tickets`);
      await card(p, concert, standing).waitFor();
      expect(await card(p, concert, seat).locator(".badge.ok").innerText()).to.equal("Checked in");
      await p.getByTestId("last-known").waitFor();
      // Gifts, resale and refunds need the network: under Manage, said instead of their forms.
      const held = card(p, concert, standing);
      await manage(held);
      await waitForText(held.getByTestId(`needs-connection-${standing}`), "Needs a connection");
      expect(await held.getByTestId(`gift-to-${standing}`).count()).to.equal(0);
      expect(await held.getByTestId(`list-price-${standing}`).count()).to.equal(0);
      expect(await held.getByTestId(`open-pass-${standing}`).count(), "the pass works offline").to.equal(1);
      await screenshot(p, "fan-tickets-offline");

      // The wallet does not come back (it needs the network): the tickets of the account last connected here still show.
      await wallet.disconnect();
      await p.reload();
      await p.getByTestId("connect-wallet").waitFor();
      await card(p, concert, standing).waitFor();
      await p.goto(`${stack.appUrl}/tickets/${concert}/${standing}`);
      await eventually(shown, "a frame offline with no wallet");
    } finally {
      await p.context().setOffline(false);
    }
    await p.getByTestId("app-offline").waitFor({ state: "detached" });
    await p.getByTestId("last-known").waitFor({ state: "detached" });
  });

  it("my tickets: the soonest event first, a compact row per ticket with its status in words and Show pass, gift and resale behind Manage", async function () {
    // A wallet of its own (no demo tickets), holding tickets to two new events: the later one
    // created first, and its tickets bought last (the index answers the newest first).
    const fan = localAccount(9);
    const staff = localAccount(DEMO_ACCOUNTS.gateStaff);
    const now = Number((await publicClient().getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const price = parseEther("0.01");
    async function newEvent(name: string, start: number) {
      const tiers = [{ name: "General", price, supply: 10, saleStart: now - 86_400, saleEnd: start }];
      const spec = { name, symbol: "MT", start, end: start + 3 * 3600 };
      const art = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#0e7490"/></svg>`;
      const metadataURI = await session.publish({ ...spec, description: "My tickets' order", venue: "Test Hall", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
      const event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI, policy: 1, giftsPerHolder: 2 }, tiers);
      // The gate may check in from 255 hours (the most) before the start.
      await asOrganizer(event, "setCheckInLead", [255]);
      await asOrganizer(event, "grantRole", [keccak256(toHex("GATE_ROLE")), staff.address]);
      return event;
    }
    const later = await newEvent("Later Night", now + 20 * 86_400);
    const sooner = await newEvent("Sooner Matinee", now + 5 * 86_400);
    const buy = async (event: Address, count: bigint) => {
      const hash = await stack.clients.wallet(fan).writeContract({ address: event, abi: chainpassEventAbi, functionName: "buy", args: [1n, count, fan.address, price * count], value: price * count, account: fan, chain: stack.clients.chain } as never);
      expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
    };
    await buy(sooner, 3n);
    await buy(later, 2n);
    // Sooner: 1000001 valid, 1000002 checked in by the gate (its account sends checkIn), 1000003 refunded by the organizer.
    await asFan(staff, sooner, "checkIn", [[1_000_002n]]);
    await asOrganizer(sooner, "refundTicket", [1_000_003n, false]);
    // Later: 1000001 listed for resale (at its price, under the cap), 1000002 valid.
    await asFan(fan, later, "list", [1_000_001n, price]);

    const { page: p } = await open(fan, "/tickets", { context: WITH_SERVICE_WORKER });
    const groups = () => p.getByTestId("event-group").evaluateAll((list) => list.map((g) => g.getAttribute("data-event")));
    await eventually(async () => (await groups()).length === 2, "both events listed");
    expect(await groups(), "the sooner event first").to.deep.equal([sooner.toLowerCase(), later.toLowerCase()]);
    expect(await p.getByTestId("past-events").count(), "nothing past").to.equal(0);

    // One row per ticket, its status in words; Show pass only while the ticket can be used.
    const rows: [Address, bigint, string, boolean][] = [
      [sooner, 1_000_001n, "Valid", true],
      [sooner, 1_000_002n, "Checked in", false],
      [sooner, 1_000_003n, "Refunded", false],
      [later, 1_000_001n, "Listed for resale", true],
      [later, 1_000_002n, "Valid", true],
    ];
    for (const [event, token, status, pass] of rows) {
      const row = card(p, event, token);
      await waitForText(row.getByTestId(`status-${token}`), status);
      expect(await row.getByTestId(`status-${token}`).innerText(), `${event} #${token}`).to.equal(status);
      expect(await row.getByTestId(`open-pass-${token}`).count(), `${status}: Show pass`).to.equal(pass ? 1 : 0);
    }
    expect(await p.locator(`[data-event="${sooner.toLowerCase()}"] [data-testid^="ticket-"]`).evaluateAll((list) => list.map((r) => r.getAttribute("data-testid"))), "the refunded row last").to.deep.equal([
      "ticket-1000001",
      "ticket-1000002",
      "ticket-1000003",
    ]);
    expect(await card(p, sooner, 1_000_003n).getByTestId("manage-1000003").count(), "nothing to manage on a refunded ticket").to.equal(0);
    await screenshot(p, "fan-my-tickets-rows");

    // Gift and resale wait behind Manage, a disclosure; one panel open at a time.
    const valid = card(p, later, 1_000_002n);
    const button = valid.getByTestId("manage-1000002");
    expect(await button.getAttribute("aria-expanded")).to.equal("false");
    expect(await valid.getByTestId("gift-to-1000002").count()).to.equal(0);
    expect(await valid.getByTestId("list-price-1000002").count()).to.equal(0);
    expect(await valid.getByTestId("manage-panel-1000002").isVisible()).to.equal(false);
    await button.click();
    expect(await button.getAttribute("aria-expanded")).to.equal("true");
    expect(await p.locator(`#${await button.getAttribute("aria-controls")}`).getAttribute("data-testid")).to.equal("manage-panel-1000002");
    await valid.getByTestId("gift-to-1000002").waitFor();
    await valid.getByTestId("list-price-1000002").waitFor();
    await waitForText(valid.getByTestId("cap-1000002"), "0.011 ETH");
    // No refund policy: the panel says returns are not taken (and offers no return).
    await waitForText(valid.getByTestId("return-state-1000002"), "This event does not take returns.");
    expect(await valid.getByTestId("return-1000002").count()).to.equal(0);
    await screenshot(p, "fan-my-tickets-manage");
    // The listed ticket's panel: the price to update and the listing to cancel; the first panel closes.
    const listed = card(p, later, 1_000_001n);
    await listed.getByTestId("manage-1000001").click();
    await listed.getByTestId("cancel-listing-1000001").waitFor();
    expect(await button.getAttribute("aria-expanded")).to.equal("false");
    expect(await valid.getByTestId("gift-to-1000002").count()).to.equal(0);
    // With no network the listing cannot be changed: said in its place; the pass still opens.
    await p.context().setOffline(true);
    try {
      await waitForText(listed.getByTestId("needs-connection-1000001"), "Needs a connection");
      expect(await listed.getByTestId("cancel-listing-1000001").count()).to.equal(0);
      expect(await listed.getByTestId("open-pass-1000001").count()).to.equal(1);
    } finally {
      await p.context().setOffline(false);
    }
    await listed.getByTestId("cancel-listing-1000001").waitFor();

    // Show pass opens that ticket's pass.
    await card(p, sooner, 1_000_001n).getByTestId("open-pass-1000001").click();
    await p.waitForURL(new RegExp(`/tickets/${sooner}/1000001$`, "i"));
    const frame = decodePass(await eventually(() => p.getByTestId("pass-qr").getAttribute("data-pass"), "the pass's first frame"));
    expect([frame.tokenId, frame.delegation.ticket.toLowerCase(), frame.holder.toLowerCase()]).to.deep.equal([1_000_001n, sooner.toLowerCase(), fan.address.toLowerCase()]);
  });

  it("returns: the event page states the refund policy with its dates; a fan returns a ticket for exactly the chain's quote and it is burned; a listed ticket must leave the market first", async function () {
    const fan = localAccount(10); // a wallet of its own
    const now = Number((await publicClient().getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const price = parseEther("0.0125");
    const start = now + 10 * 86_400;
    const tiers = [{ name: "General", price, supply: 10, saleStart: now - 3600, saleEnd: start }];
    const spec = { name: "Returnable Night", symbol: "RN", start, end: start + 3 * 3600 };
    const art = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#9333ea"/></svg>`;
    const metadataURI = await session.publish({ ...spec, description: "Tickets that can go back", venue: "Return Hall", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
    const event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI, policy: 1, giftsPerHolder: 2 }, tiers);
    // 90 % back until 5 days before the start, 50 % until 2 days before, nothing after.
    await asOrganizer(event, "setRefundPolicy", [[{ secondsBefore: 5 * 86_400, shareBps: 9_000 }, { secondsBefore: 2 * 86_400, shareBps: 5_000 }], false]);
    const hash = await stack.clients.wallet(fan).writeContract({ address: event, abi: chainpassEventAbi, functionName: "buy", args: [1n, 2n, fan.address, price * 2n], value: price * 2n, account: fan, chain: stack.clients.chain } as never);
    expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
    await asFan(fan, event, "list", [1_000_002n, price]);
    // What a reader in the venue's zone (UTC, as the test browser) sees.
    const at = (seconds: number | bigint) => formatZoned(seconds, { locale: "en-US", zone: "UTC", reader: "UTC" });

    // Before buying: the policy in words, each deadline a date at the venue.
    const { page: p, wallet } = await open(fan, `/events/${event}`);
    await waitForText(p.getByTestId("refund-policy"), "Returns:");
    expect(await p.getByTestId("refund-policy").innerText()).to.equal(`Returns: 90% until ${at(start - 5 * 86_400)}; 50% until ${at(start - 2 * 86_400)}; none after.`);
    await screenshot(p, "fan-event-refund-policy");
    // An event without a policy says so.
    await p.goto(`${stack.appUrl}/events/${demo().concert}`);
    await waitForText(p.getByTestId("refund-policy"), "No returns: tickets are refunded only if the event is cancelled.");

    await p.goto(`${stack.appUrl}/tickets`);
    // The listed ticket: what a return would pay, but the listing must go first.
    const listed = card(p, event, 1_000_002n);
    await manage(listed);
    await waitForText(listed.getByTestId("return-listed-1000002"), "Cancel the listing to return it.");
    expect(await listed.getByTestId("return-1000002").count(), "no return button while listed").to.equal(0);

    // The other: the chain's quote, until when it holds, then a confirmation stating exactly that.
    const token = 1_000_001n;
    const [refund, until] = await read<[bigint, bigint]>(event, "returnQuote", [token]);
    expect([refund, until]).to.deep.equal([(price * 9_000n) / 10_000n, BigInt(start - 5 * 86_400)]);
    const amount = `${formatEther(refund)} ETH`;
    const ticket = card(p, event, token);
    await manage(ticket);
    await waitForText(ticket.getByTestId(`return-quote-${token}`), amount);
    expect(await ticket.getByTestId(`return-quote-${token}`).innerText()).to.equal(`Return: you get back ${amount} (until ${at(until)}).`);
    await ticket.getByTestId(`return-${token}`).click();
    const confirm = ticket.getByTestId(`return-confirm-${token}`);
    await waitForText(confirm, `You get back ${amount}, and the ticket is gone`);
    expect(await confirm.getAttribute("role")).to.equal("alertdialog");
    expect(wallet.requestsFor("eth_sendTransaction"), "nothing sent before the confirmation").to.have.length(0);
    await screenshot(p, "fan-return-confirm");
    const before = await publicClient().getBalance({ address: fan.address });
    await ticket.getByTestId(`return-confirm-send-${token}`).click();
    await waitForText(p.getByTestId("tickets-flash"), `returned: ${amount}`, 60_000);
    // The row reads returned (the index keeps how a ticket was refunded), with nothing left to manage.
    await waitForText(ticket.getByTestId(`status-${token}`), "Returned");
    expect(await ticket.getByTestId(`manage-${token}`).count(), "nothing to manage").to.equal(0);
    expect(await ticket.getByTestId(`open-pass-${token}`).count()).to.equal(0);
    // The wallet got exactly the quote, less the gas it paid; the event says the same.
    const receipt = await publicClient().getTransactionReceipt({ hash: sentHashes(wallet).at(-1)! });
    const after = await publicClient().getBalance({ address: fan.address });
    expect(after - before).to.equal(refund - receipt.gasUsed * receipt.effectiveGasPrice);
    const [returned] = parseEventLogs({ abi: chainpassEventAbi, eventName: "TicketReturned", logs: receipt.logs });
    expect(returned?.args).to.deep.include({ tokenId: token, refunded: refund, kept: price - refund });
    await read(event, "ownerOf", [token]).then(
      () => expect.fail("the returned ticket still has an owner"),
      (error: Error) => expect(error.message).to.contain("ERC721NonexistentToken"),
    );
    await screenshot(p, "fan-returned");
  });
});
