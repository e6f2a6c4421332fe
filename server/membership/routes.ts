// Membership proofs for fans paying with points, and the points signer's address for organizers
// setting up a program:
//
//   GET /membership/signer                     { address } of this server's points signer
//   GET /membership/:program/proof/:member     { root, credited, proof, spent, available }
//
// The proof is from the tree whose root the contract holds now (or the one before it, which it
// still accepts); `spent` is read from the contract, so `available` is what a purchase can use.
import type { FastifyInstance, FastifyReply } from "fastify";
import { getAddress, isAddress, type Address, type Hex } from "viem";

import { chainpassMembershipAbi } from "../../lib/abi/index.js";
import type { PublicClient } from "../chain.js";
import type { PointsTreeStore } from "./tree-store.js";

function refuse(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

export function registerMembership(scope: FastifyInstance, deps: { store: PointsTreeStore; client: PublicClient; membership: Address; signer?: Address }) {
  const { store, client, membership, signer } = deps;

  scope.get("/membership/signer", async (_request, reply) => {
    if (!signer) return refuse(reply, 404, "no-points-signer", "This server has no points signer (CHAINPASS_POINTS_KEY)");
    return { address: signer };
  });

  scope.get<{ Params: { program: string; member: string } }>("/membership/:program/proof/:member", async (request, reply) => {
    const { program, member } = request.params;
    if (!isAddress(program, { strict: false })) return refuse(reply, 400, "bad-program", `${program} is not an address`);
    if (!isAddress(member, { strict: false })) return refuse(reply, 400, "bad-member", `${member} is not an address`);
    let info: { exists: boolean; root: Hex; previousRoot: Hex };
    let spent: bigint;
    try {
      [info, spent] = await Promise.all([
        client.readContract({ address: membership, abi: chainpassMembershipAbi, functionName: "program", args: [getAddress(program)] }),
        client.readContract({ address: membership, abi: chainpassMembershipAbi, functionName: "spent", args: [getAddress(program), getAddress(member)] }),
      ]);
    } catch {
      return refuse(reply, 503, "chain-unavailable", "The chain could not be read; try again shortly");
    }
    if (!info.exists) return refuse(reply, 404, "unknown-program", `${program} has no membership program`);
    for (const root of [info.root, info.previousRoot]) {
      const leaf = store.load(getAddress(program), root)?.proofFor(getAddress(member));
      if (!leaf) continue;
      const available = leaf.credited > spent ? leaf.credited - spent : 0n;
      return { root, credited: leaf.credited.toString(), proof: leaf.proof, spent: spent.toString(), available: available.toString() };
    }
    return refuse(reply, 404, "not-in-balances", "No posted balance includes this member yet: points appear once the next balance update is posted");
  });
}
