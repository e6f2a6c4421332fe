// The gate: per event, a snapshot followed from the chain (chain-view.ts, its worker), and the
// scan: verify the pass (lib/pass) with the snapshot brought up to date first, then admit it once
// in the ledger.
import { getAddress, isAddressEqual, type Address, type Hex } from "viem";

import {
  CannotVerifyOffline,
  checkAtDoor,
  decodePass,
  delegationDigest,
  DelegationCache,
  parseBackupCode,
  registrationMessage,
  verifyEd25519,
  verifyPass,
  type Pass,
  type PassDelegation,
  type RefusalReason,
  type Verdict,
  type VerifyContext,
} from "../../lib/pass/index.js";
import type { PublicClient } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { GateChain } from "./chain-view.js";
import { ContractSignatures } from "./contract-signatures.js";
import { BackupCodes, type CodeCheck } from "./backup-codes.js";
import type { SharedSql } from "../shared-sql.js";
import type { AdmissionCounts, AsyncAdmissionLedger } from "./async-ledger.js";
import type { AdmissionMethod } from "./ledger.js";
import { lookUpTickets } from "./lookup.js";
import { recoverSigner } from "./recover-signer.js";
import { NextReads, SharedAnswers } from "./shared-answers.js";
import type { EventSnapshot, TicketFacts } from "./snapshot.js";
import { readUsedTickets, type UsedTickets } from "./used-tickets.js";

/** Refusals the server adds to the pass's own (lib/pass REFUSAL_REASONS). */
export type GateRefusalReason = RefusalReason | "event-cancelled" | "door-not-open" | Exclude<CodeCheck, { ok: true }>["reason"];

export type ScanOutcome = (
  | { verdict: "admit"; ticket: TicketFacts; holder: Address; admittedAt: number; method: AdmissionMethod }
  | {
      verdict: "refuse";
      reason: GateRefusalReason;
      message: string;
      ticket?: TicketFacts;
      opensAt?: number;
      /** backup-code-locked: when the ticket's codes are accepted again (unix seconds). */
      retryAt?: number;
      /** wrong-event: the event the pass is for, so the door can say which. */
      passEvent?: Address;
    }
) & {
  /** The chain could not be read just now: the verdict is the snapshot's (see README, "offline"). */
  offline: boolean;
};

/**
 * The staff member lost the event's GATE role in blocks read while scanning (the route checked
 * the role before them): nothing is admitted; the route answers 403 not-gate-staff, as for a
 * request from someone who never held it.
 */
export class NotGateStaff extends Error {}

const cancelled = (offline: boolean): ScanOutcome => ({ verdict: "refuse", reason: "event-cancelled", message: "The event was cancelled", offline });

/**
 * A server (re)started during a show opens the events admitted at in this many seconds before it
 * at once, not at their first request: a 50,000-ticket event takes seconds to read, and the first
 * scans after a rolling restart would wait for it.
 */
const WARM_START_SECONDS = 12 * 3600;

/** How long one computation of an event's used tickets is shared (ms). */
const USED_TICKETS_REUSE_MS = 1_000;
/**
 * How long the chain worker may take to answer for the status before this thread does the work
 * itself (ms). The status is also the scanners' probe of their link, with its own 3 s limit.
 */
const WORKER_TIMEOUT_MS = 1_000;

export class GateService {
  readonly chain: GateChain;
  private readonly delegations = new DelegationCache({ recoverSigner });
  private readonly signatures: ContractSignatures;
  private readonly backupCodes: BackupCodes;
  private readonly used = new SharedAnswers<UsedTickets>(USED_TICKETS_REUSE_MS);
  private readonly counts = new NextReads<AdmissionCounts>();

