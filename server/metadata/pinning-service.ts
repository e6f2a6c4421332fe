// Remote pinning: uploads also pinned on a provider of the IPFS Pinning Service API
// (ipfs/pinning-services-api-spec 1.0.0), any compliant one by endpoint and bearer token, so
// public gateways can fetch them. The provider fetches the blocks over IPFS: in production this
// goes with a kubo node (IPFS_API_URL) or origins it can reach.
//
// Failure handling: the bytes are always stored first (embedded store or kubo), and the pin
// request is recorded in `ipfs_remote_pins` (content database) before the provider is called,
// so an upload never fails or loses anything because of the provider. The request is sent once
// during the upload (the response says how it went); whatever is not pinned yet is retried by a
// background loop with exponential backoff, a bounded number of times (a re-upload of the same
// bytes, or a server start, starts over):
//   pending   the provider was not reached or answered 5xx/408/429/garbage: sent again later
//   queued, pinning   accepted (requestid known): its status is polled until pinned or failed
//   pinned    done
//   failed    refused (4xx: bad token, no funds; the provider's reason and HTTP status are
//             kept), or the provider gave up; tried again later, a failed request replaced
import { CID } from "multiformats/cid";

import type { Database } from "../db.js";
import type { AddOptions, ContentStore } from "./content-store.js";

export type PinStatusValue = "queued" | "pinning" | "pinned" | "failed";
const PIN_STATUSES: readonly PinStatusValue[] = ["queued", "pinning", "pinned", "failed"];

export interface Pin {
  cid: string;
  name?: string;
  origins?: string[];
  meta?: Record<string, string>;
}

export interface PinStatus {
  requestid: string;
  status: PinStatusValue;
  created: string;
  pin: Pin;
  delegates: string[];
  info?: Record<string, string>;
}

/**
 * The provider failed or refused. `reason` is the provider's (`UNAUTHORIZED`, ...) or ours
 * (`pinning-service-unavailable`, `pinning-service-invalid-response`); `httpStatus` is set when
 * the provider answered.
 */
export class PinningServiceError extends Error {
  override readonly name = "PinningServiceError";
  constructor(
    readonly reason: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
  }

  /** Worth sending again unchanged: not reached, timed out, overloaded or broken; a 4xx refusal is not. */
  get transient(): boolean {
    return this.httpStatus === undefined || this.httpStatus >= 500 || this.httpStatus === 408 || this.httpStatus === 429;
  }
}

