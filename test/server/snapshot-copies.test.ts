// The main thread hands out an event's snapshot only once the chain worker has sent all of it: a
// scan between two slices of a bootstrap must not read a copy without its staff or its owners.
import { expect } from "chai";
import type { Address } from "viem";

import { SnapshotCopies } from "../../server/gate/snapshot-copies.js";
import type { SnapshotOp } from "../../server/gate/snapshot.js";

const EVENT = "0x00000000000000000000000000000000000000E1" as Address;
const STAFF = "0x00000000000000000000000000000000000000a1" as Address;
const HOLDER = "0x00000000000000000000000000000000000000b1" as Address;

const times: SnapshotOp = { k: "times", start: 1_000, end: 2_000 };
const staff: SnapshotOp = { k: "gate", account: STAFF.toLowerCase(), on: true };
const owner = (token: bigint): SnapshotOp => ({ k: "owner", token, to: HOLDER });

/** Whether `promise` has settled after the queued callbacks ran. */
async function settled(promise: Promise<unknown>) {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("Server: the gate's copies of its event snapshots", function () {
  it("hands out a first snapshot only once the worker says it is whole, with every slice applied", function () {
    const copies = new SnapshotCopies();
    copies.apply(EVENT, 10n, [times]);
    expect(copies.get(EVENT), "after the first slice (the event's times only)").to.equal(undefined);
    copies.apply(EVENT, 10n, [staff, owner(1n), owner(2n)]);
    expect(copies.get(EVENT), "after the last slice, before bootstrapped").to.equal(undefined);

    copies.bootstrapped(EVENT);
    const snapshot = copies.get(EVENT.toLowerCase())!;
    expect(snapshot.address).to.equal(EVENT);
    expect(snapshot.start).to.equal(1_000);
    expect(snapshot.isGate(STAFF)).to.equal(true);
    expect([...snapshot.owners.keys()]).to.deep.equal([1n, 2n]);
    // The open's answer comes after: it is the same copy.
    expect(copies.opened(EVENT, 10n)).to.equal(snapshot);
  });

  it("applies a later round's ops to the whole copy at once, and syncs it", function () {
    const copies = new SnapshotCopies();
    copies.apply(EVENT, 10n, [times, staff]);
    copies.bootstrapped(EVENT);
    copies.apply(EVENT, 10n, [owner(7n), { k: "checkin", token: 7n, on: true }]);
    const snapshot = copies.get(EVENT)!;
    expect(snapshot.owners.get(7n)).to.equal(HOLDER);
    expect(snapshot.checkedInOnChain.has(7n)).to.equal(true);
    copies.synced(42n, 1_234);
    expect(snapshot.syncedBlock).to.equal(42n);
    expect(snapshot.syncedAt).to.equal(1_234);
  });

  it("gives an event opened before the worker sent any op an empty copy, kept from then on", function () {
    const copies = new SnapshotCopies();
    const snapshot = copies.opened(EVENT, 10n);
    expect(snapshot.syncedBlock).to.equal(9n);
    expect(copies.get(EVENT)).to.equal(snapshot);
  });

  it("after a deep reorg, keeps a rebuilt event from requests until it is whole again, then hands out the new copy", async function () {
    const copies = new SnapshotCopies();
    copies.apply(EVENT, 10n, [times, staff, owner(1n)]);
    copies.bootstrapped(EVENT);
    const before = copies.get(EVENT)!;
    expect(copies.rebuilt(EVENT), "not being rebuilt").to.equal(undefined);

    copies.reset();
    const rebuilt = copies.rebuilt(EVENT)!;
    expect(rebuilt).to.be.instanceOf(Promise);
    expect(copies.get(EVENT), "the old copy is dropped").to.equal(undefined);
    copies.apply(EVENT, 10n, [times]);
    expect(copies.get(EVENT), "half sent again").to.equal(undefined);
    expect(await settled(rebuilt)).to.equal(false);

    copies.apply(EVENT, 10n, [staff]);
    copies.bootstrapped(EVENT);
    expect(await settled(rebuilt)).to.equal(true);
    const after = copies.get(EVENT)!;
    expect(after).to.not.equal(before);
    expect(after.isGate(STAFF)).to.equal(true);
    expect(after.owners.size, "ticket 1's transfer was reorganized away").to.equal(0);
  });

  it("on a new worker, drops the copies being sent or rebuilt, names every event to open again, and releases the requests waiting on a rebuild", async function () {
    const copies = new SnapshotCopies();
    const other = "0x00000000000000000000000000000000000000e2" as Address;
    const third = "0x00000000000000000000000000000000000000e3" as Address;
    for (const event of [EVENT, third]) {
      copies.apply(event, 10n, [times, staff]);
      copies.bootstrapped(event);
    }
    copies.reset();
    const rebuilt = copies.rebuilt(EVENT)!;
    copies.apply(EVENT, 10n, [times]); // EVENT half sent again, `third` not yet
    copies.apply(other, 11n, [times]); // `other` being opened

    expect(copies.restart().sort()).to.deep.equal([EVENT.toLowerCase(), other, third]);
    expect(await settled(rebuilt)).to.equal(true);
    for (const event of [EVENT, other, third]) {
      expect(copies.rebuilt(event), event).to.equal(undefined);
      expect(copies.get(event), event).to.equal(undefined);
    }
    for (const event of [EVENT, other, third]) expect(copies.isStale(event), event).to.equal(false);
  });

  it("on a new worker, keeps a whole copy in use, stale and no longer synced, until the new worker has sent the event whole", function () {
    const copies = new SnapshotCopies();
    copies.apply(EVENT, 10n, [times, staff, owner(1n)]);
    copies.bootstrapped(EVENT);
    copies.synced(20n, 1_000);
    const old = copies.get(EVENT)!;

    expect(copies.restart()).to.deep.equal([EVENT.toLowerCase()]);
    expect(copies.get(EVENT), "the old copy answers meanwhile").to.equal(old);
    expect(copies.isStale(EVENT)).to.equal(true);
    copies.synced(21n, 2_000); // the new worker's round, which does not follow the event yet
    expect(old.syncedBlock, "a stale copy keeps the block it was synced to").to.equal(20n);

    // The new worker opens it: its slices build a new copy, untouched by the old one.
    copies.apply(EVENT, 10n, [times, staff]);
    expect(copies.get(EVENT), "until it is whole").to.equal(old);
    expect(old.owners.size).to.equal(1);
    copies.apply(EVENT, 10n, [owner(2n)]);
    copies.bootstrapped(EVENT);
    const fresh = copies.get(EVENT)!;
    expect(fresh).to.not.equal(old);
    expect([...fresh.owners.keys()]).to.deep.equal([2n]);
    expect(copies.isStale(EVENT)).to.equal(false);
    expect(copies.opened(EVENT, 10n), "the open's answer").to.equal(fresh);
  });

  it("a deep reorg reported by the new worker leaves a stale copy in use until its event is opened again", function () {
    const copies = new SnapshotCopies();
    copies.apply(EVENT, 10n, [times, staff]);
    copies.bootstrapped(EVENT);
    const old = copies.get(EVENT)!;
    copies.restart();
    copies.reset();
    expect(copies.rebuilt(EVENT), "the new worker does not follow it: nothing would end a wait").to.equal(undefined);
    expect(copies.get(EVENT)).to.equal(old);
  });
  describe("what an offline device's copy taken at a block lacks (changesSince)", function () {
    const BUYER = "0x00000000000000000000000000000000000000c1" as Address;
    /** A whole copy synced to block 100 with tickets 1-3. */
    function copyAt100() {
      const copies = new SnapshotCopies();
      copies.apply(EVENT, 10n, [times, staff, owner(1n), owner(2n), owner(3n)]);
      copies.bootstrapped(EVENT);
      copies.synced(100n, 1);
      return { copies, snapshot: copies.get(EVENT)! };
    }

    it("names the tickets moved in blocks after the copy's, not before, and the block to ask from next", function () {
      const { copies, snapshot } = copyAt100();
      expect(snapshot.changesSince(100n)).to.deep.equal({ tokens: [], accounts: [], block: 100n });
      copies.apply(EVENT, 10n, [{ k: "owner", token: 2n, to: BUYER }]);
      copies.synced(101n, 2);
      copies.apply(EVENT, 10n, [{ k: "owner", token: 3n, to: null }, { k: "checkin", token: 1n, on: true }]);
      copies.synced(102n, 3);
      expect(snapshot.changesSince(100n)).to.deep.equal({ tokens: [2n, 3n], accounts: [], block: 102n });
      expect(snapshot.changesSince(101n), "a copy of block 101 has ticket 2's move").to.deep.equal({ tokens: [3n], accounts: [], block: 102n });
      expect(snapshot.changesSince(102n)).to.deep.equal({ tokens: [], accounts: [], block: 102n });
      // Blocks without a move (check-ins only) leave the stamps as they were.
      copies.apply(EVENT, 10n, [{ k: "checkin", token: 2n, on: true }]);
      copies.synced(110n, 4);
      expect(snapshot.changesSince(105n)).to.deep.equal({ tokens: [], accounts: [], block: 110n });
      // A device whose copy came from a gate server further on: nothing to add, its block kept.
      expect(snapshot.changesSince(120n)).to.deep.equal({ tokens: [], accounts: [], block: 120n });
    });

    it("counts a move applied before its block's sync (the worker's ops come first) as after every earlier block; a copy from further on waits for the sync", function () {
      const { copies, snapshot } = copyAt100();
      copies.apply(EVENT, 10n, [{ k: "owner", token: 1n, to: BUYER }]);
      expect(snapshot.changesSince(100n), "not synced yet").to.deep.equal({ tokens: [1n], accounts: [], block: 100n });
      // A copy from a server ahead: this one's unsynced change may be older than the copy's; told once synced past it.
      expect(snapshot.changesSince(150n), "a copy from a server ahead").to.deep.equal({ tokens: [], accounts: [], block: 150n });
      copies.synced(151n, 2);
      expect(snapshot.changesSince(150n)).to.deep.equal({ tokens: [1n], accounts: [], block: 151n });
    });

    it("counts what a reorg to a shorter chain undid as after every block a copy was taken at before", function () {
      const { copies, snapshot } = copyAt100();
      copies.apply(EVENT, 10n, [{ k: "owner", token: 1n, to: BUYER }]);
      copies.synced(103n, 2);
      // The fork replaced blocks 101-103 with a shorter chain up to 102 that does not hold the move.
      copies.apply(EVENT, 10n, [{ k: "owner", token: 1n, to: HOLDER }]);
      copies.synced(102n, 3);
      expect(snapshot.changesSince(103n), "a copy of the old block 103").to.deep.equal({ tokens: [1n], accounts: [], block: 103n });
      expect(snapshot.changesSince(102n)).to.deep.equal({ tokens: [1n], accounts: [], block: 103n });
    });

    it("asks for a new copy when what it keeps no longer reaches back to the copy's block: the oldest stamps or deny-list changes dropped", function () {
      // 1,024 blocks each with a move: the oldest 512 stamps are dropped, the block-100 one among them.
      const moves = copyAt100();
      for (let block = 101n; block <= 1_124n; block++) {
        moves.copies.apply(EVENT, 10n, [{ k: "owner", token: 1n + (block % 3n), to: block % 2n ? BUYER : HOLDER }]);
        moves.copies.synced(block, Number(block));
      }
      expect(moves.snapshot.changesSince(100n)).to.deep.equal({ refresh: "tickets" });
      expect(moves.snapshot.changesSince(1_123n)).to.deep.equal({ tokens: [1n + (1_124n % 3n)], accounts: [], block: 1_124n });
      // 8,192 changes of the deny list in one block: the oldest half dropped, the copy's own change among them.
      const denials = copyAt100();
      const accounts = Array.from({ length: 8_192 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
      denials.copies.apply(EVENT, 10n, accounts.map((account): SnapshotOp => ({ k: "deny", account, on: true })));
      denials.copies.synced(101n, 2);
      expect(denials.snapshot.changesSince(100n)).to.deep.equal({ refresh: "rules" });
      expect(denials.snapshot.changesSince(101n)).to.deep.equal({ tokens: [], accounts: [], block: 101n });
    });

    it("asks for a new copy when a tier, cancellation or the times changed since, or the copy is older than the first sync; names the deny list's changes", function () {
      const tier: SnapshotOp = { k: "tier", tier: 0, info: { name: "VIP", entryStart: 0, entryEnd: 0 } };
      const cases: [string, SnapshotOp, "tickets" | "rules"][] = [
        ["a tier", tier, "tickets"],
        ["a cancellation", { k: "cancelled", on: true }, "rules"],
        ["the event's times", { k: "times", start: 1_500, end: 2_500 }, "rules"],
        ["check-in's lead time", { k: "lead", hours: 2 }, "rules"],
      ];
      for (const [what, op, refresh] of cases) {
        const { copies, snapshot } = copyAt100();
        copies.apply(EVENT, 10n, [op]);
        copies.synced(101n, 2);
        expect(snapshot.changesSince(100n), what).to.deep.equal({ refresh });
        expect(snapshot.changesSince(101n), `${what}, a copy taken after`).to.deep.equal({ tokens: [], accounts: [], block: 101n });
      }
      // The deny list's changes are named (the route says which are denied now), not a new copy.
      {
        const { copies, snapshot } = copyAt100();
        const [x, y] = [BUYER.toLowerCase(), HOLDER.toLowerCase()];
        copies.apply(EVENT, 10n, [{ k: "deny", account: x, on: true }]);
        copies.synced(101n, 2);
        copies.apply(EVENT, 10n, [{ k: "deny", account: y, on: true }, { k: "deny", account: x, on: false }]);
        copies.synced(102n, 3);
        expect(snapshot.changesSince(100n)).to.deep.equal({ tokens: [], accounts: [y, x], block: 102n });
        expect(snapshot.changesSince(101n)).to.deep.equal({ tokens: [], accounts: [y, x], block: 102n });
        expect(snapshot.changesSince(102n)).to.deep.equal({ tokens: [], accounts: [], block: 102n });
      }
      const { copies, snapshot } = copyAt100();
      // A role granted is not in a copy: no new copy for it.
      copies.apply(EVENT, 10n, [{ k: "gate", account: BUYER.toLowerCase(), on: true }]);
      copies.synced(101n, 2);
      expect(snapshot.changesSince(100n)).to.deep.equal({ tokens: [], accounts: [], block: 101n });
      expect(snapshot.changesSince(99n), "older than the first sync").to.deep.equal({ refresh: "tickets" });
    });
  });
});
