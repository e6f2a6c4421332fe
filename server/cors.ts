// Cross-origin requests from a static build of the web app hosted on another origin
// (`npm run build:web -- --network <name>`), for the origins in CHAINPASS_APP_ORIGINS:
// - reads, for every listed origin (also "*"): content (GET /ipfs/*, /metadata/*), offers (GET
//   /events/*), the index (GraphQL POST /subgraphs/*), the door's public GET /gate/:event/admitted,
//   /health, and GET /auth/session;
// - signed-in requests, for origins listed by name only: sign-in (/auth/*), uploads and offers
//   management, scans (/gate/*). They carry the session as `Authorization: Bearer` (auth/routes.ts),
//   never a cookie: no origin is ever allowed credentials.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * The routes allowed cross-origin (`route` for the preflight, `path` to match a request): `reads`
 * for any listed origin, `signedIn` (with the Authorization header) for origins listed by name.
 * The first whose path matches applies.
 */
const ROUTES: { route: string; path: RegExp; reads: readonly string[]; signedIn: readonly string[] }[] = [
  { route: "/ipfs/*", path: /^\/ipfs\//, reads: ["GET", "HEAD"], signedIn: ["GET", "HEAD"] },
  { route: "/metadata/*", path: /^\/metadata\//, reads: ["GET", "HEAD"], signedIn: ["GET", "HEAD", "POST", "PUT", "DELETE"] },
  { route: "/events/*", path: /^\/events\//, reads: ["GET", "HEAD"], signedIn: ["GET", "HEAD", "POST", "PUT", "DELETE"] },
  { route: "/subgraphs/*", path: /^\/subgraphs\//, reads: ["GET", "POST"], signedIn: ["GET", "POST"] },
  { route: "/health", path: /^\/health$/, reads: ["GET", "HEAD"], signedIn: ["GET", "HEAD"] },
  { route: "/auth/session", path: /^\/auth\/session$/, reads: ["GET"], signedIn: ["GET"] },
  { route: "/auth/*", path: /^\/auth\//, reads: [], signedIn: ["GET", "POST"] },
  // Public: which tickets the door admitted (the fan's pages show them as used).
  { route: "/gate/:event/admitted", path: /^\/gate\/[^/]+\/admitted$/, reads: ["GET"], signedIn: ["GET"] },
  { route: "/gate/*", path: /^\/gate\//, reads: [], signedIn: ["GET", "POST"] },
];

/** How long a browser may cache a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

const routeFor = (url: string) => {
  const path = url.split("?", 1)[0];
  return ROUTES.find((route) => route.path.test(path));
};

/**
 * Adds CORS for `origins` (exact origins such as https://app.example, or "*" for any origin's
 * reads) to `app`'s routes. No origins: nothing is registered.
 */
export function allowAppOrigins(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes("*");
  const named = new Set(origins.filter((o) => o !== "*"));
  /** The request's origin and the methods it may use on `route`; undefined when it is not allowed. */
  const allowedFor = (request: FastifyRequest, route: (typeof ROUTES)[number]) => {
    const origin = request.headers.origin;
    if (origin === undefined) return undefined;
    if (named.has(origin)) return { origin, methods: route.signedIn, headers: "content-type, accept, authorization" };
    return any && route.reads.length ? { origin, methods: route.reads, headers: "content-type, accept" } : undefined;
  };
  const vary = (reply: FastifyReply) => {
    const current = reply.getHeader("vary");
    if (!String(current ?? "").toLowerCase().includes("origin")) void reply.header("vary", current ? `${String(current)}, Origin` : "Origin");
  };

  app.addHook("onSend", async (request, reply, payload) => {
    const route = routeFor(request.url);
    // Content (/ipfs, token metadata) is public to every origin already: left as it is.
    if (!route || request.method === "OPTIONS" || reply.hasHeader("access-control-allow-origin")) return payload;
    vary(reply); // a cache must not serve one origin's answer to another
    const allowed = allowedFor(request, route);
    if (allowed?.methods.includes(request.method)) void reply.header("access-control-allow-origin", allowed.origin);
    return payload;
  });

  // Preflights: a JSON body, the Authorization header, or a method beyond GET/HEAD/POST.
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routeFor(request.url)!;
    vary(reply);
    const allowed = allowedFor(request, route);
    const method = String(request.headers["access-control-request-method"] ?? "").toUpperCase();
    if (allowed?.methods.includes(method)) {
      void reply
        .header("access-control-allow-origin", allowed.origin)
        .header("access-control-allow-methods", allowed.methods.join(", "))
        .header("access-control-allow-headers", allowed.headers)
        .header("access-control-max-age", String(PREFLIGHT_MAX_AGE));
    }
    return reply.code(204).send();
  };
  for (const { route } of ROUTES) app.options(route, preflight);
}
