// The offline snapshot a staff device keeps (GET /gate/:event/offline-snapshot), built so that a
// stadium's devices asking for it do not hold up the door. For 50,000 tickets it is about 5 MB of
// JSON, and every device asks every 30 s; it is served by the gate's own thread, the one that
// answers scans. So:
// - the ticket rows (the bulk) are serialised once per change of owners or tiers
//   (EventSnapshot.ticketsVersion), not per request: during a door rush they rarely change;
// - the rest of the answer (head, used, denied, delegations: a read of the ledger) is built once
//   per SNAPSHOT_REUSE_MS and shared by the devices asking meanwhile, with or without the rows;
// - it is gzipped on libuv's threads (zlib's async API), not this one, and sent gzipped to every
//   client that accepts it (browsers do): about a quarter of the bytes on the venue Wi-Fi;
// - the rows are named by a hash of their JSON (`ticketsTag`): a device that holds rows with the
//   current tag asks with it and gets the answer without them. For 50,000 tickets the rows are
//   1.3 MB gzipped and what changes with admissions about a tenth of that late in an event, so
//   a stadium's devices refreshing every 30 s do not fill the venue Wi-Fi with rows they have.
//   A hash rather than ticketsVersion: it names the same rows at every gate server and after a
//   restart, where the counter starts again.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";

import type { OfflineSnapshotHead, OfflineSnapshotState } from "../../lib/offline-admissions.js";
import type { EventSnapshot } from "./snapshot.js";

const gzip = promisify(gzipCallback);

/** How long one built answer is served to the devices asking (ms): far below their 30 s refresh. */
export const SNAPSHOT_REUSE_MS = 2_000;

interface Rows {
  version: number;
  /** JSON of [tokenId, owner, tier name, seat, entry start, entry end][]. */
  json: string;
  /** Names `json`: 128 bits of its SHA-256, base64url. */
  tag: string;
  /** The event's holders, lower case. */
  holders: Set<string>;
}

export interface BuiltSnapshot {
  json: Buffer;
  gzipped: Buffer;
}

/** What the devices asking within SNAPSHOT_REUSE_MS share: one read of the state, two answers. */
interface Recent {
  at: number;
  rows: Rows;
  /** The head's and the state's JSON, without their outer braces. */
  parts: Promise<{ head: string; rest: string }>;
  full?: Promise<BuiltSnapshot>;
  lean?: Promise<BuiltSnapshot>;
}

export class OfflineSnapshots {
  private readonly rows = new WeakMap<EventSnapshot, Rows>();
  private readonly recent = new Map<string, Recent>();

  /** The event's ticket rows and holders, serialised again only when owners or tiers changed. */
  ticketRows(snapshot: EventSnapshot): Rows {
    const known = this.rows.get(snapshot);
    if (known?.version === snapshot.ticketsVersion) return known;
    const version = snapshot.ticketsVersion;
    const holders = new Set<string>();
    const rows = [...snapshot.owners].map(([tokenId, owner]) => {
      const f = snapshot.facts(tokenId);
      const holder = owner.toLowerCase();
      holders.add(holder);
      return [tokenId.toString(), holder, f.tier ?? null, f.seat ?? null, f.entryStart ?? null, f.entryEnd ?? null];
    });
    const json = JSON.stringify(rows);
    const built = { version, json, tag: createHash("sha256").update(json).digest("base64url").slice(0, 22), holders };
    this.rows.set(snapshot, built);
    return built;
  }

  /**
   * The answer for the event, from `head()` and `state(holders)` read in the last
   * SNAPSHOT_REUSE_MS (or now), and the current rows: without the rows when `heldTag` names them
   * (the device holds them). The answers with and without rows share that read. A failed read is
   * not kept.
   */
  answer(
    snapshot: EventSnapshot,
    head: () => OfflineSnapshotHead,
    state: (holders: Set<string>) => Promise<OfflineSnapshotState>,
    now = Date.now(),
    heldTag?: string,
  ): Promise<BuiltSnapshot> {
    const rows = this.ticketRows(snapshot);
    const event = snapshot.address.toLowerCase();
    let recent = this.recent.get(event);
    if (!recent || now - recent.at >= SNAPSHOT_REUSE_MS || recent.rows !== rows) {
      const fresh: Recent = { at: now, rows, parts: this.parts(rows, head, state) };
      fresh.parts.catch(() => this.recent.get(event) === fresh && this.recent.delete(event));
      this.recent.set(event, (recent = fresh));
    }
    const withRows = heldTag !== rows.tag;
    return withRows ? (recent.full ??= this.assemble(recent, true)) : (recent.lean ??= this.assemble(recent, false));
  }

  private async parts(rows: Rows, head: () => OfflineSnapshotHead, state: (holders: Set<string>) => Promise<OfflineSnapshotState>) {
    const headJson = JSON.stringify({ ...head(), ticketsTag: rows.tag });
    const rest = JSON.stringify(await state(rows.holders));
    return { head: headJson.slice(1, -1), rest: rest.slice(1, -1) };
  }

  private async assemble(recent: Recent, withRows: boolean): Promise<BuiltSnapshot> {
    const { head, rest } = await recent.parts;
    // The rows' JSON is spliced in as it was serialised: `{...head, "tickets": rows, ...rest}`.
    const json = Buffer.from(`{${[head, withRows ? `"tickets":${recent.rows.json}` : "", rest].filter(Boolean).join(",")}}`);
    return { json, gzipped: await gzip(json) };
  }
}