  constructor(
    private readonly config: ServerConfig,
    client: PublicClient,
    readonly ledger: AsyncAdmissionLedger,
    log: (message: string) => void,
    /** Where registered delegations, contract wallets' answers and backup codes are kept (SQLite or PostgreSQL). */
    shared: SharedSql,
  ) {
    this.chain = new GateChain(config, log, {
      onCheckInUndone: (event, tokenId, block) => ledger.forget(event, tokenId, block),
      isOwnTransaction: (hash) => ledger.isOwnTransaction(hash),
    });
    this.signatures = new ContractSignatures(client, () => this.chain.unreachable, shared);
    this.backupCodes = new BackupCodes(shared);
  }

  /** The event's snapshot, synced once; undefined if the factory never created it. Throws ChainUnreachable offline. */
  event(address: string): Promise<EventSnapshot | undefined> {
    return this.chain.event(address);
  }

  /** Brings every snapshot up to the chain's head (what a scan does first); false offline. */
  refresh(): Promise<boolean> {
    return this.chain.fresh();
  }

  /** Follows the chain for every event the gate has seen, and opens the events of the current shows. */
  startFollowing() {
    this.chain.start();
    void this.openRecentEvents();
  }

  /**
   * Opens, one at a time, the events any gate admitted at in the last WARM_START_SECONDS (the
   * ledger says which). One that cannot be read now (the RPC down) is opened at its first request.
   */
  private async openRecentEvents(now = Math.floor(Date.now() / 1000)) {
    const events = await this.ledger.eventsAdmittedSince(now - WARM_START_SECONDS).catch(() => [] as Address[]);
    for (const event of events) await this.chain.event(event).catch(() => undefined);
  }

  stopFollowing(): Promise<void> {
    return this.chain.close();
  }

  /** A pass scanned from its QR (or pasted, or typed by a handheld scanner). */
  async scan(snapshot: EventSnapshot, passText: string, staff: Address, now = Math.floor(Date.now() / 1000)): Promise<ScanOutcome> {
    if (snapshot.cancelled) return cancelled(this.chain.offlineFor(snapshot.address));
    const outcome = await this.admitPass(snapshot, passText, staff, now, "qr");
    // The pass decoded to say wrong-event: decoding it again cannot fail.
    if (outcome.verdict === "refuse" && outcome.reason === "wrong-event") outcome.passEvent = getAddress(decodePass(passText).delegation.ticket);
    return outcome;
  }

  /**
   * A backup code typed at the door: checked against the secrets of the phones that registered
   * the ticket, then the same checks as the QR that phone would show now.
   */
  async scanBackupCode(snapshot: EventSnapshot, text: string, staff: Address, now = Math.floor(Date.now() / 1000)): Promise<ScanOutcome> {
    const offline = this.chain.offlineFor(snapshot.address);
    if (snapshot.cancelled) return cancelled(offline);
    const code = parseBackupCode(text.trim());
    if (!code) return { verdict: "refuse", reason: "malformed", message: "not a backup code: a ticket number then six digits", offline };
    const ticket = snapshot.owners.has(code.tokenId) ? snapshot.facts(code.tokenId) : undefined;
    const { maxFrameAge, maxClockSkew } = this.config.gate;
    const check = await this.backupCodes.check(snapshot.address, code.tokenId, code.digits, now, maxFrameAge, maxClockSkew);
    if (!check.ok) {
      const message = {
        "no-backup-code": `no phone has registered a backup code for ticket ${code.tokenId}`,
        "bad-backup-code": `the code is not ticket ${code.tokenId}'s current code`,
        "backup-code-locked": `too many wrong codes for ticket ${code.tokenId}; its codes are refused until ${check.retryAt}`,
      }[check.reason];
      return { verdict: "refuse", reason: check.reason, message, ticket, retryAt: check.retryAt, offline };
    }
    // The phone's QR now, less the frame signature the code stands for.
    const pass: Pass = { ...check.registration.pass, timestamp: now, frameSignature: "0x" };
    return this.admitPass(snapshot, pass, staff, now, "code", async () => true);
  }

