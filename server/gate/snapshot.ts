// What the gate knows about one event, followed from the chain's logs: who owns each ticket,
// which tickets were checked in on chain, tier names and entry windows, seat maps, the deny list,
// the GATE role holders, cancellation and the event's times.
//
// The state changes only through ops (SnapshotOp). The gate's chain worker (chain-worker.ts)
// turns each log into ops, applies them to its copy, keeps each op's inverse for a possible
// reorg, and posts the ops to the main thread, which applies them to its own copy: the scan reads
// plain Maps and never waits on a log being decoded.
import { keccak256, toHex, type Address } from "viem";

import { serialOfToken, slotOfToken, slotWindow, tierOfToken, type CalendarRule } from "../../lib/calendar.js";
import { seatLabel, type SeatBlock } from "../../lib/seats.js";

export const GATE_ROLE = keccak256(toHex("GATE_ROLE"));
const key = (address: string) => address.toLowerCase();

export interface TierInfo {
  name: string;
  entryStart: number;
  entryEnd: number;
  seatMap?: SeatBlock[];
  /** The calendar whose slots the tier sells: a slot's ticket enters in its slot's window. */
  calendar?: CalendarRule;
}

export interface TicketFacts {
  tokenId: bigint;
  tierId: number;
  tier?: string;
  seat?: string;
  entryStart?: number;
  entryEnd?: number;
}

/** Changes a journal keeps (owners, the deny list): past twice this, the older half is dropped. */
const JOURNAL = 4_096;
/** Sync stamps kept for changesSince: past twice this, the older half is dropped. */
const SYNC_STAMPS = 512;

/**
 * What an offline device's copy taken at a block lacks now (changesSince): the tokens whose owner
 * changed since and the accounts whose place on the deny list did, or why only a new copy will do:
 * "tickets" when a tier changed (every row may have) or what this snapshot keeps does not reach
 * back to the block, "rules" when cancellation or the event's times changed (or more of the deny
 * list than is kept).
 */
export type ChangesSince = { tokens: bigint[]; accounts: string[]; block: bigint } | { refresh: "tickets" | "rules" };

