// /gate/:event: scan a pass (staff with the event's GATE role), and the gate's status.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAddress } from "viem";

import { MAX_PASS_TEXT_LENGTH } from "../../lib/pass/index.js";
import { requireSession } from "../auth/routes.js";
import type { GateService } from "./service.js";
import type { CheckInWriter } from "./writer.js";

/** HTTP status per refusal: 409 for a ticket already used, 403 for a denied holder, else 422. */
const STATUS: Record<string, number> = {
  malformed: 400,
  "already-used": 409,
  denied: 403,
  "event-cancelled": 409,
};

type EventParams = { Params: { event: string } };

export function registerGate(app: FastifyInstance, gate: GateService, writer?: CheckInWriter) {
  /** Resolves the event and checks that the signed-in account holds its GATE role. */
  async function staffOnly(request: FastifyRequest<EventParams>, reply: FastifyReply) {
    const { event } = request.params;
    if (!isAddress(event, { strict: false })) return reply.code(404).send({ error: "unknown-event", message: `${event} is not an address` });
    const snapshot = await gate.event(event);
    if (!snapshot) return reply.code(404).send({ error: "unknown-event", message: `No Chainpass event at ${event}` });
    if (!snapshot.isGate(request.session!.address)) {
      return reply.code(403).send({ error: "not-gate-staff", message: `${request.session!.address} does not hold the GATE role for this event` });
    }
    (request as FastifyRequest & { snapshot: typeof snapshot }).snapshot = snapshot;
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
      const snapshot = (request as unknown as { snapshot: Parameters<GateService["scan"]>[0] }).snapshot;
      const outcome = await gate.scan(snapshot, request.body.pass, request.session!.address);
      if (outcome.verdict === "admit") return outcome;
      return reply.code(STATUS[outcome.reason] ?? 422).send(outcome);
    },
  );

  app.get<EventParams>("/gate/:event/status", { preHandler: [requireSession, staffOnly] }, async (request) => {
    const snapshot = (request as unknown as { snapshot: Parameters<GateService["status"]>[0] }).snapshot;
    return { ...gate.status(snapshot), writer: writer?.status };
  });
}
