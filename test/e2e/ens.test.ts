// ENS names in a real browser (issue 13, requirement 7), on a chain that has ENS: the local chain
// with a Universal Resolver stand-in (contracts/test/MockEnsUniversalResolver.sol) and the app
// built for it (the LOCALHOST entry plus `ensUniversalResolver`, baked with
// VITE_CHAINPASS_NETWORK into a build of its own; frontend/dist stays the plain local build).
// Verified primary names stand for addresses, names typed in the gift, deny-list and staff inputs
// resolve to what ENS says (shown before anything is sent), and a name without an address is
// refused in words with nothing sent. Every outcome is read on chain as well as on the screen.

import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { getContractAddress, keccak256, parseEther, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { LOCALHOST } from "../../lib/networks.js";
import { artifact } from "../../scripts/lib/local-chain.js";
import { tempFolder } from "../../scripts/lib/supervisor.js";
import { confirmed, manage, openAs, signIn, useBrowserStack, waitForText, type Persona, type PersonaOptions } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { buildFrontendInto, DEMO_ACCOUNTS, localAccount, type Stack } from "./support/stack.js";
import type { TestWallet } from "./support/wallet.js";

const organizer = localAccount(DEMO_ACCOUNTS.organizer);
// As seeded (see fan.test.ts): fan5 holds concert standing 1_000_001-2; fan6 listed concert
// 1_000_004; fan7 listed balcony seat 3_000_008; fan8 holds a conference ticket.
const [fan5, fan6, fan7, fan8] = DEMO_ACCOUNTS.fans.map((i) => localAccount(i));
// The stand-in's deployer, used for nothing else: its first contract's address is known before the
// chain starts, so the app can be built for it while the stack comes up.
const ensAdmin = privateKeyToAccount(keccak256(toHex("chainpass e2e ens resolver")));
const resolver = getContractAddress({ from: ensAdmin.address, nonce: 0n });
const tout: Address = privateKeyToAccount(keccak256(toHex("chainpass e2e tout"))).address;
const scanner: Address = privateKeyToAccount(keccak256(toHex("chainpass e2e scanner"))).address;
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

describe("ENS names in a real browser: primary names shown, names typed in the gift, deny-list and staff inputs", function () {
  this.timeout(120_000);
  const outDir = tempFolder("chainpass-e2e-ens-app-");

  before(async function () {
    this.timeout(400_000);
    const ensNetwork = { ...LOCALHOST, ensUniversalResolver: resolver };
    await buildFrontendInto(outDir, { VITE_CHAINPASS_NETWORK: JSON.stringify(ensNetwork) });
  });

  const env = useBrowserStack({ seed: true, appOutDir: outDir });
  const { logs, read } = env;
  let stack: Stack;
  let browser: Browser;
  let page: Page | undefined;

  before(async function () {
    ({ stack, browser } = env);
    const { publicClient, wallet } = stack.clients;
    const platform = localAccount(DEMO_ACCOUNTS.platform);
    const fund = await wallet(platform).sendTransaction({ to: ensAdmin.address, value: parseEther("1") });
    await publicClient.waitForTransactionReceipt({ hash: fund });
    const { abi, bytecode } = artifact("test/MockEnsUniversalResolver.sol/MockEnsUniversalResolver.json");
    const deployed = await publicClient.waitForTransactionReceipt({ hash: await wallet(ensAdmin).deployContract({ abi, bytecode }) });
    expect(deployed.contractAddress?.toLowerCase(), "the resolver the app was built for").to.equal(resolver.toLowerCase());
    const write = async (functionName: "setAddr" | "setPrimary", args: readonly [string, string]) =>
      publicClient.waitForTransactionReceipt({ hash: await wallet(ensAdmin).writeContract({ address: resolver, abi, functionName, args }) });
    await write("setAddr", ["concerts.eth", organizer.address]);
    await write("setPrimary", [organizer.address, "concerts.eth"]);
    await write("setAddr", ["friend.eth", fan8.address]);
    await write("setPrimary", [fan8.address, "friend.eth"]);
    // fan7 claims friend.eth as its primary name; ENS says friend.eth is fan8: not shown for fan7.
    await write("setPrimary", [fan7.address, "friend.eth"]);
    await write("setAddr", ["tout.eth", tout]);
    await write("setPrimary", [tout, "tout.eth"]);
    await write("setAddr", ["scanner.eth", scanner]);
  });

  afterEach(async function () {
    await page?.context().close();
    page = undefined;
  });

  const demo = () => stack.demo!;

  async function open(account: typeof fan5, path: string, opts: PersonaOptions = {}): Promise<Persona> {
    const persona = await openAs(browser, stack, account, path, logs, opts);
    page = persona.page;
    return persona;
  }

  const card = (p: Page, event: Address, token: bigint) => p.locator(`[data-testid="ticket-${token}"][data-event="${event.toLowerCase()}"]`);
  const sent = (wallet: TestWallet) => wallet.requestsFor("eth_sendTransaction").length;

  it("shows an address's verified primary name (the organizer on the event page), else the short address", async function () {
    const { concert } = demo();
    const { page: p } = await open(fan5, `/events/${concert}`, { connect: false });
    const shown = p.getByTestId("event-organizer").locator("code.address");
    await shown.and(p.locator('[data-ens-name="concerts.eth"]')).waitFor();
    expect(await shown.innerText()).to.equal("concerts.eth");
    // The whole address stays on hover.
    expect(await shown.getAttribute("title")).to.equal(organizer.address.toLowerCase());
    await screenshot(p, "ens-event-organizer");

    // Sellers on the resale market: fan6 has no primary name; fan7's claims a name that is fan8's.
    await p.goto(`${stack.appUrl}/events/${concert}/resale`);
    for (const [token, seller] of [[1_000_004n, fan6.address], [3_000_008n, fan7.address]] as const) {
      const code = p.getByTestId(`seller-${token}`).locator("code.address");
      await code.waitFor();
      // Give a lookup the time to land before reading the fallback.
      await p.waitForTimeout(1000);
      expect(await code.innerText()).to.equal(short(seller.toLowerCase()));
      expect(await code.getAttribute("data-ens-name")).to.equal(null);
    }
  });

  it("a fan gifts a ticket to a typed name: the address it resolved to is shown, and the ticket arrives there", async function () {
    const { concert } = demo();
    const { page: p } = await open(fan5, "/tickets");
    const ticket = card(p, concert, 1_000_002n);
    await manage(ticket);
    // Typed as a person would: ENSIP-15 normalization makes it friend.eth.
    await ticket.getByTestId("gift-to-1000002").fill("Friend.ETH");
    const note = ticket.locator('[data-testid="gift-note-1000002"][data-state="resolved"]');
    await note.waitFor();
    expect(await note.getAttribute("data-address")).to.equal(fan8.address);
    expect(await note.innerText()).to.equal(`friend.eth is ${fan8.address}`);
    await screenshot(p, "ens-gift-resolved");
    await ticket.getByTestId("gift-1000002").click();
    // The confirmation names the recipient by its name and its address.
    await waitForText(ticket.getByTestId("gift-confirm-1000002"), `friend.eth (${fan8.address})`);
    await ticket.getByTestId("gift-confirm-send-1000002").click();
    await waitForText(p.getByTestId("tickets-flash"), "was sent to friend.eth", 60_000);
    expect((await read<Address>(concert, "ownerOf", [1_000_002n])).toLowerCase()).to.equal(fan8.address.toLowerCase());
  });

  it("a typed name with no address (or not a name) is refused in words, in both languages, and nothing is sent", async function () {
    const { concert } = demo();
    const { page: p, wallet } = await open(fan5, "/tickets");
    const ticket = card(p, concert, 1_000_001n);
    await manage(ticket);
    const input = ticket.getByTestId("gift-to-1000001");
    const button = ticket.getByTestId("gift-1000001");
    const note = ticket.getByTestId("gift-note-1000001");
    const refused = async (text: string, problem: string, words: string) => {
      await input.fill(text);
      await note.and(p.locator(`[data-problem="${problem}"]`)).waitFor();
      expect(await note.innerText()).to.equal(words);
      expect(await button.isDisabled(), `the gift button with "${text}"`).to.equal(true);
    };
    await refused("nobody.eth", "not-found", "No address for nobody.eth.");
    await screenshot(p, "ens-gift-refused");
    await refused("al ice.eth", "invalid-name", "“al ice.eth” is not a valid ENS name.");
    await refused("friend", "invalid-address", "Not an address (0x followed by 40 hexadecimal characters) or an ENS name (name.eth).");
    await p.getByTestId("locale").selectOption("zh-CN");
    await refused("nobody.eth", "not-found", "nobody.eth 没有对应的地址。");
    await p.getByTestId("locale").selectOption("en");
    // Pressing the (disabled) button sends nothing, and the ticket stays.
    await button.click({ force: true });
    await p.waitForTimeout(500);
    expect(sent(wallet)).to.equal(0);
    expect((await read<Address>(concert, "ownerOf", [1_000_001n])).toLowerCase()).to.equal(fan5.address.toLowerCase());
  });

  it("the organizer denies a name: the list shows what it resolved to, refuses a name without an address, then sends the address", async function () {
    const { concert } = demo();
    const { page: p, wallet } = await open(organizer, `/organizer/${concert}/deny`);
    await signIn(p);
    await p.getByTestId("console-title").waitFor();
    const text = p.getByTestId("deny-addresses");
    await text.fill("tout.eth\nnobody.eth");
    await p.locator('[data-testid="deny-names"] li[data-name="tout.eth"]').waitFor();
    await p.getByTestId("deny-add").click();
    const refusal = p.getByTestId("deny-refused");
    await refusal.waitFor();
    expect(await refusal.locator('li[data-problem="not-found"]').innerText()).to.equal("No address for nobody.eth.");
    expect(sent(wallet)).to.equal(0);
    await screenshot(p, "ens-deny-refused");

    await text.fill(`tout.eth\n${fan6.address}`);
    const resolved = p.locator('[data-testid="deny-names"] li[data-name="tout.eth"]');
    await resolved.waitFor();
    expect(await resolved.getAttribute("data-address")).to.equal(tout);
    await p.getByTestId("deny-add").click();
    await confirmed(p);
    expect(await read<boolean>(concert, "isDenied", [tout])).to.equal(true);
    expect(await read<boolean>(concert, "isDenied", [fan6.address])).to.equal(true);
    // The denied account is listed in full, with its primary name beside it.
    const row = p.getByTestId("deny-list").locator("li", { hasText: tout.toLowerCase() });
    await row.locator('[data-ens-name="tout.eth"]').waitFor();
    await screenshot(p, "ens-deny-list");
  });

  it("the organizer grants the gate role to a name", async function () {
    const { museum } = demo();
    const gateRole = await read<Hex>(museum, "GATE_ROLE");
    const { page: p } = await open(organizer, `/organizer/${museum}/staff`);
    await signIn(p);
    await p.getByTestId("console-title").waitFor();
    await p.getByTestId("staff-address").fill("scanner.eth");
    const note = p.locator('[data-testid="staff-note"][data-state="resolved"]');
    await note.waitFor();
    expect(await note.getAttribute("data-address")).to.equal(scanner);
    await p.getByTestId("grant-gate").click();
    await confirmed(p);
    expect(await read<boolean>(museum, "hasRole", [gateRole, scanner])).to.equal(true);
  });
});
