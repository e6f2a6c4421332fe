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

describe("Server: the freshness barrier's own blocks", function () {
  const OURS = [hash("our batch 1"), hash("our batch 2")];
  const THEIRS = hash("a resale");
  const own = () => new OwnBlocks((tx) => OURS.includes(tx));

  it("needs no follower round at the synced head, or over blocks of only our batches (or empty ones)", async function () {
    const blocks = own();
    expect(await blocks.cover(block(10n, "block 9", [THEIRS]), 10n)).to.equal(true);
    expect(await blocks.cover(block(11n, "block 10", [OURS[0]]), 10n)).to.equal(true);
    // Seen one round later, with another of ours and an empty block on top.
    expect(await blocks.cover(block(12n, "block 11", [OURS[1]]), 10n)).to.equal(true);
    expect(await blocks.cover(block(13n, "block 12", []), 10n)).to.equal(true);
  });

  it("waits for the follower when a new block holds anyone else's transaction", async function () {
    const blocks = own();
    expect(await blocks.cover(block(11n, "block 10", [OURS[0], THEIRS]), 10n)).to.equal(false);
    expect(await blocks.cover(block(11n, "block 10", [THEIRS]), 10n)).to.equal(false);
    // And keeps waiting for every block above it, ours or not, until the follower has read it.
    expect(await blocks.cover(block(12n, "block 11", [OURS[1]]), 10n)).to.equal(false);
    blocks.synced(11n);
    expect(await blocks.cover(block(12n, "block 11", [OURS[1]]), 11n)).to.equal(true);
  });

  it("waits when blocks came in between unseen, or a reorg replaced one it had checked", async function () {
    const blocks = own();
    // 11 and 12 were mined between two rounds: 11 was never looked at.
    expect(await blocks.cover(block(12n, "block 11", [OURS[1]]), 10n)).to.equal(false);

    const reorged = own();
    expect(await reorged.cover(block(11n, "block 10", [OURS[0]]), 10n)).to.equal(true);
    // The new 12 descends from another 11 (holding a transfer we never saw).
    expect(await reorged.cover(block(12n, "block 11'", [OURS[1]]), 10n)).to.equal(false);
    // The same height with another hash is checked again.
    expect(await reorged.cover(block(11n, "block 10", [THEIRS], "block 11'"), 10n)).to.equal(false);
    // A head below the synced block, or nothing synced yet: the follower's to sort out.
    expect(await reorged.cover(block(9n, "block 8", []), 10n)).to.equal(false);
    expect(await own().cover(block(0n, "genesis", []), -1n)).to.equal(false);
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
