// What the app knows with no network (docs/ARCHITECTURE.md section 6, the offline pass): whether
// the device is online, the account last connected on it, and the copies of index answers the fan
// pages keep (shared/index-query.ts `keep`). Loaded with the shell: small on purpose.
import { onlineManager } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";

import { network } from "../wallet/network.js";

/** Whether the device is online: TanStack Query's onlineManager (navigator.onLine at start, main.tsx; then its events). */
export const useOnline = () => useSyncExternalStore(onlineManager.subscribe, () => onlineManager.isOnline());

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
