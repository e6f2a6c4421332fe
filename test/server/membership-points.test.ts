// Issue 16 end to end in the server. Requirements 1 and 3: its points signer (CHAINPASS_POINTS_KEY)
// reads the members' balances from the local index, posts the balance root and the levels members
// reached, and serves each member the proof a purchase with points needs; the purchase goes
// through on chain and the next round anchors what it changed. Requirement 7: an organizer
// publishes an announcement's text, announces it on chain to an audience, and each audience's
// JSON feed lists exactly what was announced to it.
import { expect } from "chai";
import { toHex, type Hex } from "viem";

import { encodeMemberProof } from "../../lib/membership.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { buildApp, type App } from "../../server/app.js";
import { membershipReader, membershipWriter, signInOverHttp, startLocalChain, testConfig, venueFixture } from "../helpers/server.js";

const PRICE = 10n ** 16n;
const ETH = "0x0000000000000000000000000000000000000000";
const POINT_VALUE = 10n ** 14n;

describe("Server: the points signer and members' proofs", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let app: App | undefined;

  before(async function () {
    chain = await startLocalChain();
  });
  after(async function () {
    await app?.close();
    await chain.rpc.close();
  });

  it("posts the root and levels from the index, serves proofs that buy on chain, and anchors the next change", async function () {
    const venue = await venueFixture(chain.clients);
    const { organizer } = venue;
    const [fan, friend, stranger] = venue.fans;
    const signer = localAccount(9);
    const membership = venue.platform.membership;
    const program = membershipWriter(chain.clients, membership, organizer);
    const read = membershipReader(chain.clients, membership);

    await program("createProgram", ["Friends of the Hall", signer.address]);
    await program("setEarnRate", [ETH, PRICE, 10n]);
    await program("setRewards", [0n, 50n]);
    await program("setLevels", [[65n], ["Silver"]]);
    await program("setPointValue", [ETH, POINT_VALUE]);
    await venue.write("setMembership", [membership]);
    await program("join", [organizer.address], fan);
    await program("join", [organizer.address], friend);
    await venue.write("buy", [1n, 2n, fan.address, 2n * PRICE], fan, 2n * PRICE); // 20 + 50: Silver (65)
    await venue.write("buy", [1n, 1n, friend.address, PRICE], friend, PRICE); // 10 + 50

    const key = toHex(signer.getHdKey().privateKey!);
    app = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_POINTS_KEY: key, CHAINPASS_POINTS_INTERVAL_MS: "3600000" }));
    const { url } = await app.listen();
    await app.indexer!.syncOnce();

    expect(await (await fetch(`${url}/membership/signer`)).json()).to.deep.equal({ address: signer.address });
    // Nothing posted yet: no proof to give.
    const early = await fetch(`${url}/membership/${organizer.address}/proof/${fan.address}`);
    expect([early.status, ((await early.json()) as { error: string }).error]).to.deep.equal([404, "not-in-balances"]);

    expect(await app.points!.postOnce()).to.deep.equal({ programs: 1, rootsPosted: 1, levelsSet: 1 });
    expect(await read<bigint>("levelOf", [organizer.address, fan.address])).to.equal(1n);
    expect(await read<bigint>("levelOf", [organizer.address, friend.address])).to.equal(0n);
    const proofOf = async (member: string) => {
      const response = await fetch(`${url}/membership/${organizer.address}/proof/${member}`);
      return { status: response.status, body: (await response.json()) as { root: Hex; credited: string; proof: Hex[]; spent: string; available: string; error?: string } };
    };
    const first = await proofOf(fan.address);
    expect(first.status).to.equal(200);
    expect(first.body).to.deep.include({ credited: "70", spent: "0", available: "70", root: (await read<{ root: Hex }>("program", [organizer.address])).root });

    // The proof buys: 30 points (0.003 ETH) off a ticket.
    const cash = PRICE - 30n * POINT_VALUE;
    const member = encodeMemberProof({ credited: BigInt(first.body.credited), proof: first.body.proof }, 30n);
    await venue.write("buyWith", [1n, 1n, fan.address, purchaseOptions({ member, maxTotal: cash })], fan, cash);
    const after = await proofOf(fan.address);
    expect(after.body).to.deep.include({ credited: "70", spent: "30", available: "40" });

    // The purchase earned 7 points on its cash: the next round posts a new root (and no level change).
    await app.indexer!.syncOnce();
    expect(await app.points!.postOnce()).to.deep.equal({ programs: 1, rootsPosted: 1, levelsSet: 0 });
    expect((await proofOf(fan.address)).body).to.deep.include({ credited: "77", spent: "30", available: "47" });
    // A round with nothing new posts nothing.
    await app.indexer!.syncOnce();
    expect(await app.points!.postOnce()).to.deep.equal({ programs: 1, rootsPosted: 0, levelsSet: 0 });

    // Bad requests say what is wrong.
    expect((await proofOf(stranger.address)).body.error).to.equal("not-in-balances");
    expect((await proofOf("not-an-address")).body.error).to.equal("bad-member");
    const unknown = await fetch(`${url}/membership/${stranger.address}/proof/${fan.address}`);
    expect([unknown.status, ((await unknown.json()) as { error: string }).error]).to.deep.equal([404, "unknown-program"]);
  });

  it("publishes announcements' texts, and serves each audience's JSON feed from what was announced on chain", async function () {
    await app?.close();
    const venue = await venueFixture(chain.clients);
    const { organizer } = venue;
    const [fan] = venue.fans;
    const membership = venue.platform.membership;
    const send = membershipWriter(chain.clients, membership, organizer);
    app = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_SIWE_DOMAIN: "127.0.0.1", CHAINPASS_SIWE_ORIGIN: "http://127.0.0.1", CHAINPASS_SECURE_COOKIES: "false" }));
    const { url } = await app.listen();
    const cookie = await signInOverHttp(url, organizer, { domain: "127.0.0.1", uri: "http://127.0.0.1" });
    const publish = async (text: unknown, session = cookie) => {
      const response = await fetch(`${url}/metadata/announcement`, { method: "POST", headers: { "content-type": "application/json", cookie: session }, body: JSON.stringify(text) });
      return { status: response.status, body: (await response.json()) as { uri: string; error?: string } };
    };
    const doors = await publish({ title: "Doors at 18:30", body: "  Doors open half an hour early.  ", link: "https://example.org/doors" });
    expect(doors.status).to.equal(201);
    const gold = await publish({ title: "Gold presale", body: "Gold members buy first on Friday." });
    const all = await publish({ title: "Welcome", body: "Thanks for joining." });
    // Refused: no session, an empty title, a javascript: link.
    expect((await publish({ title: "x", body: "y" }, "")).status).to.equal(401);
    expect((await publish({ title: "", body: "y" })).status).to.equal(400);
    expect((await publish({ title: "x", body: "y", link: "javascript:alert(1)" })).body.error).to.equal("invalid-field");

    await send("createProgram", ["Friends of the Hall", organizer.address]);
    await send("announce", [venue.event, 0, 0, doors.body.uri]);
    await send("announce", ["0x0000000000000000000000000000000000000000", 2, 2, gold.body.uri]);
    await send("announce", ["0x0000000000000000000000000000000000000000", 1, 0, all.body.uri]);
    await app.indexer!.syncOnce();

    const feed = async (query: string) => (await fetch(`${url}/announcements/feed?${query}`)).json() as Promise<{ version: string; items: { title?: string; content_text?: string; external_url?: string; _chainpass: { audience: string; level: number } }[]; error?: string }>;
    const holders = await feed(`event=${venue.event}`);
    expect(holders.version).to.equal("https://jsonfeed.org/version/1.1");
    expect(holders.items.map((i) => [i.title, i.content_text, i.external_url, i._chainpass.audience])).to.deep.equal([["Doors at 18:30", "Doors open half an hour early.", "https://example.org/doors", "Holders"]]);
    // Members: a level-1 reader does not get the Gold (level 2) one; a Gold reader gets both, newest first.
    expect((await feed(`program=${organizer.address}&level=1`)).items.map((i) => i.title)).to.deep.equal(["Welcome"]);
    expect((await feed(`program=${organizer.address}&level=2`)).items.map((i) => i.title)).to.deep.equal(["Welcome", "Gold presale"]);
    expect((await feed(`event=${venue.event}&program=${organizer.address}`)).error).to.equal("bad-audience");
    expect((await feed("event=nope")).error).to.equal("bad-address");
    // Only the event's organizer can announce to its holders.
    await send("announce", [venue.event, 0, 0, doors.body.uri], fan).then(
      () => expect.fail("a fan announced"),
      (error: Error) => expect(error.message).to.include("NotEventOrganizer"),
    );
  });
});
