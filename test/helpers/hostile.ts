// Hostile neighbours of the gate, for the isolation test and bench:gate: clients that send the
// most expensive GraphQL the limits let through, and clients that upload 4 MB SVGs of 100,000
// elements, in loops, against one server, until stopped. Each request's status is counted.

/**
 * As expensive as the default limits allow: four collections of 1,000 tickets, each a full scan
 * with a case-insensitive search and an order through a correlated subquery, each ticket's tier
 * looked up (4 × 1,001 statements of the 5,000 allowed). The limits stop it by time or work.
 */
export const EXPENSIVE_QUERY = `{ ${[0, 1, 2, 3]
  .map((i) => `q${i}: tickets(first: 1000, where: { seatLabel_contains_nocase: "zz${i}" }, orderBy: tier__name, orderDirection: ${i % 2 ? "asc" : "desc"}) { id tier { name } }`)
  .join(" ")} }`;

/** 100,000 elements, about 4 MB. */
export const BIG_SVG = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${'<rect x="1" y="1" width="1" height="1"/>'.repeat(100_000)}</svg>`);

export interface NeighbourStats {
  requests: number;
  statuses: Record<string, number>;
  /** Median time of one request. */
  medianMs: number;
}

export interface Neighbours {
  /** Stops every client (after its request in flight) and returns what they saw. */
  stop(): Promise<{ graphql: NeighbourStats; uploads: NeighbourStats }>;
}

export function startHostileNeighbours(opts: { serverUrl: string; cookie: string; graphqlClients?: number; uploadClients?: number }): Neighbours {
  let running = true;
  const record = () => ({ ms: [] as number[], statuses: {} as Record<string, number> });
  const graphql = record();
  const uploads = record();
  const loop = async (stats: ReturnType<typeof record>, send: () => Promise<Response>) => {
    while (running) {
      const t0 = performance.now();
      let status: string;
      try {
        const response = await send();
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        status = "network-error";
      }
      stats.ms.push(performance.now() - t0);
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    }
  };
  const clients = [
    ...Array.from({ length: opts.graphqlClients ?? 8 }, () =>
      loop(graphql, () =>
        fetch(`${opts.serverUrl}/subgraphs/name/chainpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: EXPENSIVE_QUERY }) }),
      ),
    ),
    ...Array.from({ length: opts.uploadClients ?? 1 }, () =>
      loop(uploads, () => fetch(`${opts.serverUrl}/metadata/artwork`, { method: "POST", headers: { "content-type": "image/svg+xml", cookie: opts.cookie }, body: BIG_SVG })),
    ),
  ];
  const summary = (stats: ReturnType<typeof record>): NeighbourStats => {
    const sorted = [...stats.ms].sort((a, b) => a - b);
    return { requests: sorted.length, statuses: stats.statuses, medianMs: Math.round(sorted[sorted.length >> 1] ?? 0) };
  };
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      return { graphql: summary(graphql), uploads: summary(uploads) };
    },
  };
}