  /**
   * Registers a phone for backup codes: its pass (a current frame) and a signature of the
   * registration message by the same pass key, which a photo of the QR cannot give. The answer
   * is the phone's secret.
   */
  /**
   * Registers a delegation's signature too long for the QR code (a smart account's): checked with
   * the holder's wallet now, then passes without a signature are admitted on it, offline too.
   */
  async registerDelegation(snapshot: EventSnapshot, delegation: PassDelegation, holder: Address, signature: Hex): Promise<{ ok: true } | { ok: false; reason: string; message: string }> {
    if (!isAddressEqual(delegation.ticket, snapshot.address) || delegation.chainId !== BigInt(this.config.chainId)) {
      return { ok: false, reason: "malformed", message: "The delegation is for another event or chain" };
    }
    try {
      if (await this.signatures.register(holder, delegationDigest(delegation), signature)) return { ok: true };
      return { ok: false, reason: "not-signed", message: `${holder} did not sign this delegation (its wallet said no)` };
    } catch (error) {
      if (error instanceof CannotVerifyOffline) return { ok: false, reason: "cannot-verify-offline", message: error.message };
      throw error;
    }
  }

  async registerBackupCode(snapshot: EventSnapshot, passText: string, proof: Hex, now = Math.floor(Date.now() / 1000)): Promise<{ ok: true; secret: Uint8Array } | { ok: false; reason: string; message: string }> {
    let pass: Pass;
    try {
      pass = decodePass(passText);
    } catch (error) {
      return { ok: false, reason: "malformed", message: (error as Error).message };
    }
    let copy = snapshot;
    const verdict = await verifyPass(pass, {
      ...this.passContext(() => copy, now),
      prepare: async () => {
        copy = (await this.freshCopy(snapshot)).copy;
      },
      // Registering says nothing about entry: a used or denied ticket may still register.
      isCheckedIn: () => false,
      entryWindow: undefined,
      isDenied: undefined,
    });
    if (!verdict.ok) return { ok: false, reason: verdict.reason, message: verdict.detail };
    const message = registrationMessage(delegationDigest(pass.delegation), pass.tokenId, pass.timestamp);
    if (!verifyEd25519(pass.delegation.passKey, message, proof)) {
      return { ok: false, reason: "bad-registration-signature", message: "the registration was not signed by the pass key" };
    }
    return { ok: true, secret: await this.backupCodes.register(pass, now) };
  }

  /** Tickets staff look up by seat, holder or number (lookup.ts), with where each stands at this door. */
  async lookUp(snapshot: EventSnapshot, query: string, now = Math.floor(Date.now() / 1000)) {
    const { copy, online } = await this.freshCopy(snapshot);
    const tickets = await Promise.all(
      lookUpTickets(copy, query).map(async (match) => {
        const verdict = await checkAtDoor(match.tokenId, match.holder, this.passContext(() => copy, now));
        return { ...match, state: verdict.ok ? ("valid" as const) : verdict.reason };
      }),
    );
    return { tickets, offline: !online };
  }

  /**
   * Admits a ticket staff looked up and confirmed (they checked the person): the door's checks
   * without a pass. `holder` is the holder staff confirmed: if the ticket changed hands since, refused.
   */
  async admitLookedUp(snapshot: EventSnapshot, tokenId: bigint, holder: Address, staff: Address, now = Math.floor(Date.now() / 1000)): Promise<ScanOutcome> {
    if (snapshot.cancelled) return cancelled(this.chain.offlineFor(snapshot.address));
    const { copy, online } = await this.freshCopy(snapshot);
    const owner = copy.owners.get(tokenId);
    const verdict: Verdict = !owner
      ? { ok: false, reason: "delegation-not-by-owner", detail: `ticket ${tokenId} does not exist`, tokenId }
      : !isAddressEqual(owner, holder)
        ? { ok: false, reason: "delegation-not-by-owner", detail: `ticket ${tokenId} now belongs to ${getAddress(owner)}`, tokenId }
        : await checkAtDoor(tokenId, owner, this.passContext(() => copy, now));
    return await this.settle(copy, verdict, staff, now, "lookup", !online);
  }

