// Scanners that survive a dropped link (issue 19, requirement 4): the staff-only snapshot a
// device verifies against offline, the upload of its offline admissions through the ledger's
// atomic step, and conflicts when two devices admitted one ticket.
import { expect } from "chai";

import { MAX_HELD_GROUPS, TICKET_ROWS_PER_GROUP, usedOfBits, withTicketRows, type OfflineSnapshot, type OfflineSnapshotAnswer } from "../../lib/offline-admissions.js";
import { verifyPass } from "../../lib/pass/index.js";
import { buildApp, type App } from "../../server/app.js";
import { eventually } from "../helpers/eventually.js";
import { fanPasses, gateReady, now, signIn, startLocalChain, testConfig, tokenId, venueFixture } from "../helpers/server.js";

type Chain = Awaited<ReturnType<typeof startLocalChain>>;
type Venue = Awaited<ReturnType<typeof venueFixture>>;
type Answer = { status: number; body: Record<string, unknown> };
type Snapshot = { chainId: string; event: string; tickets: [string, string, string | null, string | null, number | null, number | null][]; used: string[]; denied: string[]; checkInOpensAt: number };
type Result = { tokenId: string; result: string; reason?: string; by?: Record<string, unknown> };

describe("Server: offline scanners' snapshot, uploads and conflicts", function () {
  this.timeout(120_000);
  let chain: Chain;
  let venue: Venue;
  let app: App;
  let staffA: string;
  let staffB: string;
  let fan: string;
  let organizer: string;

  before(async function () {
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    app = buildApp(testConfig(chain.rpcUrl, venue.platform));
    app.start();
    staffA = await signIn(app, venue.staff);
    staffB = await signIn(app, venue.writer);
    fan = await signIn(app, venue.fans[0]);
    organizer = await signIn(app, venue.organizer);
    await gateReady(app, venue.event, staffA);
  });
  after(async function () {
    await app?.close();
    await chain?.rpc.close();
  });

  const get = async (url: string, cookie?: string): Promise<Answer> => {
    const response = await app.server.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
    return { status: response.statusCode, body: response.json() };
  };
  const upload = async (cookie: string, device: string, admissions: { tokenId: bigint; holder: string; admittedAt?: number; unanswered?: boolean }[]) => {
    const response = await app.server.inject({
      method: "POST",
      url: `/gate/${venue.event}/offline-admissions`,
      headers: { cookie },
      payload: {
        device,
        deviceLabel: `Door ${device}`,
        admissions: admissions.map((a) => ({ tokenId: a.tokenId.toString(), holder: a.holder, admittedAt: a.admittedAt ?? now(), ...(a.unanswered ? { unanswered: true } : {}) })),
      },
    });
    return { status: response.statusCode, body: response.json() as { results: Result[] } };
  };

  it("gives the snapshot to gate staff only, and a pass verifies against it as the gate would", async function () {
    expect((await get(`/gate/${venue.event}/offline-snapshot`)).status).to.equal(401);
    expect((await get(`/gate/${venue.event}/offline-snapshot`, fan)).status).to.equal(403);
    const { status, body } = await get(`/gate/${venue.event}/offline-snapshot`, staffA);
    expect(status).to.equal(200);
    const snapshot = body as unknown as Snapshot;
    expect(snapshot.chainId).to.equal("31337");
    const owners = new Map(snapshot.tickets.map(([id, owner]) => [BigInt(id), owner]));
    expect(owners.get(tokenId(1, 1))).to.equal(venue.fans[0].address.toLowerCase());
    // The seated ticket carries its seat, the timed one its window.
    const seated = snapshot.tickets.find(([id]) => BigInt(id) === tokenId(2, 13))!;
    expect(seated[3]).to.be.a("string");
    expect(snapshot.tickets.find(([id]) => BigInt(id) === tokenId(3, 1))![4]).to.be.a("number");

    const passes = await fanPasses(venue.fans[0], venue.event, 41);
    const verdict = await verifyPass(await passes.pass(tokenId(1, 2)), {
      chainId: BigInt(snapshot.chainId),
      ticket: venue.event,
      now: now(),
      ownerOf: (id) => owners.get(id) as `0x${string}` | undefined,
      isCheckedIn: (id) => snapshot.used.includes(id.toString()),
    });
    expect(verdict).to.include({ ok: true });
  });

  it("leaves the ticket rows out for a device holding the current ones (ticketsTag), and only then; a device naming the groups it holds gets the others' rows alone", async function () {
    const full = await get(`/gate/${venue.event}/offline-snapshot`, staffA);
    const tag = (full.body as unknown as Snapshot & { ticketsTag: string }).ticketsTag;
    expect(tag).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect((full.body as unknown as Snapshot).tickets.length).to.be.above(0);
    const lean = await get(`/gate/${venue.event}/offline-snapshot?ticketsTag=${tag}`, staffA);
    expect(lean.status).to.equal(200);
    expect(lean.body, "no rows").to.not.have.property("tickets");
    expect(lean.body).to.include({ ticketsTag: tag, chainId: "31337" });
    expect(lean.body.used, "what changes with admissions is there").to.be.an("array");
    // A tag of rows the gate does not have now (older rows, or another event's): the rows come.
    const other = await get(`/gate/${venue.event}/offline-snapshot?ticketsTag=${"A".repeat(22)}`, staffA);
    expect((other.body as unknown as Snapshot).tickets).to.deep.equal((full.body as unknown as Snapshot).tickets);
    expect((await get(`/gate/${venue.event}/offline-snapshot?ticketsTag=..%2Fx`, staffA)).status, "not a tag").to.equal(400);

    // A ticket changes hands: a device naming the groups of rows it holds gets the changed group's alone.
    const copy = full.body as unknown as OfflineSnapshot & { ticketsTag: string; ticketGroups: [string, string][] };
    const groupOf = (id: bigint) => (id / TICKET_ROWS_PER_GROUP).toString();
    expect(copy.ticketGroups.map(([group]) => group), "a group per 1,024 token ids: here one per tier").to.deep.equal([1, 2, 3].map((tier) => groupOf(tokenId(tier, 1))));
    const held = copy.ticketGroups.map(([, groupTag]) => groupTag).join(".");
    const moved = tokenId(1, 29);
    await venue.write("transferFrom", [venue.fans[2].address, venue.fans[1].address, moved], venue.fans[2]);
    try {
      const some = await eventually(async () => {
        const body = (await get(`/gate/${venue.event}/offline-snapshot?ticketsTag=${tag}&held=${held}`, staffA)).body as unknown as OfflineSnapshotAnswer;
        return body.tickets ? body : undefined;
      }, "the moved ticket's group");
      expect(new Set(some.tickets!.map(([id]) => groupOf(BigInt(id)))), "the Standing tier's group alone").to.deep.equal(new Set([groupOf(moved)]));
      expect(some.tickets!.find(([id]) => id === moved.toString())?.[1]).to.equal(venue.fans[1].address.toLowerCase());
      const current = (await get(`/gate/${venue.event}/offline-snapshot`, staffA)).body as unknown as OfflineSnapshotAnswer;
      expect(withTicketRows(some, copy)?.tickets, "the device's copy: its other groups and the one sent").to.deep.equal(current.tickets);
      for (const bad of ["short", `${held}.`, "A".repeat(16).concat(`.${"A".repeat(16)}`.repeat(MAX_HELD_GROUPS))]) {
        expect((await get(`/gate/${venue.event}/offline-snapshot?ticketsTag=${tag}&held=${bad}`, staffA)).status, `held=${bad.slice(0, 40)}`).to.equal(400);
      }
    } finally {
      await venue.write("transferFrom", [venue.fans[1].address, venue.fans[2].address, moved], venue.fans[1]);
    }
  });

  it("admits uploaded offline admissions once: a second device's is a conflict naming the first", async function () {
    const fan0 = venue.fans[0].address;
    const a = await upload(staffA, "deviceA", [
      { tokenId: tokenId(1, 3), holder: fan0, admittedAt: now() - 120 },
      { tokenId: tokenId(1, 4), holder: fan0 },
      { tokenId: tokenId(1, 999), holder: fan0 },
    ]);
    expect(a.status, JSON.stringify(a.body)).to.equal(200);
    expect(a.body.results.map((r) => r.result)).to.deep.equal(["admitted", "admitted", "refused"]);
    expect(a.body.results[2].reason).to.equal("unknown-ticket");

    const b = await upload(staffB, "deviceB", [{ tokenId: tokenId(1, 3), holder: fan0, admittedAt: now() - 60 }]);
    expect(b.body.results[0].result).to.equal("conflict");
    expect(b.body.results[0].by).to.include({ device: "deviceA", deviceLabel: "Door deviceA", method: "offline", staff: venue.staff.address });
    // Device A's answer was lost and it uploads again: still its own admission, no conflict.
    expect((await upload(staffA, "deviceA", [{ tokenId: tokenId(1, 3), holder: fan0 }])).body.results[0].result).to.equal("admitted");

    // The ledger: one admission each, written as offline.
    const admitted = await get(`/gate/${venue.event}/admitted?tokens=${tokenId(1, 3)},${tokenId(1, 4)},${tokenId(1, 5)}`);
    expect(admitted.body.admitted).to.deep.equal([tokenId(1, 3).toString(), tokenId(1, 4).toString()]);
    // The door manager sees how many came in on a device's own snapshot.
    expect((await get(`/gate/${venue.event}/status`, staffA)).body.ledger).to.include({ admitted: 2, byOfflineDevice: 2 });
    // And an online scan of it now is refused as used.
    const passes = await fanPasses(venue.fans[0], venue.event, 42);
    const scan = await app.server.inject({ method: "POST", url: `/gate/${venue.event}/scan`, headers: { cookie: staffA }, payload: { pass: await passes.pass(tokenId(1, 4)) } });
    expect(scan.json()).to.include({ reason: "already-used" });
  });

  it("lists conflicts to staff and to the organizer, not to a fan", async function () {
    for (const cookie of [staffA, organizer]) {
      const { status, body } = await get(`/gate/${venue.event}/conflicts`, cookie);
      expect(status).to.equal(200);
      const conflicts = body.conflicts as { tokenId: string; device: string; staff: string; winner: Record<string, unknown> }[];
      expect(conflicts).to.have.length(1);
      expect(conflicts[0]).to.include({ tokenId: tokenId(1, 3).toString(), device: "deviceB", staff: venue.writer.address });
      expect(conflicts[0].winner).to.include({ device: "deviceA" });
    }
    expect((await get(`/gate/${venue.event}/conflicts`, fan)).status).to.equal(403);
    expect((await get(`/gate/${venue.event}/conflicts`)).status).to.equal(401);
  });

  it("sends the used tickets as bitmaps to a device asking for them (usedAs=bits): the same tickets as the list", async function () {
    // A copy is read again at most every 2 s (SNAPSHOT_REUSE_MS): one after the uploads before.
    const listed = await eventually(async () => {
      const body = (await get(`/gate/${venue.event}/offline-snapshot`, staffA)).body as unknown as OfflineSnapshotAnswer;
      return body.used.includes(tokenId(1, 4).toString()) ? body : undefined;
    }, "a copy with the uploads' admissions");
    const bits = (await get(`/gate/${venue.event}/offline-snapshot?ticketsTag=${listed.ticketsTag}&usedAs=bits`, staffA)).body as unknown as OfflineSnapshotAnswer;
    expect(bits).to.deep.include({ used: [], ticketsTag: listed.ticketsTag });
    expect(bits, "no rows: the device holds them").to.not.have.property("tickets");
    expect(listed.used, "the tickets admitted by the uploads before").to.include.members([tokenId(1, 3).toString(), tokenId(1, 4).toString()]);
    expect(usedOfBits(bits.usedBits!).sort()).to.deep.equal([...listed.used].sort());
    expect((await get(`/gate/${venue.event}/offline-snapshot?usedAs=list`, staffA)).status, "not a form").to.equal(400);
  });

  it("a scan the gate left unanswered (the device decided after its timeout) is the gate's own admission when it reached the gate: same staff and holder within a minute; anything else is a conflict", async function () {
    const fan1 = venue.fans[1].address;
    const passes = await fanPasses(venue.fans[1], venue.event, 43);
    // The scan reached the gate and admitted; its answer never came back to the device.
    for (const serial of [1, 2, 3]) {
      const scan = await app.server.inject({ method: "POST", url: `/gate/${venue.event}/scan`, headers: { cookie: staffA }, payload: { pass: await passes.pass(tokenId(1, 10 + serial)) } });
      expect(scan.json()).to.include({ verdict: "admit" });
    }
    const { body } = await upload(staffA, "deviceD", [
      { tokenId: tokenId(1, 11), holder: fan1, admittedAt: now() + 5, unanswered: true }, // the same scan
      { tokenId: tokenId(1, 12), holder: fan1, admittedAt: now() + 5 }, // not marked: a second admission
      { tokenId: tokenId(1, 13), holder: fan1, admittedAt: now() + 300, unanswered: true }, // minutes apart: another person
    ]);
    expect(body.results.map((r) => r.result)).to.deep.equal(["admitted", "conflict", "conflict"]);
    // Another staff member's device: not their scan.
    const other = await upload(staffB, "deviceE", [{ tokenId: tokenId(1, 11), holder: fan1, unanswered: true }]);
    expect(other.body.results[0]).to.include({ result: "conflict" });
    expect(other.body.results[0].by).to.include({ staff: venue.staff.address, method: "qr" });
  });

  it("tells gate staff who admitted a ticket and when: a scan, an offline device, the chain alone, or nobody", async function () {
    const admission = (id: bigint | string, cookie?: string) => get(`/gate/${venue.event}/admissions/${id}`, cookie);
    // Scanned at the gate by staff A (the test before).
    const scanned = await admission(tokenId(1, 11), staffA);
    expect(scanned.status).to.equal(200);
    expect(scanned.body.admission).to.include({ staff: venue.staff.address, method: "qr" });
    expect((scanned.body.admission as { at: number }).at).to.be.within(now() - 300, now() + 5);
    expect(scanned.body.admission).to.not.have.property("device");
    // Uploaded by an offline device: named by its label.
    expect((await admission(tokenId(1, 3), staffB)).body.admission).to.include({ staff: venue.staff.address, method: "offline", device: "deviceA", deviceLabel: "Door deviceA" });
    // Checked in on chain, not through these gates.
    const direct = tokenId(1, 20);
    await venue.write("checkIn", [[direct]], venue.staff);
    await eventually(async () => ((await admission(direct, staffA)).body.admission as { onChain?: boolean } | null)?.onChain === true, "the gate saw the check-in on chain");
    expect((await admission(direct, staffA)).body.admission).to.deep.equal({ onChain: true });
    // Nobody.
    expect((await admission(tokenId(1, 21), staffA)).body).to.deep.equal({ tokenId: tokenId(1, 21).toString(), admission: null });
    // Gate staff only, and a token id that is a number.
    expect((await admission(tokenId(1, 11))).status).to.equal(401);
    expect((await admission(tokenId(1, 11), fan)).status).to.equal(403);
    expect((await admission("0x1", staffA)).status).to.equal(400);
  });

  it("feeds gate staff the tickets admitted since their copy (used-since): scans and uploads at any device, each once; staff only; a bad cursor is named", async function () {
    const copy = (await get(`/gate/${venue.event}/offline-snapshot`, staffA)).body as unknown as Snapshot & { usedCursor: string };
    expect(copy.usedCursor).to.match(/^[0-9]+$/);
    const since = (cursor: string, cookie?: string) => get(`/gate/${venue.event}/used-since?cursor=${cursor}`, cookie);
    // After the copy: a scan at the gate, and an upload from another device.
    const fan2 = venue.fans[2];
    const passes = await fanPasses(fan2, venue.event, 44);
    const scan = await app.server.inject({ method: "POST", url: `/gate/${venue.event}/scan`, headers: { cookie: staffA }, payload: { pass: await passes.pass(tokenId(1, 25)) } });
    expect(scan.json()).to.include({ verdict: "admit" });
    expect((await upload(staffB, "deviceF", [{ tokenId: tokenId(1, 26), holder: fan2.address }])).body.results[0].result).to.equal("admitted");

    const fed = await since(copy.usedCursor, staffB);
    expect(fed.status).to.equal(200);
    const { cursor, tokenIds, mine } = fed.body as { cursor: string; tokenIds: string[]; mine: string[] };
    expect(tokenIds).to.include.members([tokenId(1, 25).toString(), tokenId(1, 26).toString()]);
    // Which the asker admitted: a device deciding after its own scan went unanswered tells its own admission from another's.
    expect(mine).to.deep.equal([tokenId(1, 26).toString()]);
    expect(((await since(copy.usedCursor, staffA)).body as { mine: string[] }).mine).to.include(tokenId(1, 25).toString()).and.not.include(tokenId(1, 26).toString());
    // The copy and the feed together: every ticket the ledger has admitted (the copy alone lacked the two).
    const tier1 = Array.from({ length: 30 }, (_, i) => tokenId(1, i + 1));
    const admitted = (await get(`/gate/${venue.event}/admitted?tokens=${tier1.join(",")}`)).body.admitted as string[];
    expect(admitted.filter((id) => !copy.used.includes(id) && !tokenIds.includes(id))).to.deep.equal([]);
    expect(copy.used).to.not.include(tokenId(1, 25).toString());
    expect((await since(cursor, staffA)).body, "none twice").to.deep.equal({ cursor, tokenIds: [], mine: [] });

    expect((await since(cursor)).status).to.equal(401);
    expect((await since(cursor, fan)).status).to.equal(403);
    for (const bad of ["abc", "-1", "", "1".repeat(20)]) expect((await since(bad, staffA)).body, bad).to.include({ error: "invalid-request" });
    expect((await since((2n ** 63n).toString(), staffA)).body).to.deep.equal({ error: "invalid-cursor", message: "cursor is at most 9223372036854775807" });
    expect((await get(`/gate/${venue.event}/used-since`, staffA)).status, "no cursor").to.equal(400);
  });

  it("feeds gate staff the tickets moved since their copy's block (a resale, a refund, a sale) as rows, and the deny list's changes; asks for a new copy when a rule a copy carries whole changed", async function () {
    const copy = (await get(`/gate/${venue.event}/offline-snapshot`, staffA)).body as unknown as Snapshot & { usedCursor: string; block: number };
    const since = (block: number | string, cookie = staffA) => get(`/gate/${venue.event}/used-since?cursor=${copy.usedCursor}&block=${block}`, cookie);
    type Moved = { block: number; tickets: Snapshot["tickets"]; gone: string[] };
    const unmoved = (await since(copy.block)).body as unknown as Moved;
    expect(unmoved).to.deep.include({ tickets: [], gone: [] });
    expect(unmoved.block, "the block to ask from next: the gate's, or the copy's if later").to.be.at.least(copy.block);

    const [seller, buyer] = [venue.fans[1], venue.fans[0]];
    const [resold, refunded] = [tokenId(1, 15), tokenId(1, 16)];
    await venue.write("transferFrom", [seller.address, buyer.address, resold], seller);
    await venue.write("refundTicket", [refunded, false]);
    // A ticket sold after the copy (the box office at the door): its row with its tier's entry window.
    const sold = tokenId(3, 2);
    const sale = await venue.write("buy", [3n, 1n, venue.fans[2].address, 10n ** 16n], venue.fans[2], 10n ** 16n);
    // A change may be fed before its block's sync (then with an earlier block, to be fed again):
    // wait for the answer whose block is the sale's, so nothing is fed twice after it.
    const moved = await eventually(async () => {
      const body = (await since(copy.block)).body as unknown as Moved;
      return body.block >= Number(sale.blockNumber) ? body : undefined;
    }, "the resale, the refund and the sale fed, and their blocks synced");
    expect(moved.gone).to.deep.equal([refunded.toString()]);
    const row = copy.tickets.find(([id]) => BigInt(id) === resold)!;
    expect(row[1], "the copy's owner").to.equal(seller.address.toLowerCase());
    // The row as a copy has it, with the buyer: the seller's pass is refused offline, the buyer's admitted.
    const slot = copy.tickets.find(([id]) => BigInt(id) === tokenId(3, 1))!;
    expect(slot[4], "the timed tier's window").to.be.a("number");
    expect(moved.tickets).to.deep.equal([
      [row[0], buyer.address.toLowerCase(), ...row.slice(2)],
      [sold.toString(), venue.fans[2].address.toLowerCase(), ...slot.slice(2)],
    ]);
    expect((await since(moved.block)).body, "none twice").to.deep.include({ tickets: [], gone: [] });
    // Asked without the block (an older app): admissions only.
    expect((await get(`/gate/${venue.event}/used-since?cursor=${copy.usedCursor}`, staffA)).body).to.not.have.property("tickets");

    // The deny list's changes come as accounts: a holder denied a moment ago is refused offline too.
    const dead = "0x000000000000000000000000000000000000dead";
    await venue.write("setDenied", [[dead, seller.address], true]);
    await venue.write("setDenied", [[seller.address], false]);
    const denials = await eventually(async () => {
      const body = (await since(moved.block)).body as { denied?: string[]; allowed?: string[] };
      return body.allowed?.length ? body : undefined;
    }, "the deny list's changes fed");
    expect(denials).to.deep.include({ denied: [dead], allowed: [seller.address.toLowerCase()] });
    // A change a copy carries whole (here check-in's lead time): the device fetches a new copy.
    await venue.write("setCheckInLead", [12]);
    await eventually(async () => "refresh" in (await since(moved.block)).body, "the lead time's change fed");
    expect((await since(moved.block)).body).to.deep.equal({ refresh: "rules" });
    const fresh = (await get(`/gate/${venue.event}/offline-snapshot`, staffA)).body as unknown as Snapshot & { block: number };
    expect(fresh.denied).to.include(dead);
    expect((await since(fresh.block)).body).to.deep.include({ tickets: [], gone: [], denied: [], allowed: [] });
    expect((await since(0)).body, "a copy older than what the gate keeps").to.deep.equal({ refresh: "tickets" });

    expect((await since(fresh.block, fan)).status).to.equal(403);
    for (const bad of ["abc", "-1", "1".repeat(16)]) expect((await since(bad)).body, bad).to.include({ error: "invalid-request" });
  });

  it("refuses an upload from a signed-in account without the GATE role", async function () {
    const answer = await upload(fan, "deviceC", [{ tokenId: tokenId(1, 6), holder: venue.fans[0].address }]);
    expect(answer.status).to.equal(403);
  });
});
