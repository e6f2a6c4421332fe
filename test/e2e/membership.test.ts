// Membership programs in a real browser (issue 16: members, points and levels), on an organizer and
// an event of the test's own (ETH): the program ("Lighthouse Club", signed by the server's points
// key: 10,000 points per ETH paid, 100 on a first purchase, Silver from 100 points, Gold from 500
// and Platinum from 5,000, a point worth 0.00001 ETH) and its event, whose General tier (0.05) is
// 10 % off with 2 more per wallet for Gold members and above, whose Members' night (0.04) is for
// Silver members and above only, and which a travel agency sells through a channel (5 %). A fan who
// is not a member reads the perks on the event page and is refused the members' tier at checkout,
// with the reason and a link to the program. A fan opens the program, joins it (a transaction from
// the browser's wallet), buys a General ticket (buyWith, at the full price: no level yet) and waits
// on the membership page for the 600 points it earned and the Gold level the points signer sets on
// chain; then opens the agency's link and buys another at the member's price, paying 100 points of
// it: the chain counts the 100 points spent, the ticket's lower price paid and the agency's
// commission on it; the members' tier is theirs now. Nothing is mocked.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { decodeFunctionData, formatEther, parseEther, zeroAddress, type Address, type Hash, type Hex } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { ServerSession } from "../../scripts/seed-demo.js";
import { confirmed, eventually, openAs, type Persona, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

/** An organizer no other persona is: the program and the event are theirs. */
const organizer = localAccount(14);
const [fan, outsider] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
const PROGRAM = "Lighthouse Club";
const PRICE = parseEther("0.05");
const MEMBERS_PRICE = parseEther("0.04");
/** What a point pays: 0.00001 ETH. */
const POINT = parseEther("0.00001");
const AGENCY = "Harbour Travel";
/** The agency's payout: an account no other persona uses. */
const agency = localAccount(13);

describe("Membership in a real browser: a fan joins a program, earns points on a purchase, reaches Gold and pays part of a ticket with points through a channel link", function () {
  this.timeout(240_000);
  const env = useBrowserStack();
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let event: Address;
  const pages: Page[] = [];

  const membership = <T,>(functionName: string, args: unknown[]) =>
    stack.clients.publicClient.readContract({ address: stack.platform.membership, abi: chainpassMembershipAbi, functionName: functionName as never, args: args as never }) as Promise<T>;

  async function write(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) {
    const hash = await stack.clients.wallet(organizer).writeContract({ address, abi, functionName, args, account: organizer, chain: stack.clients.chain } as never);
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status, functionName).to.equal("success");
  }

  before(async function () {
    ({ stack, browser } = env);
    // The program, signed by the server's points key (it posts balances and levels every second here).
    const program = (functionName: string, args: readonly unknown[]) => write(stack.platform.membership, chainpassMembershipAbi, functionName, args);
    await program("createProgram", [PROGRAM, localAccount(DEMO_ACCOUNTS.pointsSigner).address]);
    await program("setEarnRate", [zeroAddress, parseEther("1"), 10_000n]);
    await program("setRewards", [50n, 100n]);
    await program("setLevels", [[100n, 500n, 5_000n], ["Silver", "Gold", "Platinum"]]);
    await program("setPointValue", [zeroAddress, POINT]);

    // The event: General (perks from Gold) and the Members' night (Silver and above only).
    const now = Number((await stack.clients.publicClient.getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const start = now + 7 * 86_400;
    const tiers = [
      { name: "General", price: PRICE, supply: 100, maxPerWallet: 2, saleStart: now - 3600, saleEnd: start },
      { name: "Members' night", price: MEMBERS_PRICE, supply: 50, saleStart: now - 3600, saleEnd: start },
    ];
    const spec = { name: "Lighthouse Sessions", symbol: "LHS", start, end: start + 4 * 3600 };
    const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#1d4ed8"/></svg>';
    const metadataURI = await session.publish({ ...spec, description: "Concerts by the lighthouse; members earn points.", venue: "Lighthouse Yard", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
    event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI }, tiers);
    await write(event, chainpassEventAbi, "setMembership", [stack.platform.membership]);
    await write(event, chainpassEventAbi, "setTierPerks", [1n, { membersOnly: false, minLevel: 0, perkLevel: 2, discountBps: 1_000, extraPerWallet: 2 }]);
    await write(event, chainpassEventAbi, "addChannel", [agency.address, 500n, AGENCY]);
    await write(event, chainpassEventAbi, "setTierPerks", [2n, { membersOnly: true, minLevel: 1, perkLevel: 0, discountBps: 0, extraPerWallet: 0 }]);
    await stack.waitForIndex();
  });

  afterEach(async function () {
    for (const page of pages.splice(0)) await page.context().close();
  });

  async function open(account: typeof fan, path: string): Promise<Persona> {
    const persona = await openAs(browser, stack, account, path, logs);
    pages.push(persona.page);
    return persona;
  }

  /** The purchase the fan's wallet sent last (its calldata decoded). */
  async function lastPurchase(persona: Persona) {
    const sent = persona.wallet.requestsFor("eth_sendTransaction").flatMap((r) => ("result" in r.outcome ? [r.outcome.result as Hash] : []));
    const tx = await stack.clients.publicClient.getTransaction({ hash: sent.at(-1)! });
    const call = decodeFunctionData({ abi: chainpassEventAbi, data: tx.input });
    return { call, value: tx.value };
  }

  it("a wallet that is not a member: the event page says each tier's perks in the program's level names, and the members' tier is refused at checkout with the reason", async function () {
    const { page: p } = await open(outsider, `/events/${event.toLowerCase()}`);
    await waitForText(p.getByTestId("event-program"), `Part of ${PROGRAM} — members earn points`);
    expect(await p.getByTestId("event-program").locator("a").getAttribute("href")).to.equal(`/membership/${organizer.address.toLowerCase()}`);
    expect(await p.getByTestId("perks-1").locator("li").allInnerTexts()).to.deep.equal(["Gold members and above: 10% off", "Gold members and above: 2 more per wallet"]);
    expect(await p.getByTestId("perks-2").locator("li").allInnerTexts()).to.deep.equal(["Silver members and above only"]);
    // Prices as they are for everyone: the perks are members'.
    await waitForText(p.getByTestId("tier-1").locator(".price"), "0.05 ETH");
    await screenshot(p, "membership-event-perks");

    await p.getByTestId("buy-2").click();
    await p.waitForURL(/\/checkout\/2$/);
    await waitForText(p.getByTestId("members-only"), `This ticket type is for members of ${PROGRAM}. Join it to buy one`);
    expect(await p.getByTestId("members-only-join").getAttribute("href")).to.equal(`/membership/${organizer.address.toLowerCase()}`);
    await waitForText(p.getByTestId("total"), "0.04 ETH");
    expect(await p.getByTestId("buy").isDisabled(), "the members' tier cannot be bought").to.equal(true);
    // No points to pay with either: the control is a member's.
    expect(await p.getByTestId("pay-with-points").count()).to.equal(0);
    await screenshot(p, "membership-members-only-refused");
    expect(await membership<boolean>("isMember", [organizer.address, outsider.address])).to.equal(false);
  });

  it("a fan joins in the browser, earns 600 points on a first purchase, reaches Gold, then pays 100 points of a ticket at the member's price through an agency's link: the chain counts them spent and owes the agency its commission", async function () {
    const persona = await open(fan, `/membership/${organizer.address.toLowerCase()}`);
    const p = persona.page;
    await waitForText(p.getByTestId("program-name"), PROGRAM);
    expect(await p.getByTestId("program-earn").locator("li").allInnerTexts()).to.deep.equal([
      "10,000 points for every 1 ETH you pay for tickets",
      "50 points for each event you attend",
      "100 bonus points on your first purchase",
    ]);
    expect(await p.getByTestId("program-levels").locator("li").allInnerTexts()).to.deep.equal(["Member: as soon as you join", "Silver: from 100 points earned", "Gold: from 500 points earned", "Platinum: from 5,000 points earned"]);
    await waitForText(p.getByTestId("program-worth"), "1 point takes 0.00001 ETH off a ticket");
    await waitForText(p.getByTestId("program-events"), "Lighthouse Sessions");

    // Join: one transaction from the page, then the page says so (read on chain).
    await p.getByTestId("join-program").click();
    await confirmed(p);
    expect(await membership<boolean>("isMember", [organizer.address, fan.address])).to.equal(true);
    await waitForText(p.getByTestId("member-status"), "You are a member: Member.");
    await screenshot(p, "membership-joined");

    // A first General ticket, through the program's event link: no level yet, so the full price,
    // bought with buyWith (the tier has perks).
    await p.getByTestId("program-events").getByRole("link", { name: "Lighthouse Sessions" }).click();
    await p.getByTestId("buy-1").click();
    await waitForText(p.getByTestId("total"), "0.05 ETH");
    expect(await p.getByTestId("member-price").count()).to.equal(0);
    await p.getByTestId("buy").click();
    await confirmed(p);
    const first = await lastPurchase(persona);
    expect(first.call.functionName).to.equal("buyWith");
    expect(first.value).to.equal(PRICE);
    expect(await read<bigint>(event, "pricePaid", [1_000_001n])).to.equal(PRICE);

    // My memberships: 500 points for 0.05 ETH and the 100-point first-purchase bonus; the points
    // signer posts the balance and sets the level within a second or two here.
    await p.getByTestId("nav-memberships").click();
    const card = p.getByTestId(`membership-${organizer.address.toLowerCase()}`);
    await waitForText(card.getByTestId("points-earned"), "600");
    await waitForText(card.getByTestId("member-level"), "Gold");
    await waitForText(card.getByTestId("points-available"), "600");
    await waitForText(card.getByTestId("level-next"), "4,400 more points to Platinum");
    const history = await card.getByTestId("points-history").locator("li").evaluateAll((items) => items.map((li) => [li.getAttribute("data-kind"), li.querySelector("strong")?.textContent]));
    expect(history).to.have.deep.members([
      ["Purchase", "+500"],
      ["FirstPurchase", "+100"],
    ]);
    await waitForText(card.getByTestId("points-history"), "Tickets bought for Lighthouse Sessions");
    expect(await membership<bigint>("levelOf", [organizer.address, fan.address])).to.equal(2n);
    await screenshot(p, "membership-points-earned", { fullPage: true });

    // A second General ticket as Gold, through the travel agency's link: 10 % off (0.045), and 100
    // points pay 0.001 of it.
    await p.goto(`${stack.appUrl}/events/${event.toLowerCase()}?ch=1`);
    await waitForText(p.getByTestId("sold-by"), `Sold by ${AGENCY}`);
    await p.getByTestId("buy-1").click();
    await p.waitForURL(/\/checkout\/1$/);
    await waitForText(p.locator("form.checkout-form").getByTestId("sold-by"), `Sold by ${AGENCY}`);
    await waitForText(p.getByTestId("member-price"), "Your member price: 0.045 ETH a ticket (Gold members and above: 10% off)");
    await waitForText(p.getByTestId("total"), "0.045 ETH");
    await p.getByTestId("use-points").check();
    await waitForText(p.getByTestId("points-available"), "600 points to spend");
    // More than there are is kept to what there is (600 for one ticket; the price would take 4,500).
    await p.getByTestId("points-per-ticket").fill("1000");
    expect(await p.getByTestId("points-per-ticket").inputValue()).to.equal("600");
    await p.getByTestId("points-per-ticket").fill("100");
    await waitForText(p.getByTestId("points-value"), `100 points a ticket take ${formatEther(100n * POINT)} ETH off each ticket (100 points in all)`);
    const paid = PRICE - PRICE / 10n - 100n * POINT;
    await waitForText(p.getByTestId("total"), `${formatEther(paid)} ETH`);
    await screenshot(p, "membership-pay-with-points");
    await p.getByTestId("buy").click();
    await confirmed(p);
    await waitForText(p.getByTestId("bought-points"), "100");
    await waitForText(p.getByTestId("bought-channel"), AGENCY);

    const second = await lastPurchase(persona);
    expect(second.call.functionName).to.equal("buyWith");
    const options = second.call.args[3] as { maxTotal: bigint; member: Hex; channel: bigint };
    expect(options.maxTotal).to.equal(paid);
    expect(options.member).to.not.equal("0x");
    expect(options.channel).to.equal(1n);
    expect(second.value).to.equal(paid);
    expect(await membership<bigint>("spent", [organizer.address, fan.address])).to.equal(100n);
    expect(await read<bigint>(event, "pricePaid", [1_000_002n])).to.equal(paid);
    expect(paid).to.equal(parseEther("0.044"));
    // The agency is owed 5 % of what the fan paid (the points' part is the organizer's discount).
    expect((await read<{ owed: bigint }>(event, "channel", [1n])).owed).to.equal((paid * 500n) / 10_000n);

    // The membership page: 440 more points earned on the 0.044 paid, 100 spent.
    await p.getByTestId("nav-memberships").click();
    await waitForText(card.getByTestId("points-earned"), "1,040");
    await waitForText(card.getByTestId("points-available"), "940");
    await card.locator('[data-kind="Spent"]').waitFor();
    expect(await card.locator('[data-kind="Spent"] strong').innerText()).to.equal("−100");
    await waitForText(card.locator('[data-kind="Spent"]'), "Paid with points for Lighthouse Sessions");

    // The members' tier is the fan's now.
    await p.goto(`${stack.appUrl}/events/${event.toLowerCase()}/checkout/2`);
    await waitForText(p.getByTestId("total"), "0.04 ETH");
    await eventually(() => p.getByTestId("buy").isEnabled(), "the members' tier on sale to a Silver member");
    expect(await p.getByTestId("members-only").count()).to.equal(0);
  });
});