export interface PinningServiceOptions {
  /** The API endpoint (`https://provider.example/psa`): requests go to `<url>/pins`. */
  url: string;
  /** Access token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Time limit of one `pin()` or other call, all its requests together. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Longest provider text kept in an error message. */
const MAX_DETAILS = 300;

/** A client of the Pinning Service API: global fetch, no dependency. */
export class PinningServiceClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PinningServiceOptions) {
    this.base = options.url.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Pins `cid` once: an existing request for it (queued, pinning or pinned) is reused, so the same
   * bytes uploaded again make no second request; a failed one is replaced; otherwise a new one.
   */
  async pin(cid: string, name?: string, origins: string[] = []): Promise<PinStatus> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const existing = (await this.list({ cid: [cid], status: PIN_STATUSES, limit: 10 }, signal)).filter((status) => sameCid(status.pin.cid, cid));
    for (const wanted of ["pinned", "pinning", "queued"] as const) {
      const found = existing.find((status) => status.status === wanted);
      if (found) return found;
    }
    const pin: Pin = { cid, ...(name ? { name: name.slice(0, 255) } : {}), ...(origins.length ? { origins } : {}) };
    const failed = existing.find((status) => status.status === "failed");
    return failed ? this.replace(failed.requestid, pin, signal) : this.add(pin, signal);
  }

  /** `GET /pins`: the provider's pins matching the filters (only `pinned` ones unless `status` says otherwise). */
  async list(filter: { cid?: string[]; status?: readonly PinStatusValue[]; name?: string; limit?: number }, signal = this.signal()): Promise<PinStatus[]> {
    const query = new URLSearchParams();
    if (filter.cid?.length) query.set("cid", filter.cid.join(","));
    if (filter.status?.length) query.set("status", filter.status.join(","));
    if (filter.name) query.set("name", filter.name);
    if (filter.limit) query.set("limit", String(filter.limit));
    const body = await this.request("GET", `/pins?${query}`, undefined, signal);
    const results = (body as { results?: unknown })?.results;
    if (!Array.isArray(results)) throw invalid("GET /pins did not return PinResults");
    return results.map((status) => checkPinStatus(status, "GET /pins"));
  }

  /** `POST /pins`: a new pin request. */
  async add(pin: Pin, signal = this.signal()): Promise<PinStatus> {
    return checkPinStatus(await this.request("POST", "/pins", pin, signal), "POST /pins");
  }

  /** `GET /pins/{requestid}`. */
  async get(requestid: string, signal = this.signal()): Promise<PinStatus> {
    return checkPinStatus(await this.request("GET", `/pins/${encodeURIComponent(requestid)}`, undefined, signal), "GET /pins/{requestid}");
  }

  /** `POST /pins/{requestid}`: replaces the request with a new one (the answer has its new requestid). */
  async replace(requestid: string, pin: Pin, signal = this.signal()): Promise<PinStatus> {
    return checkPinStatus(await this.request("POST", `/pins/${encodeURIComponent(requestid)}`, pin, signal), "POST /pins/{requestid}");
  }

  /** `DELETE /pins/{requestid}`. */
  async remove(requestid: string, signal = this.signal()): Promise<void> {
    await this.request("DELETE", `/pins/${encodeURIComponent(requestid)}`, undefined, signal);
  }

  private signal() {
    return AbortSignal.timeout(this.timeoutMs);
  }

  private async request(method: string, path: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.options.token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as Error).name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : describeFetchError(error);
      throw new PinningServiceError("pinning-service-unavailable", `The pinning service could not be reached: ${cause}`);
    }
    if (!response.ok) {
      // The spec's Failure: { error: { reason, details? } }; some providers answer otherwise.
      const failure = parseJson(text) as { error?: { reason?: unknown; details?: unknown } } | undefined;
      const reason = typeof failure?.error?.reason === "string" && failure.error.reason ? failure.error.reason.slice(0, 100) : `HTTP_${response.status}`;
      const details = typeof failure?.error?.details === "string" ? failure.error.details : text;
      throw new PinningServiceError(reason, `The pinning service answered ${response.status} ${reason}${details ? `: ${details.slice(0, MAX_DETAILS)}` : ""}`, response.status);
    }
    if (method === "DELETE") return undefined;
    const parsed = parseJson(text);
    if (parsed === undefined) throw invalid(`${method} ${path.split("?")[0]} did not return JSON`);
    return parsed;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function invalid(message: string) {
  return new PinningServiceError("pinning-service-invalid-response", `The pinning service's answer is not the API's: ${message}`);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function checkPinStatus(value: unknown, what: string): PinStatus {
  const status = value as Partial<PinStatus> | undefined;
  if (
    typeof status?.requestid !== "string" ||
    !status.requestid ||
    !PIN_STATUSES.includes(status.status as PinStatusValue) ||
    typeof status.pin?.cid !== "string"
  ) {
    throw invalid(`${what} did not return a PinStatus`);
  }
  return status as PinStatus;
}

/** The same content, whichever CID version or base the provider writes it in. */
function sameCid(a: string, b: string): boolean {
  try {
    return CID.parse(a).toV1().equals(CID.parse(b).toV1());
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------- the pinned content store

/** Where a CID's remote pin stands (`pin` in the upload response). */
export interface PinState {
  status: "pending" | PinStatusValue;
  /** The provider's requestid, once it accepted the request. */
  requestId?: string;
  /** Why it is pending or failed: the provider's `reason`, or ours. */
  reason?: string;
  /** The provider's HTTP status, when it answered with an error. */
  httpStatus?: number;
}

export interface PinnedContentStoreOptions {
  /** Multiaddrs known to provide the data (a kubo node holding the blocks), sent as `origins`. */
  origins?: string[];
  /** The first retry comes after this long, each further one after twice as long as the one before. */
  retryMs?: number;
  /** The longest wait between two retries. */
  maxRetryDelayMs?: number;
  /** Retries of one CID, at most, before the loop leaves it (until it is uploaded again or the server restarts). */
  maxAttempts?: number;
  /** CIDs tried per round of the loop. */
  batchSize?: number;
  log?: (message: string) => void;
}

interface PinRow {
  cid: string;
  name: string;
  request_id: string | null;
  status: PinState["status"];
  reason: string | null;
  http_status: number | null;
  attempts: number;
}

/**
 * A ContentStore that also pins what it stores on a remote pinning service: `add` stores in the
 * inner store (embedded or kubo), then asks for the pin; `cat` reads the inner store.
 */
export class PinnedContentStore implements ContentStore {
  private readonly origins: string[];
  private readonly retryMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private running = false;

  constructor(
    private readonly inner: ContentStore,
    private readonly client: PinningServiceClient,
    private readonly db: Database,
    private readonly options: PinnedContentStoreOptions = {},
  ) {
    this.origins = options.origins ?? [];
    this.retryMs = options.retryMs ?? 30_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? Math.max(this.retryMs, 3_600_000);
    this.maxAttempts = options.maxAttempts ?? 12;
    this.batchSize = options.batchSize ?? 20;
    db.exec(`
      CREATE TABLE IF NOT EXISTS ipfs_remote_pins (
        cid TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        request_id TEXT,
        status TEXT NOT NULL,
        reason TEXT,
        http_status INTEGER,
        last_error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ipfs_remote_pins_due ON ipfs_remote_pins (next_attempt_ms) WHERE next_attempt_ms IS NOT NULL;
    `);
  }

  async add(bytes: Uint8Array, options: AddOptions = {}): Promise<CID> {
    const cid = await this.inner.add(bytes, options);
    const key = cid.toV1().toString();
    // Recorded before the provider is called: if this process dies now, the loop sends it later.
    this.db
      .prepare(
        `INSERT INTO ipfs_remote_pins (cid, name, status, attempts, next_attempt_ms, updated_at) VALUES (?, ?, 'pending', 0, ?, ?)
         ON CONFLICT (cid) DO UPDATE SET attempts = 0, next_attempt_ms = CASE WHEN status = 'pinned' THEN NULL ELSE excluded.next_attempt_ms END`,
      )
      .run(key, options.name ?? "", Date.now() + this.retryMs, unixNow());
    await this.attempt(key, false);
    return cid;
  }

  cat(cid: CID): Promise<Uint8Array> {
    return this.inner.cat(cid);
  }

  /** Where the remote pin of `cid` stands; undefined for a CID this store never added. */
  pinState(cid: CID | string): PinState | undefined {
    const row = this.row(typeof cid === "string" ? cid : cid.toV1().toString());
    if (!row) return undefined;
    return {
      status: row.status,
      ...(row.request_id ? { requestId: row.request_id } : {}),
      ...(row.reason && row.status !== "pinned" ? { reason: row.reason } : {}),
      ...(row.http_status && row.status !== "pinned" ? { httpStatus: row.http_status } : {}),
    };
  }

  /** Starts the retry loop (pins left behind by an earlier run are due at once). */
  start() {
    if (this.running) return;
    this.running = true;
    this.db.prepare("UPDATE ipfs_remote_pins SET attempts = 0, next_attempt_ms = ? WHERE status != 'pinned' AND next_attempt_ms IS NULL").run(Date.now());
    this.schedule();
  }

  /** Stops the loop; resolves once a round under way has finished. */
  async stop() {
    this.running = false;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round of the loop: the due CIDs, oldest first; stops early while the provider is unreachable. */
  async retryDue(): Promise<void> {
    const due = this.db
      .prepare("SELECT cid FROM ipfs_remote_pins WHERE next_attempt_ms IS NOT NULL AND next_attempt_ms <= ? ORDER BY next_attempt_ms LIMIT ?")
      .all(Date.now(), this.batchSize) as { cid: string }[];
    for (const { cid } of due) {
      if (!this.running) return;
      if (!(await this.attempt(cid, true))) return;
    }
  }

  private schedule() {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.round = this.retryDue()
        .catch((error: unknown) => this.options.log?.(`remote pinning: ${(error as Error).message}`))
        .finally(() => this.schedule());
    }, this.retryMs);
    this.timer.unref();
  }

  /** One try at `cid`, shared by concurrent callers; never throws. Resolves false if the provider could not be reached. */
  private attempt(cid: string, automatic: boolean): Promise<boolean> {
    let attempt = this.inFlight.get(cid);
    if (!attempt) {
      attempt = this.tryPin(cid, automatic).finally(() => this.inFlight.delete(cid));
      this.inFlight.set(cid, attempt);
    }
    return attempt;
  }

  private async tryPin(cid: string, automatic: boolean): Promise<boolean> {
    const row = this.row(cid);
    if (!row) return true;
    const attempts = automatic ? row.attempts + 1 : row.attempts;
    try {
      let status: PinStatus | undefined;
      // An accepted request is followed by its requestid; one the provider no longer knows is sent again.
      if (row.request_id && row.status !== "failed") status = await this.client.get(row.request_id).catch(unlessNotFound);
      status ??= await this.client.pin(cid, row.name || undefined, this.origins);
      const failed = status.status === "failed";
      if (failed) this.options.log?.(`remote pinning: the pinning service could not pin ${cid}${status.info?.status_details ? `: ${status.info.status_details}` : ""}`);
      this.update(cid, {
        status: status.status,
        request_id: status.requestid,
        reason: failed ? "pin-failed" : null,
        http_status: null,
        last_error: failed ? (status.info?.status_details ?? "the pinning service reported the pin failed").slice(0, MAX_DETAILS) : null,
        attempts,
        next_attempt_ms: status.status === "pinned" ? null : this.nextAttempt(attempts),
      });
      return true;
    } catch (error) {
      const failure = error instanceof PinningServiceError ? error : new PinningServiceError("pinning-error", (error as Error).message);
      this.options.log?.(`remote pinning of ${cid}: ${failure.message}`);
      // Not reached: an accepted request stays as it was (queued/pinning), anything else pending.
      const status = !failure.transient ? "failed" : row.request_id && (row.status === "queued" || row.status === "pinning") ? row.status : "pending";
      this.update(cid, {
        status,
        request_id: row.request_id,
        reason: failure.reason,
        http_status: failure.httpStatus ?? null,
        last_error: failure.message.slice(0, 2 * MAX_DETAILS),
        attempts,
        next_attempt_ms: this.nextAttempt(attempts),
      });
      return !(failure.transient && failure.httpStatus === undefined);
    }
  }

  /** When to try again after `attempts` retries; null once they are used up. */
  private nextAttempt(attempts: number): number | null {
    if (attempts >= this.maxAttempts) return null;
    return Date.now() + Math.min(this.retryMs * 2 ** attempts, this.maxRetryDelayMs);
  }

  private row(cid: string): PinRow | undefined {
    return this.db.prepare("SELECT cid, name, request_id, status, reason, http_status, attempts FROM ipfs_remote_pins WHERE cid = ?").get(cid) as PinRow | undefined;
  }

  private update(
    cid: string,
    row: { status: string; request_id: string | null; reason: string | null; http_status: number | null; last_error: string | null; attempts: number; next_attempt_ms: number | null },
  ) {
    this.db
      .prepare(
        "UPDATE ipfs_remote_pins SET status = ?, request_id = ?, reason = ?, http_status = ?, last_error = ?, attempts = ?, next_attempt_ms = ?, updated_at = ? WHERE cid = ?",
      )
      .run(row.status, row.request_id, row.reason, row.http_status, row.last_error, row.attempts, row.next_attempt_ms, unixNow(), cid);
  }
}

function unlessNotFound(error: unknown): undefined {
  if (error instanceof PinningServiceError && error.httpStatus === 404) return undefined;
  throw error;
}

const unixNow = () => Math.floor(Date.now() / 1000);
