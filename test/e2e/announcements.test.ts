// Announcements in a real browser (issue 16, requirement 7: reaching holders and members, with no
// email or phone number), for an organizer of the test's own (a local account no other test uses):
// a program ("Riverside Circle", no points signer, so that only the organizer posts levels:
// Silver and Gold) and an event ("Riverside Nights", ETH). A fan holds a ticket of the event and
// is a Silver member (level 1, posted by the organizer); another wallet is a plain member (level
// 0). In the event console's Announcements tab the organizer publishes to the event's holders
// (the page refuses an empty text and a javascript: link first), and in the Membership view to
// the members from Silver: each time the text is uploaded (POST /metadata/announcement, with the
// SIWE session) and announced on chain from the organizer's wallet. The test reads the Announced
// logs (audience, level, uri) and the texts at /ipfs; the fan sees the holders' announcement (and
// the Silver one) on My tickets and the Silver one on /membership and the program's page; the
// plain member does not; and every "JSON feed" link the pages show returns its audience's items.
// Nothing is mocked.
import { expect } from "chai";
import type { Browser, Locator, Page } from "playwright-core";
import { parseEther, parseEventLogs, zeroAddress, type Address } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { createEvent } from "../../scripts/lib/local-chain.js";
import { ServerSession } from "../../scripts/seed-demo.js";
import { confirmed, openAs, signIn, useBrowserStack, waitForText } from "./support/flows.js";
import { screenshot } from "./support/shots.js";
import { localAccount, type Stack } from "./support/stack.js";

/** Accounts no other browser test uses: the organizer, a fan (a holder and a Silver member), a plain member. */
const organizer = localAccount(18);
const fan = localAccount(19);
const plainMember = localAccount(11);
const PRICE = parseEther("0.02");
const PROGRAM = "Riverside Circle";
const EVENT = "Riverside Nights";

const HOLDERS = {
  title: "Doors open at 19:00",
  body: "Doors open an hour earlier than planned.\nBring your pass on your phone.",
  link: "https://example.com/riverside/doors",
};
const SILVER = { title: "Silver pre-sale next week", body: "Members at Silver or above can book the autumn series first." };

const lower = (a: string) => a.toLowerCase();

interface FeedItem {
  id: string;
  title?: string;
  content_text?: string;
  external_url?: string;
  _chainpass: { audience: string; level: number; uri: string; event: string | null };
}

