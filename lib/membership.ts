// Membership programs (contracts/ChainpassMembership.sol): the balance tree the points signer posts
// and members prove against to pay with points, and the proof a purchase carries in
// `PurchaseOptions.member`. Leaves are [member, credited], built with @openzeppelin/merkle-tree's
// StandardMerkleTree (the leaf hashing the contract verifies). Levels are set on chain apart.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, type Address, type Hex } from "viem";

import type { MemberProofLeaf } from "./member-proof.js";

// What the app needs without the tree library (the checkout's proof, a level): ./member-proof.ts.
export { encodeMemberProof, levelFor } from "./member-proof.js";

export interface MemberBalance {
  member: Address;
  /** Points credited over the program's life: earned (net of reversals and corrections) plus points given back. */
  credited: bigint;
}

export interface MemberLeafProof extends MemberBalance, MemberProofLeaf {
  root: Hex;
}

export interface BalanceTree {
  root: Hex;
  size: number;
  proofFor(member: Address): MemberLeafProof | undefined;
  dump(): unknown;
}

type Leaf = [string, string];

function wrap(tree: StandardMerkleTree<Leaf>): BalanceTree {
  const index = new Map<string, number>();
  for (const [i, [member]] of tree.entries()) index.set(getAddress(member), i);
  return {
    root: tree.root as Hex,
    size: index.size,
    proofFor(member) {
      const i = index.get(getAddress(member));
      if (i === undefined) return undefined;
      const [address, credited] = tree.at(i)!;
      return { member: getAddress(address), credited: BigInt(credited), root: tree.root as Hex, proof: tree.getProof(i) as Hex[] };
    },
    dump: () => tree.dump(),
  };
}

/**
 * The tree of every member's balance, in a canonical order (by address) so that the same balances
 * always give the same root, whoever computes them. Undefined for a program without members (the
 * contract refuses every proof until a root is posted).
 */
export function buildBalanceTree(balances: readonly MemberBalance[]): BalanceTree | undefined {
  if (balances.length === 0) return undefined;
  const values = balances
    .map(({ member, credited }): Leaf => [getAddress(member), credited.toString()])
    .sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  for (let i = 1; i < values.length; i++) {
    if (values[i][0] === values[i - 1][0]) throw new Error(`${values[i][0]} has two balances`);
  }
  return wrap(StandardMerkleTree.of(values, ["address", "uint256"], { sortLeaves: false }));
}

export function loadBalanceTree(dump: unknown): BalanceTree {
  return wrap(StandardMerkleTree.load(dump as Parameters<typeof StandardMerkleTree.load<Leaf>>[0]));
}
