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
// - the rows come in groups of 1,024 token ids, each with a tag of its own: a ticket sold or resold
//   at the door changes the rows' tag but only one group's, and a device that names the groups it
//   holds (`held`) gets that group's rows alone. For 50,000 tickets with real addresses, two
//   groups' answer was 24 KB gzipped against 1.35 MB for every row: with a sale every 30 s, 500
//   devices would otherwise fetch 22 MB/s of rows they mostly have.
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";

import type { OfflineSnapshotHead, OfflineSnapshotState } from "../../lib/offline-admissions.js";
import type { EventSnapshot } from "./snapshot.js";
import { SharedAnswers } from "./shared-answers.js";
import { groupsJson, TicketRows, type Rows } from "./ticket-rows.js";

const gzip = promisify(gzipCallback);

/** How long one built answer is served to the devices asking (ms): far below their 30 s refresh. */
export const SNAPSHOT_REUSE_MS = 2_000;

const [TICKETS, COMMA] = [`"tickets":`, ","].map((text) => Buffer.from(text));
/** Answers with some groups' rows kept per read: the kinds the devices a refresh or two behind ask for. */
const MAX_ANSWER_KINDS = 32;

/** The state part of an answer, its used ids as the JSON of their array (as the gate keeps them). */
export type SnapshotState = Omit<OfflineSnapshotState, "used"> & {
  usedJson: string;
  /** The same as bitmaps (UsedBits JSON), for devices asking for them; without it, they get the list. */
  usedBitsJson?: string;
};

export interface BuiltSnapshot {
  json: Buffer;
  gzipped: Buffer;
}

/** One read of the state, with the rows it was read for: what the answers with and without them are assembled from. */
interface Parts {
  rows: Rows;
  /** The head's JSON but its closing brace, with a comma; the state's JSON but its opening brace. */
  head: Buffer;
  rest: Buffer;
  /** `rest` with the used tickets as bitmaps (`usedBits`, `used` empty). */
  restWithBits: Buffer;
}

/** The answers assembled from one read in one form of the used tickets: with and without the rows, and with some groups' rows (by their tags). */
interface Answers {
  full?: Promise<BuiltSnapshot>;
  lean?: Promise<BuiltSnapshot>;
  some: Map<string, Promise<BuiltSnapshot>>;
}

export class OfflineSnapshots {
  private readonly rows = new WeakMap<EventSnapshot, TicketRows>();
  /** Per event, one read shared by the devices asking within SNAPSHOT_REUSE_MS, for the same rows. */
  private readonly reads = new SharedAnswers<Parts>(SNAPSHOT_REUSE_MS);
  /** The answers assembled from a read, each once, by the form of the used tickets. */
  private readonly assembled = new WeakMap<Promise<Parts>, { list: Answers; bits: Answers }>();

  /** The event's ticket rows and holders as of its last change of owners or tiers. */
  ticketRows(snapshot: EventSnapshot): Promise<Rows> {
    let rows = this.rows.get(snapshot);
    if (!rows) this.rows.set(snapshot, (rows = new TicketRows(snapshot)));
    return rows.rows();
  }

  /**
   * The answer for the event, from `head()` and `state(holders)` read in the last
   * SNAPSHOT_REUSE_MS (or now), and the current rows: without the rows when `heldTag` names them
   * (the device holds them); else, when the device named the groups it holds (`heldGroups`, their
   * tags), with the other groups' rows only. The answers share that read, and each kind (the rows
   * of the same groups) is assembled once. A failed read is not kept.
   */
  async answer(
    snapshot: EventSnapshot,
    head: () => OfflineSnapshotHead,
    state: (holders: Rows["holders"]) => Promise<SnapshotState>,
    now = Date.now(),
    heldTag?: string,
    heldGroups?: ReadonlySet<string>,
    usedAsBits = false,
  ): Promise<BuiltSnapshot> {
    const rows = await this.ticketRows(snapshot);
    // Rows changed within the reuse time make a new read: the answers carry the current rows and tag.
    const parts = this.reads.get(snapshot.address.toLowerCase(), () => this.read(rows, head, state), now, rows);
    let forms = this.assembled.get(parts);
    if (!forms) this.assembled.set(parts, (forms = { list: { some: new Map() }, bits: { some: new Map() } }));
    const answers = usedAsBits ? forms.bits : forms.list;
    const assemble = (withRows: boolean | Rows["groups"]) => this.assemble(parts, withRows, usedAsBits);
    if (heldTag === rows.tag) return (answers.lean ??= assemble(false));
    const missing = heldGroups?.size ? rows.groups.filter((group) => !heldGroups.has(group.tag)) : rows.groups;
    if (missing.length === rows.groups.length) return (answers.full ??= assemble(true));
    // Devices a refresh behind hold the same groups: a few kinds of answer per read. Past a few
    // dozen kinds (devices each naming other groups, or made-up ones), the shared answer with every
    // row: the work a read costs stays bounded however the devices ask.
    const kind = missing.map((group) => group.tag).join(".");
    let some = answers.some.get(kind);
    if (!some && answers.some.size >= MAX_ANSWER_KINDS) return (answers.full ??= assemble(true));
    if (!some) answers.some.set(kind, (some = assemble(missing)));
    return some;
  }

  private async read(rows: Rows, head: () => OfflineSnapshotHead, state: (holders: Rows["holders"]) => Promise<SnapshotState>): Promise<Parts> {
    const headJson = JSON.stringify({ ...head(), ticketsTag: rows.tag, ticketGroups: rows.groups.map((group) => [group.id, group.tag]) });
    const { usedJson, usedBitsJson, ...rest } = await state(rows.holders);
    // `{...head,` and `"used":[...],...rest}`, between which the rows go as they are: `"tickets":[...],`.
    const others = JSON.stringify(rest).slice(1);
    const listed = Buffer.from(`"used":${usedJson},${others}`);
    return {
      rows,
      head: Buffer.from(`${headJson.slice(0, -1)},`),
      rest: listed,
      restWithBits: usedBitsJson === undefined ? listed : Buffer.from(`"used":[],"usedBits":${usedBitsJson},${others}`),
    };
  }

  /** The answer from a read: with every row (true), none (false), or the rows of `rows`' groups given; the used tickets as a list or as bitmaps. */
  private async assemble(parts: Promise<Parts>, withRows: boolean | Rows["groups"], usedAsBits: boolean): Promise<BuiltSnapshot> {
    const { rows, head, rest: list, restWithBits } = await parts;
    const rest = usedAsBits ? restWithBits : list;
    const tickets = withRows === true ? rows.json : withRows === false ? undefined : groupsJson(withRows);
    const json = Buffer.concat(tickets ? [head, TICKETS, ...tickets, COMMA, rest] : [head, rest]);
    return { json, gzipped: await gzip(json) };
  }
}
