// An event's gate snapshot read from an index (the local index or The Graph) instead of replayed
// from every log since the event's creation: GATE_EVENT and GATE_SNAPSHOT's pages, all at one
// `_meta` block, turned into the same ops the logs would have produced (snapshot.ts). The chain
// follower then reads only the logs after that block, and checks first that the index's block is
// on the chain it follows (chain-follower.ts).
import { stringToHex, type Address, type Hex } from "viem";

import { ruleOf } from "../../lib/calendar.js";
import { GATE_EVENT, GATE_SNAPSHOT, queryIndex, type GateEvent, type GateEventTier, type GateSnapshotPage } from "../../lib/index/index.js";
import type { SnapshotOp, TierInfo } from "./snapshot.js";

export interface IndexedState {
  /** The index's block: every op below holds as of it. */
  block: { number: bigint; hash: Hex };
  ops: SnapshotOp[];
}

/** The index moved on while it was being paged: start again (at most this often). */
const ATTEMPTS = 3;

/**
 * The event's state as the index has it, or undefined when the index does not know the event yet
 * or cannot name its block's hash. Throws when the index cannot be read.
 */
export async function readIndexedState(indexUrl: string, event: Address, timeoutMs: number): Promise<IndexedState | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const state = await readOnce(indexUrl, event.toLowerCase(), timeoutMs);
    if (state !== "moved") return state;
  }
  throw new Error(`the index at ${indexUrl} kept moving while the gate read event ${event}`);
}

async function readOnce(indexUrl: string, event: string, timeoutMs: number): Promise<IndexedState | undefined | "moved"> {
  const query = <T>(document: string, variables: Record<string, unknown>) => queryIndex<T>(indexUrl, document, variables, { signal: AbortSignal.timeout(timeoutMs) });
  const first = await query<GateEvent>(GATE_EVENT, { event });
  const { number, hash } = first._meta.block;
  if (!first.event || !hash) return undefined;
  const sameBlock = (meta: { block: { number: number } }) => meta.block.number === number;

  const accounts = [...first.event.accounts];
  while (accounts.length && accounts.length % 1000 === 0) {
    const page = await query<GateEvent>(GATE_EVENT, { event, accountsAfter: accounts.at(-1)!.id });
    if (!sameBlock(page._meta)) return "moved";
    if (!page.event?.accounts.length) break;
    accounts.push(...page.event.accounts);
  }
  const tickets: GateSnapshotPage["tickets"] = [];
  for (let after = "0x"; ; ) {
    const page = await query<GateSnapshotPage>(GATE_SNAPSHOT, { event, after, first: 1000 });
    if (!sameBlock(page._meta)) return "moved";
    tickets.push(...page.tickets);
    if (page.tickets.length < 1000) break;
    after = page.tickets.at(-1)!.id;
  }

  const { start, end, cancelled, checkInLeadHours, tiers } = first.event;
  const ops: SnapshotOp[] = [{ k: "times", start: Number(start), end: Number(end) }, { k: "lead", hours: checkInLeadHours }];
  if (cancelled) ops.push({ k: "cancelled", on: true });
  for (const tier of tiers) ops.push({ k: "tier", tier: tier.tierId, info: tierInfo(tier) });
  for (const entry of accounts) {
    const account = entry.account.id.toLowerCase();
    if (entry.gate) ops.push({ k: "gate", account, on: true });
    if (entry.denied) ops.push({ k: "deny", account, on: true });
  }
  for (const ticket of tickets) {
    const token = BigInt(ticket.tokenId);
    // Lowercase, as the log decoder gives addresses (log-decoder.ts).
    ops.push({ k: "owner", token, to: ticket.owner.id.toLowerCase() as Address });
    if (ticket.checkedIn) ops.push({ k: "checkin", token, on: true });
  }
  return { block: { number: BigInt(number), hash }, ops };
}

/** A tier as the logs would have built it (TierAdded, TierOptionsSet, SeatMapSet, CalendarAdded). */
function tierInfo(tier: GateEventTier): TierInfo {
  const info: TierInfo = { entryStart: Number(tier.entryStart), entryEnd: Number(tier.entryEnd), name: tier.name };
  if (tier.seatBlocks.length) {
    // The contract's section is bytes16, UTF-8, zero-padded; the index keeps the text.
    info.seatMap = tier.seatBlocks.map((b) => ({
      section: stringToHex(b.section, { size: 16 }),
      firstRow: b.firstRow,
      rows: b.rows,
      firstSeat: b.firstSeat,
      seatsPerRow: b.seatsPerRow,
      letteredRows: b.letteredRows,
    }));
  }
  // Closed days do not matter at the door (as in snapshot.ts): a ticket exists only for a slot offered.
  if (tier.calendar) info.calendar = ruleOf({ ...tier.calendar, closedDays: [] });
  return info;
}
