// Seasons and runs in a real browser: the organizer creates a museum's season of timed entry
// through the wizard (30 days in Tokyo, two runs of start times, Mondays closed, three ticket
// types sharing 50 places a slot, one date typed closed and one picked on the calendar), then a
// run of performances (30 evenings in Kolkata plus weekend matinees, two seated tiers: each
// performance sells the seat maps once). Each is checked on chain against lib/calendar.ts: every
// slot's slotInfo (offered, window, sale close, capacity) as the rule entered says, each tier on
// the calendar, the event covering its slots. Then the console's Calendar tab: booked places per
// day against capacity (a fan's booking made directly), a day's slots, closing a day and reopening
// one (setDaysClosed, checked on chain), and the run's performances with their seats sold.
//
// The chain's own clock is the wall clock (a fresh node): dates are picked a few days ahead at the
// venue. No demo content: the stack starts empty.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Address, LocalAccount } from "viem";

import { dayNumberOf, isoDateOf, slotCount, slotWindow, weekdayMask, weekdayOf, type CalendarRule } from "../../lib/calendar.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { chainpassEventAbi } from "../../lib/abi/index.js";
import { createFromWizard, confirmed, openAs, recordTxStates, signIn, txMark, useBrowserStack, waitForText, wizardNext, eventually } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const fan = localAccount(DEMO_ACCOUNTS.fans[0]);
const DAY = 86_400;

