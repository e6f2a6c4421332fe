// The gate: per event, a snapshot followed from the chain, and the scan: verify the pass
// (lib/pass), then admit it once in the ledger.
import { getAddress, type Address, type Hex } from "viem";

import { DelegationCache, verifyPass, type RefusalReason } from "../../lib/pass/index.js";
import type { PublicClient } from "../chain.js";
import type { ServerConfig } from "../config.js";
import type { AdmissionLedger } from "./ledger.js";
import { ChainFollower, EventSnapshot, type TicketFacts } from "./snapshot.js";

export type ScanOutcome =
  | { verdict: "admit"; ticket: TicketFacts; holder: Address; admittedAt: number }
  | { verdict: "refuse"; reason: RefusalReason | "event-cancelled"; message: string; ticket?: TicketFacts };

const ERC1271_ABI = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [
      { name: "hash", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bytes4" }],
  },
] as const;

export class GateService {
  readonly follower: ChainFollower;
  private readonly snapshots = new Map<string, EventSnapshot>();
  private readonly delegations = new DelegationCache();
  private readonly enteredCache = new Map<string, { at: number; value: number }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: ServerConfig,
    private readonly client: PublicClient,
    readonly ledger: AdmissionLedger,
  ) {
    this.follower = new ChainFollower(client, config.factory, config.factoryStartBlock, config.gate.logRange);
  }

  /** The event's snapshot, synced once; undefined if the factory never created it. */
  async event(address: string): Promise<EventSnapshot | undefined> {
    const id = address.toLowerCase();
    const known = this.snapshots.get(id);
    if (known) return known;
    if (!this.follower.events.has(id)) await this.follower.syncFactory();
    const created = this.follower.events.get(id);
    if (!created) return undefined;
    const snapshot = new EventSnapshot(created.address, created.createdAtBlock);
    snapshot.start = created.start;
    snapshot.end = created.end;
    await this.follower.syncEvent(snapshot);
    this.snapshots.set(id, snapshot);
    return snapshot;
  }

  /** Follows the chain for every event the gate has seen. */
  startFollowing() {
    // syncEvent records its own failures on the snapshot; the loop always reschedules.
    const loop = async () => {
      try {
        for (const snapshot of this.snapshots.values()) await this.follower.syncEvent(snapshot);
      } finally {
        this.timer = setTimeout(() => void loop(), this.config.gate.snapshotIntervalMs);
      }
    };
    this.timer = setTimeout(() => void loop(), this.config.gate.snapshotIntervalMs);
  }

  stopFollowing() {
    clearTimeout(this.timer);
  }

  async scan(snapshot: EventSnapshot, passText: string, staff: Address, now = Math.floor(Date.now() / 1000)): Promise<ScanOutcome> {
    if (snapshot.cancelled) return { verdict: "refuse", reason: "event-cancelled", message: "The event was cancelled" };
    const event = snapshot.address;
    const verdict = await verifyPass(passText, {
      chainId: BigInt(this.config.chainId),
      ticket: event,
      now,
      maxFrameAge: this.config.gate.maxFrameAge,
      maxClockSkew: this.config.gate.maxClockSkew,
      ownerOf: (tokenId) => snapshot.owners.get(tokenId),
      // On chain, or admitted at this gate; an admission at another gate not yet on chain is
      // caught by the ledger's atomic insert below, so no query is needed here.
      isCheckedIn: (tokenId) => snapshot.checkedInOnChain.has(tokenId) || this.ledger.admittedByThisGate(event, tokenId),
      entryWindow: (tokenId) => snapshot.entryWindow(tokenId),
      isDenied: (account) => snapshot.isDenied(account),
      isValidContractSignature: (holder, digest, signature) => this.isValidContractSignature(holder, digest, signature),
      cache: this.delegations,
    });
    if (!verdict.ok) {
      return {
        verdict: "refuse",
        reason: verdict.reason,
        message: verdict.detail,
        ticket: verdict.tokenId !== undefined && snapshot.owners.has(verdict.tokenId) ? snapshot.facts(verdict.tokenId) : undefined,
      };
    }
    // The atomic step: of two gates admitting the same ticket now, one insert wins.
    if (!this.ledger.tryAdmit(event, verdict.tokenId, staff, verdict.holder, now)) {
      return { verdict: "refuse", reason: "already-used", message: `ticket ${verdict.tokenId} was just admitted at another gate`, ticket: snapshot.facts(verdict.tokenId) };
    }
    return { verdict: "admit", ticket: snapshot.facts(verdict.tokenId), holder: getAddress(verdict.holder), admittedAt: now };
  }

  private async isValidContractSignature(holder: Address, digest: Hex, signature: Hex) {
    const code = await this.client.getCode({ address: holder });
    if (!code || code === "0x") return false;
    const magic = await this.client
      .readContract({ address: holder, abi: ERC1271_ABI, functionName: "isValidSignature", args: [digest, signature] })
      .catch(() => "0x");
    return magic === "0x1626ba7e";
  }

  status(snapshot: EventSnapshot) {
    const ageMs = snapshot.syncedAt === undefined ? undefined : Date.now() - snapshot.syncedAt;
    return {
      event: snapshot.address,
      snapshot: {
        source: "chain",
        block: Number(snapshot.syncedBlock),
        tickets: snapshot.owners.size,
        syncedAt: snapshot.syncedAt,
        ageMs,
        rpcReachable: this.follower.rpcReachable,
        // Offline: the gate keeps admitting from this snapshot, and says so.
        offline: !this.follower.rpcReachable,
        lastError: snapshot.lastError,
      },
      cancelled: snapshot.cancelled,
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
