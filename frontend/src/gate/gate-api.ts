// The gate server's calls (server/gate/routes.ts). A scan (or an admission of a looked-up ticket)
// answers a verdict with 200 (admit) or 4xx (refuse, with a reason); anything else — no session,
// not staff, unknown event, the server unreachable — is not a verdict and is reported as a ScanProblem.
import type { AdmissionWinner } from "../../../lib/offline-admissions.js";
import { SCAN_TIMEOUT_MS } from "../../../lib/gate-timing.js";
import { isBackupCodeText } from "../../../lib/pass/backup-code.js";
import type { RefusalReason } from "../../../lib/pass/types.js";
import { api, ApiError, serverUrl, sessionHeaders } from "../shared/api.js";
import { gateClock } from "./gate-clock.js";

export interface TicketFacts {
  tokenId: string;
  tierId: number;
  tier?: string;
  seat?: string;
  entryStart?: number;
  entryEnd?: number;
}

export type ScanVerdict = (
  | { verdict: "admit"; ticket: TicketFacts; holder: string; admittedAt: number; method?: "qr" | "code" | "lookup" | "offline" }
  | {
      verdict: "refuse";
      reason: RefusalReason | "event-cancelled" | "door-not-open" | (string & {});
      message: string;
      ticket?: TicketFacts;
      opensAt?: number;
      /** wrong-event: the event the pass is for. */
      passEvent?: string;
      /** backup-code-locked: when the ticket's codes are taken again (unix seconds). */
      retryAt?: number;
      /**
       * already-used, decided on this device: when this device admitted the ticket (the gate at
       * its scan, or the device offline; unix seconds); absent when its list or the gate's answer
       * to an earlier scan said so (admitted elsewhere before the link dropped).
       */
      usedHere?: number;
    }
) & {
  /**
   * Decided on this device without the gate (gate/offline.ts): an admission is queued for upload.
   * (The gate's own `offline` says its chain was unreachable: another thing.)
   */
  onDevice?: true;
};

/** A ticket staff looked up, and where it stands at this door ("valid" or a refusal reason). */
export interface LookedUpTicket extends TicketFacts {
  holder: string;
  state: "valid" | RefusalReason | (string & {});
}

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
  ledger: { admitted: number; pendingOnChain: number; sending: number; confirmedOnChain: number; failedOnChain: number; byBackupCode?: number; byLookup?: number; byOfflineDevice?: number };
  /** Tickets in, by any gate or checked in on chain otherwise; each once. */
  entered: number;
  /** The gate's clock when it answered (ms since 1970). */
  serverTimeMs?: number;
}

/** Not a verdict: why the scan could not be checked. */
export class ScanProblem extends Error {
  /** The request went out and no answer came back (a timeout): the gate may have acted on it. */
  readonly unanswered: boolean;
  /** device-storage: whether the device could not read its queue or could not write the admission to it. */
  readonly storage?: "read" | "write";

