// Allowlist presales: a tier's Merkle root commits to [address, allowance] pairs, built with
// @openzeppelin/merkle-tree's StandardMerkleTree (the leaf hashing EventTicket verifies).
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, type Address, type Hex } from "viem";

export interface AllowlistEntry {
  address: Address;
  /** Tickets of the tier this address may buy during the presale. */
  allowance: bigint;
}

export interface Allowlist {
  root: Hex;
  entries: AllowlistEntry[];
  /** The proof and allowance `buyWith` needs for `address`, or undefined if it is not listed. */
  proofFor(address: Address): { proof: Hex[]; allowance: bigint } | undefined;
  /** A JSON dump the server can store and load again with `loadAllowlist`. */
  dump(): unknown;
}

function wrap(tree: StandardMerkleTree<[string, string]>): Allowlist {
  const index = new Map<string, number>();
  const entries: AllowlistEntry[] = [];
  for (const [i, [address, allowance]] of tree.entries()) {
    index.set(getAddress(address), i);
    entries.push({ address: getAddress(address), allowance: BigInt(allowance) });
  }
  return {
    root: tree.root as Hex,
    entries,
    proofFor(address) {
      const i = index.get(getAddress(address));
      if (i === undefined) return undefined;
      return { proof: tree.getProof(i) as Hex[], allowance: BigInt(tree.at(i)![1]) };
    },
    dump: () => tree.dump(),
  };
}

/** Builds the tree; an address listed twice is an error (its allowance would be ambiguous). */
export function buildAllowlist(entries: AllowlistEntry[]): Allowlist {
  const seen = new Set<string>();
  const values = entries.map(({ address, allowance }) => {
    const normalized = getAddress(address);
    if (seen.has(normalized)) throw new Error(`${normalized} is listed twice`);
    seen.add(normalized);
    if (allowance <= 0n) throw new Error(`${normalized} needs an allowance of at least 1`);
    return [normalized, allowance.toString()] as [string, string];
  });
  if (values.length === 0) throw new Error("An allowlist needs at least one address");
  return wrap(StandardMerkleTree.of(values, ["address", "uint256"]));
}

export function loadAllowlist(dump: unknown): Allowlist {
  return wrap(StandardMerkleTree.load(dump as Parameters<typeof StandardMerkleTree.load<[string, string]>>[0]));
}

/**
 * Parses a CSV of `address[,allowance]` lines (a header line and blank lines are skipped), as
 * organizers upload them. Lines without an allowance get `defaultAllowance`.
 */
export function parseAllowlistCsv(csv: string, defaultAllowance = 1n): AllowlistEntry[] {
  const entries: AllowlistEntry[] = [];
  csv.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || (i === 0 && !/^0x/i.test(line))) return;
    const [address, allowance] = line.split(",").map((s) => s.trim());
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`Line ${i + 1}: "${address}" is not an address`);
    entries.push({ address: getAddress(address), allowance: allowance ? BigInt(allowance) : defaultAllowance });
  });
  return entries;
}
