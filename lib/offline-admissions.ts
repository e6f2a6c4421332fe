// What the gate server and the scanners say to each other about admissions a scanner made while
// its link to the gate was down (server/gate/offline-routes.ts, frontend/src/gate/offline.ts):
// the upload's answer per ticket, and a conflict (a ticket admitted at two offline devices) as
// the scanners and the organizer's console list it.

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
