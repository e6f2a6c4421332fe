// The offline snapshot a staff device keeps (GET /gate/:event/offline-snapshot), built so that a
// stadium's devices asking for it do not hold up the door. For 50,000 tickets it is about 5 MB of
// JSON, and every device asks every 30 s; it is served by the gate's own thread, the one that
// answers scans. So:
// - the ticket rows (the bulk) are serialised once per change of owners or tiers
//   (EventSnapshot.ticketsVersion), not per request: during a door rush they rarely change;
// - the whole answer is kept for SNAPSHOT_REUSE_MS and shared by the devices asking meanwhile;
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

export class OfflineSnapshots {
  private readonly rows = new WeakMap<EventSnapshot, Rows>();
  private readonly built = new Map<string, { at: number; answer: Promise<BuiltSnapshot> }>();

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
   * The answer for the event: the one built in the last SNAPSHOT_REUSE_MS, or a new one from
   * `head()` and `state(holders)`. Without the ticket rows when `heldTag` names the current ones
   * (the device holds them). A failed build is not kept.
   */
  answer(
    snapshot: EventSnapshot,
    head: () => OfflineSnapshotHead,
    state: (holders: Set<string>) => Promise<OfflineSnapshotState>,
    now = Date.now(),
    heldTag?: string,
  ): Promise<BuiltSnapshot> {
    const rows = this.ticketRows(snapshot);
    const withRows = heldTag !== rows.tag;
    const key = `${snapshot.address.toLowerCase()} ${withRows ? "" : rows.tag}`;
    const recent = this.built.get(key);
    if (recent && now - recent.at < SNAPSHOT_REUSE_MS) return recent.answer;
    const answer = this.build(rows, withRows, head, state);
    this.built.set(key, { at: now, answer });
    answer.catch(() => this.built.get(key)?.answer === answer && this.built.delete(key));
    return answer;
  }

  private async build(rows: Rows, withRows: boolean, head: () => OfflineSnapshotHead, state: (holders: Set<string>) => Promise<OfflineSnapshotState>): Promise<BuiltSnapshot> {
    const headJson = JSON.stringify({ ...head(), ticketsTag: rows.tag });
    const rest = await state(rows.holders);
    // The rows' JSON is spliced in as it was serialised: `{...head, "tickets": rows, ...rest}`.
    const text = `${headJson.slice(0, -1)},${withRows ? `"tickets":${rows.json},` : ""}${JSON.stringify(rest).slice(1)}`;
    const json = Buffer.from(text);
    return { json, gzipped: await gzip(json) };
  }
}
