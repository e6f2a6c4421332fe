// Sales channels in a real browser (issue 16, requirement 5), each test on an event of its own (ETH,
// one plain tier at 0.05). The organizer adds a channel in the console's Channels tab (a refused
// commission first, then 10 % paid to another local account) and reads its share link; a fan opens
// that link, is told who sells the tickets, buys 2 at checkout (buyThrough), and the chain owes the
// channel exactly 2 × 0.05 × 10 %; the Channels tab shows the 2 tickets and that commission, the
// dashboard the channel's totals, and the sales CSV names the channel on the sale. And the organizer
// changes a channel's payout and closes it (after a confirmation): its link no longer credits it,
// and a purchase through it is a plain one. At the demo's museum (timed entry, USDC), a booking of
// one ticket type through a link is credited (buyWith naming the slot and the channel), and one of
// several types says it is not. Nothing is mocked.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { decodeFunctionData, formatEther, parseEther, parseUnits, type Address, type Hash } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { isoDateOf, slotsOfDay } from "../../lib/calendar.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { seedSeasons, ServerSession } from "../../scripts/seed-demo.js";
import { confirmed, decodeQrImage, openAs, type Persona, signIn, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const [fan] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
/** Accounts no other persona uses: the channel's payout, then its new one. */
const agency = localAccount(12);
const newPayout = localAccount(13);
const PRICE = parseEther("0.05");
const LABEL = "Harbour Box Office";

interface ChannelInfo {
  payout: Address;
  commissionBps: number;
  open: boolean;
  owed: bigint;
}

describe("Sales channels in a real browser: added in the console, a fan buys through its link, the commission owed and reported", function () {
  this.timeout(180_000);
  const env = useBrowserStack();
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  const pages: Page[] = [];

  before(() => ({ stack, browser } = env));
  afterEach(async function () {
    for (const page of pages.splice(0)) await page.context().close();
  });

  /** An event of the organizer's own: General, 100 at 0.05 ETH, on sale now, a week ahead. */
  async function makeEvent(name: string): Promise<Address> {
    const now = Number((await stack.clients.publicClient.getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const start = now + 7 * 86_400;
    const tiers = [{ name: "General", price: PRICE, supply: 100, saleStart: now - 3600, saleEnd: start }];
    const spec = { name, symbol: "CHN", start, end: start + 4 * 3600 };
    const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#0e7490"/></svg>';
    const metadataURI = await session.publish({ ...spec, description: "Tickets sold by a box office too.", venue: "Channel Hall", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
    const event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI }, tiers);
    await stack.waitForIndex();
    return event;
  }

  async function open(account: typeof fan, path: string): Promise<Persona> {
    const persona = await openAs(browser, stack, account, path, logs);
    pages.push(persona.page);
    return persona;
  }

  /** The organizer's console at `tab`, signed in with SIWE. */
  async function console_(event: Address, tab = ""): Promise<Page> {
    const { page } = await open(organizer, `/organizer/${event}${tab ? `/${tab}` : ""}`);
    await signIn(page);
    await page.getByTestId("console-title").waitFor();
    return page;
  }

  const channel = (event: Address, id: bigint) => read<ChannelInfo>(event, "channel", [id]);
  /** The function the fan's wallet called last (its calldata decoded). */
  async function lastCall(persona: Persona) {
    const sent = persona.wallet.requestsFor("eth_sendTransaction").flatMap((r) => ("result" in r.outcome ? [r.outcome.result as Hash] : []));
    const tx = await stack.clients.publicClient.getTransaction({ hash: sent.at(-1)! });
    return decodeFunctionData({ abi: chainpassEventAbi, data: tx.input });
  }
  /** The fan opens `path` (an event page), `first` checks it, then the checkout for `quantity` General tickets, up to the Buy button. */
  async function buy(path: string, quantity: number, first?: (page: Page) => Promise<void>) {
    const persona = await open(fan, path);
    const p = persona.page;
    await p.getByTestId("tier-1").waitFor();
    await first?.(p);
    await p.getByTestId("buy-1").click();
    await p.getByTestId("quantity").fill(String(quantity));
    await waitForText(p.getByTestId("total"), `${formatEther(PRICE * BigInt(quantity))} ETH`);
    return persona;
  }

  it("a channel added in the Channels tab (above 50 % refused first), a fan buys 2 through its link: the chain owes 2 × price × 10 %, the console, dashboard and sales CSV say so", async function () {
    const event = await makeEvent("Channel Night");
    const page = await console_(event, "channels");
    await page.getByTestId("add-channel").waitFor();
    await page.getByTestId("channel-label").fill(LABEL);
    await page.getByTestId("channel-payout").fill(agency.address);
    await page.getByTestId("channel-commission").fill("60");
    await page.getByTestId("add-channel-submit").click();
    // Refused on the page: 50 % at most, and no transaction step started.
    await waitForText(page.getByTestId("add-channel"), "A percentage from 0 to 50%");
    expect(await page.getByTestId("tx-status").count()).to.equal(0);
    expect(await read<bigint>(event, "channelCount")).to.equal(0n);

    await page.getByTestId("channel-commission").fill("10");
    await page.getByTestId("add-channel-submit").click();
    await confirmed(page, { within: page.getByTestId("add-channel") });
    expect(await read<bigint>(event, "channelCount")).to.equal(1n);
    const onChain = await channel(event, 1n);
    expect([onChain.payout.toLowerCase(), onChain.commissionBps, onChain.open, onChain.owed]).to.deep.equal([agency.address.toLowerCase(), 1_000, true, 0n]);

    // The list (refetched after the confirmation): the terms, and the link to hand out.
    const row = page.getByTestId("channel-1");
    await waitForText(row.getByTestId("channel-label-1"), LABEL);
    await waitForText(row.getByTestId("channel-commission-1"), "10%");
    expect((await row.getByTestId("channel-payout-1").innerText()).toLowerCase()).to.contain(agency.address.toLowerCase());
    expect(await row.getByTestId("channel-sold-1").innerText()).to.equal("0");
    const link = await row.getByTestId("channel-link-1").innerText();
    expect(link).to.equal(`${stack.appUrl}/events/${event.toLowerCase()}?ch=1`);
    await row.getByTestId("copy-channel-1").click();
    await waitForText(row.getByTestId("copy-channel-1"), "Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(link);
    // The link as a QR code, for a poster or the agency's counter.
    await row.getByTestId("channel-qr-1-open").click();
    expect(await decodeQrImage(row.getByTestId("channel-qr-1"))).to.equal(link);
    await screenshot(page, "channels-added", { fullPage: true });
    await page.context().close();

    // The fan opens the link: the event page says who sells, and the checkout remembers it.
    const persona = await buy(link.slice(stack.appUrl.length), 2, (eventPage) => waitForText(eventPage.getByTestId("sold-by"), `Sold by ${LABEL}`));
    const p = persona.page;
    await waitForText(p.locator("form.checkout-form").getByTestId("sold-by"), `Sold by ${LABEL}`);
    await screenshot(p, "channels-checkout");
    await p.getByTestId("buy").click();
    await confirmed(p);
    await waitForText(p.getByTestId("bought-channel"), LABEL);

    const call = await lastCall(persona);
    expect(call.functionName).to.equal("buyThrough");
    expect(call.args).to.deep.equal([1n, 2n, fan.address, 2n * PRICE, 1n]);
    const commission = (2n * PRICE * 1_000n) / 10_000n;
    expect((await channel(event, 1n)).owed).to.equal(commission);
    expect(await read<bigint>(event, "balanceOf", [fan.address])).to.equal(2n);

    // The console, once the index has the sale: 2 tickets, the revenue and the commission owed.
    await stack.waitForIndex();
    const after = await console_(event, "channels");
    const sold = after.getByTestId("channel-1");
    await waitForText(sold.getByTestId("channel-sold-1"), "2");
    expect(await sold.getByTestId("channel-revenue-1").innerText()).to.equal(`${formatEther(2n * PRICE)} ETH`);
    expect(await sold.getByTestId("channel-earned-1").innerText()).to.equal(`${formatEther(commission)} ETH`);
    expect(await sold.getByTestId("channel-owed-1").innerText()).to.equal(`${formatEther(commission)} ETH`);
    expect(await sold.getByTestId("channel-paid-1").innerText()).to.equal("0 ETH");
    await screenshot(after, "channels-sold", { fullPage: true });

    // The dashboard: the channel's totals; the sales CSV names it on the sale, with its commission.
    await after.getByTestId("tab-overview").click();
    const totals = after.getByTestId("channel-totals");
    await waitForText(totals, LABEL);
    expect(await totals.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)))).to.deep.equal([
      [LABEL, "2", `${formatEther(2n * PRICE)} ETH`],
    ]);
    await after.getByTestId("chart-channels").locator("svg.recharts-surface").first().waitFor();
    const [file] = await Promise.all([after.waitForEvent("download"), after.getByTestId("export-sales").click()]);
    const csv = (await readFile(await file.path(), "utf8")).split("\r\n").filter(Boolean).map((line) => line.split(","));
    expect(csv[0]).to.deep.equal(["time", "kind", "tier", "token", "buyer", "quantity", "amount_ETH", "channel", "commission_ETH", "member_level", "points_spent"]);
    expect(csv).to.have.length(2);
    // The event is in no membership program: no member level, no points spent.
    expect(csv[1].slice(1)).to.deep.equal(["Primary", "General", "1000001 1000002", fan.address.toLowerCase(), "2", formatEther(2n * PRICE), LABEL, formatEther(commission), "", "0"]);
  });

  it("changes a channel's payout, then closes it after a confirmation: its link no longer credits it", async function () {
    const event = await makeEvent("Channel Matinee");
    // The channel, added from Node (its adding is the first test's), and a sale through it.
    const write = async (account: typeof organizer, functionName: "addChannel" | "buyThrough", args: readonly unknown[], value?: bigint) => {
      const hash = await stack.clients.wallet(account).writeContract({ address: event, abi: chainpassEventAbi, functionName, args, account, chain: stack.clients.chain, value } as never);
      expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status, functionName).to.equal("success");
    };
    await write(organizer, "addChannel", [agency.address, 1_000n, LABEL]);
    await write(fan, "buyThrough", [1n, 2n, fan.address, 2n * PRICE, 1n], 2n * PRICE);
    await stack.waitForIndex();
    const link = `/events/${event.toLowerCase()}?ch=1`;

    const page = await console_(event, "channels");
    const row = page.getByTestId("channel-1");
    await row.getByTestId("change-payout-1").click();
    await row.getByTestId("payout-input-1").fill(newPayout.address);
    await row.getByTestId("save-payout-1").click();
    await confirmed(page);
    expect((await channel(event, 1n)).payout.toLowerCase()).to.equal(newPayout.address.toLowerCase());
    await waitForText(row.getByTestId("channel-payout-1"), newPayout.address.toLowerCase());

    await row.getByTestId("close-channel-1").click();
    await page.getByTestId("confirm-close-channel-1").click();
    await confirmed(page);
    const closed = await channel(event, 1n);
    expect(closed.open).to.equal(false);
    expect(closed.owed, "what it earned stays owed").to.equal((2n * PRICE * 1_000n) / 10_000n);
    await page.locator('[data-testid="channel-1"][data-open="false"]').waitFor();
    await screenshot(page, "channels-closed", { fullPage: true });

    // The fan's link now: nothing says who sells, and the purchase is a plain buy.
    await stack.waitForIndex();
    const persona = await buy(link, 1);
    const p = persona.page;
    expect(await p.getByTestId("sold-by").count()).to.equal(0);
    await p.getByTestId("buy").click();
    await confirmed(p);
    expect((await lastCall(persona)).functionName).to.equal("buy");
  });

  it("timed entry through a link: one ticket type is credited to the channel (buyWith with the slot), several types are not, and the page says so", async function () {
    const { museum, museumRule: rule } = await seedSeasons({ clients: stack.clients, platform: stack.platform, serverUrl: stack.serverUrl, siwe: stack.siwe });
    const USDC = (amount: string) => parseUnits(amount, 6);
    const writeAs = async (account: typeof organizer, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) => {
      const hash = await stack.clients.wallet(account).writeContract({ address, abi, functionName, args, account, chain: stack.clients.chain } as never);
      expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status, functionName).to.equal("success");
    };
    const mintAbi = [{ type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] }] as const;
    await writeAs(fan, stack.platform.usdc, mintAbi, "mint", [fan.address, USDC("100")]);
    await writeAs(organizer, museum, chainpassEventAbi, "addChannel", [agency.address, 1_000n, LABEL]);
    await stack.waitForIndex();

    const persona = await open(fan, `/events/${museum.toLowerCase()}?ch=1`);
    const p = persona.page;
    await waitForText(p.getByTestId("sold-by"), `Sold by ${LABEL}`);
    await p.getByTestId("book-1").click();
    // The first full day's 13:00 (the seed books none there).
    const days = [...Array(rule.dayCount).keys()].filter((d) => slotsOfDay(rule, d).length === 6);
    const slot = slotsOfDay(rule, days[0])[3];
    const day = p.getByTestId(`day-${isoDateOf(rule.firstDay + days[0])}`);
    await p.getByTestId("month-grid").waitFor();
    for (let i = 0; i < 14 && !(await day.isVisible()); i++) await p.getByTestId("next-month").click();
    await day.click();
    await p.getByTestId(`slot-${slot.slot}`).click();
    await waitForText(p.locator("form.slot-checkout").getByTestId("sold-by"), `Sold by ${LABEL}`);
    // An adult and a child: one buySlot, not credited, and the page says so.
    await p.getByTestId("more-1").click();
    await p.getByTestId("more-2").click();
    await waitForText(p.getByTestId("not-credited"), LABEL);
    await screenshot(p, "channels-slot-not-credited");
    // The adult alone: credited.
    await p.getByTestId("less-2").click();
    await p.getByTestId("not-credited").waitFor({ state: "detached" });
    await waitForText(p.getByTestId("total"), "18.00 USDC");
    await p.getByTestId("buy").click();
    await confirmed(p);
    await waitForText(p.getByTestId("bought-channel"), LABEL);

    // A permit and the purchase in one multicall; the purchase is buyWith naming the slot and the channel.
    let call = await lastCall(persona);
    if (call.functionName === "multicall") call = decodeFunctionData({ abi: chainpassEventAbi, data: (call.args[0] as readonly Hash[]).at(-1)! });
    expect(call.functionName).to.equal("buyWith");
    const [tierId, quantity, recipient, options] = call.args as readonly [bigint, bigint, Address, { slot: bigint; channel: bigint; maxTotal: bigint }];
    expect([tierId, quantity, recipient, options.slot, options.channel, options.maxTotal]).to.deep.equal([1n, 1n, fan.address, BigInt(slot.slot), 1n, USDC("18")]);
    expect((await read<ChannelInfo>(museum, "channel", [1n])).owed).to.equal(USDC("1.8"));
  });
});
