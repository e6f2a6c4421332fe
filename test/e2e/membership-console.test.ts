// The organizer's side of membership (issue 16: members, points and levels) in a real browser, for
// an organizer of its own (a local account no other test uses, with no program yet) and an event of
// theirs (ETH: General at 0.05, and Gold Lounge at 0.1). On the organizer home's Membership view
// they create a program (its points signer prefilled with the server's), publish an ETH earn rate,
// two levels (a threshold that does not rise is refused on the page first) and what a point pays;
// in the event console's Members tab they enroll the event and keep Gold Lounge for Gold members at
// 20 % off. A fan joins by a direct contract call; the organizer corrects their balance (a missing
// reason refused on the page first); the server's points signer lifts them to Gold on chain, and
// the members' chart and table say so. The fan then buys a Gold Lounge ticket at the member price
// and another wallet a General one: the dashboard's sales by member level and the sales CSV
// (member_level, points_spent) tell the member's sale from the other. Every step is checked on
// chain (the contracts' views and logs). Nothing is mocked.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { parseEther, parseEventLogs, zeroAddress, type Address } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { ServerSession } from "../../scripts/seed-demo.js";
import { confirmed, eventually, openAs, signIn, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

/** Accounts no other browser test uses: the organizer (no program yet), a fan who joins, a buyer who does not. */
const organizer = localAccount(14);
const fan = localAccount(15);
const buyer = localAccount(16);
const pointsSigner = localAccount(DEMO_ACCOUNTS.pointsSigner);
const GENERAL = parseEther("0.05");
const LOUNGE = parseEther("0.1");
const PROGRAM = "Harbour Friends";
const REASON = "Welcome gift for founding members";

const lower = (a: string) => a.toLowerCase();

function parseCsv(text: string): string[][] {
  return text
    .split(/\r\n/)
    .filter(Boolean)
    .map((line) => line.split(","));
}

describe("Membership in the organizer console, in a real browser: a program, its rules, an enrolled event with member perks, a corrected balance, and the statistics", function () {
  this.timeout(300_000);
  const env = useBrowserStack();
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  const pages: Page[] = [];

  before(() => ({ stack, browser } = env));
  afterEach(async function () {
    for (const page of pages.splice(0)) await page.context().close();
  });

  const membership = () => stack.platform.membership;
  const readMembership = <T>(functionName: string, args: unknown[] = []) =>
    stack.clients.publicClient.readContract({ address: membership(), abi: chainpassMembershipAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
  /** The membership contract's logs of one kind for the organizer. */
  async function membershipLogs<E extends "ProgramCreated" | "EarnRateSet" | "LevelsSet" | "EventEnrolled" | "PointsAdjusted" | "MemberLevelSet">(eventName: E) {
    const all = await stack.clients.publicClient.getLogs({ address: membership(), fromBlock: 0n });
    return parseEventLogs({ abi: chainpassMembershipAbi, eventName, logs: all }).filter((l) => lower((l.args as { organizer: Address }).organizer) === lower(organizer.address));
  }
  async function send(account: typeof organizer, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], value?: bigint) {
    const hash = await stack.clients.wallet(account).writeContract({ address, abi, functionName, args, account, chain: stack.clients.chain, value } as never);
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status, functionName).to.equal("success");
  }

  /** An event of `account`'s: General (0.05 ETH) and Gold Lounge (0.1 ETH, 2 per wallet), on sale now, a week ahead. */
  async function makeEvent(account: typeof organizer, name: string): Promise<Address> {
    const now = Number((await stack.clients.publicClient.getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(account);
    const start = now + 7 * 86_400;
    const tiers = [
      { name: "General", price: GENERAL, supply: 100, saleStart: now - 3600, saleEnd: start },
      { name: "Gold Lounge", price: LOUNGE, supply: 20, maxPerWallet: 2, saleStart: now - 3600, saleEnd: start },
    ];
    const spec = { name, symbol: "MBR", start, end: start + 4 * 3600 };
    const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#a16207"/></svg>';
    const metadataURI = await session.publish({ ...spec, description: "A night for the program's members.", venue: "Harbour Hall", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
    const event = await createEvent(stack.clients, stack.platform.factory, account, { ...spec, metadataURI }, tiers);
    await stack.waitForIndex();
    return event;
  }

  /** A page of `account`'s (the organizer's by default), signed in with SIWE. */
  async function asOrganizer(path: string, account = organizer): Promise<Page> {
    const { page } = await openAs(browser, stack, account, path, logs);
    pages.push(page);
    await signIn(page);
    return page;
  }

  it("creates a program with rules and levels, enrolls an event with a Gold-only discount, corrects a member's balance, and reports sales by member level", async function () {
    expect((await readMembership<{ exists: boolean }>("program", [organizer.address])).exists, "the organizer starts without a program").to.equal(false);
    const event = await makeEvent(organizer, "Members Night");

    // ---- The program: created with the server's points signer, prefilled.
    let page = await asOrganizer("/organizer?view=membership");
    const create = page.getByTestId("create-program");
    await create.waitFor();
    await eventually(async () => lower(await page.getByTestId("program-signer-input").inputValue()) === lower(pointsSigner.address), "the server's points signer prefilled");
    await waitForText(page.getByTestId("program-signer-help"), "This Chainpass server's points signer");
    await page.getByTestId("program-name-input").fill(PROGRAM);
    await screenshot(page, "membership-create", { fullPage: true });
    await page.getByTestId("create-program-submit").click();
    await confirmed(page, { within: page.getByTestId("create-program-status") });
    const info = await readMembership<{ exists: boolean; pointsSigner: Address }>("program", [organizer.address]);
    expect([info.exists, lower(info.pointsSigner)]).to.deep.equal([true, lower(pointsSigner.address)]);
    expect((await membershipLogs("ProgramCreated")).map((l) => l.args.name)).to.deep.equal([PROGRAM]);
    await waitForText(page.getByTestId("program-name"), PROGRAM);
    await waitForText(page.getByTestId("program-signer"), "This server's");

    // ---- Its rules: 100 points per ETH, Silver from 100 and Gold from 500, a point pays 0.0001 ETH.
    const earn = page.getByTestId("earn-rates");
    await page.getByTestId("earn-points-eth").fill("100");
    await page.getByTestId("save-earn-eth").click();
    await confirmed(page, { within: earn });
    expect((await membershipLogs("EarnRateSet")).map((l) => [l.args.currency, l.args.unit, l.args.points])).to.deep.equal([[zeroAddress, 10n ** 18n, 100n]]);
    await waitForText(page.getByTestId("earn-rate-eth"), "100 points per 1 ETH paid.");

    const levels = page.getByTestId("levels");
    await page.getByTestId("level-name-1").fill("Silver");
    await page.getByTestId("level-threshold-1").fill("100");
    await page.getByTestId("add-level").click();
    await page.getByTestId("level-name-2").fill("Gold");
    await page.getByTestId("level-threshold-2").fill("50");
    await page.getByTestId("save-levels").click();
    // Refused on the page (thresholds rise), and nothing sent.
    await waitForText(levels, "More points than the level before (100).");
    expect(await levels.getByTestId("tx-status").count()).to.equal(0);
    await page.getByTestId("level-threshold-2").fill("500");
    await page.getByTestId("save-levels").click();
    await confirmed(page, { within: levels });
    const [levelsSet] = await membershipLogs("LevelsSet");
    expect([levelsSet!.args.thresholds, levelsSet!.args.names]).to.deep.equal([[100n, 500n], ["Silver", "Gold"]]);
    await waitForText(page.getByTestId("levels-current"), "Silver from 100 points · Gold from 500 points");

    const values = page.getByTestId("point-values");
    await page.getByTestId("point-value-input-eth").fill("0.0001");
    await page.getByTestId("save-point-value-eth").click();
    await confirmed(page, { within: values });
    expect(await readMembership<bigint>("pointValue", [organizer.address, zeroAddress])).to.equal(parseEther("0.0001"));
    await waitForText(page.getByTestId("point-value-eth"), "One point pays 0.0001 ETH.");
    await screenshot(page, "membership-rules", { fullPage: true });
    await page.context().close();

    // ---- The event: enrolled from its Members tab, Gold Lounge kept for Gold members at 20 % off.
    page = await asOrganizer(`/organizer/${event}/members`);
    const card = page.getByTestId("event-membership");
    await waitForText(page.getByTestId("membership-state"), `This event is not in ${PROGRAM} yet.`);
    expect(await read<Address>(event, "membership")).to.equal(zeroAddress);
    await page.getByTestId("enroll-event").click();
    await confirmed(page, { within: card });
    expect(lower(await read<Address>(event, "membership"))).to.equal(lower(membership()));
    expect(lower(await readMembership<Address>("programOf", [event]))).to.equal(lower(organizer.address));
    expect((await membershipLogs("EventEnrolled")).map((l) => lower(l.args.eventAddress))).to.deep.equal([lower(event)]);
    await waitForText(page.getByTestId("membership-state"), `This event counts in ${PROGRAM}.`);

    const perks = page.getByTestId("perks-2");
    await waitForText(page.getByTestId("perks-text-2"), "Open to everyone. No member discount.");
    await page.getByTestId("perks-members-only-2").check();
    await page.getByTestId("perks-min-level-2").selectOption("2");
    await page.getByTestId("perks-discount-2").fill("20");
    await page.getByTestId("perks-level-2").selectOption("2");
    await page.getByTestId("save-perks-2").click();
    await confirmed(page, { within: perks });
    const onChain = await read<{ membersOnly: boolean; minLevel: number; perkLevel: number; discountBps: number; extraPerWallet: number }>(event, "tierPerks", [2n]);
    expect(onChain).to.deep.equal({ membersOnly: true, minLevel: 2, perkLevel: 2, discountBps: 2_000, extraPerWallet: 0 });
    expect(await read<{ membersOnly: boolean }>(event, "tierPerks", [1n])).to.deep.include({ membersOnly: false, discountBps: 0 });
    await waitForText(page.getByTestId("perks-text-2"), "Only for members at Gold or above. Members at Gold or above get 20% off.");
    await screenshot(page, "membership-event-perks", { fullPage: true });
    await page.context().close();

    // ---- A fan joins (a direct call), and the organizer corrects their balance: 600 points, with a reason.
    await send(fan, membership(), chainpassMembershipAbi, "join", [organizer.address]);
    expect(await readMembership<boolean>("isMember", [organizer.address, fan.address])).to.equal(true);
    await stack.waitForIndex();
    page = await asOrganizer("/organizer?view=membership");
    const correct = page.getByTestId("correct-balance");
    await waitForText(page.getByTestId("members-count"), "1 member");
    await page.getByTestId("correct-member").fill(fan.address);
    await page.getByTestId("correct-points").fill("+600");
    await page.getByTestId("correct-submit").click();
    await waitForText(correct, "Say why the balance is corrected.");
    expect(await correct.getByTestId("tx-status").count()).to.equal(0);
    await page.getByTestId("correct-reason").fill(REASON);
    await page.getByTestId("correct-submit").click();
    await confirmed(page, { within: correct });
    expect((await membershipLogs("PointsAdjusted")).map((l) => [lower(l.args.member), l.args.delta, l.args.reason])).to.deep.equal([[lower(fan.address), 600n, REASON]]);

    // The server's points signer lifts them to Gold on chain; the chart and the table follow.
    await eventually(async () => (await readMembership<bigint>("levelOf", [organizer.address, fan.address])) === 2n, "the points signer sets the fan's level to Gold", 60_000);
    expect((await membershipLogs("MemberLevelSet")).map((l) => [lower(l.args.member), l.args.level])).to.deep.include([lower(fan.address), 2n]);
    const row = page.locator(`[data-testid="member-${lower(fan.address)}"][data-level="2"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getByTestId("member-level").innerText()).to.equal("Gold");
    expect(await row.getByTestId("member-earned").innerText()).to.equal("600");
    expect(await row.getByTestId("member-available").innerText()).to.equal("600");
    const chart = page.getByTestId("chart-members-by-level");
    await chart.locator("svg.recharts-surface").first().waitFor();
    const byLevel = await chart.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)));
    expect(byLevel).to.deep.equal([
      ["Member", "0"],
      ["Silver", "0"],
      ["Gold", "1"],
    ]);
    await screenshot(page, "membership-members", { fullPage: true });
    await page.context().close();

    // ---- Sales: the Gold member buys a Gold Lounge ticket at 20 % off; another wallet a General one.
    const memberPrice = (LOUNGE * 8_000n) / 10_000n;
    await send(fan, event, chainpassEventAbi, "buyWith", [2n, 1n, fan.address, purchaseOptions({ maxTotal: memberPrice })], memberPrice);
    await send(buyer, event, chainpassEventAbi, "buy", [1n, 1n, buyer.address, GENERAL], GENERAL);
    const purchases = parseEventLogs({ abi: chainpassEventAbi, eventName: "TicketsPurchased", logs: await stack.clients.publicClient.getLogs({ address: event, fromBlock: 0n }) });
    expect(purchases.map((l) => [lower(l.args.buyer), l.args.tierId, l.args.totalPaid])).to.deep.equal([
      [lower(fan.address), 2n, memberPrice],
      [lower(buyer.address), 1n, GENERAL],
    ]);
    await stack.waitForIndex();

    page = await asOrganizer(`/organizer/${event}`);
    const levelsChart = page.getByTestId("chart-member-levels");
    await levelsChart.locator("svg.recharts-surface").first().waitFor();
    const bought = await levelsChart.locator("tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent)));
    expect(bought).to.deep.equal([
      ["Non-members", "1", "1", "0.05 ETH"],
      ["Gold", "1", "1", "0.08 ETH"],
    ]);
    await screenshot(page, "membership-dashboard", { fullPage: true });

    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-sales").click()]);
    const csv = parseCsv(await readFile(await file.path(), "utf8"));
    expect(csv[0]).to.deep.equal(["time", "kind", "tier", "token", "buyer", "quantity", "amount_ETH", "channel", "commission_ETH", "member_level", "points_spent"]);
    expect(csv.slice(1).map((r) => r.slice(1))).to.deep.equal([
      ["Primary", "Gold Lounge", "2000001", lower(fan.address), "1", "0.08", "", "0", "2", "0"],
      ["Primary", "General", "1000001", lower(buyer.address), "1", "0.05", "", "0", "", "0"],
    ]);
  });

  it("an event of an organizer without a program links to creating one", async function () {
    const other = localAccount(17);
    const event = await makeEvent(other, "No Program Night");
    const page = await asOrganizer(`/organizer/${event}/members`, other);
    await waitForText(page.getByTestId("membership-state"), "You have no membership program yet.");
    expect(await page.getByTestId("enroll-event").count()).to.equal(0);
    expect(await page.getByTestId("perks-1").count(), "no perks without a program").to.equal(0);
    await page.getByTestId("create-program-link").click();
    await page.getByTestId("create-program").waitFor();
    expect(new URL(page.url()).search).to.equal("?view=membership");
    expect(await page.getByTestId("home-membership").getAttribute("aria-current")).to.equal("page");
  });
});
