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
  denied: string[];
  /** [holder, digest] of smart-account delegations of the event's holders registered with the gate. */
  delegations: [string, string][];
}

/** GET /gate/:event/offline-snapshot: the device's copy of the event. */
export interface OfflineSnapshot extends OfflineSnapshotHead, OfflineSnapshotState {
  /** [tokenId, owner (lower case), tier name, seat, entry start, entry end] */
  tickets: [string, string, string | null, string | null, number | null, number | null][];
}

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