  /**
   * On chain, or admitted at this gate; an admission at another gate not yet on chain is caught by
   * the ledger's atomic insert, so no query is needed here.
   */
  private usedHere(snapshot: EventSnapshot, tokenId: bigint): boolean {
    return snapshot.checkedInOnChain.has(tokenId) || this.ledger.admittedByThisGate(snapshot.address, tokenId);
  }

  /**
   * The freshness barrier, then the event's copy as it is now. While the request waited, a new
   * chain thread's copy (the old thread died) or a deep reorg's rebuild may have replaced the one
   * it started with, which nothing follows any more: read from it, the verdict would miss the very
   * blocks the barrier waited for. Offline (online: false) when the chain could not be read, or
   * when the copy being read again did not come back in time (then the old one is all there is).
   */
  private async freshCopy(snapshot: EventSnapshot): Promise<{ copy: EventSnapshot; online: boolean }> {
    const online = await this.chain.fresh(snapshot.address);
    const current = this.chain.current(snapshot.address);
    if (current === snapshot) return { copy: snapshot, online };
    const copy = current ?? (await this.chain.event(snapshot.address).catch(() => undefined));
    return copy ? { copy, online: online && !this.chain.offlineFor(snapshot.address) } : { copy: snapshot, online: false };
  }

  /**
   * What verifyPass and checkAtDoor read: the event's copy (`copy()`: the one current after the
   * barrier, freshCopy), this gate's admissions, the chain for EIP-1271.
   */
  private passContext(copy: () => EventSnapshot, now: number, verifyFrame?: VerifyContext["verifyFrame"]): VerifyContext {
    return {
      chainId: BigInt(this.config.chainId),
      ticket: copy().address,
      now,
      maxFrameAge: this.config.gate.maxFrameAge,
      maxClockSkew: this.config.gate.maxClockSkew,
      ownerOf: (tokenId) => copy().owners.get(tokenId),
      isCheckedIn: (tokenId) => this.usedHere(copy(), tokenId),
      entryWindow: (tokenId) => copy().entryWindow(tokenId),
      isDenied: (account) => copy().isDenied(account),
      isValidContractSignature: (holder, digest, signature) => this.signatures.isValid(holder, digest, signature),
      cache: this.delegations,
      verifyFrame,
    };
  }

  private async admitPass(snapshot: EventSnapshot, pass: string | Pass, staff: Address, now: number, method: AdmissionMethod, verifyFrame?: VerifyContext["verifyFrame"]): Promise<ScanOutcome> {
    let offline = this.chain.offlineFor(snapshot.address);
    let copy = snapshot;
    const verdict = await verifyPass(pass, {
      ...this.passContext(() => copy, now, verifyFrame),
      // The pass is sound; before reading anything about the ticket, make sure every block the
      // node already has is in the snapshot (a ticket sold a moment ago belongs to its buyer).
      prepare: async () => {
        const fresh = await this.freshCopy(snapshot);
        copy = fresh.copy;
        offline = !fresh.online;
      },
    });
    return await this.settle(copy, verdict, staff, now, method, offline);
  }

