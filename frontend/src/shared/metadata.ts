// Event metadata (the JSON the organizer uploaded, ipfs://) and artwork, through the server's
// /ipfs/<cid> route (a gateway in production: VITE_CHAINPASS_IPFS_GATEWAY).
import { useQuery } from "@tanstack/react-query";

import { serverUrl } from "./api.js";

export interface EventMetadata {
  name: string;
  description: string;
  image: string;
  venue: { name: string; address?: string };
  start_time: number;
  end_time: number;
  /** The venue's IANA time zone ("Asia/Shanghai"); older events have none (shown in the reader's zone). */
  timezone?: string;
  currency?: { symbol: string; decimals: number };
  tiers: { name: string; price: string }[];
  /** The refund policy as the wizard set it (the chain's is the index's `refundDeadlines`/`refundShares`). */
  refundPolicy?: { steps: { secondsBefore: number; shareBps: number }[] };
  external_url?: string;
  attributes?: { trait_type?: string; value: string | number }[];
}

const GATEWAY: string = import.meta.env.VITE_CHAINPASS_IPFS_GATEWAY || serverUrl("/ipfs/");

/** ipfs://<cid>[/path] → a fetchable URL; other URLs unchanged. */
export const ipfsUrl = (uri: string) => (uri.startsWith("ipfs://") ? GATEWAY + uri.slice("ipfs://".length) : uri);

export function useEventMetadata(uri: string | undefined) {
  return useQuery({
    queryKey: ["metadata", uri],
    enabled: !!uri,
    staleTime: Infinity, // content-addressed: never changes
    queryFn: async () => {
      const response = await fetch(ipfsUrl(uri!));
      if (!response.ok) throw new Error(`metadata ${uri}: HTTP ${response.status}`);
      return (await response.json()) as EventMetadata;
    },
  });
}
