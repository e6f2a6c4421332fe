// ENS in the app where the network has a Universal Resolver (lib/networks.ts
// `ensUniversalResolver`): addresses shown by their verified primary name (ShortAddress), names
// accepted in address inputs. lib/ens.ts, with viem's ENS actions and the ENSIP-15 tables, loads
// with import() on the first lookup and never on a network without ENS; vite.config.ts gives it
// its own copies of what it reaches, so no route's first load grows.
import { useQuery } from "@tanstack/react-query";

import type { Ens, Recipient } from "../../../lib/ens.js";
import { wagmiConfig } from "../wallet/config.js";
import { network } from "../wallet/network.js";
import { readRecipient, type Refusal } from "./recipients.js";

export const hasEns = !!network.ensUniversalResolver;

let ens: Promise<Ens> | undefined;

/** The one Ens of the app, over wagmi's client for the chain (its transport, its RPC URL). Only called where hasEns. */
function loadEns(): Promise<Ens> {
  if (!ens) {
    const loading = import("../../../lib/ens.js").then(({ createEns }) => createEns(wagmiConfig.getClient({ chainId: network.chainId }), network));
    // A chunk that did not download is tried again by the next lookup.
    loading.catch(() => {
      if (ens === loading) ens = undefined;
    });
    ens = loading;
  }
  return ens;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const NAME_TTL_MS = 5 * 60_000;

/** The address's verified primary name; null while it loads, when there is none, and on a network without ENS. */
export function useEnsName(address: string | undefined): string | null {
  // One query per address however it is cased: a page showing it ten times looks it up once.
  const key = address && ADDRESS.test(address) ? address.toLowerCase() : "";
  const query = useQuery({
    queryKey: ["ens", "name", network.chainId, key],
    queryFn: () => loadEns().then((e) => e.nameOf(key)),
    enabled: hasEns && key !== "",
    staleTime: NAME_TTL_MS,
    retry: false,
    refetchOnWindowFocus: false,
  });
  return query.data ?? null;
}

/** lib/ens's EnsError without loading lib/ens (the refusals known from the text alone). */
function refused(refusal: Refusal): Error {
  return Object.assign(new Error(`${refusal.problem}: ${refusal.input}`), { name: "EnsError", ...refusal });
}

/**
 * An address input resolved: an address as typed, a name through ENS. Rejects with an EnsError
 * (`problem`, `input`; refusalOf reads it). Addresses and, without ENS, names never load lib/ens.
 */
export async function resolveRecipient(text: string): Promise<Recipient> {
  const typed = readRecipient(text, hasEns);
  if (typed.kind === "address") return { address: typed.address };
  if (typed.kind === "empty") throw refused({ problem: "invalid-address", input: "" });
  if (typed.kind === "refused") throw refused(typed.refusal);
  return (await loadEns()).resolve(typed.input);
}
