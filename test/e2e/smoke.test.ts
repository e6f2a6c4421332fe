// The browser-test infrastructure on its own, without the web app: headless Chromium launches,
// the injected test wallet works end to end against a Hardhat node (accounts, chain, signatures,
// a real ETH transfer, revert data, events, EIP-6963 discovery), and the fake camera shows a QR
// code that a page decodes with jsqr, as the gate's scanner does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  custom,
  decodeErrorResult,
  encodeFunctionData,
  parseEther,
  stringToHex,
  verifyMessage,
  verifyTypedData,
  type Hex,
} from "viem";

import { ticketFactoryAbi } from "../../lib/abi/index.js";
import { deployPlatform, localAccount, type Platform } from "../../scripts/lib/local-chain.js";
import { startLocalChain } from "../helpers/server.js";
import { launchBrowser, newPage } from "./support/browser.js";
import { installWallet, WALLET_NAME, WALLET_RDNS, type TestWallet } from "./support/wallet.js";
import { writeQrY4m } from "./support/y4m.js";

/** A page at an http://localhost URL (a secure context, as getUserMedia needs) with `body` as its HTML. */
async function openBlankApp(page: Page | BrowserContext, body = "<!doctype html><title>t</title><p>test</p>") {
  await page.route("http://localhost/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body }));
}

type InPage = {
  ethereum: { request(a: { method: string; params?: unknown[] }): Promise<unknown>; on(e: string, l: (...a: unknown[]) => void): void };
};

/** window.ethereum.request in the page; a rejection comes back as {error: {code, message, data}}. */
function pageRequest(page: Page, method: string, params?: unknown[]) {
  return page.evaluate(
    async ({ method, params }) => {
      try {
        return { result: await (window as unknown as InPage).ethereum.request({ method, params }) };
      } catch (e) {
        const { code, message, data } = e as { code: number; message: string; data?: unknown };
        return { error: { code, message, data, isError: e instanceof Error } };
      }
    },
    { method, params },
  );
}

describe("e2e support: browser, injected wallet, fake camera", function () {
  describe("the injected wallet", function () {
    const user = localAccount(9);
    const recipient = localAccount(10);
    let chain: Awaited<ReturnType<typeof startLocalChain>>;
    let platform: Platform;
    let browser: Browser;
    let page: Page;
    let wallet: TestWallet;

    before(async function () {
      chain = await startLocalChain();
      platform = await deployPlatform(chain.clients);
      browser = await launchBrowser();
    });
    after(async function () {
      await browser?.close();
      await chain?.rpc.close();
    });
    beforeEach(async function () {
      ({ page } = await newPage(browser));
      wallet = await installWallet(page, { account: user, rpcUrl: chain.rpcUrl, chainId: 31337 });
      await openBlankApp(page);
      await page.goto("http://localhost/");
    });
    afterEach(async () => page?.context().close());

    it("is announced with EIP-6963 and is window.ethereum", async function () {
      const announced = await page.evaluate(() => {
        const seen: { info: Record<string, string>; same: boolean }[] = [];
        window.addEventListener("eip6963:announceProvider", (e) => {
          const { info, provider } = (e as CustomEvent).detail;
          seen.push({ info, same: provider === (window as unknown as InPage).ethereum });
        });
        window.dispatchEvent(new Event("eip6963:requestProvider"));
        return seen;
      });
      expect(announced).to.have.length(1);
      expect(announced[0].same).to.equal(true);
      expect(announced[0].info).to.include({ name: WALLET_NAME, rdns: WALLET_RDNS, uuid: wallet.uuid });
      expect(announced[0].info.icon).to.match(/^data:image\/svg\+xml/);
    });

    it("connects: no accounts until eth_requestAccounts, then the local account on chain 31337", async function () {
      expect(await pageRequest(page, "eth_accounts")).to.deep.equal({ result: [] });
      expect(await pageRequest(page, "eth_requestAccounts")).to.deep.equal({ result: [user.address] });
      expect(await pageRequest(page, "eth_accounts")).to.deep.equal({ result: [user.address] });
      expect(await pageRequest(page, "eth_chainId")).to.deep.equal({ result: "0x7a69" });
      expect(await pageRequest(page, "net_version")).to.deep.equal({ result: "31337" });
      expect(await pageRequest(page, "wallet_switchEthereumChain", [{ chainId: "0x7a69" }])).to.deep.equal({ result: null });
      // A chain the wallet does not know (Polygon) is refused with 4902; a known one switches.
      const unknown = await pageRequest(page, "wallet_switchEthereumChain", [{ chainId: "0x89" }]);
      expect(unknown.error).to.include({ code: 4902, isError: true });
      expect(await pageRequest(page, "wallet_switchEthereumChain", [{ chainId: "0x1" }])).to.deep.equal({ result: null });
      expect(await pageRequest(page, "eth_chainId")).to.deep.equal({ result: "0x1" });
      expect(wallet.chainId).to.equal(1);
      expect(await pageRequest(page, "wallet_switchEthereumChain", [{ chainId: "0x7a69" }])).to.deep.equal({ result: null });
      expect(await pageRequest(page, "eth_chainId")).to.deep.equal({ result: "0x7a69" });
    });

    it("signs messages and EIP-712 data with the local account", async function () {
      await pageRequest(page, "eth_requestAccounts");
      const message = "Sign in to Chainpass\nNonce: 42";
      const signed = await pageRequest(page, "personal_sign", [stringToHex(message), user.address]);
      expect(await verifyMessage({ address: user.address, message, signature: signed.result as Hex })).to.equal(true);

      const typed = {
        domain: { name: "Chainpass", version: "1", chainId: 31337, verifyingContract: platform.factory },
        types: {
          EIP712Domain: [
            { name: "name", type: "string" },
            { name: "version", type: "string" },
            { name: "chainId", type: "uint256" },
            { name: "verifyingContract", type: "address" },
          ],
          Greeting: [
            { name: "text", type: "string" },
            { name: "amount", type: "uint256" },
          ],
        },
        primaryType: "Greeting",
        message: { text: "hello", amount: "1000000000000000000000" },
      } as const;
      const signedTyped = await pageRequest(page, "eth_signTypedData_v4", [user.address, JSON.stringify(typed)]);
      const { EIP712Domain: _, ...types } = typed.types;
      expect(
        await verifyTypedData({ address: user.address, domain: typed.domain, types, primaryType: "Greeting", message: { text: "hello", amount: 10n ** 21n }, signature: signedTyped.result as Hex }),
      ).to.equal(true);

      const wrongChain = await pageRequest(page, "eth_signTypedData_v4", [user.address, JSON.stringify({ ...typed, domain: { ...typed.domain, chainId: 1 } })]);
      expect(wrongChain.error?.code).to.equal(-32602);
    });

    it("sends a transaction: fills nonce, gas and fees, signs, broadcasts, and the ETH moves", async function () {
      await pageRequest(page, "eth_requestAccounts");
      const { publicClient } = chain.clients;
      const before = await publicClient.getBalance({ address: recipient.address });
      const sent = await pageRequest(page, "eth_sendTransaction", [{ from: user.address, to: recipient.address, value: "0xde0b6b3a7640000" }]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash: sent.result as Hex });
      expect(receipt.status).to.equal("success");
      expect(receipt.from.toLowerCase()).to.equal(user.address.toLowerCase());
      expect((await publicClient.getBalance({ address: recipient.address })) - before).to.equal(parseEther("1"));
    });

    it("passes revert data through as an EIP-1193 error that viem decodes", async function () {
      await pageRequest(page, "eth_requestAccounts");
      const data = encodeFunctionData({ abi: ticketFactoryAbi, functionName: "setPlatformFee", args: [100] });
      // In the page: the node's JSON-RPC error, code and revert data included.
      for (const method of ["eth_call", "eth_estimateGas", "eth_sendTransaction"]) {
        const params = method === "eth_call" ? [{ from: user.address, to: platform.factory, data }, "latest"] : [{ from: user.address, to: platform.factory, data }];
        const { error } = await pageRequest(page, method, params);
        expect(error, method).to.include({ isError: true });
        const revert = typeof error!.data === "string" ? error!.data : (error!.data as { data: Hex }).data;
        const decoded = decodeErrorResult({ abi: ticketFactoryAbi, data: revert as Hex });
        expect(decoded.errorName, method).to.equal("OwnableUnauthorizedAccount");
        expect(decoded.args, method).to.deep.equal([user.address]);
      }
      // The same provider under viem (as wagmi uses it in the page): a decoded custom error.
      const viaWallet = createPublicClient({ transport: custom(wallet) });
      const failure = await viaWallet
        .simulateContract({ address: platform.factory, abi: ticketFactoryAbi, functionName: "setPlatformFee", args: [100], account: user.address })
        .then(() => undefined, (e: BaseError) => e);
      const reverted = failure?.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | undefined;
      expect(reverted?.data?.errorName).to.equal("OwnableUnauthorizedAccount");
    });

    it("reports a user rejection as error 4001", async function () {
      await pageRequest(page, "eth_requestAccounts");
      wallet.rejectNext("personal_sign");
      const rejected = await pageRequest(page, "personal_sign", [stringToHex("no"), user.address]);
      expect(rejected.error?.code).to.equal(4001);
      const accepted = await pageRequest(page, "personal_sign", [stringToHex("yes"), user.address]);
      expect(accepted.result).to.match(/^0x[0-9a-f]{130}$/);
    });

    it("switches accounts with accountsChanged", async function () {
      await pageRequest(page, "eth_requestAccounts");
      await page.evaluate(() => {
        const w = window as unknown as InPage & { changes: unknown[] };
        w.changes = [];
        w.ethereum.on("accountsChanged", (accounts) => w.changes.push(accounts));
      });
      await wallet.setAccount(recipient);
      expect(await page.evaluate(() => (window as unknown as { changes: unknown[] }).changes)).to.deep.equal([[recipient.address]]);
      expect(await pageRequest(page, "eth_accounts")).to.deep.equal({ result: [recipient.address] });
      const other = await pageRequest(page, "personal_sign", [stringToHex("hi"), user.address]);
      expect(other.error?.code).to.equal(4100);
    });
  });

  describe("the fake camera", function () {
    let dir: string;
    let browser: Browser;
    const text = "CHAINPASS-TEST:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512/1000003";

    before(async function () {
      dir = mkdtempSync(join(tmpdir(), "chainpass-camera-"));
      browser = await launchBrowser({ fakeCameraY4m: writeQrY4m(join(dir, "qr.y4m"), text) });
    });
    after(async function () {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("shows the QR code to getUserMedia, and jsqr in the page reads it", async function () {
      const { page } = await newPage(browser);
      await openBlankApp(page, "<!doctype html><video autoplay muted playsinline></video><canvas></canvas>");
      await page.goto("http://localhost/");
      await page.addScriptTag({ path: "node_modules/jsqr/dist/jsQR.js" });
      const decoded = await page.evaluate(async () => {
        const jsQR = (window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null }).jsQR;
        const stream = await navigator.mediaDevices.getUserMedia({ video: true });
        const video = document.querySelector("video")!;
        video.srcObject = stream;
        await video.play();
        const canvas = document.querySelector("canvas")!;
        const context = canvas.getContext("2d", { willReadFrequently: true })!;
        for (let attempt = 0; attempt < 50; attempt++) {
          if (video.videoWidth > 0) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            context.drawImage(video, 0, 0);
            const code = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
            if (code) return { text: code.data, width: canvas.width, height: canvas.height, attempt };
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        return null;
      });
      expect(decoded, "no QR code seen").to.not.equal(null);
      expect(decoded!.text).to.equal(text);
      expect([decoded!.width, decoded!.height]).to.deep.equal([640, 480]);
      await page.context().close();
    });
  });
});
