// The freshness barrier skips waiting for the follower only over blocks that hold nothing but the
// gate's own check-in batches, and only while those blocks chain onto what the follower applied.
import { expect } from "chai";
import { keccak256, toHex, type Address, type Hex } from "viem";

import type { HeadBlock } from "../../server/chain.js";
import { openDatabase } from "../../server/db.js";
import { AdmissionLedger } from "../../server/gate/ledger.js";
import { OwnBlocks } from "../../server/gate/own-blocks.js";
import { tempDatabase } from "../helpers/server.js";

const EVENT = "0x00000000000000000000000000000000000000e1" as Address;
const STAFF = "0x00000000000000000000000000000000000000a1" as Address;
const HOLDER = "0x00000000000000000000000000000000000000b1" as Address;

const hash = (label: string) => keccak256(toHex(label));
const block = (number: bigint, parent: string, transactions: Hex[], label = `block ${number}`): HeadBlock => ({
  number,
  hash: hash(label),
  parentHash: hash(parent),
  transactions,
});

/** `blocks.cover(head)` with the follower synced to block `number` (its hash: that of "block <number>"). */
const coverAt = (blocks: OwnBlocks, head: HeadBlock, number: bigint) => {
  blocks.synced(number, hash(`block ${number}`));
  return blocks.cover(head);
};

