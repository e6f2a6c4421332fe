// /auth: SIWE nonce -> verify -> HttpOnly SameSite session cookie; session; sign-out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { PublicClient } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { verifySignIn } from "./siwe.js";
import type { AuthStore, Session, SessionReader } from "./store.js";

export const SESSION_COOKIE = "chainpass_session";

declare module "fastify" {
  interface FastifyRequest {
    session?: Session;
  }
}

const unixNow = () => Math.floor(Date.now() / 1000);

/** Every request learns who is signed in; routes that need it use `requireSession`. */
export function resolveSessions(app: FastifyInstance, sessions: SessionReader) {
  app.addHook("onRequest", async (request) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id) request.session = sessions.getSession(id, unixNow());
  });
}

export function registerAuth(app: FastifyInstance, config: ServerConfig, store: AuthStore, client?: PublicClient) {
  resolveSessions(app, store.sessions);

  app.get("/auth/nonce", async (_request, reply) => {
    reply.header("cache-control", "no-store");
    return { nonce: store.createNonce(unixNow(), config.auth.nonceTtlSeconds) };
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
        chainId: config.chainId,
        now: new Date(now * 1000),
        consumeNonce: (nonce) => store.consumeNonce(nonce, now),
        verifyContractSignature: client && ((address, message, signature) => client.verifyMessage({ address, message, signature })),
      });
      if (!result.ok) return reply.code(401).send({ error: result.reason, message: result.detail });
      const session = store.createSession(result.address, result.chainId, now, config.auth.sessionTtlSeconds);
      reply.setCookie(SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: "strict",
        secure: config.auth.secureCookies,
        path: "/",
        maxAge: config.auth.sessionTtlSeconds,
      });
      return { address: session.address, chainId: session.chainId, expiresAt: session.expiresAt };
    },
  );

  app.get("/auth/session", async (request, reply) => {
    if (!request.session) return reply.code(401).send({ error: "not-signed-in", message: "No session" });
    const { address, chainId, expiresAt } = request.session;
    return { address, chainId, expiresAt };
  });

  app.post("/auth/logout", async (request, reply) => {
    if (request.session) store.deleteSession(request.session.id);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { signedOut: true };
  });
}

/** preHandler for routes that need a signed-in user. */
export async function requireSession(request: FastifyRequest, reply: FastifyReply) {
  if (!request.session) return reply.code(401).send({ error: "not-signed-in", message: "Sign in with Ethereum first" });
}
