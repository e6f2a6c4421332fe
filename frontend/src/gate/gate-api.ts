// The gate server's two calls (server/gate/routes.ts). A scan answers a verdict with 200 (admit)
// or 4xx (refuse, with a reason); anything else — no session, not staff, unknown event, the server
// unreachable — is not a verdict and is reported as a ScanProblem.
import type { RefusalReason } from "../../../lib/pass/types.js";
import { api, ApiError, serverUrl, sessionHeaders } from "../shared/api.js";

export interface TicketFacts {
  tokenId: string;
  tierId: number;
  tier?: string;
  seat?: string;
  entryStart?: number;
  entryEnd?: number;
}

export type ScanVerdict =
  | { verdict: "admit"; ticket: TicketFacts; holder: string; admittedAt: number }
  | {
      verdict: "refuse";
      reason: RefusalReason | "event-cancelled" | "door-not-open" | (string & {});
      message: string;
      ticket?: TicketFacts;
      opensAt?: number;
      /** wrong-event: the event the pass is for. */
      passEvent?: string;
    };

export interface GateStatus {
  event: string;
  snapshot: {
    source: string;
    block: number;
    tickets: number;
    syncedAt?: number;
    ageMs?: number;
    rpcReachable: boolean;
    offline: boolean;
    lastError?: string;
  };
  cancelled: boolean;
  /** Unix seconds: the contract accepts check-ins from then, and the gate admits from then. */
  checkInOpensAt: number;
  /** The server's clock is past checkInOpensAt (the status is polled, so this follows). */
  doorOpen: boolean;
  ledger: { admitted: number; pendingOnChain: number; sending: number; confirmedOnChain: number; failedOnChain: number };
  /** Tickets in, by any gate or checked in on chain otherwise; each once. */
  entered: number;
}

/** Not a verdict: why the scan could not be checked. */
export class ScanProblem extends Error {
  constructor(
    /** not-gate-staff | unauthorized | unknown-event | unreachable | server */
    readonly kind: "not-gate-staff" | "unauthorized" | "unknown-event" | "unreachable" | "server",
    message: string,
  ) {
    super(message);
  }
}

export function problemOf(status: number, code: string | undefined, message: string): ScanProblem {
  if (status === 401) return new ScanProblem("unauthorized", message);
  if (status === 403 && code === "not-gate-staff") return new ScanProblem("not-gate-staff", message);
  if (status === 404) return new ScanProblem("unknown-event", message);
  // A proxy in front of a server that is down answers 5xx without the server's JSON body
  // (Vite's dev/preview proxy: 500 with an empty body; others 502/503/504).
  if (status === 502 || status === 503 || status === 504 || (status >= 500 && !code)) return new ScanProblem("unreachable", message);
  return new ScanProblem("server", message);
}

export async function scanPass(event: string, pass: string, signal?: AbortSignal): Promise<ScanVerdict> {
  let response: Response;
  try {
    response = await fetch(serverUrl(`/gate/${event}/scan`), {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": "application/json", ...sessionHeaders() },
      body: JSON.stringify({ pass }),
      signal,
    });
  } catch (error) {
    throw new ScanProblem("unreachable", error instanceof Error ? error.message : String(error));
  }
  const body = (await response.json().catch(() => undefined)) as { verdict?: string; error?: string; message?: string } | undefined;
  if (body && (body.verdict === "admit" || body.verdict === "refuse")) return body as ScanVerdict;
  // Fastify's schema check (an over-long or empty pass) answers 400 without a verdict: a malformed pass.
  if (response.status === 400) return { verdict: "refuse", reason: "malformed", message: body?.message ?? "bad request" };
  throw problemOf(response.status, body?.error, body?.message ?? (response.statusText || `HTTP ${response.status}`));
}

export async function gateStatus(event: string): Promise<GateStatus> {
  try {
    return await api<GateStatus>(`/gate/${event}/status`);
  } catch (error) {
    if (error instanceof ApiError) throw problemOf(error.status, error.code.startsWith("http-") ? undefined : error.code, error.message || error.code);
    throw new ScanProblem("unreachable", error instanceof Error ? error.message : String(error));
  }
}