describe("Announcements in a real browser: an organizer announces to an event's holders and to the members from a level; fans read them in the app and in JSON feeds", function () {
  this.timeout(300_000);
  const env = useBrowserStack();
  const { logs } = env;
  let stack: Stack;
  let browser: Browser;
  let event: Address;
  const pages: Page[] = [];
  /** The URIs announced, by the test that announced them. */
  const uris: { holders?: string; silver?: string } = {};

  async function send(account: typeof organizer, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], value?: bigint) {
    const hash = await stack.clients.wallet(account).writeContract({ address, abi, functionName, args, account, chain: stack.clients.chain, value } as never);
    expect((await stack.clients.publicClient.waitForTransactionReceipt({ hash })).status, functionName).to.equal("success");
  }
  const membership = (account: typeof organizer, functionName: string, args: readonly unknown[]) => send(account, stack.platform.membership, chainpassMembershipAbi, functionName, args);

  /** The membership contract's Announced logs, in order. */
  async function announced() {
    const all = await stack.clients.publicClient.getLogs({ address: stack.platform.membership, fromBlock: 0n });
    return parseEventLogs({ abi: chainpassMembershipAbi, eventName: "Announced", logs: all }).map((l) => ({
      organizer: lower(l.args.organizer),
      eventAddress: lower(l.args.eventAddress),
      audience: l.args.audience,
      level: l.args.level,
      uri: l.args.uri,
    }));
  }

  /** The text the server serves for an ipfs:// URI. */
  async function textAt(uri: string) {
    expect(uri).to.match(/^ipfs:\/\/\w+$/);
    const response = await fetch(`${stack.appUrl}/ipfs/${uri.slice("ipfs://".length)}`);
    expect(response.status, uri).to.equal(200);
    return (await response.json()) as unknown;
  }

  /** The JSON feed a link on the page points at. */
  async function feedAt(link: Locator) {
    const href = await link.getAttribute("href");
    expect(href, "a feed link").to.be.a("string");
    const url = new URL(href!, stack.appUrl);
    expect(url.pathname).to.equal("/announcements/feed");
    const response = await fetch(url, { headers: { accept: "text/html,application/json" } });
    expect(response.status, url.href).to.equal(200);
    const feed = (await response.json()) as { version: string; items: FeedItem[] };
    expect(feed.version).to.equal("https://jsonfeed.org/version/1.1");
    return { url, items: feed.items };
  }

  before(async function () {
    ({ stack, browser } = env);
    // The program: no points signer (the organizer posts levels), Silver from 100 points and Gold from 500.
    await membership(organizer, "createProgram", [PROGRAM, zeroAddress]);
    await membership(organizer, "setLevels", [[100n, 500n], ["Silver", "Gold"]]);

    // The event: one General tier on sale now, a week ahead; the fan buys a ticket.
    const now = Number((await stack.clients.publicClient.getBlock()).timestamp);
    const session = new ServerSession(stack.serverUrl, stack.siwe);
    await session.signIn(organizer);
    const start = now + 7 * 86_400;
    const tiers = [{ name: "General", price: PRICE, supply: 100, saleStart: now - 3600, saleEnd: start }];
    const spec = { name: EVENT, symbol: "RVN", start, end: start + 3 * 3600 };
    const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><rect width="8" height="4" fill="#0f766e"/></svg>';
    const metadataURI = await session.publish({ ...spec, description: "Evenings by the river.", venue: "Riverside Quay", timezone: "UTC", tiers, currency: { symbol: "ETH", decimals: 18 }, art });
    event = await createEvent(stack.clients, stack.platform.factory, organizer, { ...spec, metadataURI }, tiers);
    await send(fan, event, chainpassEventAbi, "buy", [1n, 1n, fan.address, PRICE], PRICE);

    // Both join; the organizer posts the fan's level: Silver.
    await membership(fan, "join", [organizer.address]);
    await membership(plainMember, "join", [organizer.address]);
    await membership(organizer, "setMemberLevels", [organizer.address, [fan.address], [1n]]);
    await stack.waitForIndex();
  });

  afterEach(async function () {
    for (const page of pages.splice(0)) await page.context().close();
  });

  async function open(account: typeof organizer, path: string, session = false): Promise<Page> {
    const { page } = await openAs(browser, stack, account, path, logs);
    pages.push(page);
    if (session) await signIn(page);
    return page;
  }

  it("the organizer announces to the event's holders from its console: the text on IPFS, the announcement on chain, listed with its JSON feed", async function () {
    const page = await open(organizer, `/organizer/${lower(event)}/announcements`, true);
    const form = page.getByTestId("announce");
    await waitForText(page.getByTestId("announce-audience"), `The holders of tickets to ${EVENT}`);
    expect(await page.getByTestId("tab-announcements").getAttribute("aria-current")).to.equal("page");

    // Refused on the page first: no title, no message, a link that is not http(s). Nothing uploaded or sent.
    await page.getByTestId("announce-link").fill("javascript:alert(1)");
    await page.getByTestId("announce-submit").click();
    await waitForText(form, "Give it a title.");
    await waitForText(form, "Write the message.");
    await waitForText(form, "A web address starting with https:// or http://.");
    expect(await form.getByTestId("tx-status").count()).to.equal(0);
    expect(await page.getByTestId("announce-upload").count()).to.equal(0);

    await page.getByTestId("announce-title").fill(HOLDERS.title);
    await page.getByTestId("announce-body").fill(HOLDERS.body);
    await page.getByTestId("announce-link").fill(HOLDERS.link);
    const preview = page.getByTestId("announce-preview");
    await waitForText(preview, HOLDERS.title);
    expect(await preview.getByTestId("announcement-link").getAttribute("href")).to.equal(HOLDERS.link);
    await screenshot(page, "announce-holders-compose", { fullPage: true });
    await page.getByTestId("announce-submit").click();
    await confirmed(page, { within: form });
    await waitForText(page.getByTestId("announce-upload"), "Text stored at ipfs://");

    // On chain: audience 0 (the event's holders), level 0, the uploaded text's URI.
    const logged = await announced();
    expect(logged).to.have.length(1);
    const [log] = logged;
    expect({ ...log, uri: undefined }).to.deep.equal({ organizer: lower(organizer.address), eventAddress: lower(event), audience: 0, level: 0, uri: undefined });
    uris.holders = log!.uri;
    expect(await textAt(log!.uri)).to.deep.equal(HOLDERS);
    // The composer is cleared for the next one.
    expect(await page.getByTestId("announce-title").inputValue()).to.equal("");

    // Listed below, its text read back from IPFS.
    const sent = page.locator(`[data-testid="sent-announcement"][data-uri="${log!.uri}"]`);
    await sent.waitFor({ timeout: 30_000 });
    await waitForText(sent.getByTestId("announcement-title"), HOLDERS.title);
    expect(await sent.getByTestId("announcement-body").innerText()).to.equal(HOLDERS.body);
    expect(await sent.getByTestId("sent-to").innerText()).to.equal("To ticket holders");
    await screenshot(page, "announce-holders-sent", { fullPage: true });

    // The holders' JSON feed, from the page's link.
    const { url, items } = await feedAt(page.getByTestId("announce-feed-0"));
    expect(url.searchParams.get("event")).to.equal(lower(event));
    expect(items.map((i) => [i.title, i.content_text, i.external_url, i._chainpass.audience, i._chainpass.uri])).to.deep.equal([
      [HOLDERS.title, HOLDERS.body, HOLDERS.link, "Holders", log!.uri],
    ]);
    expect((await feedAt(sent.getByTestId("announcement-feed"))).url.href).to.equal(url.href);
  });

  it("the organizer announces to the members from Silver on the Membership view", async function () {
    const page = await open(organizer, "/organizer?view=membership", true);
    const form = page.getByTestId("announce");
    await form.waitFor();
    const audience = page.getByTestId("announce-audience");
    expect(await audience.locator("option").allInnerTexts()).to.deep.equal([`Every member of ${PROGRAM}`, "Members at Silver or above", "Members at Gold or above"]);
    await audience.selectOption("1");
    await page.getByTestId("announce-title").fill(SILVER.title);
    await page.getByTestId("announce-body").fill(SILVER.body);
    await waitForText(page.getByTestId("announce-preview"), "Preview. To: Members at Silver or above");
    await page.getByTestId("announce-submit").click();
    await confirmed(page, { within: form });

    // On chain: audience 2 (members from a level), level 1, no event.
    const logged = await announced();
    expect(logged).to.have.length(2);
    const log = logged[1]!;
    expect({ ...log, uri: undefined }).to.deep.equal({ organizer: lower(organizer.address), eventAddress: lower(zeroAddress), audience: 2, level: 1, uri: undefined });
    uris.silver = log.uri;
    expect(await textAt(log.uri)).to.deep.equal(SILVER);

    const sent = page.locator(`[data-testid="sent-announcement"][data-uri="${log.uri}"]`);
    await sent.waitFor({ timeout: 30_000 });
    await waitForText(sent.getByTestId("announcement-title"), SILVER.title);
    expect(await sent.getByTestId("sent-to").innerText()).to.equal("Members at Silver or above");
    // The holders' announcement is the event's, not the program's.
    expect(await page.locator(`[data-testid="sent-announcement"][data-uri="${uris.holders}"]`).count()).to.equal(0);
    await screenshot(page, "announce-members-sent", { fullPage: true });

    // Silver's feed has it; every member's (level 0) does not.
    const silver = await feedAt(page.getByTestId("announce-feed-1"));
    expect([silver.url.searchParams.get("program"), silver.url.searchParams.get("level")]).to.deep.equal([lower(organizer.address), "1"]);
    expect(silver.items.map((i) => [i.title, i.content_text, i._chainpass.audience, i._chainpass.level])).to.deep.equal([[SILVER.title, SILVER.body, "Level", 1]]);
    expect((await feedAt(page.getByTestId("announce-feed-0"))).items).to.deep.equal([]);
  });

  it("the fan, a holder and a Silver member, reads both on My tickets, and the Silver one on the membership pages; the feeds shown return them", async function () {
    expect(uris.holders && uris.silver, "the announcements of the tests above").to.be.a("string");
    const page = await open(fan, "/tickets");
    await page.locator(`[data-testid="event-group"][data-event="${lower(event)}"]`).waitFor();
    const section = page.getByTestId("announcements");
    const holders = section.locator(`[data-testid="announcement"][data-uri="${uris.holders}"]`);
    await holders.waitFor({ timeout: 30_000 });
    await waitForText(holders.getByTestId("announcement-title"), HOLDERS.title);
    expect(await holders.getByTestId("announcement-body").innerText()).to.equal(HOLDERS.body);
    expect(await holders.getByTestId("announcement-from").innerText()).to.equal(`From ${EVENT}`);
    const link = holders.getByTestId("announcement-link");
    expect([await link.getAttribute("href"), await link.getAttribute("target"), await link.getAttribute("rel")]).to.deep.equal([HOLDERS.link, "_blank", "noopener noreferrer"]);
    const silver = section.locator(`[data-testid="announcement"][data-uri="${uris.silver}"]`);
    await waitForText(silver.getByTestId("announcement-title"), SILVER.title);
    expect(await silver.getByTestId("announcement-from").innerText()).to.equal(`From ${PROGRAM}`);
    await waitForText(silver, "For Silver members and above");
    // Newest first.
    expect(await section.getByTestId("announcement").evaluateAll((items) => items.map((li) => li.getAttribute("data-uri")))).to.deep.equal([uris.silver, uris.holders]);
    await screenshot(page, "announcements-my-tickets", { fullPage: true });

    // The feeds My tickets links to: the event's holders', and the program's at the fan's level.
    const eventFeed = await feedAt(section.getByTestId(`feed-${lower(event)}`));
    expect(eventFeed.items.map((i) => i._chainpass.uri)).to.deep.equal([uris.holders]);
    const programFeed = await feedAt(section.getByTestId(`feed-${lower(organizer.address)}`));
    expect(programFeed.url.searchParams.get("level")).to.equal("1");
    expect(programFeed.items.map((i) => [i.title, i._chainpass.uri])).to.deep.equal([[SILVER.title, uris.silver]]);

    // My memberships: the program's card has the Silver one, not the event's.
    await page.getByTestId("nav-memberships").click();
    const card = page.getByTestId(`membership-${lower(organizer.address)}`);
    await waitForText(card.getByTestId("member-level"), "Silver");
    const inCard = card.locator(`[data-testid="announcement"][data-uri="${uris.silver}"]`);
    await waitForText(inCard.getByTestId("announcement-title"), SILVER.title, 30_000);
    expect(await inCard.getByTestId("announcement-body").innerText()).to.equal(SILVER.body);
    expect(await card.getByTestId("announcement").count()).to.equal(1);
    expect((await feedAt(card.getByTestId(`feed-${lower(organizer.address)}`))).items.map((i) => i._chainpass.uri)).to.deep.equal([uris.silver]);
    await screenshot(page, "announcements-membership", { fullPage: true });

    // The program's page, for a member.
    await card.getByRole("link", { name: PROGRAM }).click();
    await waitForText(page.getByTestId("member-status"), "You are a member: Silver.");
    await waitForText(page.getByTestId("announcements").locator(`[data-uri="${uris.silver}"]`), SILVER.title);
  });

  it("a plain member (level 0) does not see the Silver announcement, and their feed does not list it", async function () {
    const page = await open(plainMember, "/membership");
    const card = page.getByTestId(`membership-${lower(organizer.address)}`);
    await waitForText(card.getByTestId("member-level"), "Member");
    await waitForText(card.getByTestId("announcements-none"), "No announcements yet.");
    expect(await card.getByTestId("announcement").count()).to.equal(0);
    const feed = await feedAt(card.getByTestId(`feed-${lower(organizer.address)}`));
    expect(feed.url.searchParams.get("level")).to.equal(null);
    expect(feed.items).to.deep.equal([]);
  });
});
