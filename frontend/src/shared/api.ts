// Calls to the Chainpass server (same origin; the session is an HttpOnly cookie). A refusal comes
// back as { error, message }: ApiError keeps both so screens can say which check failed.
//
// The usual build reaches the server at its own origin (Vite's proxy, or one host in production).
// A static build (scripts/build-web.ts) bakes the server's origin into VITE_CHAINPASS_SERVER_URL,
// and every server path the app requests goes through serverUrl.
const SERVER = String(import.meta.env.VITE_CHAINPASS_SERVER_URL ?? "").replace(/\/+$/, "");

/** A server path ("/auth/nonce") as the URL this build requests it at. */
export const serverUrl = (path: string) => SERVER + path;

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const response = await fetch(serverUrl(path), {
    credentials: "same-origin",
    ...rest,
    headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `http-${response.status}`, body.message ?? response.statusText);
  return body;
}