  constructor(
    /** not-gate-staff | unauthorized | unknown-event | unreachable | server | device-storage (the device could not read or keep its offline admissions) */
    readonly kind: "not-gate-staff" | "unauthorized" | "unknown-event" | "unreachable" | "server" | "device-storage",
    message: string,
    options: { unanswered?: boolean; storage?: "read" | "write" } = {},
  ) {
    super(message);
    this.unanswered = options.unanswered ?? false;
    this.storage = options.storage;
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

/** A pass's text, or a backup code typed by hand (told apart by lib/pass), checked at the door. */
export function scanPass(event: string, text: string, signal?: AbortSignal): Promise<ScanVerdict> {
  return askForVerdict(`/gate/${event}/scan`, isBackupCodeText(text) ? { backupCode: text } : { pass: text }, signal);
}

/** Admits a ticket staff looked up, for the holder they confirmed. */
export function admitLookedUp(event: string, ticket: { tokenId: string; holder: string }): Promise<ScanVerdict> {
  return askForVerdict(`/gate/${event}/admit`, { tokenId: ticket.tokenId, holder: ticket.holder });
}

async function askForVerdict(path: string, payload: unknown, signal?: AbortSignal): Promise<ScanVerdict> {
  let response: Response;
  const timeout = AbortSignal.timeout(SCAN_TIMEOUT_MS);
  try {
    response = await fetch(serverUrl(path), {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": "application/json", ...sessionHeaders() },
      body: JSON.stringify(payload),
      signal: signal ? either(signal, timeout) : timeout,
    });
  } catch (error) {
    // Sent and never answered: the gate may have admitted it (the offline upload then says so).
    if (timeout.aborted) throw new ScanProblem("unreachable", `no answer from the gate within ${SCAN_TIMEOUT_MS / 1000} s`, { unanswered: true });
    // A connection that failed: refused before the request went out, or reset after it (a gate
    // server that crashed mid-scan, which may have admitted it). The browser does not tell them
    // apart, so both are marked, unless the browser knows it is offline: the upload finds out.
    throw new ScanProblem("unreachable", error instanceof Error ? error.message : String(error), { unanswered: navigator.onLine !== false });
  }
  const body = (await response.json().catch(() => undefined)) as { verdict?: string; error?: string; message?: string } | undefined;
  if (body && (body.verdict === "admit" || body.verdict === "refuse")) return body as ScanVerdict;
  // Fastify's schema check (an over-long or empty pass) answers 400 without a verdict: a malformed pass.
  if (response.status === 400) return { verdict: "refuse", reason: "malformed", message: body?.message ?? "bad request" };
  throw problemOf(response.status, body?.error, body?.message ?? (response.statusText || `HTTP ${response.status}`));
}

/** Tickets of the event by seat ("C 12"), holder address or ticket number. */
export const lookUpTickets = (event: string, query: string) => readGate<{ tickets: LookedUpTicket[]; offline: boolean }>(`/gate/${event}/lookup?q=${encodeURIComponent(query)}`);

/** The gate's status; its time goes to the device's `gateClock` (what offline checks go by). */
export async function gateStatus(event: string, signal?: AbortSignal): Promise<GateStatus> {
  const sentAt = Date.now();
  const status = await readGate<GateStatus>(`/gate/${event}/status`, signal);
  if (typeof status.serverTimeMs === "number") gateClock.note(status.serverTimeMs, sentAt, Date.now());
  return status;
}

/** Who admitted the ticket and when (ledger, offline upload, or the chain alone); null if nobody did. */
export async function admissionOf(event: string, tokenId: string, signal?: AbortSignal): Promise<AdmissionWinner | null> {
  return (await readGate<{ admission: AdmissionWinner | null }>(`/gate/${event}/admissions/${tokenId}`, signal)).admission;
}

/**
 * How long any other request to the gate may take (a status, a lookup, an upload of the offline
 * queue, the conflicts). One lost on a link that carries nothing would otherwise stay pending
 * until the browser gives up, minutes later, and hold up what waits for it: the device uploads
 * its queue one request at a time, and a status is not asked again while one is out.
 */
export const GATE_REQUEST_TIMEOUT_MS = 10_000;

/**
 * A signal aborted when `a` or `b` is, with its reason. (AbortSignal.any does this from Safari
 * 17.4 on; a door's older iPhone must still scan.)
 */
function either(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  for (const signal of [a, b]) {
    if (signal.aborted) both.abort(signal.reason);
    else signal.addEventListener("abort", () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}

/**
 * Any request to the gate but a scan (which has its own, shorter limit): `api` with a time limit,
 * `timeoutMs` (GATE_REQUEST_TIMEOUT_MS unless given), as well as the caller's own `signal`.
 */
export function gateRequest<T>(path: string, init: Parameters<typeof api>[1] & { timeoutMs?: number } = {}): Promise<T> {
  const { timeoutMs = GATE_REQUEST_TIMEOUT_MS, signal, ...rest } = init;
  const limit = AbortSignal.timeout(timeoutMs);
  return api<T>(path, { ...rest, signal: signal ? either(signal, limit) : limit });
}

/** A GET of the gate's: its refusals as ScanProblems, like a scan's (no answer in time: unreachable). */
async function readGate<T>(path: string, signal?: AbortSignal): Promise<T> {
  try {
    return await gateRequest<T>(path, { signal });
  } catch (error) {
    if (error instanceof ApiError) throw problemOf(error.status, error.code.startsWith("http-") ? undefined : error.code, error.message || error.code);
    throw new ScanProblem("unreachable", error instanceof Error ? error.message : String(error));
  }
}
