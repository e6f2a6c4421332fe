// The offline copy's ticket rows kept up to date by owner changes (server/gate/ticket-rows.ts):
// after any sequence of changes they are exactly what a build from scratch gives, a change builds
// only its group again, and the tag does not depend on the order the owners were learnt in.
import { expect } from "chai";
import { toHex, type Address } from "viem";

import { tokenIdOf } from "../../lib/calendar.js";
import { EventSnapshot, type SnapshotOp } from "../../server/gate/snapshot.js";
import { TicketRows } from "../../server/gate/ticket-rows.js";

const EVENT = "0x00000000000000000000000000000000000000e2" as Address;
const account = (i: number) => `0x${i.toString(16).padStart(40, "0")}` as Address;

/** A small deterministic generator (mulberry32): a failing sequence can be run again. */
function random(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function eventWith(tokens: bigint[], order: "ascending" | "descending" = "ascending") {
  const snapshot = new EventSnapshot(EVENT, 1n);
  snapshot.applyOp({ k: "tier", tier: 1, info: { name: "Adult", entryStart: 0, entryEnd: 0 } });
  snapshot.applyOp({ k: "tier", tier: 2, info: { name: "Stalls", entryStart: 100, entryEnd: 200, seatMap: [{ section: toHex("Stalls", { size: 16 }), firstRow: 1, rows: 20, firstSeat: 1, seatsPerRow: 100, letteredRows: true }] } });
  const sorted = order === "ascending" ? tokens : [...tokens].reverse();
  for (const token of sorted) snapshot.applyOp({ k: "owner", token, to: account(Number(token % 97n) + 1) });
  return snapshot;
}

/** Rows built from scratch for the snapshot as it is now. */
const fromScratch = (snapshot: EventSnapshot) => new TicketRows(snapshot).rows();

describe("Server: the offline copy's ticket rows, kept up to date by owner changes", function () {
  it("are after any sequence of changes (sales, resales, burns, tier edits, reorg undos) what a build from scratch gives", async function () {
    const next = random(19);
    const tokens = [...Array.from({ length: 3_000 }, (_, i) => tokenIdOf(1, i + 1)), ...Array.from({ length: 1_500 }, (_, i) => tokenIdOf(2, i + 1))];
    const snapshot = eventWith(tokens);
    const rows = new TicketRows(snapshot);
    const undo: SnapshotOp[] = [];
    for (let round = 0; round < 60; round++) {
      // A tier edit now and then (it builds every group again); owner changes otherwise.
      if (round % 15 === 7) undo.push(snapshot.applyOp({ k: "tier", tier: 1, info: { name: `Adult ${round}`, entryStart: round, entryEnd: round + 100 } }));
      for (let change = next(40); change >= 0; change--) {
        const kind = next(20);
        const last = undo.at(-1);
        if (kind === 0 && last?.k === "owner") {
          snapshot.applyOp(undo.pop()!); // a reorg undoing a change
        } else {
          // A sale in a new group, a resale, or a burn.
          const token = kind === 1 ? tokenIdOf(1, 10_000 + next(5_000)) : tokens[next(tokens.length)];
          const to = kind === 2 ? null : account(1 + next(500));
          undo.push(snapshot.applyOp({ k: "owner", token, to }));
        }
      }
      const kept = (await rows.rows());
      const scratch = await fromScratch(snapshot);
      expect(Buffer.concat(kept.json).toString(), `round ${round}: the rows`).to.equal(Buffer.concat(scratch.json).toString());
      expect(kept.tag, `round ${round}: the tag`).to.equal(scratch.tag);
      expect([...kept.holders].sort(), `round ${round}: the holders and their counts`).to.deep.equal([...scratch.holders].sort());
    }
    const parsed = JSON.parse(Buffer.concat((await rows.rows()).json).toString()) as [string, string, string | null, string | null][];
    expect(parsed.length).to.equal(snapshot.owners.size);
    expect(parsed.map(([id]) => BigInt(id)), "in token order").to.deep.equal([...snapshot.owners.keys()].sort((a, b) => (a < b ? -1 : 1)));
  });

  it("builds only the changed ticket's group again, not all 50,000 rows", async function () {
    const tokens = Array.from({ length: 50_000 }, (_, i) => tokenIdOf(1, i + 1));
    const snapshot = eventWith(tokens);
    const rows = new TicketRows(snapshot);
    const before = (await rows.rows());
    let facts = 0;
    const facts_ = snapshot.facts.bind(snapshot);
    snapshot.facts = (token) => (facts++, facts_(token));

    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 4_242), to: account(4_242) });
    const after = (await rows.rows());
    expect(facts, "one group's rows").to.be.within(1, 1_024);
    expect(after.tag).to.not.equal(before.tag);
    expect(Buffer.concat(after.json).equals(Buffer.concat((await fromScratch(snapshot)).json))).to.equal(true);
    expect(after.holders.get(account(4_242).toLowerCase())).to.equal(1);

    // Unchanged: the same rows, nothing built.
    facts = 0;
    expect((await rows.rows())).to.equal(after);
    expect(facts).to.equal(0);

    // A tier edit may change every row: all are built again.
    snapshot.applyOp({ k: "tier", tier: 1, info: { name: "Adult (door)", entryStart: 0, entryEnd: 0 } });
    expect(JSON.parse(Buffer.concat((await rows.rows()).json).toString())[0][2]).to.equal("Adult (door)");
    expect(facts).to.equal(50_000);
  });

  it("build every group in turns of the event loop (the scan thread answers between them); the rows served meanwhile stay whole; changes during it are in the next rows", async function () {
    const tokens = Array.from({ length: 50_000 }, (_, i) => tokenIdOf(1, i + 1));
    const snapshot = eventWith(tokens);
    const rows = new TicketRows(snapshot);
    const before = await rows.rows();
    const served = Buffer.concat(before.json).toString();
    const holders = [...before.holders];

    // A tier edit: every group is built again. The loop's turns are counted meanwhile.
    snapshot.applyOp({ k: "tier", tier: 1, info: { name: "Adult (door)", entryStart: 0, entryEnd: 0 } });
    let turns = 0;
    let done = false;
    const count = () => {
      turns++;
      if (!done) setImmediate(count);
    };
    setImmediate(count);
    const building = rows.rows().finally(() => (done = true));
    // Two turns in, a resale of a ticket in a group built already and a sale in a new group.
    await new Promise((r) => setImmediate(() => setImmediate(r)));
    expect(done, "the build is still going on").to.equal(false);
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 1), to: account(4_321) });
    snapshot.applyOp({ k: "owner", token: tokenIdOf(1, 60_000), to: account(4_322) });
    expect(Buffer.concat(before.json).toString(), "the rows served meanwhile").to.equal(served);
    expect([...before.holders], "their holders").to.deep.equal(holders);

    const after = await building;
    expect(turns, "turns of the loop during the build").to.be.at.least(10);
    expect(after.version, "as of the changes during the build").to.equal(snapshot.ticketsVersion);
    const scratch = await fromScratch(snapshot);
    expect(Buffer.concat(after.json).equals(Buffer.concat(scratch.json))).to.equal(true);
    expect(after.tag).to.equal(scratch.tag);
    expect([...after.holders].sort()).to.deep.equal([...scratch.holders].sort());
  });

  it("name the same tickets with the same tag at every server, whatever order the owners were learnt in", async function () {
    const tokens = Array.from({ length: 5_000 }, (_, i) => tokenIdOf(1 + (i % 2), 1 + Math.floor(i / 2)));
    const one = await fromScratch(eventWith(tokens, "ascending"));
    const other = await fromScratch(eventWith(tokens, "descending"));
    expect(other.tag).to.equal(one.tag);
    expect(Buffer.concat(other.json).equals(Buffer.concat(one.json))).to.equal(true);
    const changed = eventWith(tokens);
    changed.applyOp({ k: "owner", token: tokens[0], to: account(9_999) });
    expect((await fromScratch(changed)).tag).to.not.equal(one.tag);
  });

  it("are built from scratch when more changes came than the snapshot keeps", async function () {
    const tokens = Array.from({ length: 2_000 }, (_, i) => tokenIdOf(1, i + 1));
    const snapshot = eventWith(tokens);
    const rows = new TicketRows(snapshot);
    const version = (await rows.rows()).version;
    for (let i = 0; i < 10_000; i++) snapshot.applyOp({ k: "owner", token: tokens[i % tokens.length], to: account(1 + (i % 300)) });
    expect(snapshot.ownerChangesSince(version), "the journal no longer reaches back").to.equal(undefined);
    expect(snapshot.ownerChangesSince(snapshot.ticketsVersion - 3)).to.have.length(3);
    expect(Buffer.concat((await rows.rows()).json).equals(Buffer.concat((await fromScratch(snapshot)).json))).to.equal(true);
  });
});