describe("Server: the freshness barrier's own blocks", function () {
  const OURS = [hash("our batch 1"), hash("our batch 2")];
  const THEIRS = hash("a resale");
  const own = () => new OwnBlocks((tx) => OURS.includes(tx));

  it("needs no follower round at the synced head, or over blocks of only our batches (or empty ones)", async function () {
    const blocks = own();
    expect(await coverAt(blocks, block(10n, "block 9", [THEIRS]), 10n)).to.equal(true);
    expect(await coverAt(blocks, block(11n, "block 10", [OURS[0]]), 10n)).to.equal(true);
    // Seen one round later, with another of ours and an empty block on top.
    expect(await coverAt(blocks, block(12n, "block 11", [OURS[1]]), 10n)).to.equal(true);
    expect(await coverAt(blocks, block(13n, "block 12", []), 10n)).to.equal(true);
  });

  it("waits for the follower when a new block holds anyone else's transaction", async function () {
    const blocks = own();
    expect(await coverAt(blocks, block(11n, "block 10", [OURS[0], THEIRS]), 10n)).to.equal(false);
    expect(await coverAt(blocks, block(11n, "block 10", [THEIRS]), 10n)).to.equal(false);
    // And keeps waiting for every block above it, ours or not, until the follower has read it.
    expect(await coverAt(blocks, block(12n, "block 11", [OURS[1]]), 10n)).to.equal(false);
    expect(await coverAt(blocks, block(12n, "block 11", [OURS[1]]), 11n)).to.equal(true);
  });

  it("waits when blocks came in between unseen, or a reorg replaced one it had checked", async function () {
    const blocks = own();
    // 11 and 12 were mined between two rounds: 11 was never looked at.
    expect(await coverAt(blocks, block(12n, "block 11", [OURS[1]]), 10n)).to.equal(false);

    const reorged = own();
    expect(await coverAt(reorged, block(11n, "block 10", [OURS[0]]), 10n)).to.equal(true);
    // The new 12 descends from another 11 (holding a transfer we never saw).
    expect(await coverAt(reorged, block(12n, "block 11'", [OURS[1]]), 10n)).to.equal(false);
    // The same height with another hash is checked again.
    expect(await coverAt(reorged, block(11n, "block 10", [THEIRS], "block 11'"), 10n)).to.equal(false);
    // The synced block itself was replaced: the head at its height with another hash, or empty
    // blocks on top of another 10 (a sale reorganized away under them).
    expect(await coverAt(own(), block(10n, "block 9", [], "block 10'"), 10n)).to.equal(false);
    const chain = new Map([[hash("block 11'"), block(11n, "block 10'", [], "block 11'")]]);
    const readable = new OwnBlocks((tx) => OURS.includes(tx), async (h) => chain.get(h) ?? Promise.reject(new Error("no such block")));
    expect(await coverAt(readable, block(12n, "block 11'", []), 10n)).to.equal(false);
    // A head below the synced block, or nothing synced yet: the follower's to sort out.
    expect(await coverAt(reorged, block(9n, "block 8", []), 10n)).to.equal(false);
    expect(await own().cover(block(0n, "genesis", []))).to.equal(false);
  });

  it("reads blocks mined between two rounds by hash, and takes announced blocks it was shown", async function () {
    const chain = new Map<Hex, HeadBlock>();
    const add = (b: HeadBlock) => (chain.set(b.hash, b), b);
    const reads: Hex[] = [];
    const blocks = new OwnBlocks(
      (tx) => OURS.includes(tx),
      async (h) => {
        reads.push(h);
        const found = chain.get(h);
        if (!found) throw new Error("no such block");
        return found;
      },
    );
    add(block(11n, "block 10", [OURS[0]]));
    add(block(12n, "block 11", []));
    // 11 and 12 came between two rounds: read by hash, both ours, covered.
    expect(await coverAt(blocks, add(block(13n, "block 12", [OURS[1]])), 10n)).to.equal(true);
    expect(reads).to.deep.equal([hash("block 12"), hash("block 11")]);
    // An announced block is checked as it comes: the next round reads nothing.
    await blocks.note(add(block(14n, "block 13", [OURS[0]])));
    reads.length = 0;
    expect(await coverAt(blocks, add(block(15n, "block 14", [])), 10n)).to.equal(true);
    expect(reads).to.deep.equal([]);

    // A block in between holding a resale: the follower's round.
    const other = new OwnBlocks((tx) => OURS.includes(tx), async (h) => chain.get(h) ?? Promise.reject(new Error("no such block")));
    add(block(21n, "block 20", [THEIRS]));
    expect(await coverAt(other, add(block(22n, "block 21", [OURS[0]])), 20n)).to.equal(false);
    // An announced block holding it is not remembered either.
    await other.note(add(block(31n, "block 30", [THEIRS])));
    expect(await coverAt(other, block(32n, "block 31", []), 30n)).to.equal(false);
  });

  it("waits for the follower when more than four blocks are unseen, or a read fails", async function () {
    const chain = new Map<Hex, HeadBlock>();
    for (let n = 11n; n <= 16n; n++) chain.set(hash(`block ${n}`), block(n, `block ${n - 1n}`, [OURS[0]]));
    const blocks = new OwnBlocks((tx) => OURS.includes(tx), async (h) => chain.get(h)!);
    // 16 is the head: 15, 14, 13, 12 may be read, 11 would be the fifth.
    expect(await coverAt(blocks, chain.get(hash("block 16"))!, 10n)).to.equal(false);
    expect(await coverAt(blocks, chain.get(hash("block 16"))!, 11n)).to.equal(true);

    const failing = new OwnBlocks((tx) => OURS.includes(tx), () => Promise.reject(new Error("timed out")));
    expect(await coverAt(failing, block(12n, "block 11", [OURS[1]]), 10n)).to.equal(false);
    // A read answering another height than the parent's (a node that reorganised meanwhile).
    const wrong = new OwnBlocks((tx) => OURS.includes(tx), async () => block(7n, "block 6", []));
    expect(await coverAt(wrong, block(12n, "block 11", [OURS[1]]), 10n)).to.equal(false);
  });

  it("counts as ours exactly the ledger's signed check-in batches, by transaction hash", function () {
    const ledger = new AdmissionLedger(openDatabase(tempDatabase()));
    ledger.tryAdmit(EVENT, 1n, STAFF, HOLDER, 1);
    const batch = ledger.createBatch(10, 2)!;
    const rawTx = "0x02f8aa" as Hex;
    expect(ledger.isOwnTransaction(keccak256(rawTx))).to.equal(false);
    ledger.recordSigned(batch.id, 0, rawTx, keccak256(rawTx));
    expect(ledger.isOwnTransaction(keccak256(rawTx))).to.equal(true);
    expect(ledger.isOwnTransaction(keccak256(rawTx).toUpperCase().replace("0X", "0x") as Hex)).to.equal(true);
    expect(ledger.isOwnTransaction(THEIRS)).to.equal(false);
  });
});
