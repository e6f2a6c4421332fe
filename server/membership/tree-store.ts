// The balance trees the points signer posted, by program and root: members fetch their proof from
// the tree whose root is on chain (the contract also accepts the one before it).
import type { Address, Hex } from "viem";

import { loadBalanceTree, type BalanceTree } from "../../lib/membership.js";
import type { Database } from "../db.js";

/** Trees kept per program: the current root's and the previous one's are all a proof can use. */
const KEPT = 3;

export class PointsTreeStore {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS points_trees (
        program TEXT NOT NULL,
        root TEXT NOT NULL,
        as_of INTEGER NOT NULL,
        tree TEXT NOT NULL,
        PRIMARY KEY (program, root)
      );
    `);
  }

  save(program: Address, root: Hex, asOfBlock: bigint, tree: BalanceTree) {
    const key = program.toLowerCase();
    this.db
      .prepare("INSERT INTO points_trees (program, root, as_of, tree) VALUES (?, ?, ?, ?) ON CONFLICT (program, root) DO UPDATE SET as_of = excluded.as_of, tree = excluded.tree")
      .run(key, root.toLowerCase(), Number(asOfBlock), JSON.stringify(tree.dump()));
    this.db
      .prepare("DELETE FROM points_trees WHERE program = ? AND root NOT IN (SELECT root FROM points_trees WHERE program = ? ORDER BY as_of DESC LIMIT ?)")
      .run(key, key, KEPT);
  }

  load(program: Address, root: Hex): BalanceTree | undefined {
    const row = this.db.prepare("SELECT tree FROM points_trees WHERE program = ? AND root = ?").get(program.toLowerCase(), root.toLowerCase()) as { tree: string } | undefined;
    return row ? loadBalanceTree(JSON.parse(row.tree)) : undefined;
  }
}
