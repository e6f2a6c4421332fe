// What the app knows with no network (docs/ARCHITECTURE.md section 6, the offline pass): whether
// the device is online, the account last connected on it, and the copies of index answers the fan
// pages keep (shared/index-query.ts `keep`). Loaded with the shell: small on purpose.
import { onlineManager } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";

import { absoluteUrl, network } from "../wallet/network.js";

/**
 * Whether the device is online: TanStack Query's onlineManager, which follows the browser's
 * online/offline events and what watchConnectivity learns from requests.
 */
export const useOnline = () => useSyncExternalStore(onlineManager.subscribe, () => onlineManager.isOnline());

const PROBE_TIMEOUT_MS = 4_000;
const PROBE_EVERY_MS = 5_000;
let probing = false;

/** The smallest question the index (ours or The Graph's) answers. */
const PROBE_QUERY = JSON.stringify({ query: "{ _meta { block { number } } }" });

/** Whether a request to the index reaches a server (any HTTP answer counts): the browser's word is not enough. */
async function reachable(): Promise<boolean> {
  try {
    await fetch(absoluteUrl(network.indexUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: PROBE_QUERY,
      cache: "no-store",
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return true;
  } catch {
    return false;
  }
}

/** Offline until a probe gets through, then online again (the browser may never say so). */
function goOffline() {
  onlineManager.setOnline(false);
  if (probing) return;
  probing = true;
  const probe = async () => {
    if (await reachable()) {
      probing = false;
      onlineManager.setOnline(true);
    } else {
      setTimeout(() => void probe(), PROBE_EVERY_MS);
    }
  };
  setTimeout(() => void probe(), PROBE_EVERY_MS);
}

/** A request that never reached a server: fetch rejects with a TypeError (an HTTP error is an answer). */
const isNetworkFailure = (error: unknown) => error instanceof TypeError;

/**
 * The app's idea of "online" (main.tsx): navigator.onLine at start and the browser's events, but
 * also one probe when the app opens and every request that fails for lack of network. A phone on a
 * venue's dead Wi-Fi, or a page reloaded offline in some browsers, reads navigator.onLine as true;
 * the fan must still get the offline copies and be told. Returns the handler for failed requests.
 */
export function watchConnectivity(): (error: unknown) => void {
  if (!navigator.onLine) goOffline();
  else void reachable().then((ok) => ok || goOffline());
  return (error) => {
    if (isNetworkFailure(error) && onlineManager.isOnline()) goOffline();
  };
}

/** The account last connected on this device, for this chain (kept up to date by wallet/config.ts). */
export const LAST_ACCOUNT_KEY = `chainpass.account.${network.chainId}`;

/**
 * Whose tickets the fan pages show: the connected wallet's; offline with no wallet connected (it
 * may not reconnect without a network), the account last connected on this device.
 */
export function useTicketHolder(): Address | undefined {
  const { address } = useAccount();
  return useOnline() ? address : address || ((localStorage.getItem(LAST_ACCOUNT_KEY) || undefined) as Address | undefined);
}

/** A kept answer: when it was fetched (ms) and the data. */
export type Kept = [number, unknown];

/** The copy kept under `key` (none without a key). */
export const readKept = (key: string | undefined): Kept | undefined => (key && (JSON.parse(localStorage.getItem(key)!) as Kept | null)) || undefined;

/** Keeps `data` under `key`, fetched now; storage full or unavailable: no copy. */
export function keep(key: string, data: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify([Date.now(), data] satisfies Kept));
  } catch {
    // the page still shows the answer, it just will not open offline
  }
}
