// What the gate knows about each event, followed from the chain's logs: who owns each ticket,
// which tickets were checked in on chain, tier names and entry windows, seat maps, the deny list
// and the GATE role holders. Kept in memory; when the RPC is unreachable the gate goes on from the
// last snapshot and says how old it is.
import { getAbiItem, keccak256, toHex, type AbiEvent, type Address, type Log } from "viem";

import { chainpassEventAbi, ticketFactoryAbi } from "../../lib/abi/index.js";
import { seatLabel, type SeatBlock } from "../../lib/seats.js";
import type { PublicClient } from "../chain.js";

export const GATE_ROLE = keccak256(toHex("GATE_ROLE"));

const EVENT_NAMES = [
  "Transfer",
  "CheckedIn",
  "TierAdded",
  "TierUpdated",
  "TierOptionsSet",
  "SeatMapSet",
  "DenyListUpdated",
  "RoleGranted",
  "RoleRevoked",
  "EventCancelled",
  "EventRescheduled",
] as const;
const SNAPSHOT_EVENTS = EVENT_NAMES.map((name) => getAbiItem({ abi: chainpassEventAbi, name })) as AbiEvent[];
const EVENT_CREATED = getAbiItem({ abi: ticketFactoryAbi, name: "EventCreated" }) as AbiEvent;

const TOKENS_PER_TIER = 1_000_000n;
const key = (address: string) => address.toLowerCase();

interface TierInfo {
  name: string;
  entryStart: number;
  entryEnd: number;
  seatMap?: SeatBlock[];
}

export interface TicketFacts {
  tokenId: bigint;
  tierId: number;
  tier?: string;
  seat?: string;
  entryStart?: number;
  entryEnd?: number;
}

type DecodedLog = Log & { eventName: string; args: Record<string, unknown> };

export class EventSnapshot {
  readonly owners = new Map<bigint, Address>();
  readonly checkedInOnChain = new Set<bigint>();
  readonly tiers = new Map<number, TierInfo>();
  readonly denied = new Set<string>();
  readonly gates = new Set<string>();
  cancelled = false;
  start = 0;
  end = 0;
  /** Every log up to and including this block is applied. */
  syncedBlock: bigint;
  syncedAt?: number;
  lastError?: string;

  constructor(
    readonly address: Address,
    readonly createdAtBlock: bigint,
  ) {
    this.syncedBlock = createdAtBlock - 1n;
  }

  /** One handler per contract event, as in the index. */
  apply(log: DecodedLog) {
    const a = log.args;
    switch (log.eventName) {
      case "Transfer": {
        const tokenId = a.tokenId as bigint;
        if (BigInt(a.to as string) === 0n) this.owners.delete(tokenId);
        else this.owners.set(tokenId, a.to as Address);
        break;
      }
      case "CheckedIn":
        this.checkedInOnChain.add(a.tokenId as bigint);
        break;
      case "TierAdded":
      case "TierUpdated": {
        const tierId = Number(a.tierId);
        const known = this.tiers.get(tierId);
        this.tiers.set(tierId, { entryStart: 0, entryEnd: 0, ...known, name: a.name as string });
        break;
      }
      case "TierOptionsSet": {
        const tier = this.tiers.get(Number(a.tierId));
        if (tier) Object.assign(tier, { entryStart: Number(a.entryStart), entryEnd: Number(a.entryEnd) });
        break;
      }
      case "SeatMapSet": {
        const tier = this.tiers.get(Number(a.tierId));
        const blocks = a.blocks as readonly { section: `0x${string}`; firstRow: number; rows: number; firstSeat: number; seatsPerRow: number; letteredRows: boolean }[];
        if (tier) tier.seatMap = blocks.map((b) => ({ ...b }));
        break;
      }
      case "DenyListUpdated":
        if (a.denied) this.denied.add(key(a.account as string));
        else this.denied.delete(key(a.account as string));
        break;
      case "RoleGranted":
        if (a.role === GATE_ROLE) this.gates.add(key(a.account as string));
        break;
      case "RoleRevoked":
        if (a.role === GATE_ROLE) this.gates.delete(key(a.account as string));
        break;
      case "EventCancelled":
        this.cancelled = true;
        break;
      case "EventRescheduled":
        this.start = Number(a.start);
        this.end = Number(a.end);
        break;
    }
  }

  isGate(account: Address) {
    return this.gates.has(key(account));
  }

  isDenied(account: Address) {
    return this.denied.has(key(account));
  }

