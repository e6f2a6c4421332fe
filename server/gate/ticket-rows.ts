// The ticket rows of an event's offline copy (offline-snapshot.ts), kept up to date by the owner
// changes since the last build rather than built again: for 50,000 tickets a whole build (facts,
// JSON, SHA-256) took 80-136 ms on the thread that answers scans, and during the hours before a
// stadium event tickets change hands all the time (resales, gifts, the box office selling).
//
// The rows are kept in groups of consecutive token ids (ROWS_PER_GROUP). An owner change builds its
// group's JSON and hash again; the rows' JSON is the groups' in token order, and their tag is a
// hash of the groups' hashes. Token order, not the order owners were learnt in (the index or the
// logs): every gate server then names the same rows with the same tag. A tier change (names, seat
// maps, entry windows) may change every row, and builds every group again.
//
// A build of every group (the first answer of a gate server, a restarted one's in the middle of
// the rush, and each tier change) lets the event loop run between groups: whole, it held the scan
// thread 80-136 ms for 50,000 tickets.
import { createHash } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";

import { TICKET_GROUP_TAG_LENGTH, TICKET_ROWS_PER_GROUP as ROWS_PER_GROUP, type TicketRow } from "../../lib/offline-admissions.js";
import type { EventSnapshot } from "./snapshot.js";

/** Groups a build of every group makes before it lets the event loop run. */
const GROUPS_PER_TURN = 2;
const [OPEN, COMMA, CLOSE] = ["[", ",", "]"].map((text) => Buffer.from(text));

interface RowGroup {
  /** Its number, in decimal: token id / TICKET_ROWS_PER_GROUP. */
  id: string;
  /** Its tokens that have an owner, ascending. */
  tokens: bigint[];
  /** JSON of their rows without the brackets: `[tokenId, owner, tier name, seat, entry start, entry end],...`. */
  json: Buffer;
  hash: Buffer;
  holders: string[];
}

/** The event's rows as one version of them: what a built answer holds on to. */
export interface Rows {
  version: number;
  /**
   * JSON of [tokenId, owner, tier name, seat, entry start, entry end][], in token order, in pieces:
   * the groups' bytes and the brackets and commas between them. An answer copies them once into
   * its own bytes (encoding megabytes of a string took 15-38 ms a time; a copy, one or two).
   */
  json: Buffer[];
  /** Names the rows: 128 bits of a SHA-256 over the groups' SHA-256s, base64url. */
  tag: string;
  /**
   * The groups in token order: each one's number (token id / TICKET_ROWS_PER_GROUP), its tag (96
   * bits of its SHA-256, base64url) and its rows' JSON without the brackets. A device holding some
   * of them is sent only the others (OfflineSnapshots.answer).
   */
  groups: { id: string; tag: string; json: Buffer }[];
  /** The event's holders (lower case) and their numbers of tickets, as of the latest version. */
  holders: ReadonlyMap<string, number>;
}

/** Groups and each holder's number of tickets (lower case): the current ones, or a build's new ones. */
interface Built {
  groups: Map<bigint, RowGroup>;
  holders: Map<string, number>;
}

/** The JSON array of the groups' rows, in pieces: the groups' bytes and the brackets and commas between them. */
export function groupsJson(groups: readonly { json: Buffer }[]): Buffer[] {
  return [OPEN, ...groups.flatMap((group, i) => (i === 0 ? [group.json] : [COMMA, group.json])), CLOSE];
}

/** A ticket's row in an offline copy; `holder` lower case. */
export function ticketRow(snapshot: EventSnapshot, token: bigint, holder: string): TicketRow {
  const f = snapshot.facts(token);
  return [token.toString(), holder, f.tier ?? null, f.seat ?? null, f.entryStart ?? null, f.entryEnd ?? null];
}

export class TicketRows {
  private built: Built = { groups: new Map(), holders: new Map() };
  private current?: Rows;
  /** The update under way: one at a time (a build of every group spans several turns of the loop). */
  private updating?: Promise<void>;

  constructor(private readonly snapshot: EventSnapshot) {}

  /** The rows as of the snapshot's ticketsVersion (at once when they are). */
  async rows(): Promise<Rows> {
    // Changes that came during an update are read by the next one.
    while (this.current?.version !== this.snapshot.ticketsVersion) {
      this.updating ??= this.update().finally(() => (this.updating = undefined));
      await this.updating;
    }
    return this.current;
  }

  /**
   * Brings the groups to the snapshot's ticketsVersion as it is when this starts. A build of every
   * group makes new ones, and replaces the current ones once it is done: the rows served meanwhile
   * stay whole. Owners may change between its turns: a group built after such a change holds it
   * already, and the next update builds the change's group again (it is after `version`).
   */
  private async update() {
    const { snapshot } = this;
    const version = snapshot.ticketsVersion;
    const changed = this.current ? snapshot.ownerChangesSince(this.current.version) : undefined;
    if (changed) {
      const dirty = new Map<bigint, Set<bigint>>();
      for (const token of changed) {
        const group = token / ROWS_PER_GROUP;
        let tokens = dirty.get(group);
        if (!tokens) dirty.set(group, (tokens = new Set(this.built.groups.get(group)?.tokens)));
        tokens.add(token);
      }
      for (const [group, tokens] of dirty) this.build(group, [...tokens]);
    } else {
      const grouped = new Map<bigint, bigint[]>();
      for (const token of snapshot.owners.keys()) {
        const group = token / ROWS_PER_GROUP;
        const tokens = grouped.get(group);
        if (tokens) tokens.push(token);
        else grouped.set(group, [token]);
      }
      const fresh: Built = { groups: new Map(), holders: new Map() };
      let inTurn = GROUPS_PER_TURN; // the grouping above was this turn's work
      for (const [group, tokens] of grouped) {
        if (inTurn++ === GROUPS_PER_TURN) {
          inTurn = 1;
          await nextTurn();
        }
        this.build(group, tokens, fresh);
      }
      this.built = fresh;
    }
    const { groups, holders } = this.built;
    const ordered = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((group) => groups.get(group)!);
    const tag = createHash("sha256");
    for (const group of ordered) tag.update(group.hash);
    const json = groupsJson(ordered);
    const named = ordered.map((group) => ({ id: group.id, tag: group.hash.toString("base64url").slice(0, TICKET_GROUP_TAG_LENGTH), json: group.json }));
    this.current = { version, json, tag: tag.digest("base64url").slice(0, 22), groups: named, holders };
  }

  /** Builds `group` again, in `into`, from those of `candidates` that have an owner now (none: the group goes). */
  private build(group: bigint, candidates: bigint[], into = this.built) {
    const { snapshot } = this;
    for (const holder of into.groups.get(group)?.holders ?? []) {
      const count = into.holders.get(holder)! - 1;
      if (count) into.holders.set(holder, count);
      else into.holders.delete(holder);
    }
    const tokens = candidates.filter((token) => snapshot.owners.has(token)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (tokens.length === 0) return void into.groups.delete(group);
    const holders = tokens.map((token) => snapshot.owners.get(token)!.toLowerCase());
    for (const holder of holders) into.holders.set(holder, (into.holders.get(holder) ?? 0) + 1);
    const text = JSON.stringify(tokens.map((token, i) => ticketRow(snapshot, token, holders[i])));
    const json = Buffer.from(text.slice(1, -1));
    into.groups.set(group, { id: group.toString(), tokens, json, hash: createHash("sha256").update(json).digest(), holders });
  }
}