/** The first index from which `past(index)` holds, in an array of `length` along which it goes from false to true once. */
function firstWhere(length: number, past: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (past(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The last numbered changes of one kind, oldest first (numbers rising, not necessarily by one). */
class ChangeJournal<T> {
  private readonly entries: { version: number; item: T }[] = [];

  add(version: number, item: T) {
    this.entries.push({ version, item });
    if (this.entries.length >= 2 * JOURNAL) this.entries.splice(0, JOURNAL);
  }

  /**
   * What changed after `version`, oldest first, possibly repeated, up to `latest` (the number of
   * the last change of the kind, journaled or not); undefined when the journal no longer reaches
   * back that far: its first entry is neither the change right after `version` nor older.
   */
  since(version: number, latest: number): T[] | undefined {
    if (version === latest) return [];
    const { entries } = this;
    if (entries.length === 0 || entries[0].version > version + 1) return undefined;
    return entries.slice(firstWhere(entries.length, (i) => entries[i].version > version)).map((entry) => entry.item);
  }
}

/** TicketBase.DEFAULT_CHECK_IN_LEAD_HOURS: check-in opens this long before the start unless the organizer changed it. */
export const DEFAULT_CHECK_IN_LEAD_HOURS = 6;

/** One change of the snapshot. Structured-clone safe (bigints included), so it crosses threads as is. */
export type SnapshotOp =
  | { k: "owner"; token: bigint; to: Address | null }
  | { k: "checkin"; token: bigint; on: boolean; undoneInBlock?: bigint }
  | { k: "tier"; tier: number; info: TierInfo | null }
  | { k: "deny"; account: string; on: boolean }
  | { k: "gate"; account: string; on: boolean }
  | { k: "cancelled"; on: boolean }
  | { k: "times"; start: number; end: number }
  | { k: "lead"; hours: number };

/** A decoded contract log, as viem returns it with `strict: true`. */
export interface DecodedLog {
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: bigint | null;
  blockHash: `0x${string}` | null;
  logIndex: number | null;
  address: Address;
}

export class EventSnapshot {
  readonly owners = new Map<bigint, Address>();
  readonly checkedInOnChain = new Set<bigint>();
  readonly tiers = new Map<number, TierInfo>();
  readonly denied = new Set<string>();
  readonly gates = new Set<string>();
  cancelled = false;
  start = 0;
  /** Check-in opens this many hours before the start (the contract's default until changed). */
  checkInLeadHours = DEFAULT_CHECK_IN_LEAD_HOURS;
  end = 0;
  /** Every log up to and including this block is applied. */
  syncedBlock: bigint;
  /** When the snapshot last caught up with the chain (ms). */
  syncedAt?: number;
  /** Bumped by every change to a ticket's owner or facts (owner and tier ops): what derived copies are keyed on. */
  ticketsVersion = 0;
  /** The ticketsVersion of the last tier op (it may change every ticket's facts). */
  private tiersChangedAt = 0;
  /** The last owner changes, oldest first: what copies kept up to date read (ownerChangesSince). */
  private readonly ownerJournal = new ChangeJournal<bigint>();
  /** Bumped by every change an offline copy carries besides the rows, check-ins and deny list: cancellation, times. */
  private rulesVersion = 0;
  /** Changes of the deny list, numbered, the last ones oldest first (changesSince). */
  private denyVersion = 0;
  private readonly denyJournal = new ChangeJournal<string>();
  /**
   * At each sync (in order, blocks never going down): the highest block synced so far and the
   * versions then. Every op applied by then came from a block at or below it (or undid one that
   * was), so a copy of that block or later has them all.
   */
  private readonly stamps: { block: bigint; tickets: number; rules: number; deny: number }[] = [];
  private highestSynced = -1n;

  constructor(
    readonly address: Address,
    readonly createdAtBlock: bigint,
  ) {
    this.syncedBlock = createdAtBlock - 1n;
  }

  /** Applies `op`; returns the op that undoes it. */
  applyOp(op: SnapshotOp): SnapshotOp {
    switch (op.k) {
      case "owner": {
        this.ticketsVersion++;
        this.ownerJournal.add(this.ticketsVersion, op.token);
        const before = this.owners.get(op.token) ?? null;
        if (op.to === null) this.owners.delete(op.token);
        else this.owners.set(op.token, op.to);
        return { k: "owner", token: op.token, to: before };
      }
      case "checkin": {
        const before = this.checkedInOnChain.has(op.token);
        if (op.on) this.checkedInOnChain.add(op.token);
        else this.checkedInOnChain.delete(op.token);
        return { k: "checkin", token: op.token, on: before };
      }
      case "tier": {
        this.tiersChangedAt = ++this.ticketsVersion;
        const before = this.tiers.get(op.tier) ?? null;
        if (op.info === null) this.tiers.delete(op.tier);
        else this.tiers.set(op.tier, op.info);
        return { k: "tier", tier: op.tier, info: before };
      }
      case "deny":
      case "gate": {
        if (op.k === "deny") this.denyJournal.add(++this.denyVersion, op.account);
        const set = op.k === "deny" ? this.denied : this.gates;
        const before = set.has(op.account);
        if (op.on) set.add(op.account);
        else set.delete(op.account);
        return { ...op, on: before };
      }
      case "cancelled": {
        this.rulesVersion++;
        const before = this.cancelled;
        this.cancelled = op.on;
        return { k: "cancelled", on: before };
      }
      case "lead": {
        this.rulesVersion++;
        const before: SnapshotOp = { k: "lead", hours: this.checkInLeadHours };
        this.checkInLeadHours = op.hours;
        return before;
      }
      case "times": {
        this.rulesVersion++;
        const before: SnapshotOp = { k: "times", start: this.start, end: this.end };
        this.start = op.start;
        this.end = op.end;
        return before;
      }
    }
  }

  /**
   * Every log up to `block` is applied (at `at`, ms): stamps the versions with it. A reorg to a
   * shorter chain does not take the stamp's block down, so the undo it applied counts as after
   * every block a copy was taken at before.
   */
  synced(block: bigint, at: number) {
    this.syncedBlock = block;
    this.syncedAt = at;
    if (block > this.highestSynced) this.highestSynced = block;
    // Unchanged versions keep their first stamp: a copy of any block from it on lacks nothing.
    const last = this.stamps.at(-1);
    if (last?.tickets === this.ticketsVersion && last.rules === this.rulesVersion && last.deny === this.denyVersion) return;
    this.stamps.push({ block: this.highestSynced, tickets: this.ticketsVersion, rules: this.rulesVersion, deny: this.denyVersion });
    if (this.stamps.length >= 2 * SYNC_STAMPS) this.stamps.splice(0, SYNC_STAMPS);
  }

  /**
   * What a copy taken at `block` (its `syncedBlock` then, here or at another gate server on the
   * same chain) lacks now: the tokens whose owner changed since, and the block to ask from next.
   * From the newest stamp at or below `block` (so a token may come again, never be missed); of
   * stamps sharing that block (a reorg's undo, stamped with the block it took the chain back
   * from), the first: a copy taken at that block before the undo lacks it.
   */
  changesSince(block: bigint): ChangesSince {
    // A copy from a gate server further on: what this one has beyond its last sync may be older
    // than what the device holds. Nothing now; asked again from the same block once this one has
    // synced past it, it answers everything after.
    if (block > this.highestSynced) return { tokens: [], accounts: [], block };
    const { stamps } = this;
    const newest = stamps[firstWhere(stamps.length, (i) => stamps[i].block > block) - 1];
    if (!newest) return { refresh: "tickets" }; // older than what is kept here, or nothing synced yet
    const stamp = stamps[firstWhere(stamps.length, (i) => stamps[i].block >= newest.block)];
    const denials = this.denyJournal.since(stamp.deny, this.denyVersion);
    if (this.rulesVersion !== stamp.rules || !denials) return { refresh: "rules" };
    const tokens = this.ownerChangesSince(stamp.tickets);
    if (!tokens) return { refresh: "tickets" };
    // Each account once, in the order of its last change.
    const accounts = [...new Set(denials.reverse())].reverse();
    return { tokens: [...new Set(tokens)], accounts, block: this.highestSynced };
  }

  /**
   * The tokens whose owner changed after `version` (a ticketsVersion), oldest first, possibly
   * repeated; undefined when a tier changed since (every ticket's facts may have) or the journal no
   * longer reaches back that far: then a copy is built again from `owners`.
   */
  ownerChangesSince(version: number): bigint[] | undefined {
    // Every version after the last tier op is an owner change: the journal holds them by that number.
    return this.tiersChangedAt > version ? undefined : this.ownerJournal.since(version, this.ticketsVersion);
  }

  /** The ops one contract log stands for (one handler per contract event, as in the index). */
  opsFor(log: DecodedLog): SnapshotOp[] {
    const a = log.args;
    const tierOf = (id: unknown) => this.tiers.get(Number(id));
    switch (log.eventName) {
      case "Transfer":
        return [{ k: "owner", token: a.tokenId as bigint, to: BigInt(a.to as string) === 0n ? null : (a.to as Address) }];
      case "CheckedIn":
        return [{ k: "checkin", token: a.tokenId as bigint, on: true }];
      case "CheckInUndone":
        // The organizer undid it (e.g. a leaked gate key's): the ticket may be admitted again, so
        // the gates' ledger forgets the admissions written on chain up to this block.
        return [{ k: "checkin", token: a.tokenId as bigint, on: false, undoneInBlock: log.blockNumber ?? undefined }];
      case "TierAdded":
      case "TierUpdated":
        return [{ k: "tier", tier: Number(a.tierId), info: { entryStart: 0, entryEnd: 0, ...tierOf(a.tierId), name: a.name as string } }];
      case "TierOptionsSet": {
        const tier = tierOf(a.tierId);
        return tier ? [{ k: "tier", tier: Number(a.tierId), info: { ...tier, entryStart: Number(a.entryStart), entryEnd: Number(a.entryEnd) } }] : [];
      }
      case "SeatMapSet": {
        const tier = tierOf(a.tierId);
        const blocks = a.blocks as readonly SeatBlock[];
        return tier ? [{ k: "tier", tier: Number(a.tierId), info: { ...tier, seatMap: blocks.map((b) => ({ ...b })) } }] : [];
      }
      case "CalendarAdded": {
        const p = a.params as Omit<CalendarRule, "closedDays" | "runs"> & { runs: readonly CalendarRule["runs"][number][] };
        // Closed days do not matter at the door: a ticket exists only for a slot that was offered.
        const calendar: CalendarRule = { ...p, runs: p.runs.map((r) => ({ ...r })), closedDays: [] };
        return (a.tierIds as readonly bigint[]).flatMap((id): SnapshotOp[] => {
          const tier = tierOf(id);
          return tier ? [{ k: "tier", tier: Number(id), info: { ...tier, calendar } }] : [];
        });
      }
      case "DenyListUpdated":
        return [{ k: "deny", account: key(a.account as string), on: Boolean(a.denied) }];
      case "RoleGranted":
      case "RoleRevoked":
        return a.role === GATE_ROLE ? [{ k: "gate", account: key(a.account as string), on: log.eventName === "RoleGranted" }] : [];
      case "EventCancelled":
        return [{ k: "cancelled", on: true }];
      case "CheckInLeadChanged":
        return [{ k: "lead", hours: Number(a.hours_) }];
      case "EventRescheduled":
        return [{ k: "times", start: Number(a.start), end: Number(a.end) }];
      default:
        return [];
    }
  }

  /** When the contract starts accepting check-ins (unix seconds): the gate admits nobody earlier. */
  get checkInOpensAt() {
    return this.start - this.checkInLeadHours * 3600;
  }

  isGate(account: Address) {
    return this.gates.has(key(account));
  }

  isDenied(account: Address) {
    return this.denied.has(key(account));
  }

  tierOf(tokenId: bigint): number {
    return tierOfToken(tokenId);
  }

  /** The ticket's number within its tier: its seat id in a seated tier. */
  serialOf(tokenId: bigint): number {
    return serialOfToken(tokenId);
  }

  facts(tokenId: bigint): TicketFacts {
    const tierId = this.tierOf(tokenId);
    const tier = this.tiers.get(tierId);
    const serial = this.serialOf(tokenId);
    const window = this.entryWindow(tokenId);
    return {
      tokenId,
      tierId,
      tier: tier?.name,
      seat: tier?.seatMap ? seatLabel(tier.seatMap, serial) : undefined,
      entryStart: window?.start,
      entryEnd: window?.end,
    };
  }

  /** A calendar slot's window for a slot's ticket, else its tier's entry window (undefined: any time). */
  entryWindow(tokenId: bigint) {
    const tier = this.tiers.get(this.tierOf(tokenId));
    const slot = slotOfToken(tokenId);
    if (tier?.calendar && slot !== 0) {
      const window = slotWindow(tier.calendar, slot, new Set());
      return window ? { start: window.start, end: window.end } : undefined;
    }
    return tier?.entryEnd ? { start: tier.entryStart, end: tier.entryEnd } : undefined;
  }
}
