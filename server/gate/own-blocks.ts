// Which new blocks the freshness barrier may skip: those holding nothing but the gate's own
// check-in transactions. Their only effect is admissions the ledger already has, so a scan need
// not wait for the follower to read them. At a busy door the writer's batches are most of the
// chain's new blocks; on a public chain, blocks with anyone else's transaction are read as usual.
import type { Hex } from "viem";

import type { HeadBlock } from "../chain.js";

export class OwnBlocks {
  /** Blocks above the follower's synced block seen to hold only own transactions, by number. */
  private readonly seen = new Map<bigint, HeadBlock>();

  /** The ledger's answer (a query: SQLite answers at once, PostgreSQL after a round trip). */
  constructor(private readonly isOwnTransaction: (hash: Hex) => boolean | Promise<boolean>) {}

  /**
   * True when every block above `synced` up to `head` holds only own transactions (or none): `head`
   * is checked now, the ones below it must have been checked by earlier calls and be its ancestors
   * (a reorg that replaced one breaks the hash chain, and the caller waits for the follower).
   */
  async cover(head: HeadBlock, synced: bigint): Promise<boolean> {
    if (head.number === synced) return true;
    // Below what was applied (a reorg shortened the chain) or nothing applied yet: the follower's.
    if (head.number < synced || synced < 0n) return false;
    if (this.seen.get(head.number)?.hash !== head.hash) {
      for (const hash of head.transactions) if (!(await this.isOwnTransaction(hash))) return false;
      this.seen.set(head.number, head);
    }
    for (let child = head, n = head.number - 1n; n > synced; n--) {
      const parent = this.seen.get(n);
      if (parent?.hash !== child.parentHash) return false;
      child = parent;
    }
    return true;
  }

  /** The follower applied every block up to `block`: nothing at or below it needs remembering. */
  synced(block: bigint) {
    for (const number of this.seen.keys()) if (number <= block) this.seen.delete(number);
  }

  clear() {
    this.seen.clear();
  }
}
