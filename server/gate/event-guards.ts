// What every gate route asks first: the event's snapshot (404 for an address that is not a
// Chainpass event, 503 when the gate has not seen it and cannot reach the chain), and for staff
// routes whether the signed-in account holds the event's GATE role (403 not-gate-staff). Shared by
// routes.ts and offline-routes.ts.
import type { FastifyReply } from "fastify";
import { isAddress, type Address } from "viem";

import { ChainUnreachable } from "./chain-view.js";
import type { GateService } from "./service.js";
import type { EventSnapshot } from "./snapshot.js";

/** The event's snapshot, or undefined once `reply` says why there is none. */
export async function eventOrReply(gate: GateService, event: string, reply: FastifyReply): Promise<EventSnapshot | undefined> {
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

/** The event's snapshot if `account` holds its GATE role, or undefined once `reply` says why not. */
export async function staffSnapshotOrReply(gate: GateService, event: string, account: Address, reply: FastifyReply): Promise<EventSnapshot | undefined> {
  const snapshot = await eventOrReply(gate, event, reply);
  if (!snapshot) return undefined;
  if (!snapshot.isGate(account)) return void reply.code(403).send({ error: "not-gate-staff", message: `${account} does not hold the GATE role for this event` });
  return snapshot;
}
