// What the gate server and the scanners say to each other about admissions a scanner made while
// its link to the gate was down (server/gate/offline-routes.ts, frontend/src/gate/offline.ts):
// the device's copy of the event (the offline snapshot), the upload's answer per ticket, and a
// conflict (a ticket admitted at two offline devices) as the scanners and the organizer's console
// list it.

/** The offline snapshot's fields besides the ticket rows and what changes with each admission. */
export interface OfflineSnapshotHead {
  version: 1;
  chainId: string;
  event: string;
  block: number;
  syncedAt?: number;
  /** When it was built (ms, the gate's clock). */
  takenAt: number;
  refreshMs: number;
  cancelled: boolean;
  checkInOpensAt: number;
  maxFrameAge: number;
  maxClockSkew: number;
}

/** The offline snapshot's parts that change with each admission. */
export interface OfflineSnapshotState {
  /** Checked in on chain or admitted by a gate when the snapshot was taken. */
  used: string[];
  /**
   * Where the used-ticket feed (UsedFeed) goes on from: every admission before it is in `used`.
   * Absent in copies kept by an older app.
   */
  usedCursor?: string;
  denied: string[];
  /** [holder, digest] of smart-account delegations of the event's holders registered with the gate. */
  delegations: [string, string][];
}

/**
 * The used tickets as bitmaps, the form a device asks for (`usedAs=bits`): [base, base64] per tier
 * of a slot, bit k (byte k >> 3, bit k & 7) standing for ticket base + k. For 40,000 used of 50,000
 * tickets, 4.8 KB gzipped against 89 KB for the list of ids.
 */
export type UsedBits = [string, string][];
/** One bitmap's span of token ids: a tier's of one slot (lib/calendar.ts TOKENS_PER_TIER). */
const USED_BITS_SPAN = 1_000_000;
/** Decimal ids this long or shorter are below 2^53: Number arithmetic is exact for them. */
const SAFE_DIGITS = 15;

/** The bitmaps of `ids` (decimal token ids; repeats are one). */
export function usedBitsOf(ids: Iterable<string>): UsedBits {
  const serials = new Map<string, number[]>();
  for (const id of ids) {
    let base: string;
    let serial: number;
    if (id.length <= SAFE_DIGITS) {
      const n = Number(id);
      serial = n % USED_BITS_SPAN;
      base = String(n - serial);
    } else {
      const n = BigInt(id);
      serial = Number(n % BigInt(USED_BITS_SPAN));
      base = (n - BigInt(serial)).toString();
    }
    const list = serials.get(base);
    if (list) list.push(serial);
    else serials.set(base, [serial]);
  }
  const bits: UsedBits = [];
  for (const [base, list] of serials) {
    let highest = 0;
    for (const serial of list) if (serial > highest) highest = serial; // not Math.max(...list): a tier's 200,000 arguments overflow the stack
    const bytes = new Uint8Array((highest >> 3) + 1);
    for (const serial of list) bytes[serial >> 3] |= 1 << (serial & 7);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
    bits.push([base, btoa(binary)]);
  }
  return bits;
}

/** The decimal token ids of `bits` (usedBitsOf's), by base and then id. */
export function usedOfBits(bits: UsedBits): string[] {
  const ids: string[] = [];
  for (const [base, encoded] of bits) {
    const bytes = atob(encoded);
    const small = base.length <= SAFE_DIGITS;
    const [n, big] = small ? [Number(base), 0n] : [0, BigInt(base)];
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes.charCodeAt(i);
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if ((byte & (1 << bit)) === 0) continue;
        const k = i * 8 + bit;
        ids.push(small ? String(n + k) : (big + BigInt(k)).toString());
      }
    }
  }
  return ids;
}

/** A ticket as a copy has it: [tokenId, owner (lower case), tier name, seat, entry start, entry end]. */
export type TicketRow = [string, string, string | null, string | null, number | null, number | null];

/**
 * A copy's rows come in groups of this many consecutive token ids (server/gate/ticket-rows.ts): a
 * ticket sold or resold changes one group, and a device holding the others is sent that one alone.
 */
export const TICKET_ROWS_PER_GROUP = 1_024n;
/** A group's tag: 96 bits of the SHA-256 of its rows' JSON, base64url. */
export const TICKET_GROUP_TAG_LENGTH = 16;
/** Group tags a device sends at most (`held`), within the request line's few kilobytes; past it, none (all rows come). */
export const MAX_HELD_GROUPS = 400;

/** The device's copy of the event, as it keeps it. */
export interface OfflineSnapshot extends OfflineSnapshotHead, OfflineSnapshotState {
  /** Names `tickets` (a hash of their JSON): the device asks with it (absent in copies kept by an older app). */
  ticketsTag?: string;
  /** [group, tag] of the rows' groups, in token order (absent in copies kept by an older app). */
  ticketGroups?: [string, string][];
  tickets: TicketRow[];
}

/**
 * GET /gate/:event/offline-snapshot[?ticketsTag=&held=&usedAs=bits]: the copy. `tickets`: every row; none when
 * the device asked with the tag of the current rows (it holds them); or, when it named the groups
 * it holds (`held`, their tags joined by "."), the rows of the other groups only
 * (server/gate/offline-snapshot.ts).
 */
