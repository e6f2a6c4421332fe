// Scanners that survive a dropped link (issue 19, requirement 4). A staff device keeps a compact
// copy of the event (GET /gate/:event/offline-snapshot, staff only, refreshed every
// `OFFLINE_SNAPSHOT_REFRESH_MS` while it reaches the gate) and, when it cannot reach the gate,
// verifies passes in the browser with lib/pass against that copy, admits in a marked "device
// offline" mode and queues the admissions on the device (IndexedDB). When the link returns it
// uploads them here (POST /gate/:event/offline-admissions), and each goes through the same atomic
// step as an online scan: the ledger's tryAdmit (method "offline", at the time the device
// admitted). A ticket another gate or device admitted first is answered as a conflict (who, when,
// which device), recorded in gate_offline_conflicts and listed to staff and to the organizer
// (GET /gate/:event/conflicts): the ledger keeps one admission, the chain gets one checkIn. A
// scan the device sent that went unanswered (a hanging link) and then decided itself is marked
// `unanswered`: if the gate had admitted that very scan, the upload is the same admission.
//
// What an upload does not re-check, on purpose: the pass (its frame is minutes old by then) and
// the owner or deny list now. The device checked them against its copy when the person was in
// front of it; the person is inside. The server refuses only what can never be written on chain:
// a ticket that does not exist, a cancelled event, a time before check-in opened or in the future.
//
// Its tables are in the gate's shared store beside the ledger (SQLite, or PostgreSQL shared by
// gate servers on several machines): a conflict's winner is read from the ledger's
// gate_admissions in the same store.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { getAddress, isAddressEqual, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import {
  MAX_HELD_GROUPS,
  TICKET_GROUP_TAG_LENGTH,
  type AdmissionWinner,
  type OfflineConflict,
  type OfflineUploadResult,
  type TicketRow,
  type UsedSinceAnswer,
} from "../../lib/offline-admissions.js";
import { requireSession } from "../auth/routes.js";
import type { PublicClient } from "../chain.js";
import type { ServerConfig } from "../config.js";
import type { Database } from "../db.js";
import type { SharedSql } from "../shared-sql.js";
import { eventOrReply, staffSnapshotOrReply } from "./event-guards.js";
import { OfflineSnapshots } from "./offline-snapshot.js";
import type { AdmissionMethod } from "./ledger.js";
import type { GateService } from "./service.js";
import type { EventSnapshot } from "./snapshot.js";
import { ticketRow } from "./ticket-rows.js";

/** How often a scanner online fetches a new offline snapshot (the app reads it from the snapshot). */
export const OFFLINE_SNAPSHOT_REFRESH_MS = 30_000;
/** Admissions, and owner changes, one used-since answer carries at most; past that the device fetches a full copy. */
export const MAX_USED_SINCE = 10_000;
const MAX_FEED_CURSOR = 2n ** 63n - 1n;
/** `held`: group tags joined by ".". */
const HELD_GROUPS_PATTERN = `^[A-Za-z0-9_-]{${TICKET_GROUP_TAG_LENGTH}}([.][A-Za-z0-9_-]{${TICKET_GROUP_TAG_LENGTH}})*$`;
/** Admissions one upload may carry (a device uploads its queue in pieces of this size). */
export const MAX_OFFLINE_UPLOAD = 200;
/** Device clocks may run ahead of the server's this much (s); later admission times are refused. */
const MAX_DEVICE_CLOCK_AHEAD = 300;
/** The ledger's method for admissions made on a device without the link. */
const OFFLINE_METHOD: AdmissionMethod = "offline";
/** DEFAULT_ADMIN_ROLE: the organizer's, who may read the conflicts of their event. */
const ORGANIZER_ROLE = `0x${"00".repeat(32)}` as Hex;

type EventParams = { Params: { event: string } };

