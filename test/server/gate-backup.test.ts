// The door's backups (issue 14, item 4): a pass's backup code, bound to the rotating frame like the
// QR and registered only by the phone holding the pass key; and staff looking a ticket up by
// seat, holder or number and admitting it with a confirmation.
import { expect } from "chai";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";

import {
  backupCodeDigits,
  backupStep,
  formatBackupCode,
  frameMessage,
  isBackupCodeText,
  parseBackupCode,
  registrationMessage,
} from "../../lib/pass/index.js";
import { buildApp, type App } from "../../server/app.js";
import { fanPasses, gateReady, now, signIn, startLocalChain, testConfig, tokenId, venueFixture } from "../helpers/server.js";

type Chain = Awaited<ReturnType<typeof startLocalChain>>;
type Venue = Awaited<ReturnType<typeof venueFixture>>;
type Passes = Awaited<ReturnType<typeof fanPasses>>;
type Answer = { status: number; body: Record<string, unknown> & { verdict?: string; reason?: string; method?: string } };

describe("Server: backup codes and looking tickets up at the door", function () {
  this.timeout(120_000);
  let chain: Chain;
  let venue: Venue;
  let app: App;
  let cookie: string;

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    app = buildApp(testConfig(chain.rpcUrl, venue.platform));
    app.start();
    cookie = await signIn(app, venue.staff);
    await gateReady(app, venue.event, cookie);
  });
  after(async function () {
    await app?.close();
    await chain?.rpc.close();
  });

  const post = async (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await app.server.inject({ method: "POST", url, headers, payload: payload as Record<string, unknown> });
    return { status: response.statusCode, body: response.json() };
  };
  const scanCode = (backupCode: string) => post(`/gate/${venue.event}/scan`, { backupCode }, { cookie });

  /** What the fan's phone does when it opens the pass online: a frame, and the registration signed by the pass key. */
  async function register(passes: Passes, id: bigint, sign: "registration" | "frame" = "registration") {
    const at = now();
    const message = sign === "registration" ? registrationMessage(passes.digest, id, at) : frameMessage(passes.digest, id, at);
    const proof = bytesToHex(await passes.passKey.sign(message));
    return post(`/gate/${venue.event}/backup-codes`, { pass: await passes.pass(id, at), proof });
  }
  const codeAt = async (secret: Hex, id: bigint, at = now()) => formatBackupCode(id, await backupCodeDigits(hexToBytes(secret), id, backupStep(at)));
  /** Ticket `id`'s code `by` above the right one (mod a million): a wrong code. */
  const wrongCode = (right: string, id: bigint, by = 1) => `${id} ${String((Number(right.split(" ").slice(1).join("")) + by) % 1_000_000).padStart(6, "0")}`;

  it("reads a typed code whatever the separators, and tells it from a pass", function () {
    for (const text of ["1000011 482 913", "1000011-482913", "1000011482913", " 1000011 · 482.913 "]) {
      expect(parseBackupCode(text.trim()), text).to.deep.equal({ tokenId: 1_000_011n, digits: "482913" });
      expect(isBackupCodeText(text), text).to.equal(true);
    }
    for (const text of ["482913", "0 482 913", "HC1:6BF", "1000011 48291A", "1".repeat(41)]) expect(parseBackupCode(text), text).to.equal(undefined);
  });

  it("registers only the phone holding the pass key: a photographed frame cannot register", async function () {
    const passes = await fanPasses(venue.fans[1], venue.event, 21);
    // Someone with a photo of the QR has the frame's signature, not the pass key: they can only replay it.
    const replayed = await register(passes, tokenId(1, 11), "frame");
    expect(replayed.status, JSON.stringify(replayed.body)).to.equal(422);
    expect(replayed.body).to.include({ error: "bad-registration-signature" });
    // A ticket the phone's wallet does not hold.
    const notTheirs = await register(passes, tokenId(1, 1));
    expect(notTheirs.status).to.equal(422);
    expect(notTheirs.body).to.include({ error: "delegation-not-by-owner" });
    // The phone itself; again after a reload: the same secret, so the code on screen does not jump.
    const first = await register(passes, tokenId(1, 11));
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ digits: 6, stepSeconds: 15 });
    expect((await register(passes, tokenId(1, 11))).body.secret).to.equal(first.body.secret);
    // Another phone of the same holder gets a secret of its own.
    expect((await register(await fanPasses(venue.fans[1], venue.event, 22), tokenId(1, 11))).body.secret).to.not.equal(first.body.secret);
  });

  it("admits a ticket once on its current code, and refuses old, other tickets' and unregistered codes", async function () {
    const id = tokenId(1, 12);
    const { secret } = (await register(await fanPasses(venue.fans[1], venue.event, 23), id)).body as { secret: Hex };
    // A photo of the code two minutes old (the QR's frames are accepted for 35 s).
    const old = await scanCode(await codeAt(secret, id, now() - 120));
    expect(old.status).to.equal(422);
    expect(old.body).to.include({ verdict: "refuse", reason: "bad-backup-code" });
    // The right digits under another ticket's number.
    const [, a, b] = (await codeAt(secret, id)).split(" ");
    expect((await scanCode(`${tokenId(1, 13)} ${a} ${b}`)).body).to.include({ reason: "no-backup-code" });
    expect((await scanCode("482913")).body).to.include({ reason: "malformed" });

    const admitted = await scanCode(await codeAt(secret, id));
    expect(admitted.status, JSON.stringify(admitted.body)).to.equal(200);
    expect(admitted.body).to.include({ verdict: "admit", method: "code" });
    const again = await scanCode(await codeAt(secret, id));
    expect(again.status).to.equal(409);
    expect(again.body).to.include({ reason: "already-used" });
  });

  it("refuses a registered phone's code once the ticket changed hands", async function () {
    const seller = venue.fans[2];
    const id = tokenId(1, 21);
    const { secret } = (await register(await fanPasses(seller, venue.event, 24), id)).body as { secret: Hex };
    await venue.write("transferFrom", [seller.address, venue.fans[1].address, id], seller);
    const answer = await scanCode(await codeAt(secret, id));
    expect(answer.status).to.equal(422);
    expect(answer.body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner" });
  });

  it("stops taking a ticket's codes after five wrong ones, and says until when", async function () {
    const id = tokenId(1, 14);
    const { secret } = (await register(await fanPasses(venue.fans[1], venue.event, 25), id)).body as { secret: Hex };
    const right = await codeAt(secret, id);
    const wrong = wrongCode(right, id);
    for (let i = 0; i < 5; i++) expect((await scanCode(wrong)).body).to.include({ reason: "bad-backup-code" });
    const locked = await scanCode(right);
    expect(locked.status).to.equal(429);
    expect(locked.body).to.include({ reason: "backup-code-locked" });
    expect(locked.body.retryAt).to.be.a("number").above(now());
  });

  it("counts guesses sent all at once: only five of forty are checked, the rest are refused as locked", async function () {
    const id = tokenId(1, 15);
    const { secret } = (await register(await fanPasses(venue.fans[1], venue.event, 27), id)).body as { secret: Hex };
    const right = await codeAt(secret, id);
    const wrongCodes = Array.from({ length: 40 }, (_, i) => wrongCode(right, id, 1 + i));
    const answers = await Promise.all(wrongCodes.map((code) => scanCode(code)));
    const reasons = answers.map((a) => a.body.reason as string);
    expect(reasons.filter((r) => r === "bad-backup-code"), reasons.join(",")).to.have.length(5);
    expect(reasons.filter((r) => r === "backup-code-locked")).to.have.length(35);
    expect((await scanCode(right)).body).to.include({ reason: "backup-code-locked" });
  });

  it("does not count a right code as a guess", async function () {
    const id = tokenId(1, 16);
    const { secret } = (await register(await fanPasses(venue.fans[1], venue.event, 28), id)).body as { secret: Hex };
    const right = await codeAt(secret, id);
    const wrong = wrongCode(right, id);
    for (let i = 0; i < 4; i++) expect((await scanCode(wrong)).body).to.include({ reason: "bad-backup-code" });
    expect((await scanCode(right)).body).to.include({ verdict: "admit" });
    // Four wrong and one right: a fifth wrong code is still checked; the one after it is locked.
    expect((await scanCode(wrong)).body).to.include({ reason: "bad-backup-code" });
    expect((await scanCode(wrong)).body).to.include({ reason: "backup-code-locked" });
  });

  it("takes a pass or a backup code, not both, and no code from someone who is not staff", async function () {
    const both = await post(`/gate/${venue.event}/scan`, { pass: "x", backupCode: "1000011 482 913" }, { cookie });
    expect(both.status).to.equal(400);
    expect((await post(`/gate/${venue.event}/scan`, { backupCode: "1000011 482 913" })).status).to.equal(401);
  });

  it("refuses a flood of registrations beyond its rate instead of slowing the door", async function () {
    // A gate taking 5 a second: each one taken costs a signature check, and on a loaded machine 50
    // of them (the default) took more than a second, so the flood met no limit (CI of 535cd83).
    const limited = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_GATE_REGISTRATIONS_PER_SECOND: "5" }));
    try {
      const passes = await fanPasses(venue.fans[0], venue.event, 26);
      const pass = await passes.pass(tokenId(1, 1));
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 80 }, () => limited.server.inject({ method: "POST", url: `/gate/${venue.event}/backup-codes`, payload: { pass, proof: `0x${"11".repeat(64)}` } })),
      );
      const seconds = Math.ceil((performance.now() - started) / 1000);
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.every((s) => s === 422 || s === 429), statuses.join(",")).to.equal(true);
      const taken = statuses.filter((s) => s === 422).length;
      expect(taken, `taken in ${seconds} s`).to.be.within(1, 5 * (seconds + 1));
      expect(answers.find((a) => a.statusCode === 429)?.headers["retry-after"]).to.equal("1");
    } finally {
      await limited.close();
    }
  });

  describe("looking a ticket up", function () {
    const lookUp = async (q: string) => {
      const response = await app.server.inject({ method: "GET", url: `/gate/${venue.event}/lookup?q=${encodeURIComponent(q)}`, headers: { cookie } });
      return { status: response.statusCode, body: response.json() as { tickets: { tokenId: string; seat?: string; holder: Address; state: string }[] } };
    };
    const admit = (id: bigint, holder: Address) => post(`/gate/${venue.event}/admit`, { tokenId: id.toString(), holder }, { cookie });

    it("finds a seat by row and number, a holder's tickets by address, a ticket by number", async function () {
      // Fan 0 holds seat 13 of the Stalls map: 10 seats a row, so row B, seat 3.
      for (const q of ["B 3", "stalls b3", "Row B, Seat 3"]) {
        const { body } = await lookUp(q);
        expect(body.tickets.map((t) => [t.tokenId, t.seat, t.holder, t.state]), q).to.deep.equal([[String(tokenId(2, 13)), "Stalls, Row B, Seat 3", venue.fans[0].address, "valid"]]);
      }
      expect((await lookUp("B 4")).body.tickets).to.deep.equal([]);
      const byHolder = (await lookUp(venue.fans[0].address.toLowerCase())).body.tickets.map((t) => t.tokenId);
      expect(byHolder).to.include.members([String(tokenId(1, 1)), String(tokenId(2, 13)), String(tokenId(3, 1))]);
      const early = (await lookUp(String(tokenId(3, 1)))).body.tickets;
      expect(early.map((t) => t.state)).to.deep.equal(["too-early"]);
      expect((await app.server.inject({ method: "GET", url: `/gate/${venue.event}/lookup?q=B3` })).statusCode).to.equal(401);
    });

    it("admits the confirmed holder's ticket once, and refuses when the ticket changed hands since the lookup", async function () {
      expect((await admit(tokenId(2, 13), venue.fans[1].address)).body).to.include({ verdict: "refuse", reason: "delegation-not-by-owner" });
      const admitted = await admit(tokenId(2, 13), venue.fans[0].address);
      expect(admitted.status, JSON.stringify(admitted.body)).to.equal(200);
      expect(admitted.body).to.include({ verdict: "admit", method: "lookup" });
      expect((await admit(tokenId(2, 13), venue.fans[0].address)).body).to.include({ reason: "already-used" });
      expect((await lookUp("B 3")).body.tickets[0].state).to.equal("already-used");
      // Backup codes admitted two tickets above (tokens 11 and 16).
      const status = (await app.server.inject({ method: "GET", url: `/gate/${venue.event}/status`, headers: { cookie } })).json() as { ledger: { byLookup: number; byBackupCode: number } };
      expect(status.ledger).to.include({ byLookup: 1, byBackupCode: 2 });
    });
  });
});
