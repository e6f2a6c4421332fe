// Exchanges in a real browser, on the demo's Harbour Museum season (scripts/seed-demo.ts
// seedSeasons: USDC, returns in full until a day before each ticket's slot, exchanges offered).
// fan6 holds the family booked at 11:00 on the first full day: 2 adults (18 USDC) and a child (8).
// On My tickets, Manage, Exchange: the child's ticket becomes an adult's at another time of the day
// (the page says exactly "You pay 10.00 USDC", one permit and exchangeTicket); an adult's becomes a
// concession (12) in the same slot (the page says what comes back, and the chain pays exactly that).
// Each time the old token is burned, the new one (slot x 1e9 + tier x 1e6 + serial) is the fan's,
// and My tickets shows it, the old one as exchanged for it. Nothing is mocked.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { erc20Abi, parseEventLogs, parseUnits, type Address, type Hash } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { slotsOfDay, tokenIdOf, type CalendarRule } from "../../lib/calendar.js";
import { formatZoned } from "../../frontend/src/shared/venue-time.js";
import { seedSeasons, type SeasonEvents } from "../../scripts/seed-demo.js";
import { confirmed, manage, openAs, type Persona, txMark, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const [, fan6] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
const ZONE = "Asia/Shanghai";
const USDC = (amount: string) => parseUnits(amount, 6);

describe("Exchanges in a real browser: another ticket type or time, the exact difference paid or refunded", function () {
  this.timeout(180_000);
  const env = useBrowserStack({ seed: true });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let seasons: SeasonEvents;
  let page: Page | undefined;

  before(async function () {
    ({ stack, browser } = env);
    seasons = await seedSeasons({ clients: stack.clients, platform: stack.platform, serverUrl: stack.serverUrl, siwe: stack.siwe });
    await stack.waitForIndex();
  });
  afterEach(async function () {
    await page?.context().close();
    page = undefined;
  });

  async function open(path: string): Promise<Persona> {
    const persona = await openAs(browser, stack, fan6, path, logs);
    page = persona.page;
    return persona;
  }

  const fullDays = (rule: CalendarRule) => [...Array(rule.dayCount).keys()].filter((d) => slotsOfDay(rule, d).length === 6);
  const time = (seconds: number) => formatZoned(seconds, { locale: "en-US", zone: ZONE, shape: "time", label: false, reader: ZONE });
  const card = (p: Page, event: Address, token: bigint) => p.locator(`[data-testid="ticket-${token}"][data-event="${event.toLowerCase()}"]`);
  const usdcBalance = () => stack.clients.publicClient.readContract({ address: stack.platform.usdc, abi: erc20Abi, functionName: "balanceOf", args: [fan6.address] });
  const ownerOf = (event: Address, token: bigint) => read<Address>(event, "ownerOf", [token]).then((a) => a.toLowerCase(), () => null);
  const sentHashes = (p: Persona) => p.wallet.requestsFor("eth_sendTransaction").flatMap((r) => ("result" in r.outcome ? [r.outcome.result as Hash] : []));

  /** The TicketExchanged log of the transaction the page sent last. */
  async function exchangedLog(p: Persona) {
    const hash = sentHashes(p).at(-1)!;
    const receipt = await stack.clients.publicClient.getTransactionReceipt({ hash });
    const [log] = parseEventLogs({ abi: chainpassEventAbi, eventName: "TicketExchanged", logs: receipt.logs });
    expect(log, "a TicketExchanged log").to.not.equal(undefined);
    return log.args;
  }

  it("a child's ticket for an adult's at another time: the page says exactly what to pay, one permit and the exchange; the old token burned, the new one the fan's", async function () {
    const { museum, museumRule: rule } = seasons;
    const day = slotsOfDay(rule, fullDays(rule)[0]);
    const [from, to] = [day[1], day[2]]; // 11:00 (the family's), 12:00
    const child = tokenIdOf(2, 1, from.slot);
    expect(await ownerOf(museum, child)).to.equal(fan6.address.toLowerCase());
    // The difference to pay: 18 - 8 USDC (the seed minted the family exactly what it paid).
    const wallet = stack.clients.wallet(fan6);
    const mintAbi = [{ type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] }] as const;
    await stack.clients.publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract({ address: stack.platform.usdc, abi: mintAbi, functionName: "mint", args: [fan6.address, USDC("10")], account: fan6, chain: stack.clients.chain }),
    });
    const adults = BigInt((await read<{ sold: number }>(museum, "tier", [1n])).sold);
    const expected = tokenIdOf(1, adults + 1n, to.slot);

    const persona = await open("/tickets");
    const p = persona.page;
    const row = card(p, museum, child);
    await manage(row);
    await row.getByTestId(`exchange-${child}`).click();
    const panel = row.getByTestId(`exchange-panel-${child}`);
    await panel.getByTestId("exchange-tier-1").check();
    await panel.getByTestId(`exchange-slot-${to.slot}`).click();
    await waitForText(panel.getByTestId(`exchange-new-${child}`), `Adult, `);
    await waitForText(panel.getByTestId(`exchange-new-${child}`), time(to.start));
    await waitForText(panel.getByTestId(`exchange-money-${child}`), "You pay 10.00 USDC");
    await screenshot(p, "exchange-pay");
    await panel.getByTestId(`exchange-review-${child}`).click();
    await waitForText(panel.getByTestId(`exchange-confirm-${child}`), "You pay 10.00 USDC");

    const before = await usdcBalance();
    const mark = await txMark(p, row);
    await panel.getByTestId(`exchange-confirm-send-${child}`).click();
    await confirmed(p, { within: row, after: mark });

    const log = await exchangedLog(persona);
    expect([log.tokenId, log.newTokenId, log.price, log.paid, log.refunded]).to.deep.equal([child, expected, USDC("18"), USDC("10"), 0n]);
    expect(await ownerOf(museum, child), "the old ticket burned").to.equal(null);
    expect(await ownerOf(museum, expected), "the new ticket the fan's").to.equal(fan6.address.toLowerCase());
    expect(before - (await usdcBalance())).to.equal(USDC("10"));

    // My tickets: the new ticket at its time, the old one exchanged for it.
    await waitForText(p.getByTestId("tickets-flash"), `exchanged for Adult`);
    const fresh = card(p, museum, expected);
    await waitForText(fresh.getByTestId(`ticket-slot-${expected}`), `${time(to.start)} – ${time(to.end)}`);
    await waitForText(fresh.getByTestId(`status-${expected}`), "Valid");
    await waitForText(card(p, museum, child).getByTestId(`status-${child}`), `Exchanged for #${expected}`);
    await screenshot(p, "exchange-done");
  });

  it("an adult's ticket for a concession in the same slot: the page says what comes back, and the chain pays exactly that", async function () {
    const { museum, museumRule: rule } = seasons;
    const slot = slotsOfDay(rule, fullDays(rule)[0])[1];
    const adult = tokenIdOf(1, 2, slot.slot);
    const concessions = BigInt((await read<{ sold: number }>(museum, "tier", [3n])).sold);
    const expected = tokenIdOf(3, concessions + 1n, slot.slot);

    const persona = await open("/tickets");
    const p = persona.page;
    const row = card(p, museum, adult);
    await manage(row);
    await row.getByTestId(`exchange-${adult}`).click();
    const panel = row.getByTestId(`exchange-panel-${adult}`);
    // Its own type and slot first: no exchange.
    await panel.getByTestId(`exchange-same-${adult}`).waitFor();
    expect(await panel.getByTestId(`exchange-review-${adult}`).isDisabled()).to.equal(true);
    await panel.getByTestId("exchange-tier-3").check();
    await waitForText(panel.getByTestId(`exchange-new-${adult}`), "Concession, ");
    // Returns pay in full until a day before the slot: the whole 6 USDC difference.
    await waitForText(panel.getByTestId(`exchange-money-${adult}`), "You get back 6.00 USDC");
    const said = await panel.getByTestId(`exchange-money-${adult}`).innerText();
    await screenshot(p, "exchange-refund");
    await panel.getByTestId(`exchange-review-${adult}`).click();
    await waitForText(panel.getByTestId(`exchange-confirm-${adult}`), said);

    const before = await usdcBalance();
    const mark = await txMark(p, row);
    await panel.getByTestId(`exchange-confirm-send-${adult}`).click();
    await confirmed(p, { within: row, after: mark });

    const log = await exchangedLog(persona);
    expect([log.tokenId, log.newTokenId, log.price, log.paid, log.refunded]).to.deep.equal([adult, expected, USDC("12"), 0n, USDC("6")]);
    expect((await usdcBalance()) - before, "what the page said").to.equal(USDC("6"));
    expect(await ownerOf(museum, adult)).to.equal(null);
    expect(await ownerOf(museum, expected)).to.equal(fan6.address.toLowerCase());
    await waitForText(card(p, museum, expected).getByTestId(`status-${expected}`), "Valid");
    await waitForText(card(p, museum, adult).getByTestId(`status-${adult}`), `Exchanged for #${expected}`);
  });
});
