// The offline snapshot at stadium size (server/gate/offline-snapshot.ts): 50,000 tickets. Its
// ticket rows are serialised once per change of owners or tiers, one answer is shared by the
// devices asking within SNAPSHOT_REUSE_MS, and the gzipped bytes are the JSON's.
import { expect } from "chai";
import { gunzipSync } from "node:zlib";
import { keccak256, toHex, type Address } from "viem";

import { tokenIdOf } from "../../lib/calendar.js";
import { TICKET_ROWS_PER_GROUP, usedBitsOf, usedOfBits, withTicketRows, type OfflineSnapshotAnswer, type OfflineSnapshotHead } from "../../lib/offline-admissions.js";
import { OfflineSnapshots, SNAPSHOT_REUSE_MS } from "../../server/gate/offline-snapshot.js";
import { EventSnapshot } from "../../server/gate/snapshot.js";

const EVENT = "0x00000000000000000000000000000000000000e1" as Address;
const TICKETS = 50_000;
const holder = (i: number) => `0x${(i % 500).toString(16).padStart(40, "0")}` as Address;

function stadium() {
  const snapshot = new EventSnapshot(EVENT, 1n);
  snapshot.applyOp({ k: "tier", tier: 1, info: { name: "General admission", entryStart: 0, entryEnd: 0 } });
  for (let i = 1; i <= TICKETS; i++) snapshot.applyOp({ k: "owner", token: tokenIdOf(1, i), to: holder(i) });
  return snapshot;
}

const head = (): OfflineSnapshotHead => ({
  version: 1,
  chainId: "31337",
  event: EVENT,
  block: 1,
  takenAt: Date.now(),
  refreshMs: 30_000,
  cancelled: false,
  checkInOpensAt: 0,
  maxFrameAge: 30,
  maxClockSkew: 5,
});

