import { expect } from "chai";

import { buildAllowlist } from "../../lib/allowlist.js";
import { codeIdFor, signVoucher, type Voucher } from "../../lib/vouchers.js";
import { serializeVoucher } from "../../server/offers/index.js";
import { buildApp } from "../../server/app.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { now, signIn, startLocalChain, testConfig, venueFixture } from "../helpers/server.js";

describe("Server: vouchers and allowlists", function () {
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  let app: ReturnType<typeof buildApp>;
  let organizerCookie: string;

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
  });
  after(async function () {
    await chain.rpc.close();
  });
  beforeEach(async function () {
    app = buildApp(testConfig(chain.rpcUrl, venue.platform));
    organizerCookie = await signIn(app, venue.organizer);
  });
  afterEach(async function () {
    await app.close();
  });

  function voucher(overrides: Partial<Voucher> = {}): Voucher {
    return {
      eventAddress: venue.event,
      tierId: 1n,
      percentOffBps: 1500,
      amountOff: 0n,
      maxUses: 50,
      expiresAt: now() + 86_400,
      buyer: "0x0000000000000000000000000000000000000000",
      signer: venue.organizer.address,
      codeId: codeIdFor("SUMMER15"),
      ...overrides,
    };
  }

  const post = (payload: object, cookie = organizerCookie) =>
    app.server.inject({ method: "POST", url: `/events/${venue.event}/vouchers`, headers: { cookie }, payload });

  it("stores an organizer's signed voucher and gives it to anyone with the code", async function () {
    const v = voucher();
    const signature = await signVoucher(venue.organizer as never, 31337, v);
    const created = await post({ code: "summer15", voucher: serializeVoucher(v), signature });
    expect(created.statusCode).to.equal(201);
    expect(created.json()).to.deep.equal({ code: "SUMMER15", codeId: v.codeId });
    const fetched = await app.server.inject({ method: "GET", url: `/events/${venue.event}/vouchers/Summer15` });
    expect(fetched.statusCode).to.equal(200);
    expect(fetched.json()).to.deep.equal({ code: "SUMMER15", voucher: serializeVoucher(v), signature });
    const list = await app.server.inject({ method: "GET", url: `/events/${venue.event}/vouchers`, headers: { cookie: organizerCookie } });
    expect(list.json().vouchers).to.have.length(1);
  });

  it("refuses vouchers that would not work on chain, saying why", async function () {
    const v = voucher();
    const signature = await signVoucher(venue.organizer as never, 31337, v);
    const cases: [object, string][] = [
      [{ code: "WINTER", voucher: serializeVoucher(v), signature }, "code-mismatch"],
      [{ code: "SUMMER15", voucher: serializeVoucher(v), signature: await signVoucher(localAccount(8) as never, 31337, v) }, "bad-signature"],
      [{ code: "SUMMER15", voucher: serializeVoucher(voucher({ signer: localAccount(8).address })), signature }, "signer-not-authorized"],
      [{ code: "SUMMER15", voucher: { ...serializeVoucher(v), percentOffBps: "lots" }, signature }, "invalid-voucher"],
    ];
    for (const [payload, error] of cases) {
      const response = await post(payload);
      expect(response.statusCode, error).to.equal(400);
      expect(response.json().error).to.equal(error);
    }
  });

  it("lets only the event's organizers store vouchers and upload allowlists", async function () {
    const fanCookie = await signIn(app, venue.fans[0]);
    const v = voucher();
    const response = await post({ code: "SUMMER15", voucher: serializeVoucher(v), signature: "0x00" }, fanCookie);
    expect(response.statusCode).to.equal(403);
    expect(response.json().error).to.equal("not-organizer");
    const upload = await app.server.inject({ method: "PUT", url: `/events/${venue.event}/allowlists/1`, headers: { cookie: fanCookie }, payload: { csv: venue.fans[0].address } });
    expect(upload.statusCode).to.equal(403);
    const anonymous = await app.server.inject({ method: "PUT", url: `/events/${venue.event}/allowlists/1`, payload: { csv: venue.fans[0].address } });
    expect(anonymous.statusCode).to.equal(401);
  });

  it("turns an uploaded CSV into the Merkle root and serves each listed wallet its proof", async function () {
    const csv = `address,allowance\n${venue.fans[0].address},2\n${venue.fans[1].address}\n`;
    const upload = await app.server.inject({ method: "PUT", url: `/events/${venue.event}/allowlists/1`, headers: { cookie: organizerCookie }, payload: { csv } });
    expect(upload.statusCode).to.equal(200);
    const expected = buildAllowlist([
      { address: venue.fans[0].address, allowance: 2n },
      { address: venue.fans[1].address, allowance: 1n },
    ]);
    expect(upload.json()).to.deep.equal({ root: expected.root, entries: 2 });
    const proof = await app.server.inject({ method: "GET", url: `/events/${venue.event}/allowlists/1/${venue.fans[0].address.toLowerCase()}` });
    expect(proof.json()).to.deep.equal({ root: expected.root, proof: expected.proofFor(venue.fans[0].address)!.proof, allowance: "2" });
    const stranger = await app.server.inject({ method: "GET", url: `/events/${venue.event}/allowlists/1/${venue.fans[2].address}` });
    expect(stranger.statusCode).to.equal(404);
    expect(stranger.json().error).to.equal("not-listed");
    const bad = await app.server.inject({ method: "PUT", url: `/events/${venue.event}/allowlists/1`, headers: { cookie: organizerCookie }, payload: { csv: "0x1234,1" } });
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().error).to.equal("invalid-allowlist");
  });

  it("answers unknown codes, events and tiers with 4xx", async function () {
    expect((await app.server.inject({ method: "GET", url: `/events/${venue.event}/vouchers/NOPE` })).json().error).to.equal("unknown-code");
    expect((await app.server.inject({ method: "GET", url: `/events/not-an-address/vouchers/NOPE` })).statusCode).to.equal(404);
    expect((await app.server.inject({ method: "GET", url: `/events/${venue.event}/allowlists/2/${venue.fans[0].address}` })).json().error).to.equal("no-allowlist");
  });
});
