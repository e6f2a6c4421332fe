// Issue 17 in a real browser: a fan with no wallet and no ETH. Chromium's virtual WebAuthn
// authenticator (the DevTools protocol's WebAuthn domain: user verification on, like Face ID)
// stands for the phone's passkey. The stack runs the real bundler (Alto), the EntryPoint v0.8 at
// its canonical address, the paymaster and the server's sponsorship service. The fan continues with
// a passkey (no extension, no seed phrase), receives USDC from a friend at the account's address
// before the account exists, buys a ticket (approval and purchase in one user operation, which
// also deploys the account), shows the pass (its delegation signed by the passkey, ERC-1271 at the
// gate), is admitted, and lists the ticket for resale, never holding or paying ETH. The organizer
// funds the event's gas budget from the console beforehand, and sees afterwards what the fan's
// fees cost it. Then the organizer opens the budget to fans' own wallets, and a fan whose wallet
// is a smart wallet (an EOA upgraded through EIP-7702, test/e2e/support/smart-wallet.ts), with no
// ETH, buys and gifts a ticket with the app's paymaster. Nothing is mocked.
import { expect } from "chai";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { formatEther, getAddress, parseEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { decodePass } from "../../lib/pass/index.js";
import { chainpassAccountAbi, chainpassAccountFactoryAbi, chainpassEventAbi, chainpassPaymasterAbi } from "../../lib/abi/index.js";
import { LOCALHOST } from "../../lib/networks.js";
import { passkeySigner } from "../../lib/smart-account/webauthn.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { ServerSession } from "../../scripts/seed-demo.js";
import { deploySimple7702Account, MOCK_USDC_ABI } from "../helpers/account-chain.js";
import { GATE_ROLE, scanOverHttp, signInOverHttp } from "../helpers/server.js";
import { newPage } from "./support/browser.js";
import { confirmed, eventually, manage, openAs, signIn, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";

const USDC = (amount: number) => BigInt(Math.round(amount * 1_000_000));
const PRICE = USDC(12);

describe("Passkey wallet in a real browser: no wallet, no ETH, a ticket bought, shown, admitted and listed", function () {
  this.timeout(300_000);
  const env = useBrowserStack({ passkeys: true });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let event: Address;
  let context: BrowserContext | undefined;
  /** The fan's page, its virtual authenticator and account, kept for the recovery test. */
  let fan: { page: Page; cdp: CDPSession; authenticatorId: string; address: Address; spare: bigint } | undefined;
  const organizer = localAccount(DEMO_ACCOUNTS.organizer);
  const staff = localAccount(DEMO_ACCOUNTS.gateStaff);

  before(async function () {
    ({ stack, browser } = env);
    const now = Number((await stack.clients.publicClient.getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const start = now + 3 * 3600; // within the check-in lead: the gate admits now
    const tiers = [{ name: "General", price: PRICE, supply: 100, saleStart: now - 3600, saleEnd: start }];
    const spec = { name: "Passkey Night", symbol: "PKN", start, end: start + 4 * 3600, currency: stack.platform.usdc };
    const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#0f766e"/></svg>';
    const metadataURI = await session.publish({ ...spec, description: "A night for fans without a wallet.", venue: "Harbour Hall", timezone: "UTC", tiers, currency: { symbol: "USDC", decimals: 6 }, art });
    event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI }, tiers);
    const hash = await stack.clients.wallet(organizer).writeContract({ address: event, abi: [{ type: "function", name: "grantRole", stateMutability: "nonpayable", inputs: [{ name: "role", type: "bytes32" }, { name: "account", type: "address" }], outputs: [] }], functionName: "grantRole", args: [GATE_ROLE, staff.address], account: organizer, chain: stack.clients.chain });
    await stack.clients.publicClient.waitForTransactionReceipt({ hash });
    await stack.waitForIndex();
  });
  after(async () => context?.close());

  /** The app at localhost: a passkey's relying party is a domain name, never an IP address. */
  const appAt = (path: string) => `${stack.appUrl.replace("127.0.0.1", "localhost")}${path}`;

  /** The account the page's passkey controls, worked out from the stored public key as the factory would. */
  async function accountOf(page: Page): Promise<Address> {
    const stored = JSON.parse((await page.evaluate(() => localStorage.getItem("chainpass.passkey")))!) as { x: Hex; y: Hex };
    const signer = passkeySigner(LOCALHOST.passkeys!.passkeyVerifier, { x: BigInt(stored.x), y: BigInt(stored.y) });
    return stack.clients.publicClient.readContract({ address: LOCALHOST.passkeys!.accountFactory, abi: chainpassAccountFactoryAbi, functionName: "accountAddress", args: [[signer], `0x${"00".repeat(32)}`] });
  }

  /** The organizer's console at `tab`, signed in. */
  async function console_(tab: string): Promise<Page> {
    const { page } = await openAs(browser, stack, organizer, `/organizer/${event}/${tab}`, logs);
    await signIn(page);
    await page.getByTestId("console-title").waitFor();
    return page;
  }
  const gasOf = async (functionName: "budgetOf" | "spentOf") =>
    stack.clients.publicClient.readContract({ address: LOCALHOST.passkeys!.paymaster, abi: chainpassPaymasterAbi, functionName, args: [event] });

  it("the organizer funds the event's gas budget from the console", async function () {
    const page = await console_("settings");
    const budget = page.getByTestId("gas-budget");
    await waitForText(budget.getByTestId("gas-left"), "0 ETH");
    await budget.getByTestId("gas-amount").fill("0.05");
    await budget.getByTestId("gas-fund").click();
    await confirmed(page, { within: budget });
    expect(await gasOf("budgetOf")).to.equal(parseEther("0.05"));
    await waitForText(budget.getByTestId("gas-left"), "0.05 ETH");
    await waitForText(budget.getByTestId("gas-spent"), "0 ETH");
    await screenshot(page, "passkey-gas-budget");
    await page.context().close();
  });

  it("continues with a passkey, buys a USDC ticket with the gas sponsored, shows the pass, is admitted at the gate, and lists the ticket", async function () {
    const opened = await newPage(browser);
    context = opened.context;
    const page = opened.page;
    logs.push(opened.log);
    // The phone's passkey: a platform authenticator that verifies the user.
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = (await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    })) as { authenticatorId: string };

    await page.goto(appAt(`/events/${event.toLowerCase()}`));
    await page.getByTestId("connect-wallet").click();
    // No browser wallet here: the passkey is what the dialog suggests first.
    const help = page.getByTestId("wallet-help");
    await help.waitFor();
    expect((await help.locator("li").first().innerText()).toLowerCase()).to.contain("passkey");
    await screenshot(page, "passkey-connect");
    await page.getByTestId("connector-passkey").click();
    const address = getAddress(await eventually(async () => (await page.locator('[data-testid="wallet-address"]').getAttribute("title").catch(() => null)) ?? undefined, "connected", 60_000));
    const credentials = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: { isResidentCredential: boolean; rpId: string }[] };
    expect(credentials.credentials.map((c) => [c.isResidentCredential, c.rpId])).to.deep.equal([[true, "localhost"]]);
    expect(address).to.equal(await accountOf(page));
    expect(await stack.clients.publicClient.getCode({ address }), "an address only, before its first operation").to.equal(undefined);

    // A friend sends the fan USDC: to the address, before the account exists. No ETH, ever.
    const friend = localAccount(10);
    const mint = await stack.clients.wallet(friend).writeContract({ address: stack.platform.usdc, abi: MOCK_USDC_ABI, functionName: "mint", args: [address, USDC(30)], account: friend, chain: stack.clients.chain });
    await stack.clients.publicClient.waitForTransactionReceipt({ hash: mint });

    const spentBefore = await gasOf("spentOf");
    await page.getByTestId("buy-1").click();
    await page.waitForURL(/\/checkout\/1$/);
    // Two tickets: one to show at the door, one to resell.
    await page.getByTestId("quantity").fill("2");
    await waitForText(page.getByTestId("total"), "24.00 USDC");
    await page.getByTestId("buy").click();
    await confirmed(page);
    expect(await stack.clients.publicClient.getCode({ address }), "deployed by its first operation").to.not.equal(undefined);
    const [token, spare] = [1_000_001n, 1_000_002n];
    for (const id of [token, spare]) expect(getAddress(await read<Address>(event, "ownerOf", [id]))).to.equal(address);
    expect(await stack.clients.publicClient.readContract({ address: stack.platform.usdc, abi: MOCK_USDC_ABI, functionName: "balanceOf", args: [address] })).to.equal(USDC(30 - 24));
    expect(await stack.clients.publicClient.getBalance({ address }), "the fan never held ETH").to.equal(0n);
    expect((await gasOf("spentOf")) > spentBefore, "the event's gas budget paid").to.equal(true);
    // One user operation for the approval and the purchase.
    const logsOfPurchase = await stack.clients.publicClient.getContractEvents({ address: LOCALHOST.passkeys!.paymaster, abi: chainpassPaymasterAbi, eventName: "GasSponsored", fromBlock: 0n });
    expect(logsOfPurchase.filter((l) => getAddress(l.args.account!) === address)).to.have.length(1);
    await screenshot(page, "passkey-bought");

    // The pass: its delegation signed by the passkey (ERC-1271 through the account), then scanned.
    await page.goto(appAt(`/tickets/${event.toLowerCase()}/${token}`));
    const qr = page.getByTestId("pass-qr");
    const frame = await eventually(async () => (await qr.getAttribute("data-pass")) || undefined, "the pass's first frame", 60_000);
    const pass = decodePass(frame);
    expect(getAddress(pass.holder)).to.equal(address);
    await screenshot(page, "passkey-pass");
    const cookie = await signInOverHttp(stack.serverUrl, staff, { domain: stack.siwe.domain, uri: stack.siwe.origin });
    const scan = await scanOverHttp(stack.serverUrl, cookie, event, frame);
    expect([scan.status, scan.body.verdict], JSON.stringify(scan.body)).to.deep.equal([200, "admit"]);

    // Resale of the other ticket: listed from My tickets, the gas sponsored again.
    await page.goto(appAt("/tickets"));
    const card = page.locator(`[data-testid="ticket-${spare}"][data-event="${event.toLowerCase()}"]`);
    await manage(card);
    await card.getByTestId(`list-price-${spare}`).fill("12");
    await card.getByTestId(`list-${spare}`).click();
    await confirmed(page);
    expect((await read<{ price: bigint }>(event, "listing", [spare])).price).to.equal(PRICE);
    await screenshot(page, "passkey-listed");
    expect(await stack.clients.publicClient.getBalance({ address })).to.equal(0n);
    const sponsored = await stack.clients.publicClient.getContractEvents({ address: LOCALHOST.passkeys!.paymaster, abi: chainpassPaymasterAbi, eventName: "GasSponsored", fromBlock: 0n });
    expect(sponsored.filter((l) => getAddress(l.args.account!) === address).map((l) => l.args.budget)).to.deep.equal([event, event]);
    fan = { page, cdp, authenticatorId, address, spare };
  });

  it("keeps the account when the phone is lost: a recovery wallet and a second passkey are added; signed in with the second passkey alone, the same account cancels its listing", async function () {
    const { page, cdp, authenticatorId, address, spare } = fan!;
    await page.goto(appAt("/wallet"));
    await waitForText(page.getByTestId("passkey-count"), "1 passkey");
    const recovery = localAccount(11);
    await page.getByTestId("recovery-address").fill(recovery.address);
    await page.getByTestId("add-recovery").click();
    await page.getByTestId("passkey-wallet-done").waitFor({ timeout: 90_000 });
    const isSigner = (signer: Hex) => stack.clients.publicClient.readContract({ address, abi: chainpassAccountAbi, functionName: "isSigner", args: [signer] });
    expect(await isSigner(recovery.address.toLowerCase() as Hex)).to.equal(true);
    const before = ((await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: { credentialId: string }[] }).credentials.map((c) => c.credentialId);
    await page.getByTestId("add-passkey").click();
    await waitForText(page.getByTestId("passkey-count"), "2 passkeys", 90_000);
    await screenshot(page, "passkey-wallet-signers");
    const after = ((await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: { credentialId: string; userHandle?: string }[] }).credentials;
    const second = after.find((c) => !before.includes(c.credentialId))!;
    expect(Buffer.from(second.userHandle!, "base64").toString("hex"), "the account in the new passkey's user handle").to.equal(address.slice(2).toLowerCase());

    // The phone is lost: its passkey and everything the app kept are gone.
    for (const id of before) await cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: id });
    await page.evaluate(() => localStorage.clear());
    await page.goto(appAt("/tickets"));
    await page.getByTestId("connect-wallet").click();
    await page.getByTestId("connector-passkey-existing").click();
    await page.locator(`[data-testid="wallet-address"][title="${address}"]`).waitFor({ timeout: 60_000 });
    // The second passkey signs for the account: the listing is cancelled, sponsored.
    const card = page.locator(`[data-testid="ticket-${spare}"][data-event="${event.toLowerCase()}"]`);
    await manage(card);
    await card.getByTestId(`cancel-listing-${spare}`).click();
    await confirmed(page);
    expect((await read<{ price: bigint }>(event, "listing", [spare])).price).to.equal(0n);
    expect(await stack.clients.publicClient.getBalance({ address })).to.equal(0n);
  });

  it("pays for a fan's own smart wallet (EIP-7702, no ETH) once the organizer opens the budget to wallets in the console: a USDC ticket bought and gifted", async function () {
    const page = await console_("settings");
    const budget = page.getByTestId("gas-budget");
    const wallets = budget.getByTestId("gas-wallets");
    expect(await wallets.isChecked()).to.equal(false);
    await wallets.click(); // checked once the transaction is confirmed and read back
    await confirmed(page, { within: budget });
    await eventually(async () => (await wallets.isChecked()) || undefined, "the box shows the budget open to wallets");
    const open = () => stack.clients.publicClient.readContract({ address: LOCALHOST.passkeys!.paymaster, abi: chainpassPaymasterAbi, functionName: "walletsSponsored", args: [event] });
    expect(await open()).to.equal(true);
    await page.context().close();

    // A wallet like MetaMask's or Coinbase's: an EOA that becomes a smart account by EIP-7702 and takes the app's paymaster.
    const implementation = await deploySimple7702Account(stack.clients);
    const owner = privateKeyToAccount(generatePrivateKey());
    const friend = localAccount(10);
    const mint = await stack.clients.wallet(friend).writeContract({ address: stack.platform.usdc, abi: MOCK_USDC_ABI, functionName: "mint", args: [owner.address, PRICE], account: friend, chain: stack.clients.chain });
    await stack.clients.publicClient.waitForTransactionReceipt({ hash: mint });
    const { page: shop, wallet } = await openAs(browser, stack, owner, `/events/${event}`, logs, { smartWallet: { bundlerUrl: stack.bundlerUrl!, implementation } });
    await shop.getByTestId("buy-1").click();
    await shop.waitForURL(/\/checkout\/1$/);
    await waitForText(shop.getByTestId("total"), "12.00 USDC");
    await shop.getByTestId("buy").click();
    await confirmed(shop);
    await waitForText(shop.getByTestId("tx-sponsored"), "network fee paid for you");
    await screenshot(shop, "own-wallet-sponsored");
    const [call] = wallet.requestsFor("wallet_sendCalls");
    expect((call.params as [{ capabilities?: { paymasterService?: { url: string } } }])[0].capabilities?.paymasterService?.url).to.match(/\/paymaster$/);
    expect(await stack.clients.publicClient.getCode({ address: owner.address }), "upgraded by its first operation").to.equal(`0xef0100${implementation.slice(2).toLowerCase()}`);
    const sponsored = await stack.clients.publicClient.getContractEvents({ address: LOCALHOST.passkeys!.paymaster, abi: chainpassPaymasterAbi, eventName: "GasSponsored", args: { account: owner.address }, fromBlock: 0n });
    expect(sponsored.map((l) => l.args.budget)).to.deep.equal([event]);
    const token = (await stack.clients.publicClient.getContractEvents({ address: event, abi: chainpassEventAbi, eventName: "TicketsPurchased", args: { buyer: owner.address }, fromBlock: 0n }))[0].args.firstTokenId!;
    expect(getAddress(await read<Address>(event, "ownerOf", [token]))).to.equal(owner.address);

    // A gift from My tickets: one call, sponsored the same way.
    await shop.goto(`${stack.appUrl}/tickets`);
    const card = shop.locator(`[data-testid="ticket-${token}"][data-event="${event.toLowerCase()}"]`);
    await manage(card);
    await card.getByTestId(`gift-to-${token}`).fill(localAccount(12).address);
    await card.getByTestId(`gift-${token}`).click();
    await card.getByTestId(`gift-confirm-send-${token}`).click();
    await waitForText(shop.getByTestId("tickets-flash"), "was sent to", 60_000);
    expect(getAddress(await read<Address>(event, "ownerOf", [token]))).to.equal(localAccount(12).address);
    const paid = await stack.clients.publicClient.getContractEvents({ address: LOCALHOST.passkeys!.paymaster, abi: chainpassPaymasterAbi, eventName: "GasSponsored", args: { account: owner.address }, fromBlock: 0n });
    expect(paid.map((l) => l.args.budget), "the purchase and the gift, both from the event's budget").to.deep.equal([event, event]);
    expect(await stack.clients.publicClient.getBalance({ address: owner.address }), "the wallet never held ETH").to.equal(0n);
    await shop.context().close();
  });

  it("the console shows what the fan's fees cost the event's budget, and the organizer takes back the rest", async function () {
    const spent = await gasOf("spentOf");
    expect(spent > 0n).to.equal(true);
    const page = await console_("settings");
    const budget = page.getByTestId("gas-budget");
    await waitForText(budget.getByTestId("gas-spent"), `${formatEther(spent)} ETH`);
    const left = await gasOf("budgetOf");
    await waitForText(budget.getByTestId("gas-left"), `${formatEther(left)} ETH`);
    await budget.getByTestId("gas-amount").fill(formatEther(left));
    await budget.getByTestId("gas-withdraw").click();
    await confirmed(page, { within: budget });
    expect(await gasOf("budgetOf")).to.equal(0n);
    await page.context().close();
  });
});
