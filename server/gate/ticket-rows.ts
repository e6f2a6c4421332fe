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
import { createHash } from "node:crypto";

import type { EventSnapshot } from "./snapshot.js";

/** Token ids per group: a few dozen groups for a stadium, one group's rebuild well under a millisecond. */
const ROWS_PER_GROUP = 1_024n;
const [OPEN, COMMA, CLOSE] = ["[", ",", "]"].map((text) => Buffer.from(text));

interface RowGroup {
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
  /** The event's holders (lower case) and their numbers of tickets, as of the latest version. */
  holders: ReadonlyMap<string, number>;
}

export class TicketRows {
  private readonly groups = new Map<bigint, RowGroup>();
  /** Each holder's number of tickets (lower case). */
  private readonly holders = new Map<string, number>();
  private current?: Rows;

  constructor(private readonly snapshot: EventSnapshot) {}

  /** The rows as of the snapshot's ticketsVersion. */
  rows(): Rows {
    const { snapshot } = this;
    const version = snapshot.ticketsVersion;
    if (this.current?.version === version) return this.current;
    const changed = this.current ? snapshot.ownerChangesSince(this.current.version) : undefined;
    if (changed) {
      const dirty = new Map<bigint, Set<bigint>>();
      for (const token of changed) {
        const group = token / ROWS_PER_GROUP;
        let tokens = dirty.get(group);
        if (!tokens) dirty.set(group, (tokens = new Set(this.groups.get(group)?.tokens)));
        tokens.add(token);
      }
      for (const [group, tokens] of dirty) this.build(group, [...tokens]);
    } else {
      this.groups.clear();
      this.holders.clear();
      const grouped = new Map<bigint, bigint[]>();
      for (const token of snapshot.owners.keys()) {
        const group = token / ROWS_PER_GROUP;
        const tokens = grouped.get(group);
        if (tokens) tokens.push(token);
        else grouped.set(group, [token]);
      }
      for (const [group, tokens] of grouped) this.build(group, tokens);
    }
    const ordered = [...this.groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((group) => this.groups.get(group)!);
    const tag = createHash("sha256");
    for (const group of ordered) tag.update(group.hash);
    const json = [OPEN, ...ordered.flatMap((group, i) => (i === 0 ? [group.json] : [COMMA, group.json])), CLOSE];
    this.current = { version, json, tag: tag.digest("base64url").slice(0, 22), holders: this.holders };
    return this.current;
  }

  /** Builds `group` again from those of `candidates` that have an owner now (none: the group goes). */
  private build(group: bigint, candidates: bigint[]) {
    const { snapshot } = this;
    for (const holder of this.groups.get(group)?.holders ?? []) {
      const count = this.holders.get(holder)! - 1;
      if (count) this.holders.set(holder, count);
      else this.holders.delete(holder);
    }
    const tokens = candidates.filter((token) => snapshot.owners.has(token)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (tokens.length === 0) return void this.groups.delete(group);
    const holders = tokens.map((token) => snapshot.owners.get(token)!.toLowerCase());
    for (const holder of holders) this.holders.set(holder, (this.holders.get(holder) ?? 0) + 1);
    const text = JSON.stringify(
      tokens.map((token, i) => {
        const f = snapshot.facts(token);
        return [token.toString(), holders[i], f.tier ?? null, f.seat ?? null, f.entryStart ?? null, f.entryEnd ?? null];
      }),
    );
    const json = Buffer.from(text.slice(1, -1));
    this.groups.set(group, { tokens, json, hash: createHash("sha256").update(json).digest(), holders });
  }
}
