// The offline snapshot a staff device keeps (GET /gate/:event/offline-snapshot), built so that a
// stadium's devices asking for it do not hold up the door. For 50,000 tickets it is about 5 MB of
// JSON, and every device asks every 30 s; it is served by the gate's own thread, the one that
// answers scans. So:
// - the ticket rows (the bulk) are kept up to date by each change of owners, group by group
//   (ticket-rows.ts), not serialised per request nor at each change;
// - the rest of the answer (head, used, denied, delegations: a read of the ledger) is built once
//   per SNAPSHOT_REUSE_MS and shared by the devices asking meanwhile, with or without the rows;
// - it is gzipped on libuv's threads (zlib's async API), not this one, and sent gzipped to every
//   client that accepts it (browsers do): about a quarter of the bytes on the venue Wi-Fi;
// - the rows are named by a hash of their content (`ticketsTag`): a device that holds rows with the
//   current tag asks with it and gets the answer without them. For 50,000 tickets the rows are
//   1.3 MB gzipped and what changes with admissions about a tenth of that late in an event, so
//   a stadium's devices refreshing every 30 s do not fill the venue Wi-Fi with rows they have.
//   A hash rather than ticketsVersion: it names the same rows at every gate server and after a
//   restart, where the counter starts again.
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";

import type { OfflineSnapshotHead, OfflineSnapshotState } from "../../lib/offline-admissions.js";
import type { EventSnapshot } from "./snapshot.js";
import { TicketRows, type Rows } from "./ticket-rows.js";

const gzip = promisify(gzipCallback);

/** How long one built answer is served to the devices asking (ms): far below their 30 s refresh. */
export const SNAPSHOT_REUSE_MS = 2_000;

const [TICKETS, COMMA] = [`"tickets":`, ","].map((text) => Buffer.from(text));

/** The state part of an answer, its used ids as the JSON of their array (as the gate keeps them). */
export type SnapshotState = Omit<OfflineSnapshotState, "used"> & { usedJson: string };

export interface BuiltSnapshot {
  json: Buffer;
  gzipped: Buffer;
}

/** What the devices asking within SNAPSHOT_REUSE_MS share: one read of the state, two answers. */
interface Recent {
  at: number;
  rows: Rows;
  /** The head's JSON but its closing brace, with a comma; the state's JSON but its opening brace. */
  parts: Promise<{ head: Buffer; rest: Buffer }>;
  full?: Promise<BuiltSnapshot>;
  lean?: Promise<BuiltSnapshot>;
}

export class OfflineSnapshots {
  private readonly rows = new WeakMap<EventSnapshot, TicketRows>();
  private readonly recent = new Map<string, Recent>();

  /** The event's ticket rows and holders as of its last change of owners or tiers. */
  ticketRows(snapshot: EventSnapshot): Rows {
    let rows = this.rows.get(snapshot);
    if (!rows) this.rows.set(snapshot, (rows = new TicketRows(snapshot)));
    return rows.rows();
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
    state: (holders: Rows["holders"]) => Promise<SnapshotState>,
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

  private async parts(rows: Rows, head: () => OfflineSnapshotHead, state: (holders: Rows["holders"]) => Promise<SnapshotState>) {
    const headJson = JSON.stringify({ ...head(), ticketsTag: rows.tag });
    const { usedJson, ...rest } = await state(rows.holders);
    // `{...head,` and `"used":[...],...rest}`, between which the rows go as they are: `"tickets":[...],`.
    return { head: Buffer.from(`${headJson.slice(0, -1)},`), rest: Buffer.from(`"used":${usedJson},${JSON.stringify(rest).slice(1)}`) };
  }

  private async assemble(recent: Recent, withRows: boolean): Promise<BuiltSnapshot> {
    const { head, rest } = await recent.parts;
    const json = Buffer.concat(withRows ? [head, TICKETS, ...recent.rows.json, COMMA, rest] : [head, rest]);
    return { json, gzipped: await gzip(json) };
  }
}
