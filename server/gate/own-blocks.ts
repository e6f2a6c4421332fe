// Which new blocks the freshness barrier may skip: those holding nothing but the gate's own
// check-in transactions. Their only effect is admissions the ledger already has, so a scan need
// not wait for the follower to read them. At a busy door the writer's batches are most of the
// chain's new blocks; on a public chain, blocks with anyone else's transaction are read as usual.
import type { Hex } from "viem";

import type { HeadBlock } from "../chain.js";

/** Blocks between the synced one and the head the barrier reads itself; more, and it waits for the follower. */
const MAX_UNSEEN_BLOCKS = 4;

export class OwnBlocks {
  /** Blocks above the follower's synced block seen to hold only own transactions, by number. */
  private readonly seen = new Map<bigint, HeadBlock>();
  /** The block the follower applied last (-1 before its first). */
  private syncedTo: { number: bigint; hash?: Hex } = { number: -1n };

  constructor(
    /** The ledger's answer (a query: SQLite answers at once, PostgreSQL after a round trip). */
    private readonly isOwnTransaction: (hash: Hex) => boolean | Promise<boolean>,
    /** Reads a block by hash (with its transaction hashes); without it, unseen blocks wait for the follower. */
    private readonly readBlock?: (hash: Hex) => Promise<HeadBlock>,
  ) {}

  /**
   * True when every block above the synced one up to `head` holds only own transactions (or none)
   * and they chain by hash onto the synced block itself: `head` is checked now, a block below it seen by an
   * earlier call or announced (`note`) is taken from memory if it is the head's ancestor, and at
   * most MAX_UNSEEN_BLOCKS others (mined between two rounds) are read by hash. A reorg that
   * replaced any of them, or the synced block, breaks the hash chain: the caller waits for the
   * follower, which undoes what the reorg took away.
   */
  async cover(head: HeadBlock): Promise<boolean> {
    const synced = this.syncedTo;
    if (synced.number < 0n || !synced.hash) return false; // nothing applied yet: the follower's
    if (head.number === synced.number) return head.hash === synced.hash;
    // Below what was applied (a reorg shortened the chain): the follower's.
    if (head.number < synced.number) return false;
    let unseen = 0;
    for (let block = head; ; ) {
      if (!(await this.ownOnly(block))) return false;
      const number = block.number - 1n;
      if (number === synced.number) return block.parentHash === synced.hash;
      const parent = this.seen.get(number);
      if (parent?.hash === block.parentHash) {
        block = parent;
        continue;
      }
      if (!this.readBlock || ++unseen > MAX_UNSEEN_BLOCKS) return false;
      try {
        block = await this.readBlock(block.parentHash);
      } catch {
        return false; // the follower's round reads it, or finds the node gone
      }
      if (block.number !== number) return false;
    }
  }

  /** A block read elsewhere (a head the node announced): remembered if it holds only own transactions. */
  async note(block: HeadBlock): Promise<void> {
    if (block.number > this.syncedTo.number) await this.ownOnly(block);
  }

  /** The follower applied every block up to `block` (`hash`): nothing at or below it needs remembering. */
  synced(block: bigint, hash: Hex) {
    this.syncedTo = { number: block, hash };
    for (const number of this.seen.keys()) if (number <= block) this.seen.delete(number);
  }

  clear() {
    this.syncedTo = { number: -1n };
    this.seen.clear();
  }

  /** Whether `block` holds only own transactions (checked once per block hash). */
  private async ownOnly(block: HeadBlock): Promise<boolean> {
    if (this.seen.get(block.number)?.hash === block.hash) return true;
    for (const hash of block.transactions) if (!(await this.isOwnTransaction(hash))) return false;
    if (block.number > this.syncedTo.number) this.seen.set(block.number, block);
    return true;
  }
}
