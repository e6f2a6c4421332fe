// Season timed entry and runs in a real browser, on the demo's calendar events (scripts/seed-demo.ts
// seedSeasons): the Harbour Museum's season (6 slots a day, 40 places each shared by adult, child
// and concession tickets, closed on Christmas and New Year's Day, one slot fully booked) and "The
// Tempest" (a run: a seat map per performance). A fan picks a day on the month grid, a slot with
// the places left in it, 2 adults and a child, sees the total and pays once (one buySlot, with a
// USDC permit); My tickets shows the tickets' date and time. A full slot reads sold out, a closed
// day cannot be picked (from the start, or closed later by the organizer), a Monday offers only its
// afternoon. A slot that fills up while the fan chooses is refused before anything is sent, in words.
// At the theatre a performance is picked, then seats taken in that performance only; a tier that has
// sold more tickets over the run than its map has seats is not called sold out (explore, event page).
// In Simplified Chinese too. Nothing is mocked; every step is checked on chain as well.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { parseEther, parseEventLogs, parseUnits, type Address, type Hash } from "viem";

import { isoDateOf, slotsOfDay, tokenIdOf, weekdayOf, type CalendarRule, type SlotWindow } from "../../lib/calendar.js";
import { chainpassEventAbi } from "../../lib/abi/index.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { formatZoned, formatZonedRange } from "../../frontend/src/shared/venue-time.js";
import { seedSeasons, type SeasonEvents } from "../../scripts/seed-demo.js";
import { confirmed, eventually, lastTx, openAs, PHONE, type Persona, type PersonaOptions, txMark, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const [fan5, , fan7, fan8] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
const ZONE = "Asia/Shanghai";
const CAPACITY = 40;

describe("Season timed entry and runs in a real browser: month grid, slots, one payment, performances", function () {
  this.timeout(180_000);
  const env = useBrowserStack({ seed: true });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let seasons: SeasonEvents;
  let page: Page | undefined;

  before(async function () {
    ({ stack, browser } = env);
    seasons = await seedSeasons({ clients: stack.clients, platform: stack.platform, serverUrl: stack.serverUrl, siwe: stack.siwe, museumCapacity: CAPACITY });
    await stack.waitForIndex();
  });
  afterEach(async function () {
    await page?.context().close();
    page = undefined;
  });

  async function open(account: typeof fan5, path: string, opts: PersonaOptions = {}): Promise<Persona> {
    const persona = await openAs(browser, stack, account, path, logs, opts);
    page = persona.page;
    return persona;
  }

  /** The season's full days (Tuesday to Sunday, not a holiday), as the seed books them. */
  const fullDays = (rule: CalendarRule) => [...Array(rule.dayCount).keys()].filter((d) => slotsOfDay(rule, d).length === 6);
  const dayIso = (rule: CalendarRule, day: number) => isoDateOf(rule.firstDay + day);
  const time = (seconds: number, locale = "en-US") => formatZoned(seconds, { locale, zone: ZONE, shape: "time", label: false, reader: ZONE });

  /** Moves the month grid to the month of `iso` ("YYYY-MM-DD") and returns that day's button. */
  async function showDay(p: Page, iso: string) {
    const day = p.getByTestId(`day-${iso}`);
    await p.getByTestId("month-grid").waitFor();
    for (let i = 0; i < 14 && !(await day.isVisible()); i++) await p.getByTestId("next-month").click();
    await day.waitFor();
    return day;
  }

  async function asOrganizer(event: Address, functionName: string, args: unknown[]) {
    const hash = await stack.clients.wallet(organizer).writeContract({ address: event, abi: chainpassEventAbi, functionName, args, account: organizer, chain: stack.clients.chain } as never);
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    await stack.waitForIndex();
  }

  const sentHashes = (p: Persona) => p.wallet.requestsFor("eth_sendTransaction").flatMap((r) => ("result" in r.outcome ? [r.outcome.result as Hash] : []));

  it("a fan picks a day and a slot (places left shown), 2 adults and a child, sees the total, pays once, and finds the tickets with their date and time", async function () {
    const { museum, museumRule: rule } = seasons;
    const persona = await open(fan8, `/events/${museum}`);
    const p = persona.page;

    // The event page: the season, its opening times, the closed days and the ticket types.
    const card = p.getByTestId("calendar-1");
    await waitForText(card, "Book a visit");
    await waitForText(card.getByTestId("calendar-times"), "Tue–Sun: 10:00 AM, 11:00 AM, 12:00 PM, 1:00 PM");
    await waitForText(card.getByTestId("calendar-times"), "Every day: 3:00 PM, 4:00 PM");
    await waitForText(card.getByTestId("calendar-closed"), "Closed on");
    await waitForText(card.getByTestId("tier-1"), "18.00 USDC");
    await waitForText(card.getByTestId("tier-2"), "8.00 USDC");
    await waitForText(card.getByTestId("tier-3"), "12.00 USDC");
    await waitForText(p.getByTestId("refund-policy"), "full refund until 1 day before your entry time");
    await screenshot(p, "museum-event");
    await card.getByTestId("book-1").click();

    // The first full day: the seed booked 3 places at 11:00 and 2 at 15:00.
    const day = fullDays(rule)[0];
    const slots = slotsOfDay(rule, day);
    const target: SlotWindow = slots[1];
    const button = await showDay(p, dayIso(rule, day));
    expect(await button.getAttribute("data-state")).to.equal("open");
    await waitForText(button, `${6 * CAPACITY - 5}`);
    expect(await button.getAttribute("aria-label")).to.contain(`${6 * CAPACITY - 5} left`);
    await button.click();
    const slot = p.getByTestId(`slot-${target.slot}`);
    await waitForText(slot, `${time(target.start)} – ${time(target.end)}`);
    await waitForText(slot, `${CAPACITY - 3} of ${CAPACITY} places left`);
    await waitForText(p.getByTestId(`slot-${slots[2].slot}`), `${CAPACITY} of ${CAPACITY} places left`);
    expect(await p.getByTestId("buy").isDisabled(), "nothing to buy before a slot and tickets").to.equal(true);
    await slot.click();

    await p.getByTestId("more-1").click();
    await p.getByTestId("more-1").click();
    await p.getByTestId("more-2").click();
    expect(await p.getByTestId("qty-1").inputValue()).to.equal("2");
    expect(await p.getByTestId("qty-2").inputValue()).to.equal("1");
    await waitForText(p.getByTestId("places-left"), `${CAPACITY - 3 - 3} more places`);
    await waitForText(p.getByTestId("total"), "44.00 USDC");
    await waitForText(p.getByTestId("order-slot"), formatZonedRange(target.start, target.end, { locale: "en-US", zone: ZONE, reader: "UTC" }).split(" (")[0]);
    await waitForText(p.getByTestId("order-lines"), "2 × Adult");
    await waitForText(p.getByTestId("order-lines"), "1 × Child");
    await screenshot(p, "museum-slot-checkout");

    const before = (await read<bigint>(museum, "balanceOf", [fan8.address])) as bigint;
    const sentBefore = sentHashes(persona).length;
    const mark = await txMark(p);
    await p.getByTestId("buy").click();
    await confirmed(p, { after: mark });
    await p.getByTestId("checkout-done").waitFor();
    await waitForText(p.getByTestId("bought-slot"), time(target.start));

    // One transaction (a multicall of the USDC permit and buySlot), three tickets in the slot.
    const sent = sentHashes(persona).slice(sentBefore);
    expect(sent, "one transaction").to.have.length(1);
    const receipt = await stack.clients.publicClient.getTransactionReceipt({ hash: sent[0] });
    const purchases = parseEventLogs({ abi: chainpassEventAbi, eventName: "TicketsPurchased", logs: receipt.logs });
    expect(purchases.map((e) => [e.args.tierId, e.args.quantity, e.args.totalPaid])).to.deep.equal([
      [1n, 2n, parseUnits("36", 6)],
      [2n, 1n, parseUnits("8", 6)],
    ]);
    const tokens = purchases.flatMap((e) => Array.from({ length: Number(e.args.quantity) }, (_, i) => e.args.firstTokenId + BigInt(i)));
    for (const token of tokens) expect(token / 1_000_000_000n, "the slot in the token id").to.equal(BigInt(target.slot));
    expect((await read<bigint>(museum, "balanceOf", [fan8.address])) as bigint).to.equal(before + 3n);
    expect(((await read<{ booked: bigint }>(museum, "slotInfo", [1n, BigInt(target.slot)])) as { booked: bigint }).booked).to.equal(6n);

    // My tickets: each with its date and time at the venue.
    await p.getByTestId("go-to-tickets").click();
    for (const token of tokens) {
      const row = p.locator(`[data-testid="ticket-${token}"][data-event="${museum.toLowerCase()}"]`);
      await waitForText(row.getByTestId(`ticket-slot-${token}`), `${time(target.start)} – ${time(target.end)}`);
      expect(await row.getByTestId(`ticket-slot-${token}`).innerText()).to.contain(formatZoned(target.start, { locale: "en-US", zone: ZONE, shape: "date" }));
    }
    await screenshot(p, "museum-my-tickets");
    // The pass says when too (not the season's start).
    await p.getByTestId(`open-pass-${tokens[0]}`).click();
    await waitForText(p.getByTestId("pass-slot"), `Entry ${formatZoned(target.start, { locale: "en-US", zone: ZONE, shape: "date" })}, ${time(target.start)} – ${time(target.end)}`);
  });

  it("a full slot reads sold out, a closed day and a day outside the season cannot be picked, a Monday offers its afternoon only; a day the organizer closes closes", async function () {
    const { museum, museumRule: rule } = seasons;
    // On a phone: the month grid fits its width.
    const { page: p } = await open(fan7, `/events/${museum}/checkout/1`, { connect: false, context: PHONE });

    // The seed booked all 40 places of the second full day's 11:00.
    const day = fullDays(rule)[1];
    const full = slotsOfDay(rule, day)[1];
    expect(((await read<{ booked: bigint }>(museum, "slotInfo", [1n, BigInt(full.slot)])) as { booked: bigint }).booked).to.equal(BigInt(CAPACITY));
    await (await showDay(p, dayIso(rule, day))).click();
    const slot = p.getByTestId(`slot-${full.slot}`);
    await waitForText(slot, "Sold out");
    expect(await slot.getAttribute("data-state")).to.equal("soldOut");
    expect(await slot.isDisabled()).to.equal(true);
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no sideways scroll on a phone").to.equal(true);
    await screenshot(p, "museum-sold-out");

    // Christmas Day: closed from the start.
    const christmas = rule.closedDays.find((d) => dayIso(rule, d).endsWith("-12-25"))!;
    const closed = await showDay(p, dayIso(rule, christmas));
    expect(await closed.getAttribute("data-state")).to.equal("closed");
    expect(await closed.isDisabled()).to.equal(true);
    await waitForText(closed, "Closed");

    // A Monday: 15:00 and 16:00 only.
    const monday = [...Array(14).keys()].find((d) => weekdayOf(rule.firstDay + d) === 1 && !rule.closedDays.includes(d))!;
    await (await showDay(p, dayIso(rule, monday))).click();
    await eventually(async () => (await p.locator('[data-testid^="slot-"][data-state]').count()) === 2, "two slots on a Monday");

    // Before the season: not a day to pick.
    await p.reload();
    const eve = p.getByTestId(`day-${isoDateOf(rule.firstDay - 1)}`);
    if (await eve.isVisible().catch(() => false)) {
      expect(await eve.getAttribute("data-state")).to.equal("outside");
      expect(await eve.isDisabled()).to.equal(true);
    }

    // The organizer closes a day without bookings: the grid follows the index.
    const quiet = fullDays(rule)[5];
    await asOrganizer(museum, "setDaysClosed", [1n, [BigInt(quiet)], true]);
    await p.reload();
    const shut = await showDay(p, dayIso(rule, quiet));
    await eventually(async () => (await shut.getAttribute("data-state")) === "closed", "the day closed", 20_000);
    expect(await shut.isDisabled()).to.equal(true);
  });

  it("a slot that fills up meanwhile: the purchase is refused before anything is sent, in words, and the slot shows what is left", async function () {
    const { museum, museumRule: rule } = seasons;
    const persona = await open(fan7, `/events/${museum}/checkout/1`);
    const p = persona.page;
    const day = fullDays(rule)[2];
    const target = slotsOfDay(rule, day)[0];
    await (await showDay(p, dayIso(rule, day))).click();
    await waitForText(p.getByTestId(`slot-${target.slot}`), `${CAPACITY} of ${CAPACITY} places left`);
    await p.getByTestId(`slot-${target.slot}`).click();
    await p.getByTestId("more-1").click();
    await p.getByTestId("more-1").click();
    await waitForText(p.getByTestId("total"), "36.00 USDC");

    // Another visitor books all but one place first (from Node: a setup step).
    const group = BigInt(CAPACITY - 1);
    const cost = group * parseUnits("8", 6);
    const usdcAbi = [
      { type: "function", name: "mint", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "amount", type: "uint256" }], outputs: [] },
      { type: "function", name: "approve", stateMutability: "nonpayable", inputs: [{ name: "spender", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] },
    ] as const;
    const wallet = stack.clients.wallet(fan5);
    const usdc = stack.platform.usdc;
    for (const [functionName, args] of [["mint", [fan5.address, cost]], ["approve", [museum, cost]]] as const) {
      await stack.clients.publicClient.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: usdc, abi: usdcAbi, functionName, args, account: fan5, chain: stack.clients.chain } as never) });
    }
    const hash = await wallet.writeContract({ address: museum, abi: chainpassEventAbi, functionName: "buySlot", args: [BigInt(target.slot), [2n], [group], fan5.address, cost], account: fan5, chain: stack.clients.chain });
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");

    const sentBefore = sentHashes(persona).length;
    const mark = await txMark(p);
    await p.getByTestId("buy").click();
    const tx = await lastTx(p, { after: mark });
    expect(tx.state).to.equal("failed");
    expect(tx.text).to.contain("Only 1 places are left in that time slot");
    expect(sentHashes(persona).length, "nothing sent").to.equal(sentBefore);
    await waitForText(p.getByTestId(`slot-${target.slot}`), `1 of ${CAPACITY} places left`, 20_000);
    expect(await p.getByTestId("buy").isDisabled(), "two tickets do not fit in one place").to.equal(true);
    await waitForText(p.getByTestId("places-left"), "Only 1 place is left in this time slot");
    await screenshot(p, "museum-slot-full-meanwhile");
  });

  it("in Simplified Chinese: the season, the grid and the slots in the reader's language", async function () {
    const { museum, museumRule: rule } = seasons;
    const { page: p } = await open(fan7, `/events/${museum}`, { connect: false, context: { locale: "zh-CN" } });
    await p.getByTestId("locale").selectOption("zh-CN");
    await waitForText(p.getByTestId("calendar-1"), "预约参观");
    await waitForText(p.getByTestId("calendar-1"), "闭馆日");
    await p.getByTestId("book-1").click();
    const day = fullDays(rule)[1];
    await (await showDay(p, dayIso(rule, day))).click();
    await waitForText(p.getByTestId(`slot-${slotsOfDay(rule, day)[1].slot}`), "已售罄");
    await waitForText(p.getByTestId(`slot-${slotsOfDay(rule, day)[2].slot}`), `剩余 ${CAPACITY} / ${CAPACITY} 个名额`);
    await screenshot(p, "museum-zh");
    await p.getByTestId("locale").selectOption("en");
  });

  it("a run: a performance is picked, then seats taken in that performance only; the seats bought carry the performance; a tier sold past its map's seats over the run is not sold out", async function () {
    const { theatre, theatreRule: rule } = seasons;
    const persona = await open(fan5, `/events/${theatre}`);
    const p = persona.page;
    const card = p.getByTestId("calendar-1");
    await waitForText(card, "Performances");
    await card.getByTestId("buy-1").click();

    const nights = [...Array(rule.dayCount).keys()].flatMap((d) => slotsOfDay(rule, d)).filter((s) => s.slot % 2 === 0);
    const [first, second] = nights;
    const seats = 10 * 18 + 5 * 14;
    // The seed sold stalls C7-C8 and circle 5-6 the first night, stalls C7 the second.
    await waitForText(p.getByTestId(`performance-left-${first.slot}`), `${seats - 4} of ${seats} seats left`);
    await waitForText(p.getByTestId(`performance-left-${second.slot}`), `${seats - 1} of ${seats} seats left`);
    await p.getByTestId(`performance-${second.slot}`).click();
    await p.getByTestId("seat-44").waitFor();
    await eventually(async () => await p.getByTestId("seat-43").isDisabled(), "C7 taken on the second night");
    expect(await p.getByTestId("seat-44").isDisabled(), "C8 free on the second night").to.equal(false);
    await p.getByTestId(`performance-${first.slot}`).click();
    await eventually(async () => await p.getByTestId("seat-44").isDisabled(), "C8 taken on the first night");
    await p.getByTestId("seat-45").click();
    await waitForText(p.getByTestId("total"), "0.06 ETH");
    await screenshot(p, "theatre-seats");

    const mark = await txMark(p);
    await p.getByTestId("buy").click();
    await confirmed(p, { after: mark });
    await waitForText(p.getByTestId("bought-performance"), time(first.start));
    const token = tokenIdOf(1, 45, first.slot);
    expect(((await read<Address>(theatre, "ownerOf", [token])) as string).toLowerCase()).to.equal(fan5.address.toLowerCase());
    expect((await read<bigint>(theatre, "balanceOf", [fan5.address])) as bigint).to.equal(3n);
    expect(parseEther("0.06")).to.equal(((await read<{ price: bigint }>(theatre, "tier", [1n])) as { price: bigint }).price);

    await p.getByTestId("go-to-tickets").click();
    const row = p.locator(`[data-testid="ticket-${token}"][data-event="${theatre.toLowerCase()}"]`);
    await waitForText(row.getByTestId(`ticket-slot-${token}`), `Performance ${formatZoned(first.start, { locale: "en-US", zone: ZONE, shape: "date" })}`);
    await waitForText(row, "Stalls, Row C, Seat 9");

    // The whole circle sold for the last night: the tier has sold more tickets than its map has
    // seats, yet other nights sell it. Explore and the event page do not call it sold out.
    const last = nights.at(-1)!;
    const circle = parseEther("0.035");
    const all = Array.from({ length: 5 * 14 }, (_, i) => BigInt(i + 1));
    const options = purchaseOptions({ seats: all, maxTotal: circle * 70n, slot: BigInt(last.slot) });
    const hash = await stack.clients.wallet(fan7).writeContract({ address: theatre, abi: chainpassEventAbi, functionName: "buyWith", args: [2n, 70n, fan7.address, options], value: circle * 70n, account: fan7, chain: stack.clients.chain } as never);
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    await stack.waitForIndex();
    const tier = (await read<{ supply: bigint; sold: bigint }>(theatre, "tier", [2n])) as { supply: bigint; sold: bigint };
    expect(tier.sold > tier.supply, "more circle tickets than circle seats").to.equal(true);
    await p.goto(`${stack.appUrl}/`);
    await waitForText(p.locator(`[data-testid="event-card"][data-event="${theatre.toLowerCase()}"]`).getByTestId("from"), "from 0.035 ETH");
    await p.goto(`${stack.appUrl}/events/${theatre}`);
    expect(await p.getByTestId("calendar-1").getByTestId("tier-2").getAttribute("data-state")).to.equal("open");
    await p.getByTestId("buy-2").click();
    await waitForText(p.getByTestId(`performance-left-${last.slot}`), `${seats - 70} of ${seats} seats left`);
    await p.getByTestId(`performance-${last.slot}`).click();
    await eventually(async () => (await p.getByTestId("seat-1").isDisabled()) && (await p.getByTestId("seat-70").isDisabled()), "every circle seat taken that night");
  });
});