describe("Server: the offline snapshot of a 50,000-ticket event", function () {
  it("serialises the ticket rows once per change of owners or tiers, not per request", async function () {
    const snapshot = stadium();
    const snapshots = new OfflineSnapshots();
    const first = (await snapshots.ticketRows(snapshot));
    expect((await snapshots.ticketRows(snapshot)), "unchanged: the same rows").to.equal(first);
    snapshot.applyOp({ k: "checkin", token: tokenIdOf(1, 1), on: true });
    expect((await snapshots.ticketRows(snapshot)), "a check-in is not in the rows").to.equal(first);
    const buyer = "0x00000000000000000000000000000000000000B7" as Address;
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 7), to: buyer });
    const after = (await snapshots.ticketRows(snapshot));
    expect(after).to.not.equal(first);
    const rows = JSON.parse(Buffer.concat(after.json).toString()) as [string, string, string][];
    expect(rows).to.have.length(TICKETS);
    expect(rows.find(([id]) => id === tokenIdOf(1, 7).toString())![1]).to.equal(buyer.toLowerCase());
    expect(after.holders.has(buyer.toLowerCase())).to.equal(true);
  });

  it("shares one answer among the devices asking within the reuse time; builds a new one after it; gzip holds the same JSON", async function () {
    const snapshot = stadium();
    const snapshots = new OfflineSnapshots();
    let builds = 0;
    const state = async (holders: ReadonlyMap<string, number>) => {
      builds++;
      return { usedJson: JSON.stringify([tokenIdOf(1, 3).toString()]), denied: [], delegations: [...holders.keys()].slice(0, 1).map((h): [string, string] => [h, "0xd1"]) };
    };
    const t = Date.now();
    const one = await snapshots.answer(snapshot, head, state, t);
    expect(await snapshots.answer(snapshot, head, state, t + SNAPSHOT_REUSE_MS - 1)).to.equal(one);
    expect(builds).to.equal(1);
    const body = JSON.parse(one.json.toString("utf8")) as { tickets: unknown[]; used: string[]; chainId: string; delegations: string[][] };
    expect(body.tickets).to.have.length(TICKETS);
    expect(body).to.include({ chainId: "31337" });
    expect(body.used).to.deep.equal([tokenIdOf(1, 3).toString()]);
    expect(body.delegations).to.have.length(1);
    expect(gunzipSync(one.gzipped).equals(one.json)).to.equal(true);
    expect(one.gzipped.length, "gzip at most a third of the JSON").to.be.below(one.json.length / 3);

    const later = await snapshots.answer(snapshot, head, state, t + SNAPSHOT_REUSE_MS);
    expect(later).to.not.equal(one);
    expect(builds).to.equal(2);
  });

  it("answers without the rows a device holds (their tag names their content, the same at every server; one read of the state for both answers), with them once owners changed", async function () {
    const snapshot = stadium();
    const snapshots = new OfflineSnapshots();
    let reads = 0;
    const state = async () => {
      reads++;
      return { usedJson: JSON.stringify([tokenIdOf(1, 3).toString()]), denied: [], delegations: [] };
    };
    const t = Date.now();
    const full = await snapshots.answer(snapshot, head, state, t);
    const { ticketsTag, tickets } = JSON.parse(full.json.toString("utf8")) as { ticketsTag: string; tickets: unknown[] };
    expect(tickets).to.have.length(TICKETS);
    expect((await new OfflineSnapshots().ticketRows(stadium())).tag, "another server's rows of the same tickets: the same tag").to.equal(ticketsTag);

    const lean = await snapshots.answer(snapshot, head, state, t, ticketsTag);
    const body = JSON.parse(lean.json.toString("utf8")) as Record<string, unknown>;
    expect(body).to.not.have.property("tickets");
    expect(body).to.include({ ticketsTag, chainId: "31337" });
    expect(body.used).to.deep.equal([tokenIdOf(1, 3).toString()]);
    expect(lean.gzipped.length, "a kilobyte or so: the state and the groups' tags").to.be.below(2000);
    expect(full.gzipped.length, "the rows: a quarter of a megabyte here (these addresses are mostly zeros)").to.be.above(200_000);
    expect(await snapshots.answer(snapshot, head, state, t + 1), "the full answer is still shared").to.equal(full);
    expect(await snapshots.answer(snapshot, head, state, t + 1, ticketsTag), "and the lean one").to.equal(lean);
    expect(reads, "the answers with and without rows share one read of the ledger").to.equal(1);

    // A ticket changes hands: the rows' tag changes, and a device holding the old rows gets the new ones.
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 7), to: "0x00000000000000000000000000000000000000B7" });
    const after = await snapshots.answer(snapshot, head, state, t + SNAPSHOT_REUSE_MS, ticketsTag);
    const renewed = JSON.parse(after.json.toString("utf8")) as { ticketsTag: string; tickets: unknown[] };
    expect(renewed.ticketsTag).to.not.equal(ticketsTag);
    expect(renewed.tickets).to.have.length(TICKETS);
    expect(reads).to.equal(2);

    // Rows that change within the reuse time are not hidden behind the shared answer.
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 8), to: "0x00000000000000000000000000000000000000B8" });
    const changed = JSON.parse((await snapshots.answer(snapshot, head, state, t + SNAPSHOT_REUSE_MS + 1, renewed.ticketsTag)).json.toString("utf8")) as { ticketsTag: string; tickets: unknown[] };
    expect(changed.ticketsTag).to.not.equal(renewed.ticketsTag);
    expect(changed.tickets).to.have.length(TICKETS);
  });

  it("answers a device that names the groups of rows it holds with the other groups' rows alone: a sale at the door sends one group, and the device's copy made of both is the full answer's", async function () {
    const snapshot = stadium();
    // Owners as on a real chain (the stadium's are mostly zeros, which gzip squeezes away).
    for (let i = 1; i <= TICKETS; i++) snapshot.applyOp({ k: "owner", token: tokenIdOf(1, i), to: keccak256(toHex(i)).slice(0, 42) as Address });
    const snapshots = new OfflineSnapshots();
    const state = async () => ({ usedJson: "[]", denied: [], delegations: [] });
    const t = Date.now();
    const answerOf = (built: { json: Buffer }) => JSON.parse(built.json.toString("utf8")) as OfflineSnapshotAnswer;
    const first = await snapshots.answer(snapshot, head, state, t);
    const held = withTicketRows(answerOf(first), undefined)!;
    const groupOf = (serial: number) => tokenIdOf(1, serial) / TICKET_ROWS_PER_GROUP;
    expect(held.ticketGroups, "fifty groups of 1,024 token ids").to.have.length(Number(groupOf(TICKETS) - groupOf(1)) + 1);
    const heldTags = new Set(held.ticketGroups!.map(([, tag]) => tag));

    // The box office sells a ticket at the door, and one changes hands.
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, TICKETS + 1), to: "0x00000000000000000000000000000000000000B1" });
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 5), to: "0x00000000000000000000000000000000000000B5" });
    const later = t + SNAPSHOT_REUSE_MS;
    const some = await snapshots.answer(snapshot, head, state, later, held.ticketsTag, heldTags);
    const answer = answerOf(some);
    const groups = new Set(answer.tickets!.map(([id]) => (BigInt(id) / TICKET_ROWS_PER_GROUP).toString()));
    expect([...groups], "the two groups that changed").to.deep.equal([groupOf(5), groupOf(TICKETS + 1)].map(String));
    const all = await snapshots.answer(snapshot, head, state, later);
    const copy = withTicketRows(answer, held);
    expect(copy?.tickets, "the held groups and the sent ones: every row, as the full answer has them").to.deep.equal(answerOf(all).tickets);
    expect(copy).to.deep.include({ ticketsTag: answerOf(all).ticketsTag, ticketGroups: answerOf(all).ticketGroups });
    expect(some.gzipped.length * 20, `the two groups' answer (${some.gzipped.length} bytes gzipped) against every row's (${all.gzipped.length})`).to.be.below(all.gzipped.length);
    expect(await snapshots.answer(snapshot, head, state, later + 1, held.ticketsTag, heldTags), "built once for the devices holding the same groups").to.equal(some);
    expect(await snapshots.answer(snapshot, head, state, later + 1, held.ticketsTag, new Set(["AAAAAAAAAAAAAAAA"])), "none of the groups held: every row").to.equal(all);
    expect(answerOf(await snapshots.answer(snapshot, head, state, later + 1, answerOf(all).ticketsTag, heldTags)), "the current rows held: none").to.not.have.property("tickets");
    // Devices naming other groups each time (or made-up ones): past 32 kinds of answer per read, every row, shared.
    const current = answerOf(all).ticketGroups!.map(([, tag]) => tag);
    const lacking = (i: number) => new Set(current.filter((_, j) => j !== i));
    for (let i = 1; i < 32; i++) expect(answerOf(await snapshots.answer(snapshot, head, state, later + 1, "", lacking(i))).tickets, `kind ${i + 1}`).to.have.length.below(1100);
    expect(await snapshots.answer(snapshot, head, state, later + 1, "", lacking(32)), "the 33rd kind: the shared answer with every row").to.equal(all);
    expect(answerOf(await snapshots.answer(snapshot, head, state, later + 1, "", lacking(1))).tickets, "a kind kept").to.have.length.below(1100);
  });

  it("sends the used tickets as bitmaps to a device asking for them, the list to one that does not; each form assembled once", async function () {
    const snapshot = stadium();
    const snapshots = new OfflineSnapshots();
    const used = Array.from({ length: TICKETS }, (_, i) => tokenIdOf(1, i + 1).toString()).filter((_, i) => i % 5 !== 0);
    const state = async () => ({ usedJson: JSON.stringify(used), usedBitsJson: JSON.stringify(usedBitsOf(used)), denied: [], delegations: [] });
    const t = Date.now();
    const listed = await snapshots.answer(snapshot, head, state, t);
    const bits = await snapshots.answer(snapshot, head, state, t, undefined, undefined, true);
    const [asList, asBits] = [listed, bits].map((built) => JSON.parse(built.json.toString("utf8")) as OfflineSnapshotAnswer);
    expect(asList.used).to.deep.equal(used);
    expect(asList).to.not.have.property("usedBits");
    expect(asBits.used).to.deep.equal([]);
    expect(usedOfBits(asBits.usedBits!)).to.deep.equal(used);
    expect(asBits.tickets, "the same rows").to.deep.equal(asList.tickets);
    const { ticketsTag } = asList;
    const [leanList, leanBits] = await Promise.all([snapshots.answer(snapshot, head, state, t, ticketsTag), snapshots.answer(snapshot, head, state, t, ticketsTag, undefined, true)]);
    expect(leanBits.gzipped.length * 5, `without rows: ${leanBits.gzipped.length} bytes gzipped against ${leanList.gzipped.length} with the list`).to.be.below(leanList.gzipped.length);
    expect(await snapshots.answer(snapshot, head, state, t + 1, ticketsTag, undefined, true), "shared").to.equal(leanBits);
  });

  it("does not keep a build that failed: the next request builds again", async function () {
    const snapshot = stadium();
    const snapshots = new OfflineSnapshots();
    const t = Date.now();
    let fail = true;
    const state = async () => {
      if (fail) throw new Error("database unavailable");
      return { usedJson: "[]", denied: [], delegations: [] };
    };
    await snapshots.answer(snapshot, head, state, t).then(
      () => expect.fail("should have failed"),
      (error: Error) => expect(error.message).to.equal("database unavailable"),
    );
    fail = false;
    expect((await snapshots.answer(snapshot, head, state, t + 1)).json.length).to.be.above(1_000_000);
  });
});
