// Index queries through TanStack Query: one cache key per document and variables. The same
// documents (lib/index) work against The Graph and the local index.
import { useQuery } from "@tanstack/react-query";

import { queryIndex } from "../../../lib/index/index.js";
import { absoluteUrl, network } from "../wallet/network.js";
import { keep, readKept } from "./offline.js";

/**
 * `keep` names the query for an offline copy: each answer is kept in this browser's storage under
 * the chain, that name and the variables (an account's tickets under that account), and a page
 * opened later starts from it, offline too, until a fresh answer replaces it. Only for what the
 * fan needs at the door (My tickets, the pass); shared/ui.tsx LastKnown says when one is shown.
 */
export function useIndexQuery<T>(
  document: string,
  variables: Record<string, unknown>,
  options: { enabled?: boolean; refetchInterval?: number; keep?: string } = {},
) {
  const key = options.keep && `chainpass.index.${network.chainId}.${options.keep}.${JSON.stringify(variables)}`;
  return useQuery({
    queryKey: ["index", document, variables],
    queryFn: async ({ signal }) => {
      const data = await queryIndex<T>(absoluteUrl(network.indexUrl), document, variables, { signal });
      if (key) keep(key, data);
      return data;
    },
    initialData: () => readKept(key)?.[1] as T | undefined,
    initialDataUpdatedAt: () => readKept(key)?.[0],
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval,
  });
}
