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
 * GET /gate/:event/offline-snapshot[?ticketsTag=&held=]: the copy. `tickets`: every row; none when
 * the device asked with the tag of the current rows (it holds them); or, when it named the groups
 * it holds (`held`, their tags joined by "."), the rows of the other groups only
 * (server/gate/offline-snapshot.ts).
 */
export type OfflineSnapshotAnswer = Omit<OfflineSnapshot, "tickets" | "ticketsTag" | "ticketGroups"> & {
  ticketsTag: string;
  ticketGroups?: [string, string][];
  tickets?: OfflineSnapshot["tickets"];
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
  const { tickets, ...rest } = answer;
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
