// The part of lib/membership.ts the web app needs, without the Merkle tree library (which the app
// would otherwise bundle): a member's proof encoded for `PurchaseOptions.member`, and the level a
// number of points earned reaches. lib/membership.ts re-exports both.
import { encodeAbiParameters, type Hex } from "viem";

/** A member's leaf of the balance tree and its proof, as the server gives it. */
export interface MemberProofLeaf {
  credited: bigint;
  proof: Hex[];
}

/** `PurchaseOptions.member` to pay `pointsPerTicket` points a ticket: the ABI encoding of the contract's MemberProof. */
export function encodeMemberProof(leaf: MemberProofLeaf, pointsPerTicket: bigint): Hex {
  return encodeAbiParameters(
    [
      {
        type: "tuple",
        components: [
          { name: "credited", type: "uint256" },
          { name: "pointsPerTicket", type: "uint256" },
          { name: "proof", type: "bytes32[]" },
        ],
      },
    ],
    [{ credited: leaf.credited, pointsPerTicket, proof: leaf.proof }],
  );
}

/** The level `earned` points reach: thresholds[i] points reach level i + 1 (0: no level yet). */
export function levelFor(earned: bigint, thresholds: readonly bigint[]): number {
  let level = 0;
  for (const threshold of thresholds) if (earned >= threshold) level++;
  return level;
}
