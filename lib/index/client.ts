// A bare GraphQL-over-HTTP call, enough for either back end (no client library needed).

export class IndexQueryError extends Error {
  constructor(readonly status: number, readonly errors: { message: string }[]) {
    super(errors.map((e) => e.message).join("; ") || `index answered HTTP ${status}`);
  }
}

/**
 * POSTs `document` with `variables` to an index URL (`.../subgraphs/name/chainpass`, or a Subgraph
 * Studio query URL) and returns `data`; throws IndexQueryError when the index reports errors.
 */
export async function queryIndex<T>(url: string, document: string, variables: Record<string, unknown> = {}, init: { signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: document, variables }),
    signal: init.signal,
  });
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length || body.data === undefined) throw new IndexQueryError(response.status, body.errors ?? []);
  return body.data;
}
