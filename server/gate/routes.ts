// /gate/:event: scan a pass (staff with the event's GATE role), the gate's status, and which of
// some tickets the door has admitted (public: the app shows such tickets as used before their
// checkIn is mined).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAddress } from "viem";

import { MAX_PASS_TEXT_LENGTH } from "../../lib/pass/index.js";
import { requireSession } from "../auth/routes.js";
import { ChainUnreachable } from "./chain-view.js";
import type { GateService } from "./service.js";
import type { EventSnapshot } from "./snapshot.js";

/**
 * HTTP status per refusal: 409 for a ticket already used, 403 for a denied holder, 503 when the
 * answer needs the chain and the chain cannot be read, else 422.
 */
const STATUS: Record<string, number> = {
  malformed: 400,
  "already-used": 409,
  denied: 403,
  "event-cancelled": 409,
  "door-not-open": 409,
  "cannot-verify-offline": 503,
};

/** Token ids one `admitted` request may ask about. */
const MAX_ADMITTED_QUERY = 1000;

type EventParams = { Params: { event: string } };
type WithSnapshot = FastifyRequest & { snapshot: EventSnapshot };

export function registerGate(app: FastifyInstance, gate: GateService) {
  /** The event's snapshot, or the reply that says why there is none. */
  async function eventOrReply(event: string, reply: FastifyReply): Promise<EventSnapshot | undefined> {
    if (!isAddress(event, { strict: false })) return void reply.code(404).send({ error: "unknown-event", message: `${event} is not an address` });
    try {
      const snapshot = await gate.event(event);
      if (!snapshot) return void reply.code(404).send({ error: "unknown-event", message: `No Chainpass event at ${event}` });
      return snapshot;
    } catch (error) {
      if (!(error instanceof ChainUnreachable)) throw error;
      return void reply.code(503).send({ error: "chain-unreachable", message: "This gate has not seen the event yet and cannot reach the chain to look it up" });
    }
  }

  /** Resolves the event and checks that the signed-in account holds its GATE role. */
  async function staffOnly(request: FastifyRequest<EventParams>, reply: FastifyReply) {
    const snapshot = await eventOrReply(request.params.event, reply);
    if (!snapshot) return reply;
    if (!snapshot.isGate(request.session!.address)) {
      return reply.code(403).send({ error: "not-gate-staff", message: `${request.session!.address} does not hold the GATE role for this event` });
    }
    (request as WithSnapshot).snapshot = snapshot;
  }

  app.post<EventParams & { Body: { pass: string } }>(
    "/gate/:event/scan",
    {
      preHandler: [requireSession, staffOnly],
      schema: {
        body: {
          type: "object",
          required: ["pass"],
          additionalProperties: false,
          properties: { pass: { type: "string", minLength: 1, maxLength: MAX_PASS_TEXT_LENGTH } },
        },
      },
    },
    async (request, reply) => {
      const outcome = await gate.scan((request as WithSnapshot).snapshot, request.body.pass, request.session!.address);
      if (outcome.verdict === "admit") return outcome;
      return reply.code(STATUS[outcome.reason] ?? 422).send(outcome);
    },
  );

  app.get<EventParams>("/gate/:event/status", { preHandler: [requireSession, staffOnly] }, async (request) => {
    return { ...gate.status((request as WithSnapshot).snapshot), writer: gate.chain.writerStatus };
  });

  app.get<EventParams & { Querystring: { tokens?: string } }>("/gate/:event/admitted", async (request, reply) => {
    const { event } = request.params;
    if (!isAddress(event, { strict: false })) return reply.code(404).send({ error: "unknown-event", message: `${event} is not an address` });
    const list = (request.query.tokens ?? "").split(",").filter(Boolean);
    if (list.length > MAX_ADMITTED_QUERY) return reply.code(400).send({ error: "too-many-tokens", message: `Ask about at most ${MAX_ADMITTED_QUERY} tickets at once` });
    if (!list.every((t) => /^\d{1,78}$/.test(t))) return reply.code(400).send({ error: "invalid-token-id", message: "tokens is a comma-separated list of token ids" });
    reply.header("cache-control", "no-store");
    return { event, admitted: gate.ledger.admittedAmong(event, list.map((t) => BigInt(t))).map(String) };
  });
}
