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

/** The device's copy of the event, as it keeps it. */
export interface OfflineSnapshot extends OfflineSnapshotHead, OfflineSnapshotState {
  /** Names `tickets` (a hash of their JSON): the device asks with it (absent in copies kept by an older app). */
  ticketsTag?: string;
  tickets: TicketRow[];
}

/**
 * GET /gate/:event/offline-snapshot[?ticketsTag=]: the copy, without `tickets` when the device
 * asked with the tag of the current rows (it holds them; server/gate/offline-snapshot.ts).
 */
export type OfflineSnapshotAnswer = Omit<OfflineSnapshot, "tickets" | "ticketsTag"> & { ticketsTag: string; tickets?: OfflineSnapshot["tickets"] };

/**
 * The copy an answer makes of `held` (what the device had): the answer itself when it carries
 * the rows, else the answer with the held rows when they are the ones it names; undefined when
 * the rows are neither (the device asks again without a tag).
 */
export function withTicketRows(answer: OfflineSnapshotAnswer, held: OfflineSnapshot | undefined): OfflineSnapshot | undefined {
  if (answer.tickets) return { ...answer, tickets: answer.tickets };
  if (!held || held.ticketsTag !== answer.ticketsTag || held.event.toLowerCase() !== answer.event.toLowerCase()) return undefined;
  return { ...answer, tickets: held.tickets };
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