/** One admission a device made offline, as it uploads it. */
export interface OfflineAdmission {
  tokenId: string;
  holder: string;
  /** Unix seconds, the device's clock. */
  admittedAt: number;
  /**
   * The device decided after this scan went to the gate and no answer came back (a link that
   * hangs): the gate may have admitted it then. Its own admission by the same staff account, for
   * the same holder, within UNANSWERED_WINDOW of this one, is then this admission, not a conflict.
   */
  unanswered?: boolean;
}

/** How far apart (s, either way) the gate's admission and the device's may be to be one unanswered scan (the device waited 5 s; clocks differ a little). */
const UNANSWERED_WINDOW = 60;

/** The rows of `tokens` as they are now, and those without an owner (burned). */
function ownerRows(snapshot: EventSnapshot, tokens: bigint[]): { tickets: TicketRow[]; gone: string[] } {
  const tickets: TicketRow[] = [];
  const gone: string[] = [];
  for (const token of tokens) {
    const owner = snapshot.owners.get(token);
    if (owner) tickets.push(ticketRow(snapshot, token, owner.toLowerCase()));
    else gone.push(token.toString());
  }
  return { tickets, gone };
}

/** The SQLite tables (PostgreSQL's are made by migration 0005). */
export function createOfflineTables(db: Database) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS gate_offline_admissions (
      event TEXT NOT NULL,
      token_id TEXT NOT NULL,
      device TEXT NOT NULL,
      device_label TEXT,
      uploaded_at INTEGER NOT NULL,
      PRIMARY KEY (event, token_id)
    );
    CREATE TABLE IF NOT EXISTS gate_offline_conflicts (
      event TEXT NOT NULL,
      token_id TEXT NOT NULL,
      device TEXT NOT NULL,
      device_label TEXT,
      staff TEXT NOT NULL,
      admitted_at INTEGER NOT NULL,
      winner TEXT NOT NULL,
      reported_at INTEGER NOT NULL,
      PRIMARY KEY (event, token_id, device)
    );
  `);
}

const SELECT_ADMISSION = "SELECT staff, holder, admitted_at, method FROM gate_admissions WHERE event = ? AND token_id = ?";
const SELECT_OFFLINE = "SELECT device, device_label FROM gate_offline_admissions WHERE event = ? AND token_id = ?";
const INSERT_OFFLINE = "INSERT INTO gate_offline_admissions (event, token_id, device, device_label, uploaded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
const INSERT_CONFLICT =
  "INSERT INTO gate_offline_conflicts (event, token_id, device, device_label, staff, admitted_at, winner, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
const SELECT_CONFLICTS = "SELECT * FROM gate_offline_conflicts WHERE event = ? ORDER BY reported_at, token_id LIMIT 1000";
const SELECT_REGISTERED = "SELECT holder, digest FROM gate_registered_delegations";

type AdmissionRow = { staff: string; holder: string; admitted_at: number | string; method: string };
type OfflineRow = { device: string; device_label: string | null };

/** Who admitted a ticket, from its ledger row and its offline upload (if any); on chain with neither. */
function admitter(row: AdmissionRow | undefined, offline: OfflineRow | undefined, onChain: boolean): AdmissionWinner | undefined {
  const device = { device: offline?.device, deviceLabel: offline?.device_label ?? undefined };
  if (row) return { staff: getAddress(row.staff), at: Number(row.admitted_at), method: row.method, ...device };
  return onChain || offline ? { onChain: onChain || undefined, ...device } : undefined;
}

/** The offline scanners' routes, their tables in `sql` (the store the ledger is in). */
export function registerOfflineGate(app: FastifyInstance, gate: GateService, sql: SharedSql, client: PublicClient, config: ServerConfig) {
  /** The ticket's admission as the ledger and the offline uploads have it. */
  const admissionRows = async (event: string, tokenId: string) => {
    const key = event.toLowerCase();
    const [row, offline] = await Promise.all([sql.get<AdmissionRow>(SELECT_ADMISSION, key, tokenId), sql.get<OfflineRow>(SELECT_OFFLINE, key, tokenId)]);
    return { row, offline };
  };
  /** The event's snapshot if the signed-in account holds its GATE role (else the reply says why). */
  const staffSnapshot = (request: FastifyRequest<EventParams>, reply: FastifyReply) => staffSnapshotOrReply(gate, request.params.event, request.session!.address, reply);

  // The device's copy of the event: compact arrays, no names the door does not show; built and
  // compressed without holding up scans (offline-snapshot.ts).
  const snapshots = new OfflineSnapshots();
  app.get<EventParams & { Querystring: { ticketsTag?: string; held?: string; usedAs?: "bits" } }>(
    "/gate/:event/offline-snapshot",
    {
      preHandler: requireSession,
      // The tag of the ticket rows the device holds: answered without them when they are current.
      // The tags of the groups of rows it holds: answered with the others' rows only.
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ticketsTag: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
            held: { type: "string", maxLength: MAX_HELD_GROUPS * (TICKET_GROUP_TAG_LENGTH + 1), pattern: HELD_GROUPS_PATTERN },
            // The used tickets as bitmaps rather than a list of ids (an older app asks without).
            usedAs: { type: "string", enum: ["bits"] },
          },
        },
      },
    },
    async (request, reply) => {
      const snapshot = await staffSnapshot(request, reply);
      if (!snapshot) return reply;
      const event = snapshot.address;
      const built = await snapshots.answer(
        snapshot,
        () => ({
          version: 1,
          chainId: String(config.chainId),
          event,
          block: Number(snapshot.syncedBlock),
          syncedAt: snapshot.syncedAt,
          takenAt: Date.now(),
          refreshMs: OFFLINE_SNAPSHOT_REFRESH_MS,
          cancelled: snapshot.cancelled,
          checkInOpensAt: snapshot.checkInOpensAt,
          maxFrameAge: config.gate.maxFrameAge,
          maxClockSkew: config.gate.maxClockSkew,
        }),
        async (holders) => {
          // Admitted or checked in on chain: computed off this thread (GateService.usedTickets).
          const used = await gate.usedTickets(snapshot);
          // Registered smart-account delegations of this event's holders (the digest pins the event).
          const registered = await sql.all<{ holder: string; digest: string }>(SELECT_REGISTERED);
          return {
            usedJson: used.json,
            usedBitsJson: used.bitsJson,
            usedCursor: used.cursor,
            denied: [...snapshot.denied],
            delegations: registered.filter((r) => holders.has(r.holder)).map((r): [string, string] => [r.holder, r.digest]),
          };
        },
        Date.now(),
        request.query.ticketsTag,
        request.query.held === undefined ? undefined : new Set(request.query.held.split(".")),
        request.query.usedAs === "bits",
      );
      reply.header("cache-control", "no-store").header("vary", "accept-encoding").type("application/json; charset=utf-8");
      if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) return reply.header("content-encoding", "gzip").send(built.gzipped);
      return reply.send(built.json);
    },
  );

  // What the device's copy lacks now (lib/offline-admissions.ts, UsedFeed): a device asks every few
  // seconds, so that when its link drops it refuses a pass admitted at another gate a moment before
  // (a fan's pass relayed to a friend at another entrance), the pass of a ticket's seller after a
  // resale, or a holder the organizer just denied, not only those its copy knows of.
  app.get<EventParams & { Querystring: { cursor: string; block?: string } }>(
    "/gate/:event/used-since",
    {
      preHandler: requireSession,
      schema: {
        querystring: {
          type: "object",
          required: ["cursor"],
          additionalProperties: false,
          properties: { cursor: { type: "string", pattern: "^[0-9]{1,19}$" }, block: { type: "string", pattern: "^[0-9]{1,15}$" } },
        },
      },
    },
    async (request, reply) => {
      const cursor = BigInt(request.query.cursor);
      // Both ledgers' positions fit in a signed 64-bit integer (a rowid, a transaction id).
      if (cursor > MAX_FEED_CURSOR) return reply.code(400).send({ error: "invalid-cursor", message: `cursor is at most ${MAX_FEED_CURSOR}` });
      const snapshot = await staffSnapshot(request, reply);
      if (!snapshot) return reply;
      reply.header("cache-control", "no-store");
      // Owners first, on this thread as the snapshot is now; the ledger's read may take a round trip.
      const moved = request.query.block === undefined ? undefined : snapshot.changesSince(BigInt(request.query.block));
      if (moved && "refresh" in moved) return { refresh: moved.refresh } satisfies UsedSinceAnswer;
      if (moved && moved.tokens.length + moved.accounts.length > MAX_USED_SINCE) return { refresh: "tickets" } satisfies UsedSinceAnswer;
      const owners = moved && { ...ownerRows(snapshot, moved.tokens), denied: moved.accounts.filter((a) => snapshot.denied.has(a)), allowed: moved.accounts.filter((a) => !snapshot.denied.has(a)) };
      const fed = await gate.ledger.admittedSince(snapshot.address, cursor, MAX_USED_SINCE);
      if (!fed) return { refresh: "admissions" } satisfies UsedSinceAnswer;
      const staff = request.session!.address;
      return {
        cursor: fed.cursor,
        tokenIds: fed.admissions.map((a) => a.tokenId),
        mine: fed.admissions.filter((a) => isAddressEqual(a.staff as Address, staff)).map((a) => a.tokenId),
        ...(moved && { block: Number(moved.block), ...owners }),
      } satisfies UsedSinceAnswer;
    },
  );

  app.post<EventParams & { Body: { device: string; deviceLabel?: string; admissions: OfflineAdmission[] } }>(
    "/gate/:event/offline-admissions",
    {
      preHandler: requireSession,
      schema: {
        body: {
          type: "object",
          required: ["device", "admissions"],
          additionalProperties: false,
          properties: {
            device: { type: "string", pattern: "^[0-9A-Za-z_-]{1,64}$" },
            deviceLabel: { type: "string", maxLength: 64 },
            admissions: {
              type: "array",
              maxItems: MAX_OFFLINE_UPLOAD,
              items: {
                type: "object",
                required: ["tokenId", "holder", "admittedAt"],
                additionalProperties: false,
                properties: {
                  tokenId: { type: "string", pattern: "^[0-9]{1,78}$" },
                  holder: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
                  admittedAt: { type: "integer", minimum: 0, maximum: 1099511627775 },
                  unanswered: { type: "boolean" },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const snapshot = await staffSnapshot(request, reply);
      if (!snapshot) return reply;
      const event = snapshot.address;
      const key = event.toLowerCase();
      const staff = request.session!.address;
      const { device, deviceLabel } = request.body;
      const now = Math.floor(Date.now() / 1000);
      const results: OfflineUploadResult[] = [];
      for (const item of request.body.admissions) {
        const tokenId = BigInt(item.tokenId);
        const refuse = (reason: Extract<OfflineUploadResult, { result: "refused" }>["reason"], message: string) =>
          results.push({ tokenId: item.tokenId, result: "refused", reason, message });
        if (snapshot.cancelled) refuse("event-cancelled", "The event was cancelled");
        else if (!snapshot.owners.has(tokenId)) refuse("unknown-ticket", `ticket ${tokenId} does not exist`);
        else if (item.admittedAt > now + MAX_DEVICE_CLOCK_AHEAD) refuse("future-admission", `admitted at ${item.admittedAt}, after the gate's clock (${now})`);
        else if (item.admittedAt < snapshot.checkInOpensAt) refuse("door-not-open", `check-in opens at ${snapshot.checkInOpensAt}`);
        else if (await gate.ledger.tryAdmit(event, tokenId, staff, getAddress(item.holder), item.admittedAt, OFFLINE_METHOD)) {
          await sql.run(INSERT_OFFLINE, key, item.tokenId, device, deviceLabel ?? null, now);
          results.push({ tokenId: item.tokenId, result: "admitted" });
        } else {
          const { row, offline } = await admissionRows(event, item.tokenId);
          // The same device uploading again (its answer was lost): that admission is its own.
          if (offline?.device === device) {
            results.push({ tokenId: item.tokenId, result: "admitted" });
            continue;
          }
          // The scan the gate left unanswered had reached it: one person, admitted once.
          const ownUnanswered =
            item.unanswered &&
            row !== undefined &&
            row.method !== OFFLINE_METHOD &&
            isAddressEqual(row.staff as Address, staff) &&
            isAddressEqual(row.holder as Address, item.holder as Address) &&
            Math.abs(Number(row.admitted_at) - item.admittedAt) <= UNANSWERED_WINDOW;
          if (ownUnanswered) {
            results.push({ tokenId: item.tokenId, result: "admitted" });
            continue;
          }
          const winner = admitter(row, offline, snapshot.checkedInOnChain.has(tokenId)) ?? {};
          await sql.run(INSERT_CONFLICT, key, item.tokenId, device, deviceLabel ?? null, staff, item.admittedAt, JSON.stringify(winner), now);
          results.push({ tokenId: item.tokenId, result: "conflict", by: winner });
        }
      }
      return { results };
    },
  );

  // "When, and by whom?": a scanner showing an already-used refusal asks for it after the
  // verdict, so the scan's answer does not wait for these reads. Null: not admitted.
  app.get<{ Params: { event: string; tokenId: string } }>(
    "/gate/:event/admissions/:tokenId",
    {
      preHandler: requireSession,
      schema: { params: { type: "object", required: ["event", "tokenId"], properties: { event: { type: "string" }, tokenId: { type: "string", pattern: "^[0-9]{1,78}$" } } } },
    },
    async (request, reply) => {
      const snapshot = await staffSnapshot(request, reply);
      if (!snapshot) return reply;
      const { tokenId } = request.params;
      const { row, offline } = await admissionRows(snapshot.address, tokenId);
      reply.header("cache-control", "no-store");
      return { tokenId, admission: admitter(row, offline, snapshot.checkedInOnChain.has(BigInt(tokenId))) ?? null };
    },
  );

  // Staff see them on their devices; the organizer on the console's check-ins.
  app.get<EventParams>("/gate/:event/conflicts", { preHandler: requireSession }, async (request, reply) => {
    const snapshot = await eventOrReply(gate, request.params.event, reply);
    if (!snapshot) return reply;
    const account = request.session!.address;
    if (!snapshot.isGate(account)) {
      const organizer = await client
        .readContract({ address: snapshot.address, abi: chainpassEventAbi, functionName: "hasRole", args: [ORGANIZER_ROLE, account as Address] })
        .catch(() => undefined);
      if (organizer === undefined) return reply.code(503).send({ error: "chain-unreachable", message: "Cannot read the event's roles now" });
      if (!organizer) return reply.code(403).send({ error: "not-gate-staff", message: `${account} is neither gate staff nor an organizer of this event` });
    }
    reply.header("cache-control", "no-store");
    const rows = await sql.all<Record<string, string | number | null>>(SELECT_CONFLICTS, snapshot.address.toLowerCase());
    const conflicts: OfflineConflict[] = rows.map((r) => ({
      tokenId: String(r.token_id),
      device: String(r.device),
      deviceLabel: (r.device_label as string | null) ?? undefined,
      staff: getAddress(String(r.staff)),
      admittedAt: Number(r.admitted_at),
      winner: JSON.parse(String(r.winner)) as OfflineConflict["winner"],
      reportedAt: Number(r.reported_at),
    }));
    return { conflicts };
  });
}