  facts(tokenId: bigint): TicketFacts {
    const tierId = Number(tokenId / TOKENS_PER_TIER);
    const tier = this.tiers.get(tierId);
    const serial = Number(tokenId % TOKENS_PER_TIER);
    return {
      tokenId,
      tierId,
      tier: tier?.name,
      seat: tier?.seatMap ? seatLabel(tier.seatMap, serial) : undefined,
      entryStart: tier?.entryEnd ? tier.entryStart : undefined,
      entryEnd: tier?.entryEnd ? tier.entryEnd : undefined,
    };
  }

  entryWindow(tokenId: bigint) {
    const tier = this.tiers.get(Number(tokenId / TOKENS_PER_TIER));
    return tier?.entryEnd ? { start: tier.entryStart, end: tier.entryEnd } : undefined;
  }
}

function byChainOrder(a: Log, b: Log) {
  return a.blockNumber! === b.blockNumber! ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1;
}

export interface KnownEvent {
  address: Address;
  createdAtBlock: bigint;
  start: number;
  end: number;
}

/**
 * Follows the factory (which events exist) and each event's logs. `sync` reads every log since
 * the last one applied, in block ranges; a failure leaves the snapshot as it was.
 */
export class ChainFollower {
  readonly events = new Map<string, KnownEvent>();
  private factorySyncedBlock: bigint;
  rpcReachable = true;
  lastError?: string;

  constructor(
    private readonly client: PublicClient,
    private readonly factory: Address,
    factoryStartBlock: bigint,
    private readonly range: bigint,
  ) {
    this.factorySyncedBlock = factoryStartBlock - 1n;
  }

  private async logsBetween<T>(fromBlock: bigint, toBlock: bigint, fetch: (from: bigint, to: bigint) => Promise<T[]>) {
    const logs: T[] = [];
    for (let from = fromBlock; from <= toBlock; from += this.range) {
      const to = from + this.range - 1n < toBlock ? from + this.range - 1n : toBlock;
      logs.push(...(await this.splitting(from, to, fetch)));
    }
    return logs;
  }

  /** A range with too many logs (the node refuses or times out) is read again in halves. */
  private async splitting<T>(from: bigint, to: bigint, fetch: (from: bigint, to: bigint) => Promise<T[]>): Promise<T[]> {
    try {
      return await fetch(from, to);
    } catch (error) {
      if (from === to) throw error;
      const middle = (from + to) / 2n;
      return [...(await this.splitting(from, middle, fetch)), ...(await this.splitting(middle + 1n, to, fetch))];
    }
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      this.rpcReachable = true;
      this.lastError = undefined;
      return result;
    } catch (error) {
      this.rpcReachable = false;
      this.lastError = (error as Error).message.split("\n")[0];
      return undefined;
    }
  }

  /** Learns about events created since the last call. */
  async syncFactory(): Promise<boolean> {
    const done = await this.guarded(async () => {
      const head = await this.client.getBlockNumber();
      const logs = await this.logsBetween(this.factorySyncedBlock + 1n, head, (fromBlock, toBlock) =>
        this.client.getLogs({ address: this.factory, event: EVENT_CREATED, fromBlock, toBlock }),
      );
      for (const log of logs as unknown as DecodedLog[]) {
        const params = log.args.params as { start: number; end: number };
        const address = log.args.ticket as Address;
        this.events.set(key(address), { address, createdAtBlock: log.blockNumber!, start: Number(params.start), end: Number(params.end) });
      }
      this.factorySyncedBlock = head;
      return true;
    });
    return done ?? false;
  }

  /** Brings `snapshot` up to the chain head. Returns false (and keeps the snapshot) on failure. */
  async syncEvent(snapshot: EventSnapshot): Promise<boolean> {
    const done = await this.guarded(async () => {
      const head = await this.client.getBlockNumber();
      if (head <= snapshot.syncedBlock) return true;
      const logs = await this.logsBetween(snapshot.syncedBlock + 1n, head, (fromBlock, toBlock) =>
        this.client.getLogs({ address: snapshot.address, events: SNAPSHOT_EVENTS, fromBlock, toBlock, strict: true }),
      );
      for (const log of (logs as unknown as DecodedLog[]).sort(byChainOrder)) snapshot.apply(log);
      snapshot.syncedBlock = head;
      snapshot.syncedAt = Date.now();
      return true;
    });
    snapshot.lastError = done ? undefined : this.lastError;
    return done ?? false;
  }
}