  /** A verdict at the door → the outcome: refusals in words, else the ledger's atomic admission. */
  private async settle(snapshot: EventSnapshot, verdict: Verdict, staff: Address, now: number, method: AdmissionMethod, offline: boolean): Promise<ScanOutcome> {
    const event = snapshot.address;
    if (!verdict.ok) {
      return {
        verdict: "refuse",
        reason: verdict.reason,
        message: verdict.detail,
        ticket: verdict.tokenId !== undefined && snapshot.owners.has(verdict.tokenId) ? snapshot.facts(verdict.tokenId) : undefined,
        offline,
      };
    }
    // The fresh blocks may have cancelled the event, or revoked the staff member's role.
    if (snapshot.cancelled) return cancelled(offline);
    if (!snapshot.isGate(staff)) throw new NotGateStaff(`${getAddress(staff)} no longer holds the GATE role for this event`);
    // Before the contract accepts check-ins, an admission could never be written on chain.
    if (now < snapshot.checkInOpensAt) {
      const opensAt = snapshot.checkInOpensAt;
      return { verdict: "refuse", reason: "door-not-open", message: `check-in opens at ${opensAt} (${snapshot.checkInLeadHours} h before the start)`, opensAt, ticket: snapshot.facts(verdict.tokenId), offline };
    }
    // The atomic step: of two gates admitting the same ticket now, one insert wins.
    if (!(await this.ledger.tryAdmit(event, verdict.tokenId, staff, verdict.holder, now, method))) {
      return { verdict: "refuse", reason: "already-used", message: `ticket ${verdict.tokenId} was just admitted at another gate`, ticket: snapshot.facts(verdict.tokenId), offline };
    }
    return { verdict: "admit", ticket: snapshot.facts(verdict.tokenId), holder: getAddress(verdict.holder), admittedAt: now, method, offline };
  }

  async status(snapshot: EventSnapshot) {
    const [counts, used] = await Promise.all([this.ledgerCounts(snapshot), this.usedTickets(snapshot)]);
    const ageMs = snapshot.syncedAt === undefined ? undefined : Date.now() - snapshot.syncedAt;
    const offline = this.chain.offlineFor(snapshot.address);
    return {
      event: snapshot.address,
      snapshot: {
        source: "chain",
        // Its first state: the index's at a block (then the chain's logs), or the logs from the creation.
        bootstrap: this.chain.origins.get(snapshot.address.toLowerCase()),
        block: Number(snapshot.syncedBlock),
        tickets: snapshot.owners.size,
        syncedAt: snapshot.syncedAt,
        ageMs,
        rpcReachable: !offline,
        // New heads announced over the node's WebSocket: a scan need not wait for a slow head read.
        headsFollowed: this.chain.headsFollowed,
        // Offline: the gate keeps admitting from this snapshot, and says so.
        offline,
        lastError: offline ? this.chain.lastError : undefined,
      },
      cancelled: snapshot.cancelled,
      // Before this the contract refuses check-ins, so the gate refuses passes (door-not-open).
      checkInOpensAt: snapshot.checkInOpensAt,
      doorOpen: Math.floor(Date.now() / 1000) >= snapshot.checkInOpensAt,
      ledger: counts,
      // Shared for a second (usedTickets): this count lags the door by at most that.
      entered: used.count,
    };
  }

  /**
   * The event's used tickets: admitted by these gates or checked in on chain some other way
   * (another gate server, a direct checkIn), each once: the scanners' "tickets in", and the
   * offline copy's used ids. Every scanner polls the status, so they are computed at most once a
   * second per event, by the chain worker (chain-worker.ts): late in a stadium event that is 50-100
   * ms of reading and merging ids that this thread would spend between scans. When the worker
   * cannot answer (it has not opened the event, or is busy or restarting), here.
   */
  usedTickets(snapshot: EventSnapshot): Promise<UsedTickets> {
    return this.used.get(snapshot.address.toLowerCase(), () =>
      this.chain
        .usedTickets(snapshot.address, WORKER_TIMEOUT_MS)
        .catch(() => undefined)
        .then((fromWorker) => fromWorker ?? readUsedTickets(this.ledger, snapshot.address, snapshot.checkedInOnChain)),
    );
  }

  /**
   * The ledger's counts of the event, current (a scanner asks for the status again after each of
   * its scans, and shows them): a few rows the ledger's triggers keep, read on this thread (they
   * were an aggregate over the admissions, 9-12 ms for 40,000, that the chain worker read so as not
   * to block this one). The status requests that come while a read is under way share the next one
   * (NextReads).
   */
  private ledgerCounts(snapshot: EventSnapshot): Promise<AdmissionCounts> {
    const event = snapshot.address;
    return this.counts.read(event.toLowerCase(), () => this.ledger.counts(event));
  }
}
