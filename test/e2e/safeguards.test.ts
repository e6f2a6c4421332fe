// The review's safeguards (issue 12) as a fan, an organizer and a platform operator meet them in
// the app: prices the buyer saw are limits, a resale card shows what a cancel refunds, the fee an
// organizer saw is the fee it accepts, platform fees and credits leave through their own buttons,
// check-ins can be undone (all of a revoked gate's, or by ticket number) and the door opens only
// a set time before the start.
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { formatEther, type Address, type LocalAccount } from "viem";

import { chainpassEventAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import { createFromWizard, confirmed, fillEventStep, eventually, lastTx, openAs, signIn, txMark, useBrowserStack, waitForText, wizardNext } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
const gateWriter = localAccount(DEMO_ACCOUNTS.gateWriter);
const platformOwner = localAccount(0);
const [, fan6, fan7, fan8] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));

describe("Safeguards in the app: price limits, refund values, fee limit, platform fees, credits, undoing check-ins", function () {
  this.timeout(240_000);
  const env = useBrowserStack({ seed: true });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  const pages: Page[] = [];
  before(function () {
    ({ stack, browser } = env);
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context().close();
  });
  const demo = () => stack.demo!;
  const client = () => stack.clients.publicClient;
  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(stack.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
  async function send(account: LocalAccount, address: Address, functionName: string, args: unknown[], value?: bigint, abi: unknown = chainpassEventAbi) {
    const hash = await stack.clients.wallet(account).writeContract({ address, abi, functionName, args, account, chain: stack.clients.chain, value } as never);
    const receipt = await client().waitForTransactionReceipt({ hash });
    expect(receipt.status, functionName).to.equal("success");
    await stack.waitForIndex();
  }
  async function open(account: LocalAccount, path: string, session = false) {
    const { page } = await openAs(browser, stack, account, path, logs);
    pages.push(page);
    if (session) await signIn(page);
    return page;
  }

  it("resale: refund value on the card; a raised price is refused (PriceAboveLimit), then bought at the new price", async function () {
    const concert = demo().concert;
    const token = 1_000_004n;
    const paid = await read<bigint>(concert, "pricePaid", [token]);
    const cap = await read<bigint>(concert, "resaleCap", [token]);
    const listing = await read<{ price: bigint; seller: Address }>(concert, "listing", [token]);
    const page = await open(fan8, `/events/${concert}/resale`);
    const card = page.getByTestId(`listing-${token}`);
    await waitForText(card.getByTestId(`refund-value-${token}`), `${formatEther(paid)} ETH`);
    await screenshot(page, "safeguards-resale-refund");
    // The seller moves the price while the page shows the old one.
    const newPrice = listing.price < cap ? cap : listing.price - 1_000_000_000_000_000n;
    const hash = await stack.clients.wallet(fan6).writeContract({ address: concert, abi: chainpassEventAbi, functionName: "updateListing", args: [token, newPrice], account: fan6, chain: stack.clients.chain });
    await client().waitForTransactionReceipt({ hash });
    let mark = await txMark(page);
    await card.getByTestId(`buy-listing-${token}`).click();
    const refused = await lastTx(page, { after: mark });
    expect(refused.state).to.equal("failed");
    expect(refused.error).to.equal(listing.price < cap ? "PriceAboveLimit" : "IncorrectPayment");
    await screenshot(page, "safeguards-resale-price-moved");
    await waitForText(card.locator(".price"), `${formatEther(newPrice)} ETH`, 20_000);
    mark = await txMark(page);
    await card.getByTestId(`buy-listing-${token}`).click();
    await confirmed(page, { after: mark });
    expect(((await read<Address>(concert, "ownerOf", [token])) as string).toLowerCase()).to.equal(fan8.address.toLowerCase());
  });

  it("settings: pending platform fees sent on; the check-in lead saved", async function () {
    const concert = demo().concert;
    if ((await read<readonly [bigint, bigint]>(concert, "accruedRoyalties"))[1] === 0n) {
      const l = await read<{ price: bigint }>(concert, "listing", [1_000_004n]);
      await send(fan8, concert, "buyListing", [1_000_004n, l.price], l.price);
    }
    const [, fees] = await read<readonly [bigint, bigint]>(concert, "accruedRoyalties");
    const page = await open(organizer, `/organizer/${concert}/settings`, true);
    await waitForText(page.getByTestId("pending-platform-fees"), `${formatEther(fees)} ETH`);
    let mark = await txMark(page);
    await page.getByTestId("withdraw-platform-fees").click();
    await confirmed(page, { after: mark });
    expect((await read<readonly [bigint, bigint]>(concert, "accruedRoyalties"))[1]).to.equal(0n);
    await waitForText(page.getByTestId("pending-platform-fees"), "0 ETH");
    expect(await page.getByTestId("withdraw-platform-fees").isDisabled()).to.equal(true);
    await waitForText(page.getByTestId("check-in-window"), "255 hours before the start"); // the demo opens the concert's door early
    await page.getByTestId("check-in-lead").fill("300");
    expect(await page.getByTestId("save-check-in-lead").isDisabled()).to.equal(true);
    await page.getByTestId("check-in-lead").fill("12");
    const section = page.locator(`section[aria-labelledby="check-in-window-title"]`);
    mark = await txMark(page, section);
    await page.getByTestId("save-check-in-lead").click();
    await confirmed(page, { after: mark, within: section });
    expect((await read<{ checkInLeadHours: number }>(concert, "eventInfo")).checkInLeadHours).to.equal(12);
    await waitForText(page.getByTestId("check-in-window"), "12 hours before the start");
    await screenshot(page, "safeguards-settings", { fullPage: true });
  });

  it("check-ins: undo everything one gate did, then one ticket by id", async function () {
    const museum = demo().museum;
    const page = await open(organizer, `/organizer/${museum}/checkins`, true);
    const gateRow = page.getByTestId("check-in-gate").first();
    await gateRow.waitFor();
    expect(await page.getByTestId("check-in-gate").count()).to.equal(1);
    await gateRow.getByTestId("undo-gate").click();
    await page.getByTestId("undo-gate-confirm").waitFor();
    let mark = await txMark(page);
    await page.getByTestId("undo-gate-yes").click();
    await confirmed(page, { after: mark });
    expect(await read<boolean>(museum, "isCheckedIn", [1_000_001n])).to.equal(false);
    expect(await read<boolean>(museum, "isCheckedIn", [3_000_001n])).to.equal(false);
    await eventually(async () => (await page.locator('[data-testid="check-in-row"][data-undone="true"]').count()) === 2, "both rows undone");
    await screenshot(page, "safeguards-checkins-undone", { fullPage: true });
    // Checked in again, then undone by id.
    await send(gateWriter, museum, "checkIn", [[1_000_001n]]);
    await eventually(async () => (await page.locator('[data-testid="check-in-row"][data-undone="false"]').count()) === 1, "a live row again", 20_000);
    await page.getByTestId("undo-token-ids").fill("1000001, abc");
    await page.getByText("Not ticket numbers: abc").waitFor();
    expect(await page.getByTestId("undo-tokens").isDisabled()).to.equal(true);
    await page.getByTestId("undo-token-ids").fill("1000001 3000001");
    await waitForText(page.getByTestId("undo-token-summary"), "2 tickets, 1 of them checked in now");
    mark = await txMark(page);
    await page.getByTestId("undo-tokens").click();
    await confirmed(page, { after: mark });
    expect(await read<boolean>(museum, "isCheckedIn", [1_000_001n])).to.equal(false);
    await eventually(async () => (await page.locator('[data-testid="check-in-row"][data-undone="true"]').count()) === 3, "three rows undone");
    await screenshot(page, "safeguards-checkins-by-id", { fullPage: true });
  });

  it("credits: a seller that cannot receive ETH is credited; withdrawn to another address from My tickets", async function () {
    const concert = demo().concert;
    const token = 3_000_008n;
    const listing = await read<{ price: bigint; seller: Address }>(concert, "listing", [token]);
    expect(listing.seller.toLowerCase()).to.equal(fan7.address.toLowerCase());
    await rpc("hardhat_setCode", [fan7.address, "0x5f5ffd"]);
    await send(fan8, concert, "buyListing", [token, listing.price], listing.price);
    await rpc("hardhat_setCode", [fan7.address, "0x"]);
    const credits = await read<bigint>(concert, "credits", [fan7.address]);
    expect(credits > 0n).to.equal(true);
    const page = await open(fan7, "/tickets");
    const row = page.getByTestId(`credits-${concert.toLowerCase()}`);
    await waitForText(row, `${formatEther(credits)} ETH`);
    await row.getByTestId(`credits-elsewhere-${concert.toLowerCase()}`).check();
    const to = row.getByTestId(`credits-to-${concert.toLowerCase()}`);
    await to.fill("0x1234");
    await waitForText(row, "Not an address");
    await to.fill("0x0000000000000000000000000000000000000000");
    await waitForText(row, "zero address");
    const target = "0x00000000000000000000000000000000000c0ffe" as Address;
    await to.fill(target);
    await screenshot(page, "safeguards-credits");
    const before = await client().getBalance({ address: target });
    const mark = await txMark(page);
    await row.getByTestId(`withdraw-credits-to-${concert.toLowerCase()}`).click();
    await confirmed(page, { after: mark });
    expect((await client().getBalance({ address: target })) - before).to.equal(credits);
    expect(await read<bigint>(concert, "credits", [fan7.address])).to.equal(0n);
  });

  it("create: the fee shown is the limit; a fee raised meanwhile is refused, the new one shown, then accepted", async function () {
    const page = await open(organizer, "/organizer/new", true);
    const now = Math.floor(Date.now() / 1000);
    await fillEventStep(page, { name: "Fee Test", description: "x", venue: "Hall", start: now + 5 * 86_400, end: now + 5 * 86_400 + 3600 });
    await wizardNext(page, "tickets");
    await page.getByTestId("tier-name-0").fill("GA");
    await page.getByTestId("tier-price-0").fill("0.01");
    await page.getByTestId("tier-supply-0").fill("10");
    await wizardNext(page, "rules");
    await waitForText(page.getByTestId("platform-fee"), "2.5%");
    await wizardNext(page, "review");
    await waitForText(page.getByTestId("review-fee"), "2.5%");
    await send(platformOwner, stack.platform.factory, "setPlatformFee", [300], undefined, ticketFactoryAbi);
    const mark = await txMark(page);
    await page.getByTestId("create-event").click();
    const refused = await lastTx(page, { after: mark });
    expect(refused.error).to.equal("PlatformFeeAboveLimit");
    await waitForText(page.getByTestId("review-fee"), "3%");
    const event = await createFromWizard(page);
    expect((await read<{ platformFeeBps: number }>(event, "eventInfo")).platformFeeBps).to.equal(300);
  });

  it("checkout: an early price that ended while the page showed it is refused with PriceAboveLimit", async function () {
    const concert = demo().concert;
    const options = await read<{ earlyUntil: number }>(concert, "tierOptions", [1n]);
    const page = await open(fan8, `/events/${concert}/checkout/1`);
    await waitForText(page.getByTestId("total"), "0.04 ETH");
    const head = await client().getBlock();
    await rpc("evm_increaseTime", [Number(options.earlyUntil) - Number(head.timestamp) + 10]);
    await rpc("evm_mine");
    const mark = await txMark(page);
    await page.getByTestId("buy").click();
    const refused = await lastTx(page, { after: mark });
    expect(refused.error).to.equal("PriceAboveLimit");
    await waitForText(page.getByTestId("total"), "0.05 ETH");
    await screenshot(page, "safeguards-checkout-price-moved");
  });
});
