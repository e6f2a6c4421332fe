// Cross-origin reads for a static build of the web app hosted on another origin
// (`npm run build:web -- --network <name>`): the origins in CHAINPASS_APP_ORIGINS may read
// content (GET /ipfs/*, /metadata/*), offers (GET /events/*), the index (GraphQL POST
// /subgraphs/*), the door's public GET /gate/:event/admitted, /health, and GET /auth/session,
// which without the cookie always answers "not signed in" (the app asks on every page). Nothing
// else, and never with credentials: sign-in, uploads, offers management and scans stay
// same-origin (the session cookie is SameSite=Strict, the app sends credentials to its own
// origin only).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** The routes readable cross-origin (`route` for the preflight, `path` to match a request), and their methods. */
const READS: { route: string; path: RegExp; methods: readonly string[] }[] = [
  { route: "/ipfs/*", path: /^\/ipfs\//, methods: ["GET", "HEAD"] },
  { route: "/metadata/*", path: /^\/metadata\//, methods: ["GET", "HEAD"] },
  { route: "/events/*", path: /^\/events\//, methods: ["GET", "HEAD"] },
  { route: "/subgraphs/*", path: /^\/subgraphs\//, methods: ["GET", "POST"] },
  { route: "/health", path: /^\/health$/, methods: ["GET", "HEAD"] },
  { route: "/auth/session", path: /^\/auth\/session$/, methods: ["GET"] },
  // Public: which tickets the door admitted (the fan's pages show them as used).
  { route: "/gate/:event/admitted", path: /^\/gate\/[^/]+\/admitted$/, methods: ["GET"] },
];

/** How long a browser may cache a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

const readFor = (url: string) => {
  const path = url.split("?", 1)[0];
  return READS.find((read) => read.path.test(path));
};

/**
 * Adds CORS for `origins` (exact origins such as https://app.example, or "*" for any: there are
 * no credentials to protect) to `app`'s read routes. No origins: nothing is registered.
 */
export function allowAppOrigins(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes("*");
  const allowed = new Set(origins);
  const allowedOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    return origin !== undefined && (any || allowed.has(origin)) ? origin : undefined;
  };
  const vary = (reply: FastifyReply) => {
    const current = reply.getHeader("vary");
    if (!String(current ?? "").toLowerCase().includes("origin")) void reply.header("vary", current ? `${String(current)}, Origin` : "Origin");
  };

  app.addHook("onSend", async (request, reply, payload) => {
    const read = readFor(request.url);
    // Content (/ipfs, token metadata) is public to every origin already: left as it is.
    if (!read || request.method === "OPTIONS" || reply.hasHeader("access-control-allow-origin")) return payload;
    vary(reply); // a cache must not serve one origin's answer to another
    const origin = allowedOrigin(request);
    if (origin && read.methods.includes(request.method)) void reply.header("access-control-allow-origin", origin);
    return payload;
  });

  // Preflights: a GraphQL POST with a JSON body, or any request with headers beyond the simple ones.
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const read = readFor(request.url)!;
    vary(reply);
    const origin = allowedOrigin(request);
    const method = String(request.headers["access-control-request-method"] ?? "").toUpperCase();
    if (origin && read.methods.includes(method)) {
      void reply
        .header("access-control-allow-origin", origin)
        .header("access-control-allow-methods", read.methods.join(", "))
        .header("access-control-allow-headers", "content-type, accept")
        .header("access-control-max-age", String(PREFLIGHT_MAX_AGE));
    }
    return reply.code(204).send();
  };
  for (const { route } of READS) app.options(route, preflight);
}
