// The stack browser tests run against: node, contracts at lib/networks.ts's addresses, the
// server as a process, demo content, and the built app behind `vite preview`, whose proxy gives
// the browser one origin for the app, the API and the chain. Checked from the browser, with the
// injected test wallet signing in over SIWE through the app's origin.
import { expect } from "chai";
import type { Browser } from "playwright-core";
import { getAddress, stringToHex, type Hex } from "viem";
import { SiweMessage } from "siwe";

import { LOCALHOST } from "../../lib/networks.js";
import { launchBrowser, newPage } from "./support/browser.js";
import { screenshot } from "./support/shots.js";
import { DEMO_ACCOUNTS, localAccount, startStack, type Stack } from "./support/stack.js";
import { installWallet, WALLET_RDNS } from "./support/wallet.js";

describe("e2e support: the stack", function () {
  let stack: Stack;
  let browser: Browser;

  before(async function () {
    this.timeout(300_000); // the first stack of a run may build the app
    stack = await startStack({ seed: true });
    browser = await launchBrowser();
  });
  after(async function () {
    await browser?.close();
    await stack?.stop();
  });

  it("deploys at the addresses the built app knows and seeds the demo events", async function () {
    expect(stack.platform.factory).to.equal(LOCALHOST.factory);
    expect(stack.demo?.concert).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(stack.siwe.origin).to.equal(stack.appUrl);
    await stack.waitForIndex();
  });

  it("serves the app and proxies the API and the chain on the app's origin", async function () {
    const html = await (await fetch(stack.appUrl, { headers: { accept: "text/html" } })).text();
    expect(html).to.match(/<div id="root">|<script type="module"/);
    expect((await fetch(`${stack.appUrl}/health`)).status).to.equal(200);
    const rpc = await fetch(`${stack.appUrl}/rpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    expect((await rpc.json()).result).to.equal("0x7a69");
    const index = await fetch(`${stack.appUrl}${LOCALHOST.indexUrl}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ events(first: 10) { id } }" }),
    });
    const events = ((await index.json()).data.events as { id: string }[]).map((e) => getAddress(e.id));
    expect(events).to.include.members([stack.demo!.concert, stack.demo!.museum, stack.demo!.conference]);
  });

  it("lets the page sign in with SIWE through the app's origin using the injected wallet", async function () {
    const fan = localAccount(DEMO_ACCOUNTS.fans[0]);
    const { page, log } = await newPage(browser);
    await installWallet(page, { account: fan, rpcUrl: stack.rpcUrl });
    await page.goto(stack.appUrl);
    await page.waitForLoadState("networkidle");
    await screenshot(page, "stack-home");
    // SIWE the way an app does it, in the page: nonce, message, personal_sign, verify (cookie).
    const nonce = await page.evaluate(async () => (await (await fetch("/auth/nonce")).json()).nonce as string);
    const message = new SiweMessage({
      domain: stack.siwe.domain,
      address: fan.address,
      statement: "Sign in to Chainpass",
      uri: stack.siwe.origin,
      version: "1",
      chainId: 31337,
      nonce,
      issuedAt: new Date().toISOString(),
    }).prepareMessage();
    const status = await page.evaluate(
      async ({ message, hex, address }) => {
        const ethereum = (window as unknown as { ethereum: { request(a: { method: string; params?: unknown[] }): Promise<unknown> } }).ethereum;
        await ethereum.request({ method: "eth_requestAccounts" });
        const signature = await ethereum.request({ method: "personal_sign", params: [hex, address] });
        const response = await fetch("/auth/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) });
        return response.status;
      },
      { message, hex: stringToHex(message) as Hex, address: fan.address },
    );
    expect(status, log.all.join("\n")).to.equal(200);
    const cookies = await page.context().cookies(stack.appUrl);
    expect(cookies.map((c) => c.name)).to.include("chainpass_session");
    await page.context().close();
  });

  it("the app discovers the test wallet through EIP-6963 and connects with it", async function () {
    const fan = localAccount(DEMO_ACCOUNTS.fans[1]);
    const { page, log } = await newPage(browser);
    const wallet = await installWallet(page, { account: fan, rpcUrl: stack.rpcUrl });
    await page.goto(stack.appUrl);
    // wagmi reconnects the app's development wallet on load (it is always "authorised"); leave
    // it for the injected one once the page has settled.
    await page.waitForLoadState("networkidle");
    const connect = page.getByTestId("connect-wallet");
    const disconnect = page.getByRole("button", { name: /disconnect/i });
    const option = page.getByTestId(`connector-${WALLET_RDNS}`);
    for (let i = 0; !(await option.isVisible()); i++) {
      if (i > 50) throw new Error(`no connector-${WALLET_RDNS} in the wallet dialog:\n${log.all.join("\n")}`);
      if (await disconnect.isVisible()) await disconnect.click({ timeout: 2000 }).catch(() => undefined);
      else if (await connect.isVisible()) await connect.click({ timeout: 2000 }).catch(() => undefined);
      await page.waitForTimeout(100);
    }
    await screenshot(page, "stack-wallet-choice");
    await option.click();
    await page.getByTestId("wallet-address").waitFor();
    expect(await page.getByTestId("wallet-address").getAttribute("title"), log.all.join("\n")).to.equal(fan.address);
    // wagmi asks with wallet_requestPermissions (its shimDisconnect) or eth_requestAccounts.
    const asked = wallet.requests.filter((r) => r.method === "wallet_requestPermissions" || r.method === "eth_requestAccounts");
    if (process.env.CHAINPASS_E2E_VERBOSE) console.log(wallet.requests.map((r) => r.method).join(" "));
    expect(asked.length, "wallet permission requests").to.be.greaterThan(0);
    await page.context().close();
  });

  it("stops every process it started", async function () {
    const extra = await startStack({ app: true });
    const pid = extra.server.process.pid!;
    await extra.stop();
    expect(() => process.kill(pid, 0)).to.throw();
    expect(await fetch(extra.appUrl).then(() => "up", () => "down")).to.equal("down");
    expect(await fetch(extra.rpcUrl, { method: "POST" }).then(() => "up", () => "down")).to.equal("down");
  });
});
