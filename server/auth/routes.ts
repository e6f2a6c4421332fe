// /auth: SIWE nonce -> verify -> HttpOnly SameSite session cookie; session; sign-out.
// A static build of the app on another origin (CHAINPASS_APP_ORIGINS) cannot use that cookie
// (SameSite, and browsers block third-party cookies): signed in from there, the session's id
// comes back in the answer as `token` and is sent as `Authorization: Bearer <token>`. A header
// the app adds itself is never sent by a browser on another site's behalf, so no CSRF either.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { PublicClient } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { verifySignIn } from "./siwe.js";
import type { AsyncSessionStore } from "./async-store.js";
import type { AuthStore, Session, SessionReader } from "./store.js";

export const SESSION_COOKIE = "chainpass_session";

declare module "fastify" {
  interface FastifyRequest {
    session?: Session;
  }
}

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * Where nonces and sessions live: the SQLite AuthStore of this server's database, or a store
 * servers on several machines share (PgSessionStore, through AsyncSessionStore).
 */
export type SessionStore = AuthStore | AsyncSessionStore;

/** Every request learns who is signed in; routes that need it use `requireSession`. */
export function resolveSessions(app: FastifyInstance, sessions: SessionReader | SessionStore) {
  app.addHook("onRequest", async (request) => {
    const id = request.cookies[SESSION_COOKIE] ?? bearerToken(request.headers.authorization);
    if (id) request.session = await sessions.getSession(id, unixNow());
  });
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header && /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
  return match ? match[1] : undefined;
}

export function registerAuth(app: FastifyInstance, config: ServerConfig, store: SessionStore, client?: PublicClient) {
  resolveSessions(app, store);

  app.get("/auth/nonce", async (_request, reply) => {
    reply.header("cache-control", "no-store");
    return { nonce: await store.createNonce(unixNow(), config.auth.nonceTtlSeconds) };
  });

  app.post<{ Body: { message?: unknown; signature?: unknown } }>(
    "/auth/verify",
    {
      schema: {
        body: {
          type: "object",
          required: ["message", "signature"],
          properties: { message: { type: "string", maxLength: 4096 }, signature: { type: "string", pattern: "^0x[0-9a-fA-F]+$", maxLength: 2048 } },
        },
      },
    },
    async (request, reply) => {
      const { message, signature } = request.body as { message: string; signature: string };
      const now = unixNow();
      const result = await verifySignIn(message, signature, {
        domain: config.auth.domain,
        origin: config.auth.origin,
        appOrigins: config.appOrigins,
        requestOrigin: request.headers.origin,
        chainId: config.chainId,
        now: new Date(now * 1000),
        consumeNonce: (nonce) => store.consumeNonce(nonce, now),
        verifyContractSignature: client && ((address, message, signature) => client.verifyMessage({ address, message, signature })),
      });
      if (!result.ok) return reply.code(401).send({ error: result.reason, message: result.detail });
      const session = await store.createSession(result.address, result.chainId, now, config.auth.sessionTtlSeconds);
      const answer = { address: session.address, chainId: session.chainId, expiresAt: session.expiresAt };
      // Signed for a static app's origin (and sent from it: siwe.ts checks): the token, no cookie.
      if (result.origin !== config.auth.origin) return { ...answer, token: session.id };
      reply.setCookie(SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: "strict",
        secure: config.auth.secureCookies,
        path: "/",
        maxAge: config.auth.sessionTtlSeconds,
      });
      return answer;
    },
  );

  // The app asks on every page: nobody signed in is an answer, not an error (no 401 in the
  // console of every visitor). Routes that need a session still answer 401 (requireSession).
  app.get("/auth/session", async (request) => {
    if (!request.session) return { signedIn: false };
    const { address, chainId, expiresAt } = request.session;
    return { signedIn: true, address, chainId, expiresAt };
  });

  app.post("/auth/logout", async (request, reply) => {
    if (request.session) await store.deleteSession(request.session.id);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { signedOut: true };
  });
}

/** preHandler for routes that need a signed-in user. */
export async function requireSession(request: FastifyRequest, reply: FastifyReply) {
  if (!request.session) return reply.code(401).send({ error: "not-signed-in", message: "Sign in with Ethereum first" });
}
