// Index queries through TanStack Query: one cache key per document and variables. The same
// documents (lib/index) work against The Graph and the local index.
import { useQuery } from "@tanstack/react-query";

import { queryIndex } from "../../../lib/index/index.js";
import { absoluteUrl, network } from "../wallet/network.js";

export function useIndexQuery<T>(
  document: string,
  variables: Record<string, unknown>,
  options: { enabled?: boolean; refetchInterval?: number } = {},
) {
  return useQuery({
    queryKey: ["index", document, variables],
    queryFn: ({ signal }) => queryIndex<T>(absoluteUrl(network.indexUrl), document, variables, { signal }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval,
  });
}
