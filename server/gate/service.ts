// The gate: per event, a snapshot followed from the chain (chain-view.ts, its worker), and the
// scan: verify the pass (lib/pass) with the snapshot brought up to date first, then admit it once
// in the ledger.
import { getAddress, type Address } from "viem";

import { decodePass, DelegationCache, verifyEd25519OffThread, verifyPass, type RefusalReason } from "../../lib/pass/index.js";
import type { PublicClient } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { GateChain } from "./chain-view.js";
import { ContractSignatures } from "./contract-signatures.js";
import type { AdmissionLedger } from "./ledger.js";
import type { EventSnapshot, TicketFacts } from "./snapshot.js";

export type ScanOutcome = (
  | { verdict: "admit"; ticket: TicketFacts; holder: Address; admittedAt: number }
  | {
      verdict: "refuse";
      reason: RefusalReason | "event-cancelled" | "door-not-open";
      message: string;
      ticket?: TicketFacts;
      opensAt?: number;
      /** wrong-event: the event the pass is for, so the door can say which. */
      passEvent?: Address;
    }
) & {
  /** The chain could not be read just now: the verdict is the snapshot's (see README, "offline"). */
  offline: boolean;
};

export class GateService {
  readonly chain: GateChain;
  private readonly delegations = new DelegationCache();
  private readonly signatures: ContractSignatures;
  private readonly enteredCache = new Map<string, { at: number; value: number }>();

  constructor(
    private readonly config: ServerConfig,
    client: PublicClient,
    readonly ledger: AdmissionLedger,
    log: (message: string) => void = () => undefined,
  ) {
    this.chain = new GateChain(config, log, {
      onCheckInUndone: (event, tokenId, block) => ledger.forget(event, tokenId, block),
      isOwnTransaction: (hash) => ledger.isOwnTransaction(hash),
    });
    this.signatures = new ContractSignatures(client, () => this.chain.offline);
  }

  /** The event's snapshot, synced once; undefined if the factory never created it. Throws ChainUnreachable offline. */
  event(address: string): Promise<EventSnapshot | undefined> {
    return this.chain.event(address);
  }

  /** Brings every snapshot up to the chain's head (what a scan does first); false offline. */
  refresh(): Promise<boolean> {
    return this.chain.fresh();
  }

  /** Follows the chain for every event the gate has seen. */
  startFollowing() {
    this.chain.start();
  }

  stopFollowing(): Promise<void> {
    return this.chain.close();
  }

  async scan(snapshot: EventSnapshot, passText: string, staff: Address, now = Math.floor(Date.now() / 1000)): Promise<ScanOutcome> {
    const event = snapshot.address;
    let offline = this.chain.offline;
    if (snapshot.cancelled) return { verdict: "refuse", reason: "event-cancelled", message: "The event was cancelled", offline };
    const verdict = await verifyPass(passText, {
      chainId: BigInt(this.config.chainId),
      ticket: event,
      now,
      maxFrameAge: this.config.gate.maxFrameAge,
      maxClockSkew: this.config.gate.maxClockSkew,
      // The pass is sound; before reading anything about the ticket, make sure every block the
      // node already has is in the snapshot (a ticket sold a moment ago belongs to its buyer).
      prepare: async () => {
        offline = !(await this.chain.fresh());
      },
      ownerOf: (tokenId) => snapshot.owners.get(tokenId),
      // On chain, or admitted at this gate; an admission at another gate not yet on chain is
      // caught by the ledger's atomic insert below, so no query is needed here.
      isCheckedIn: (tokenId) => snapshot.checkedInOnChain.has(tokenId) || this.ledger.admittedByThisGate(event, tokenId),
      entryWindow: (tokenId) => snapshot.entryWindow(tokenId),
      isDenied: (account) => snapshot.isDenied(account),
      isValidContractSignature: (holder, digest, signature) => this.signatures.isValid(holder, digest, signature),
      cache: this.delegations,
      // The curve arithmetic on libuv's threads: the scan's thread goes on with other scans.
      verifyFrame: verifyEd25519OffThread,
    });
    if (!verdict.ok) {
      return {
        verdict: "refuse",
        reason: verdict.reason,
        message: verdict.detail,
        ticket: verdict.tokenId !== undefined && snapshot.owners.has(verdict.tokenId) ? snapshot.facts(verdict.tokenId) : undefined,
        // The pass decoded to say wrong-event: decoding it again cannot fail.
        passEvent: verdict.reason === "wrong-event" ? getAddress(decodePass(passText).delegation.ticket) : undefined,
        offline,
      };
    }
    // The fresh blocks may have cancelled the event.
    if (snapshot.cancelled) return { verdict: "refuse", reason: "event-cancelled", message: "The event was cancelled", offline };
    // Before the contract accepts check-ins, an admission could never be written on chain.
    if (now < snapshot.checkInOpensAt) {
      const opensAt = snapshot.checkInOpensAt;
      return { verdict: "refuse", reason: "door-not-open", message: `check-in opens at ${opensAt} (${snapshot.checkInLeadHours} h before the start)`, opensAt, ticket: snapshot.facts(verdict.tokenId), offline };
    }
    // The atomic step: of two gates admitting the same ticket now, one insert wins.
    if (!this.ledger.tryAdmit(event, verdict.tokenId, staff, verdict.holder, now)) {
      return { verdict: "refuse", reason: "already-used", message: `ticket ${verdict.tokenId} was just admitted at another gate`, ticket: snapshot.facts(verdict.tokenId), offline };
    }
    return { verdict: "admit", ticket: snapshot.facts(verdict.tokenId), holder: getAddress(verdict.holder), admittedAt: now, offline };
  }

  status(snapshot: EventSnapshot) {
    const ageMs = snapshot.syncedAt === undefined ? undefined : Date.now() - snapshot.syncedAt;
    const offline = this.chain.offline;
    return {
      event: snapshot.address,
      snapshot: {
        source: "chain",
        block: Number(snapshot.syncedBlock),
        tickets: snapshot.owners.size,
        syncedAt: snapshot.syncedAt,
        ageMs,
        rpcReachable: !offline,
        // Offline: the gate keeps admitting from this snapshot, and says so.
        offline,
        lastError: offline ? this.chain.lastError : undefined,
      },
      cancelled: snapshot.cancelled,
      // Before this the contract refuses check-ins, so the gate refuses passes (door-not-open).
      checkInOpensAt: snapshot.checkInOpensAt,
      doorOpen: Math.floor(Date.now() / 1000) >= snapshot.checkInOpensAt,
      ledger: this.ledger.counts(snapshot.address),
      entered: this.entered(snapshot),
    };
  }

  /**
   * Tickets in: admitted by these gates or checked in on chain some other way (another gate
   * server, a direct checkIn), each once. Every scanner polls this, so it is computed at most
   * once a second per event.
   */
  private entered(snapshot: EventSnapshot): number {
    const key = snapshot.address.toLowerCase();
    const cached = this.enteredCache.get(key);
    if (cached && Date.now() - cached.at < 1000) return cached.value;
    const admitted = this.ledger.admittedTokenIds(snapshot.address);
    let value = admitted.size;
    for (const tokenId of snapshot.checkedInOnChain) if (!admitted.has(tokenId)) value++;
    this.enteredCache.set(key, { at: Date.now(), value });
    return value;
  }
}
