// ENS where the network has it (ChainpassNetwork.ensUniversalResolver): an address's primary name
// for display, and a typed name resolved to an address for inputs. Pure viem, so the web app and
// the tests share it. Without a resolver nothing here touches the chain.
//
// A primary name is only trusted because the Universal Resolver checks it: `reverseWithGateways`
// forward-resolves the reverse record's name and reverts ReverseAddressMismatch when it names
// another address, which viem's getEnsName turns into null. Names that are not in ENSIP-15 normal
// form are not shown either (a look-alike could pass for another name).
import { getAddress, isAddress, type Address, type Client } from "viem";
import { getEnsAddress, getEnsName, normalize } from "viem/ens";

import type { ChainpassNetwork } from "./networks.js";
import { readRecipient, type EnsProblem } from "./recipient-text.js";

export type EnsNetwork = Pick<ChainpassNetwork, "name" | "ensUniversalResolver">;

export type { EnsProblem };

export class EnsError extends Error {
  override readonly name = "EnsError";
  constructor(
    readonly problem: EnsProblem,
    /** The name or text as typed (normalized for not-found and lookup-failed). */
    readonly input: string,
    readonly network: string,
    options?: { cause?: unknown },
  ) {
    super(describe(problem, input, network, options?.cause), options);
  }
}

function describe(problem: EnsProblem, input: string, network: string, cause: unknown): string {
  switch (problem) {
    case "invalid-address":
      return `"${input}" is not an address (0x followed by 40 hexadecimal characters)`;
    case "invalid-name":
      return `"${input}" is not a valid ENS name${cause instanceof Error ? `: ${cause.message}` : ""}`;
    case "unavailable":
      return `ENS names are not available on ${network}`;
    case "not-found":
      return `no address for ${input}`;
    case "lookup-failed":
      return `could not look up ${input}${cause instanceof Error ? `: ${cause.message.split("\n")[0]}` : ""}`;
  }
}

/** What an input holds: an address as is, or a normalized name still to resolve. */
export type ParsedRecipient = { kind: "address"; address: Address } | { kind: "name"; name: string };

/**
 * Reads an address input without touching the chain: an address (any case), or a dotted name,
 * normalized (ENSIP-15). Throws EnsError invalid-address, unavailable or invalid-name.
 */
export function parseRecipient(text: string, network: EnsNetwork): ParsedRecipient {
  const read = readRecipient(text, !!network.ensUniversalResolver);
  if (read.kind === "address") return read;
  if (read.kind === "empty") throw new EnsError("invalid-address", "", network.name);
  if (read.kind === "refused") throw new EnsError(read.refusal.problem, read.refusal.input, network.name);
  const typed = read.input;
  let name: string;
  try {
    name = normalize(typed);
  } catch (cause) {
    throw new EnsError("invalid-name", typed, network.name, { cause });
  }
  // Labels must be non-empty ("alice..eth", ".eth" are not names).
  if (name.split(".").some((label) => label === "")) throw new EnsError("invalid-name", typed, network.name);
  return { kind: "name", name };
}

export interface Recipient {
  address: Address;
  /** The normalized name it was typed as, when it was a name. */
  name?: string;
}

export interface Ens {
  /** The network has a Universal Resolver: names are looked up and accepted. */
  readonly available: boolean;
  /** The address's primary name, verified; null when there is none or the lookup failed. Never rejects. */
  nameOf(address: string): Promise<string | null>;
  /** The address a normalized name resolves to; rejects with EnsError not-found or lookup-failed. */
  addressOf(name: string): Promise<Address>;
  /** An input resolved: an address as is, a name through ENS. Rejects with EnsError. */
  resolve(text: string): Promise<Recipient>;
}

interface Entry<T> {
  value: Promise<T>;
  expires: number;
}

/** Five minutes: names change rarely, and a page shows the same few addresses many times. */
const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * ENS on `network` through `client`. Results are cached (per instance, `ttlMs`), and concurrent
 * lookups of the same address or name share one call; failed lookups are not cached.
 */
export function createEns(client: Client, network: EnsNetwork, options: { ttlMs?: number } = {}): Ens {
  const resolver = network.ensUniversalResolver;
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  const names = new Map<string, Entry<string | null>>();
  const addresses = new Map<string, Entry<Address | null>>();

  function cached<T>(cache: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = load();
    cache.set(key, { value, expires: Date.now() + ttl });
    // A failure is forgotten at once: the next caller tries again.
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  }

  async function lookUpName(address: Address, universalResolverAddress: Address): Promise<string | null> {
    const name = await getEnsName(client, { address, universalResolverAddress });
    if (!name) return null;
    try {
      return normalize(name) === name ? name : null;
    } catch {
      return null;
    }
  }

  const ens: Ens = {
    available: !!resolver,

    nameOf(address) {
      if (!resolver || !isAddress(address, { strict: false })) return Promise.resolve(null);
      const checksummed = getAddress(address);
      // The UI falls back to the short address; a failure is not the reader's problem.
      return cached(names, checksummed, () => lookUpName(checksummed, resolver)).catch(() => null);
    },

    async addressOf(name) {
      if (!resolver) throw new EnsError("unavailable", name, network.name);
      const found = await cached(addresses, name, () => getEnsAddress(client, { name, universalResolverAddress: resolver })).catch((cause: unknown) => {
        throw new EnsError("lookup-failed", name, network.name, { cause });
      });
      if (!found) throw new EnsError("not-found", name, network.name);
      return getAddress(found);
    },

    async resolve(text) {
      const parsed = parseRecipient(text, network);
      if (parsed.kind === "address") return { address: parsed.address };
      return { address: await ens.addressOf(parsed.name), name: parsed.name };
    },
  };
  return ens;
}