export type OfflineSnapshotAnswer = Omit<OfflineSnapshot, "tickets" | "ticketsTag" | "ticketGroups"> & {
  ticketsTag: string;
  ticketGroups?: [string, string][];
  tickets?: OfflineSnapshot["tickets"];
  /** Asked with `usedAs=bits`: the used tickets, `used` then empty (a device keeps them as `used`). */
  usedBits?: UsedBits;
};

/** A row's group: its token id / TICKET_ROWS_PER_GROUP, in decimal. */
const groupOf = (row: TicketRow) => (BigInt(row[0]) / TICKET_ROWS_PER_GROUP).toString();

/** Rows by group, each group's in the order given. */
function byGroup(rows: TicketRow[]): Map<string, TicketRow[]> {
  const groups = new Map<string, TicketRow[]>();
  for (const row of rows) {
    const group = groupOf(row);
    const list = groups.get(group);
    if (list) list.push(row);
    else groups.set(group, [row]);
  }
  return groups;
}

/**
 * The copy an answer makes of `held` (what the device had), or undefined when it cannot (the
 * device asks again without a tag, for every row):
 * - the answer itself when it carries every group's rows;
 * - the answer with the held rows when it carries none and they are the ones it names;
 * - the answer's rows for the groups it carries, and the held rows of the others, each of which
 *   the device must hold with the tag the answer names.
 */
export function withTicketRows(answer: OfflineSnapshotAnswer, held: OfflineSnapshot | undefined): OfflineSnapshot | undefined {
  const { tickets, usedBits, ...state } = answer;
  const rest = usedBits ? { ...state, used: [...state.used, ...usedOfBits(usedBits)] } : state;
  const sameEvent = held?.event.toLowerCase() === answer.event.toLowerCase();
  if (held && sameEvent && held.ticketsTag === answer.ticketsTag) return { ...rest, tickets: tickets ?? held.tickets };
  if (!answer.ticketGroups) return tickets ? { ...rest, tickets } : undefined;
  const sent = byGroup(tickets ?? []);
  if (sent.size === answer.ticketGroups.length) return { ...rest, tickets: tickets! };
  if (!held?.ticketGroups || !sameEvent) return undefined;
  const heldTags = new Map(held.ticketGroups);
  const kept = byGroup(held.tickets);
  const merged: TicketRow[] = [];
  for (const [group, tag] of answer.ticketGroups) {
    const rows = sent.get(group) ?? (heldTags.get(group) === tag ? kept.get(group) : undefined);
    if (!rows) return undefined;
    merged.push(...rows);
  }
  return { ...rest, tickets: merged };
}

/**
 * GET /gate/:event/used-since?cursor=&block=: what a device's copy lacks now, so that a device whose
 * link drops refuses what changed seconds before, not only what its last full copy had:
 * - the event's admissions at any gate after `cursor` (its copy's `usedCursor`, then each
 *   answer's `cursor`): a pass admitted at another entrance a moment ago;
 * - with `block` (its copy's `block`, then each answer's): the tickets whose owner changed since,
 *   as rows (`tickets`), or gone (`gone`, burned): a ticket resold, whose seller's pass is no
 *   longer good; and the accounts put on the deny list (`denied`) or taken off it (`allowed`).
 * `refresh`: the device fetches a full copy instead, because more admissions or owner changes came
 * than one answer carries ("admissions", "tickets"; also a tier's facts changed, or the copy is
 * older than what the gate keeps), or a cancellation or the event's times changed ("rules"; a
 * copy carries those whole).
 */
export interface UsedFeed {
  cursor: string;
  tokenIds: string[];
  /**
   * Those of `tokenIds` admitted by the asking staff account: one may be the device's own scan
   * whose answer never came (a hanging link), which it then decides itself as that same admission.
   */
  mine: string[];
  /** With `block` asked: the block to ask from next, the changed tickets' rows and those gone, the deny list's changes (lower case). */
  block?: number;
  tickets?: TicketRow[];
  gone?: string[];
  denied?: string[];
  allowed?: string[];
}

/** What the ledgers feed: each admission with who admitted it (the route says which are the asker's). */
export interface FedAdmissions {
  cursor: string;
  admissions: { tokenId: string; staff: string }[];
}
export type UsedSinceAnswer = UsedFeed | { refresh: "admissions" | "tickets" | "rules" };

/** Who admitted a ticket first: another device's upload, a gate scan, or the chain. */
export interface AdmissionWinner {
  staff?: string;
  device?: string;
  deviceLabel?: string;
  at?: number;
  method?: string;
  onChain?: boolean;
}

export interface OfflineConflict {
  tokenId: string;
  device: string;
  deviceLabel?: string;
  staff: string;
  admittedAt: number;
  winner: AdmissionWinner;
  reportedAt: number;
}

export type OfflineUploadResult =
  | { tokenId: string; result: "admitted" }
  | { tokenId: string; result: "conflict"; by: AdmissionWinner }
  | { tokenId: string; result: "refused"; reason: "unknown-ticket" | "event-cancelled" | "door-not-open" | "future-admission"; message: string };