/** Today's date at a fixed offset from UTC (minutes east), as a day number. */
const todayAt = (offsetMinutes: number) => Math.floor((Date.now() / 1000 + offsetMinutes * 60) / DAY);
const artwork = (fill: string) => ({ name: "poster.svg", mimeType: "image/svg+xml", buffer: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="${fill}"/></svg>`) });

interface SlotInfo {
  offered: boolean;
  start: number;
  end: number;
  saleClosesAt: number;
  booked: number;
  capacity: number;
}

describe("Seasons and runs in a real browser: the wizard makes a museum season and a run of performances; the console's calendar shows and closes days", function () {
  this.timeout(240_000);
  const env = useBrowserStack();
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  before(() => ({ stack, browser } = env));

  async function persona(account: LocalAccount, path: string): Promise<Page> {
    return (await openAs(browser, stack, account, path, logs)).page;
  }
  const send = async (account: LocalAccount, address: Address, functionName: string, args: unknown[], value?: bigint) => {
    const hash = await stack.clients.wallet(account).writeContract({ address, abi: chainpassEventAbi, functionName, args, account, chain: stack.clients.chain, value } as never);
    const receipt = await stack.clients.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status, functionName).to.equal("success");
    return receipt;
  };
  const slotInfo = async (event: Address, slot: number) => {
    const s = await read<SlotInfo>(event, "slotInfo", [1n, BigInt(slot)]);
    return { offered: s.offered, start: Number(s.start), end: Number(s.end), saleClosesAt: Number(s.saleClosesAt), booked: Number(s.booked), capacity: Number(s.capacity) };
  };
  /** Every slot of the calendar on chain as the rule says (closed days included, and one slot past the end). */
  async function expectCalendar(event: Address, rule: CalendarRule, closedDays: number[] = rule.closedDays) {
    const closed = new Set(closedDays);
    for (let slot = 1; slot <= slotCount(rule) + 1; slot++) {
      const w = slotWindow(rule, slot, closed);
      const info = await slotInfo(event, slot);
      if (!w) expect(info.offered, `slot ${slot} is not offered`).to.equal(false);
      else expect(info, `slot ${slot}`).to.deep.include({ offered: true, start: w.start, end: w.end, saleClosesAt: w.saleClosesAt, capacity: rule.capacity });
    }
  }
  /** Gas used by the organizer's transactions in blocks (from, to]. */
  async function gasSince(from: bigint): Promise<{ gas: bigint; count: number }> {
    const client = stack.clients.publicClient;
    const to = await client.getBlockNumber();
    let gas = 0n;
    let count = 0;
    for (let n = from + 1n; n <= to; n++) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== organizer.address.toLowerCase()) continue;
        gas += (await client.getTransactionReceipt({ hash: tx.hash })).gasUsed;
        count += 1;
      }
    }
    return { gas, count };
  }
  /** Moves a month view (its buttons `<prefix>-prev-month` and `<prefix>-next-month`) to the month holding `testId`: back to the first month, then forward. */
  async function showDate(page: Page, testId: string, prefix: string) {
    const [prev, next] = [page.getByTestId(`${prefix}-prev-month`), page.getByTestId(`${prefix}-next-month`)];
    while ((await page.getByTestId(testId).count()) === 0 && (await prev.isEnabled())) await prev.click();
    while ((await page.getByTestId(testId).count()) === 0 && (await next.isEnabled())) await next.click();
    await page.getByTestId(testId).waitFor({ timeout: 5_000 });
  }

  // The museum: Tokyo (UTC+9, no daylight saving), from 3 days ahead, 30 days, closed on Mondays.
  const TOKYO = 540;
  const seasonFirst = todayAt(TOKYO) + 3;
  const seasonDays = 30;
  const openDay = (from: number) => {
    let d = from;
    while (weekdayOf(seasonFirst + d) === 1) d++;
    return d;
  };
  /** Day indexes: one typed closed, one picked on the calendar; one booked by a fan; one closed from the console. */
  const typedClosed = openDay(9);
  const pickedClosed = openDay(2);
  const bookedDay = openDay(pickedClosed + 1);
  const consoleClosed = openDay(bookedDay + 1);
  const seasonRule: CalendarRule = {
    firstDay: seasonFirst,
    dayCount: seasonDays,
    utcOffsetMinutes: TOKYO,
    slotMinutes: 60,
    saleLeadMinutes: 15,
    capacity: 50,
    runs: [
      { startMinute: 10 * 60, count: 3, weekdays: weekdayMask([0, 2, 3, 4, 5, 6]) },
      { startMinute: 14 * 60, count: 2, weekdays: weekdayMask([0, 2, 3, 4, 5, 6]) },
    ],
    closedDays: [pickedClosed, typedClosed].sort((a, b) => a - b),
  };
  let season: Address;

  it("the wizard creates a museum season: 30 days, start times grouped into 2 runs, Mondays and 2 dates closed, 3 ticket types on one calendar; slotInfo says so for every slot", async function () {
    const page = await persona(organizer, "/organizer/new");
    await signIn(page);
    const states = await recordTxStates(page);
    await page.getByTestId("format-season").check();
    await page.getByTestId("event-timezone").selectOption("Asia/Tokyo");
    await page.getByTestId("event-name").fill("Ueno Print Museum");
    await page.getByTestId("event-description").fill("A season of woodblock prints: book an entry slot.");
    await page.getByTestId("venue-name").fill("Ueno Print Museum");
    expect(await page.getByTestId("event-start").count(), "a season's times come from its schedule").to.equal(0);
    await page.getByTestId("artwork").setInputFiles(artwork("#1d4ed8"));
    await page.getByTestId("artwork-preview").waitFor();
    await wizardNext(page, "schedule");

    await page.getByTestId("schedule-first-date").fill(isoDateOf(seasonFirst));
    await page.getByTestId("schedule-days").fill(String(seasonDays));
    await page.getByTestId("schedule-slot-minutes").fill("60");
    await page.getByTestId("schedule-sale-lead").fill("15");
    await page.getByTestId("schedule-capacity").fill("50");
    expect(await page.getByTestId("schedule-offset").innerText()).to.contain("UTC+9");
    await page.getByTestId("schedule-weekday-0-1").uncheck(); // closed on Mondays
    // Back to back from a time: 10:00, 3 slots of the slot length, one run.
    await page.getByTestId("schedule-from-0").fill("10:00");
    await page.getByTestId("schedule-count-0").fill("3");
    await waitForText(page.getByTestId("preview-runs"), "10:00 × 3 of 60 min");
    expect(await page.getByTestId("preview-runs").innerText()).to.contain("1 run of start times");
    // Times as a list: 10, 11, 12 back to back make one run, 14 and 15 another.
    await page.getByTestId("schedule-mode-0-list").check();
    await page.getByTestId("schedule-times-0").fill("10:00, 11:00, 12:00, 14:00, 15:00");
    // One closed date typed, one picked on the season's months (the picker rewrites the field, sorted).
    await page.getByTestId("schedule-closed").fill(isoDateOf(seasonFirst + typedClosed));
    await showDate(page, `closed-${isoDateOf(seasonFirst + pickedClosed)}`, "closed");
    await page.getByTestId(`closed-${isoDateOf(seasonFirst + pickedClosed)}`).click();
    expect(await page.getByTestId("schedule-closed").inputValue()).to.equal(seasonRule.closedDays.map((d) => isoDateOf(seasonFirst + d)).join(", "));
    // A Monday has no slot: it cannot be picked.
    const monday = Array.from({ length: 7 }, (_, i) => seasonFirst + i).find((d) => weekdayOf(d) === 1)!;
    await showDate(page, `closed-${isoDateOf(monday)}`, "closed");
    expect(await page.getByTestId(`closed-${isoDateOf(monday)}`).isDisabled(), "a Monday").to.equal(true);

    // The preview: slots in all on the open dates, the two runs, 5 slots a day but Mondays.
    let slots = 0;
    let days = 0;
    for (let d = 0; d < seasonDays; d++) {
      const n = [1, 2, 3, 4, 5].filter((k) => slotWindow(seasonRule, d * 5 + k)).length;
      slots += n;
      days += n > 0 ? 1 : 0;
    }
    await waitForText(page.getByTestId("preview-slots"), `${slots} slots on ${days} days`);
    expect(await page.getByTestId("preview-runs").innerText()).to.contain("10:00 × 3 of 60 min").and.contain("14:00 × 2 of 60 min").and.contain("2 runs");
    expect(await page.getByTestId("preview-per-day").innerText()).to.match(/Mon\s*0/).and.match(/Tue\s*5/);
    expect(await page.getByTestId("preview-places").innerText()).to.contain(`50 per slot, ${(50 * slots).toLocaleString("en-US")} in the season`);
    await screenshot(page, "season-schedule", { fullPage: true });

    // Too many runs is refused in words before anything is sent.
    await page.getByTestId("schedule-times-0").fill("9:00, 9:10, 9:20, 9:30, 9:40, 9:50, 10:00");
    await page.getByTestId("wizard-next").click();
    await waitForText(page.getByTestId("schedule-runs-problem"), "7 runs of back-to-back starts; the contract holds at most 6");
    await page.getByTestId("schedule-times-0").fill("10:00, 11:00, 12:00, 14:00, 15:00");
    await wizardNext(page, "tickets");

    // Three types sharing each slot's places: no quantity of their own.
    expect(await page.getByTestId("season-tickets-note").innerText()).to.contain("50 places");
    expect(await page.getByTestId("tier-supply-0").count()).to.equal(0);
    await page.getByTestId("tier-kind-0").selectOption("adult");
    await page.getByTestId("tier-price-0").fill("0.02");
    await page.getByTestId("add-tier").click();
    await page.getByTestId("tier-kind-1").selectOption("child");
    await page.getByTestId("tier-price-1").fill("0.01");
    await page.getByTestId("add-tier").click();
    await page.getByTestId("tier-kind-2").selectOption("concession");
    await page.getByTestId("tier-price-2").fill("0.015");
    await wizardNext(page, "rules");
    await wizardNext(page, "review");
    expect(await page.getByTestId("review-schedule").innerText()).to.contain(`${slots} slots`);
    expect(await page.getByTestId("review-tiers").innerText()).to.contain("Concession: 0.015 ETH × the slot's shared places");
    season = (await createFromWizard(page)).toLowerCase() as Address;

    // Two transactions: the event with its tiers, then the calendar; each signed, sent, confirmed.
    const seen = Object.values(await states());
    expect(seen, JSON.stringify(seen)).to.have.length(2);
    for (const s of seen) expect(s).to.deep.equal(["signing", "pending", "confirmed"]);

    // On chain: the event covers the slots; the three tiers sell calendar 1 (named after tier 1) until the end, uncapped.
    // The first open slot: the season's first day may be a Monday, closed (it starts 3 days from today).
    let firstSlot = 1;
    while (!slotWindow(seasonRule, firstSlot)) firstSlot++;
    const first = slotWindow(seasonRule, firstSlot)!;
    let last = slotCount(seasonRule);
    while (!slotWindow(seasonRule, last)) last--;
    const info = await read<{ start: number; end: number; tierCount: number }>(season, "eventInfo");
    expect([Number(info.start), Number(info.end), Number(info.tierCount)]).to.deep.equal([first.start, slotWindow(seasonRule, last)!.end, 3]);
    for (const [id, name, price] of [[1n, "Adult", 2n * 10n ** 16n], [2n, "Child", 10n ** 16n], [3n, "Concession", 15n * 10n ** 15n]] as const) {
      const tier = await read<{ name: string; price: bigint; supply: number; calendar: number; saleEnd: number }>(season, "tier", [id]);
      expect({ name: tier.name, price: tier.price, supply: Number(tier.supply), calendar: Number(tier.calendar), saleEnd: Number(tier.saleEnd) }).to.deep.equal({
        name,
        price,
        supply: 999_999,
        calendar: 1,
        saleEnd: Number(info.end),
      });
    }
    await expectCalendar(season, seasonRule);
    await page.context().close();
  });

  it("the console's Calendar tab: booked against capacity per day (a heat map and a chart), a day's slots; a free day closes, a booked one cannot, a closed one reopens", async function () {
    expect(season, "the season of the test before").to.be.a("string");
    // A fan books 2 adults and a child in the booked day's first afternoon slot (slot k = 4 of 5).
    const slot = bookedDay * 5 + 4;
    const total = 2n * 2n * 10n ** 16n + 10n ** 16n;
    await send(fan, season, "buySlot", [BigInt(slot), [1n, 2n], [2n, 1n], fan.address, total], total);
    await stack.waitForIndex();

    const page = await persona(organizer, `/organizer/${season}/calendar`);
    await signIn(page);
    await page.getByTestId("calendar-summary").waitFor();
    expect(await page.getByTestId("calendar-summary").innerText()).to.contain("slots of 60 minutes, 50 places each").and.contain("UTC+9");
    const dayCell = (day: number) => page.getByTestId(`capacity-day-${isoDateOf(seasonFirst + day)}`);
    await showDate(page, `capacity-day-${isoDateOf(seasonFirst + bookedDay)}`, "calendar");
    await eventually(async () => (await dayCell(bookedDay).getAttribute("data-booked")) === "3", "the fan's 3 places on the day");
    expect(await dayCell(bookedDay).getAttribute("data-capacity"), "5 slots of 50").to.equal("250");
    expect(await dayCell(bookedDay).innerText()).to.contain("3/250");
    expect(await dayCell(pickedClosed).getAttribute("data-closed")).to.equal("true");
    expect(await dayCell(pickedClosed).innerText()).to.contain("Closed");
    // The chart of the month, with its table.
    await page.getByTestId("chart-calendar").locator(".recharts-wrapper").waitFor();
    await screenshot(page, "season-console-calendar", { fullPage: true });

    // The booked day's slots, every one listed, the booked one with its 3 places.
    await dayCell(bookedDay).click();
    await waitForText(page.getByTestId("calendar-day-title"), String(new Date((seasonFirst + bookedDay) * DAY * 1000).getUTCDate()));
    expect(await page.getByTestId("calendar-slots").locator("tbody tr").count()).to.equal(5);
    expect(await page.getByTestId(`slot-booked-${slot}`).innerText()).to.equal("3");
    expect(await page.getByTestId(`slot-row-${slot}`).innerText()).to.contain("2:00 PM");
    expect(await page.getByTestId("calendar-close-day").isDisabled(), "a day with bookings stays open").to.equal(true);

    // A free day closes: its slots are no longer offered.
    await showDate(page, `capacity-day-${isoDateOf(seasonFirst + consoleClosed)}`, "calendar");
    await dayCell(consoleClosed).click();
    await page.getByTestId("calendar-close-day").click();
    await confirmed(page);
    expect((await slotInfo(season, consoleClosed * 5 + 1)).offered, "closed on chain").to.equal(false);
    await eventually(async () => (await dayCell(consoleClosed).getAttribute("data-closed")) === "true", "the day shown closed");
    // The date picked closed in the wizard reopens.
    await showDate(page, `capacity-day-${isoDateOf(seasonFirst + pickedClosed)}`, "calendar");
    await dayCell(pickedClosed).click();
    await page.getByTestId("calendar-reopen-day").click();
    await confirmed(page);
    await eventually(async () => (await dayCell(pickedClosed).getAttribute("data-closed")) === "false", "the day shown open");
    await expectCalendar(season, seasonRule, [typedClosed, consoleClosed]);
    expect((await slotInfo(season, slot)).booked).to.equal(3);
    await screenshot(page, "season-console-day", { fullPage: true });
    await page.context().close();
  });

  // The run: Kolkata (UTC+5:30), 30 evenings at 19:30 from 5 days ahead, matinees at 14:30 on weekends.
  const KOLKATA = 330;
  const runFirst = todayAt(KOLKATA) + 5;
  const runRule: CalendarRule = {
    firstDay: runFirst,
    dayCount: 30,
    utcOffsetMinutes: KOLKATA,
    slotMinutes: 150,
    saleLeadMinutes: 60,
    capacity: 0,
    runs: [
      { startMinute: 14 * 60 + 30, count: 1, weekdays: weekdayMask([0, 6]) },
      { startMinute: 19 * 60 + 30, count: 1, weekdays: 127 },
    ],
    closedDays: [],
  };
  let run: Address;
  let runGas: { gas: bigint; count: number };

  it("the wizard creates a run of performances: 30 evenings and weekend matinees, two seat maps sold at every performance; slotInfo says so for every performance", async function () {
    const page = await persona(organizer, "/organizer/new");
    await signIn(page);
    const states = await recordTxStates(page);
    await page.getByTestId("format-run").check();
    // Chromium's ICU lists Kolkata under its older name.
    const zones = await page.getByTestId("event-timezone").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await page.getByTestId("event-timezone").selectOption(zones.includes("Asia/Kolkata") ? "Asia/Kolkata" : "Asia/Calcutta");
    await page.getByTestId("event-name").fill("Evenings at the Lyric");
    await page.getByTestId("event-description").fill("A month of the same play, evenings and weekend matinees.");
    await page.getByTestId("venue-name").fill("Lyric Theatre Mumbai");
    await page.getByTestId("artwork").setInputFiles(artwork("#b91c1c"));
    await page.getByTestId("artwork-preview").waitFor();
    await wizardNext(page, "schedule");
    // A date range, every evening (Tuesday to Saturday by default: add Sunday and Monday), a matinee on weekends.
    await page.getByTestId("schedule-first-date").fill(isoDateOf(runFirst));
    expect(await page.getByTestId("schedule-until").inputValue(), "a run is given by its last date").to.equal("date");
    await page.getByTestId("schedule-last-date").fill(isoDateOf(runFirst + 29));
    expect(await page.getByTestId("schedule-slot-minutes").inputValue()).to.equal("150");
    await page.getByTestId("schedule-sale-lead").fill("60");
    await page.getByTestId("schedule-weekday-0-0").check();
    await page.getByTestId("schedule-weekday-0-1").check();
    expect(await page.getByTestId("schedule-times-0").inputValue()).to.equal("19:30");
    await page.getByTestId("schedule-add-group").click();
    expect(await page.getByTestId("schedule-times-1").inputValue()).to.equal("14:30");
    expect(await page.getByTestId("schedule-offset").innerText()).to.contain("UTC+5:30");
    const weekends = Array.from({ length: 30 }, (_, d) => weekdayOf(runFirst + d)).filter((w) => w === 0 || w === 6).length;
    await waitForText(page.getByTestId("preview-slots"), `${30 + weekends} performances on 30 days`);
    await screenshot(page, "run-schedule", { fullPage: true });
    await wizardNext(page, "tickets");

    // Two seated types: the stalls (5 rows of 10) and the circle (2 rows of 10), sold at each performance.
    await page.getByTestId("tier-name-0").fill("Stalls");
    await page.getByTestId("tier-price-0").fill("0.03");
    await page.getByTestId("tier-0").locator("details.tier-options > summary").click();
    await page.getByTestId("tier-seated-0").check();
    await page.getByTestId("tier-0-section-0").fill("Stalls");
    await page.getByTestId("tier-0-rows-0").fill("5");
    await page.getByTestId("tier-0-seats-0").fill("10");
    await waitForText(page.getByTestId("tier-seat-count-0"), "50 seats per performance");
    expect(await page.getByTestId("tier-supply-0").count(), "the seats are the supply").to.equal(0);
    await page.getByTestId("add-tier").click();
    await page.getByTestId("tier-name-1").fill("Circle");
    await page.getByTestId("tier-price-1").fill("0.02");
    await page.getByTestId("tier-1").locator("details.tier-options > summary").click();
    await page.getByTestId("tier-seated-1").check();
    await page.getByTestId("tier-1-section-0").fill("Circle");
    await page.getByTestId("tier-1-rows-0").fill("2");
    await page.getByTestId("tier-1-seats-0").fill("10");
    await wizardNext(page, "rules");
    await wizardNext(page, "review");
    expect(await page.getByTestId("review-tiers").innerText()).to.contain("Stalls: 0.03 ETH × 50 seats per performance").and.contain("Circle: 0.02 ETH × 20 seats per performance");
    const before = await stack.clients.publicClient.getBlockNumber();
    run = (await createFromWizard(page)).toLowerCase() as Address;

    // Four transactions: the event, each seat map, the calendar.
    const seen = Object.values(await states());
    expect(seen, JSON.stringify(seen)).to.have.length(4);
    for (const s of seen) expect(s).to.deep.equal(["signing", "pending", "confirmed"]);
    runGas = await gasSince(before);
    expect(runGas.count).to.equal(4);
    console.log(`      gas of the run's creation in the browser (createEvent, 2 × setSeatMap, addCalendar): ${runGas.gas.toLocaleString("en-US")}`);

    for (const [id, seats] of [[1n, 50], [2n, 20]] as const) {
      const tier = await read<{ supply: number; calendar: number }>(run, "tier", [id]);
      expect([Number(tier.supply), Number(tier.calendar)], `tier ${id}`).to.deep.equal([seats, 1]);
    }
    await expectCalendar(run, runRule);
    const info = await read<{ start: number; end: number }>(run, "eventInfo");
    const firstPerformance = slotWindow(runRule, 1) ?? slotWindow(runRule, 2)!;
    expect([Number(info.start), Number(info.end)]).to.deep.equal([firstPerformance.start, slotWindow(runRule, 60)!.end]);
    await page.context().close();
  });

  it("the run's Calendar tab lists each performance with its seats sold of the seat maps'", async function () {
    expect(run, "the run of the test before").to.be.a("string");
    // A fan takes seats 1 and 2 of the stalls at the first evening performance.
    const slot = 2; // day 0, second run (19:30)
    const price = 3n * 10n ** 16n;
    const options = purchaseOptions({ seats: [1n, 2n], maxTotal: 2n * price, slot: BigInt(slot) });
    await send(fan, run, "buyWith", [1n, 2n, fan.address, options], 2n * price);
    await stack.waitForIndex();

    const page = await persona(organizer, `/organizer/${run}/calendar`);
    await signIn(page);
    await page.getByTestId("calendar-summary").waitFor();
    expect(await page.getByTestId("calendar-summary").innerText()).to.contain("performances of 150 minutes, 70 seats each");
    await page.getByTestId(`performance-${slot}`).waitFor();
    await waitForText(page.getByTestId(`performance-sold-${slot}`), "2 / 70");
    expect(await page.getByTestId(`performance-${slot}`).innerText()).to.contain("7:30 PM");
    // Every performance of the month is listed, booked or not.
    const [y, m] = isoDateOf(runFirst).split("-").map(Number);
    const monthEnd = dayNumberOf(new Date(Date.UTC(y!, m!, 1)).toISOString().slice(0, 10));
    let inMonth = 0;
    for (let d = 0; d < 30 && runFirst + d < monthEnd; d++) inMonth += [1, 2].filter((k) => slotWindow(runRule, d * 2 + k)).length;
    expect(await page.getByTestId("calendar-performances").locator("tbody tr").count()).to.equal(inMonth);
    await screenshot(page, "run-console-calendar", { fullPage: true });

    // Seat holds are per performance: the fan's seats show sold at that evening; seat 3 held there
    // (on chain as slot x 1e9 + seat), not at the next evening.
    await page.getByTestId("tab-seats").click();
    await page.getByTestId("holds-performance-1").selectOption(String(slot));
    const stalls = page.getByTestId("holds-1");
    await stalls.getByTestId("seat-3").waitFor();
    await eventually(async () => (await stalls.getByTestId("seat-1").getAttribute("data-state")) === "taken", "seat 1 sold at that performance");
    const mark = await txMark(page, stalls);
    await stalls.getByTestId("seat-3").click();
    await page.getByTestId("hold-1").click();
    await confirmed(page, { within: stalls, after: mark });
    const SLOT = 1_000_000_000n;
    expect(await read<boolean>(run, "isSeatHeld", [1n, BigInt(slot) * SLOT + 3n])).to.equal(true);
    expect(await read<boolean>(run, "isSeatHeld", [1n, BigInt(slot + 2) * SLOT + 3n])).to.equal(false);
    await page.context().close();
  });
});
