// Gate servers on several machines share the whole door, not only the ledger (issue 19,
// requirements 1 and 6): two gate servers, each with its own SQLite file and chain link, on one
// PostgreSQL database. What one learns or records, the other uses: a session, a contract wallet's
// EIP-1271 yes, a registered delegation, a backup code, an offline upload and its conflict. A GATE
// role revoked on chain is refused at both.
import { expect } from "chai";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";

import { backupCodeDigits, backupStep, formatBackupCode, registrationMessage } from "../../lib/pass/index.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { buildApp, type App } from "../../server/app.js";
import { openPgLedger } from "../../server/gate/pg-ledger.js";
import { contractWalletPasses, deployContractWallet } from "../helpers/contract-wallet.js";
import { eventually } from "../helpers/eventually.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { startRpcLink } from "../helpers/rpc-link.js";
import { fanPasses, GATE_ROLE, now, signIn, startLocalChain, testConfig, tokenId, venueFixture } from "../helpers/server.js";

type Answer = { status: number; body: Record<string, unknown> & { verdict?: string; reason?: string; offline?: boolean; error?: string } };

describe("Server: two gate servers on one PostgreSQL share the door's state", function () {
  this.timeout(180_000);
  let postgres: TestPostgres;
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;
  let linkB: Awaited<ReturnType<typeof startRpcLink>>;
  let a: App;
  let b: App;
  let staff: string;
  let otherStaff: string;
  let knownWallet: Awaited<ReturnType<typeof contractWalletPasses>>;
  let registeredWallet: Awaited<ReturnType<typeof contractWalletPasses>>;
  let registered: Address;

  before(async function () {
    postgres = await startPostgres();
    const url = await postgres.createDatabase();
    await (await openPgLedger(url)).close(); // migrated before both servers open it
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    // Two contract wallets holding tickets of fan 2's: one verified online at A, one registered at A.
    const known = await deployContractWallet(chain, localAccount(10).address);
    registered = await deployContractWallet(chain, localAccount(12).address);
    for (const [to, serial] of [
      [known, 21],
      [known, 22],
      [registered, 25],
    ] as const) {
      await venue.write("transferFrom", [venue.fans[2].address, to, tokenId(1, serial)], venue.fans[2]);
    }
    knownWallet = await contractWalletPasses(known, 10, venue.event, 10);
    registeredWallet = await contractWalletPasses(registered, 12, venue.event, 12, { registered: true });

    // Server B reaches the chain through a link the tests cut; A directly.
    linkB = await startRpcLink(chain.rpcUrl);
    // Opening the event may wait 4 × the RPC timeout: starting two gates' chain threads at once
    // took longer than 12 s (the default's) on a loaded machine (as in gate-bootstrap.test.ts).
    const env = { DATABASE_URL: url, CHAINPASS_INDEXER: "false", CHAINPASS_GATE_RPC_TIMEOUT_MS: "10000" };
    a = buildApp(testConfig(chain.rpcUrl, venue.platform, {}, env));
    b = buildApp(testConfig(linkB.url, venue.platform, {}, env));
    for (const app of [a, b]) app.start();
    staff = await signIn(a, venue.staff);
    otherStaff = await signIn(b, venue.writer);
    await Promise.all([a.gate.event(venue.event), b.gate.event(venue.event)]);
  });
  after(async function () {
    await Promise.all([a?.close(), b?.close()]);
    await linkB?.close();
    await chain?.rpc.close();
    await postgres?.stop();
  });

  const post = async (app: App, path: string, cookie: string, payload: Record<string, unknown>): Promise<Answer> => {
    const response = await app.server.inject({ method: "POST", url: `/gate/${venue.event}/${path}`, headers: { cookie }, payload });
    return { status: response.statusCode, body: response.json() };
  };
  const scan = async (app: App, pass: string, cookie = staff) => post(app, "scan", cookie, { pass });

  it("a staff member signed in at one server is signed in at the other, and a ticket admitted at one is used at the other", async function () {
    const passes = await fanPasses(venue.fans[0], venue.event, 1);
    const first = await scan(b, await passes.pass(tokenId(1, 1)), staff); // A's session, at B
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ verdict: "admit" });
    expect((await scan(a, await passes.pass(tokenId(1, 1)), otherStaff)).body).to.include({ verdict: "refuse", reason: "already-used" });
  });

  describe("with server B's chain link down", function () {
    before(async function () {
      // Online at A: a contract wallet's EIP-1271 yes, and a registered delegation (a passkey account's way).
      const online = await scan(a, await knownWallet(tokenId(1, 21)));
      expect(online.body, JSON.stringify(online.body)).to.include({ verdict: "admit", offline: false });
      const snapshot = await a.gate.event(venue.event);
      expect(await a.gate.registerDelegation(snapshot!, registeredWallet.delegation, registered, registeredWallet.walletSignature)).to.deep.equal({ ok: true });
      linkB.down();
      expect(await b.gate.refresh()).to.equal(false);
    });
    after(async function () {
      linkB.up();
      await eventually(() => b.gate.refresh(), "server B back online");
    });

    it("admits another ticket of a contract wallet that server A verified online (B never asked the wallet)", async function () {
      const { status, body } = await scan(b, await knownWallet(tokenId(1, 22)));
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ verdict: "admit", offline: true });
    });

    it("admits a pass without a signature whose delegation was registered at server A", async function () {
      const { status, body } = await scan(b, await registeredWallet(tokenId(1, 25)));
      expect(status, JSON.stringify(body)).to.equal(200);
      expect(body).to.include({ verdict: "admit", offline: true });
    });
  });

  /** A fan's phone registers ticket `id` for backup codes at server A; its current six digits. */
  async function registerAtA(id: bigint, seed: number): Promise<string> {
    const passes = await fanPasses(venue.fans[1], venue.event, seed);
    const at = now();
    const proof = bytesToHex(await passes.passKey.sign(registrationMessage(passes.digest, id, at)));
    const registration = await post(a, "backup-codes", staff, { pass: await passes.pass(id, at), proof });
    expect(registration.status, JSON.stringify(registration.body)).to.equal(200);
    return backupCodeDigits(hexToBytes(registration.body.secret as Hex), id, backupStep(now()));
  }

  it("accepts at server B a backup code whose phone registered at server A", async function () {
    const id = tokenId(1, 11);
    const code = formatBackupCode(id, await registerAtA(id, 21));
    const typed = await post(b, "scan", otherStaff, { backupCode: code });
    expect(typed.status, JSON.stringify(typed.body)).to.equal(200);
    expect(typed.body).to.include({ verdict: "admit", method: "code" });
  });

  it("counts wrong backup codes over both servers: the fifth wrong one, wherever typed, locks the ticket's codes at both", async function () {
    const id = tokenId(1, 12);
    const right = await registerAtA(id, 22);
    const wrong = formatBackupCode(id, right === "000000" ? "000001" : "000000");
    for (const app of [a, b, a, b, a]) expect((await post(app, "scan", staff, { backupCode: wrong })).body).to.include({ reason: "bad-backup-code" });
    for (const app of [a, b]) {
      const locked = await post(app, "scan", staff, { backupCode: formatBackupCode(id, right) });
      expect(locked.body, "the right code too, while locked").to.include({ verdict: "refuse", reason: "backup-code-locked" });
    }
  });

  it("offline uploads at both servers: one admission; the second device's is a conflict naming the first's device, staff and method, listed at both", async function () {
    const upload = (app: App, cookie: string, device: string, admittedAt: number) =>
      post(app, "offline-admissions", cookie, {
        device,
        deviceLabel: `Door ${device}`,
        admissions: [{ tokenId: tokenId(1, 3).toString(), holder: venue.fans[0].address, admittedAt }],
      });
    const first = await upload(a, staff, "deviceA", now() - 120);
    expect((first.body.results as { result: string }[])[0].result, JSON.stringify(first.body)).to.equal("admitted");
    const second = await upload(b, otherStaff, "deviceB", now() - 60);
    const [conflict] = second.body.results as { result: string; by: Record<string, unknown> }[];
    expect(conflict.result).to.equal("conflict");
    expect(conflict.by).to.include({ device: "deviceA", deviceLabel: "Door deviceA", method: "offline", staff: venue.staff.address });
    expect(conflict.by.at).to.be.a("number");
    for (const app of [a, b]) {
      const response = await app.server.inject({ method: "GET", url: `/gate/${venue.event}/conflicts`, headers: { cookie: staff } });
      const { conflicts } = response.json() as { conflicts: { tokenId: string; device: string }[] };
      expect(conflicts.map((c) => [c.tokenId, c.device])).to.deep.equal([[tokenId(1, 3).toString(), "deviceB"]]);
    }
  });

  it("the feed: a device's copy from server B, then a ticket admitted at server A and one moved on chain, are fed at either server from the copy's cursor and block", async function () {
    const get = async (app: App, url: string, cookie: string) => (await app.server.inject({ method: "GET", url: `/gate/${venue.event}/${url}`, headers: { cookie } })).json() as Record<string, unknown>;
    const copy = (await get(b, "offline-snapshot", otherStaff)) as { usedCursor: string; used: string[]; block: number };
    const ticket = tokenId(1, 8).toString();
    expect(copy.used).to.not.include(ticket);
    const passes = await fanPasses(venue.fans[0], venue.event, 8);
    expect((await scan(a, await passes.pass(tokenId(1, 8)), staff)).body).to.include({ verdict: "admit" });
    // A PostgreSQL transaction id: one cursor for the ledger every server shares. (Fed once no
    // transaction begun before the admission's is still open: the writer's take milliseconds.)
    const fed = async (app: App, cookie: string) => {
      let answer: { tokenIds: string[]; mine: string[] } = { tokenIds: [], mine: [] };
      await eventually(async () => {
        answer = (await get(app, `used-since?cursor=${copy.usedCursor}`, cookie)) as typeof answer;
        return answer.tokenIds.includes(ticket);
      }, "the ticket fed");
      return answer;
    };
    expect((await fed(b, otherStaff)).mine, "not B's staff member's").to.not.include(ticket);
    expect((await fed(a, staff)).mine, "A's staff member's").to.include(ticket);

    // Tickets moved since the copy's block, each server following the chain itself: fed at either.
    const moved = tokenId(1, 29);
    const { blockNumber } = await venue.write("transferFrom", [venue.fans[2].address, venue.fans[1].address, moved], venue.fans[2]);
    for (const [app, cookie] of [
      [a, staff],
      [b, otherStaff],
    ] as const) {
      let answer: { block?: number; tickets?: string[][] } = {};
      await eventually(async () => {
        answer = (await get(app, `used-since?cursor=${copy.usedCursor}&block=${copy.block}`, cookie)) as typeof answer;
        // The move may be fed before its block's sync (then with the copy's own block, to be fed
        // again): wait for the answer whose block is the move's.
        return answer.block! >= Number(blockNumber);
      }, "the moved ticket's block synced");
      expect(answer.tickets!.find(([id]) => id === moved.toString())?.[1], "the moved ticket fed").to.equal(venue.fans[1].address.toLowerCase());
    }
  });

  it("a GATE role revoked on chain is refused at both servers at their next scan (403 not-gate-staff), nothing admitted", async function () {
    const passes = await fanPasses(venue.fans[0], venue.event, 2);
    expect((await scan(b, await passes.pass(tokenId(1, 5)), otherStaff)).body).to.include({ verdict: "admit" });
    await venue.write("revokeRole", [GATE_ROLE, venue.writer.address]);
    for (const [app, id] of [
      [a, tokenId(1, 6)],
      [b, tokenId(1, 7)],
    ] as const) {
      const { status, body } = await scan(app, await passes.pass(id), otherStaff);
      expect([status, body.error], JSON.stringify(body)).to.deep.equal([403, "not-gate-staff"]);
    }
    expect(await a.gate.ledger.admittedAmong(venue.event, [tokenId(1, 6), tokenId(1, 7)])).to.deep.equal([]);
  });
});
