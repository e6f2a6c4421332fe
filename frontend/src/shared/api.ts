// Calls to the Chainpass server. A refusal comes back as { error, message }: ApiError keeps both
// so screens can say which check failed.
//
// The usual build reaches the server at its own origin (Vite's proxy, or one host in production),
// and the session is an HttpOnly cookie. A static build (scripts/build-web.ts) bakes the server's
// origin into VITE_CHAINPASS_SERVER_URL and every server path goes through serverUrl; there a
// cookie of the server's would be a third-party one, so the session comes back from sign-in as a
// token, kept in this browser's storage and sent as `Authorization: Bearer` (server/auth/routes.ts).
const SERVER = String(import.meta.env.VITE_CHAINPASS_SERVER_URL ?? "").replace(/\/+$/, "");

/** A server path ("/auth/nonce") as the URL this build requests it at. */
export const serverUrl = (path: string) => SERVER + path;

const TOKEN_KEY = `chainpass.session:${SERVER}`;

/** The session token of a static build (none on the server's own origin, where the cookie is). */
export const sessionToken = {
  get: (): string | null => (SERVER ? localStorage.getItem(TOKEN_KEY) : null),
  set: (token: string | undefined) => (token && SERVER ? localStorage.setItem(TOKEN_KEY, token) : undefined),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** The headers that carry the session: the token where there is one (the cookie goes by itself). */
export function sessionHeaders(): Record<string, string> {
  const token = sessionToken.get();
  return token ? { authorization: `Bearer ${token}` } : {};
}

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
    headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...sessionHeaders(), ...headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `http-${response.status}`, body.message ?? response.statusText);
  return body;
}
