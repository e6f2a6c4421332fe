// Follows the chain: reads the logs of the factory, of the membership programs' contract and of
// every event contract in block ranges,
// applies them through the handlers, and moves the cursor, all in one SQLite transaction per
// chunk of blocks. Blocks within `reorgDepth` of the head may still be replaced: for those every
// header is read, the parent hashes are checked link by link, and each block's entity changes go
// to the undo journal, so that a reorg rolls the index back to the common ancestor.
import { toHex, type Address, type Hex } from "viem";

import type { PublicClient } from "../chain.js";
import { transaction, type Database } from "../db.js";
import type { BlockRef, DataSource, IndexIdentity, Journal } from "./journal.js";
import { byChainOrder, logBlock, LogDecoder, type BlockHeader, type RpcLog } from "./logs.js";
import type { HandlerStore, TemplateName } from "./mapping.js";
import { manifest } from "./manifest.js";
import type { EntityStore } from "./store.js";

export interface FollowerOptions {
  factory: Address;
  /** ChainpassMembership, if the platform has one: followed from `startBlock` like the factory. */
  membership?: Address;
  startBlock: bigint;
  /** Blocks per eth_getLogs request (halved on a node's refusal). */
  range: bigint;
  /** Blocks behind the head that a reorg may still replace: journaled for rollback. */
  reorgDepth: bigint;
  /** Logs applied per SQLite transaction before yielding to queries. */
  logsPerTransaction: number;
  /** Block headers requested at once. */
  headerConcurrency: number;
  /** Where reorgs and restarts are reported. */
  log: (message: string) => void;
}

/** A handler threw: a bug in the mappings (or the contracts), not a network problem. */
export class HandlerError extends Error {}

/** The chain changed while a range was being read: read it again. */
class ChainMoved extends Error {}

/** Handlers created data sources whose logs were not read yet. */
class MissingSources extends Error {
  constructor(readonly sources: DataSource[]) {
    super("new data sources");
  }
}

interface Unit {
  header: BlockHeader;
  logs: RpcLog[];
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
/** A data source follows its contract from the log that created it on (EventCreated precedes the clone's own logs). */
const after = (log: RpcLog, source: DataSource) => logBlock(log) > source.block || (logBlock(log) === source.block && Number(log.logIndex) > source.logIndex);

export class ChainFollower {
  private readonly factory: Hex;
  private readonly membership?: Hex;
  /** The data sources at fixed addresses (subgraph.yaml `dataSources`), by address. */
  private readonly staticDecoders = new Map<Hex, LogDecoder>();
  private readonly templateDecoders = new Map(Object.entries(manifest.templates).map(([name, kind]) => [name, new LogDecoder(kind)]));
  private readonly topics: Hex[];
  /** Logs applied since this process started (for throughput figures). */
  logsApplied = 0;

  constructor(
    private readonly db: Database,
    private readonly store: EntityStore,
    private readonly journal: Journal,
    private readonly client: PublicClient,
    private readonly options: FollowerOptions,
  ) {
    this.factory = options.factory.toLowerCase() as Hex;
    this.staticDecoders.set(this.factory, new LogDecoder(manifest.dataSources.TicketFactory));
    if (options.membership) {
      this.membership = options.membership.toLowerCase() as Hex;
      this.staticDecoders.set(this.membership, new LogDecoder(manifest.dataSources.ChainpassMembership));
    }
    this.topics = [...new Set([...this.staticDecoders.values(), ...this.templateDecoders.values()].flatMap((d) => d.topics()))];
  }

  get identity(): IndexIdentity {
    return { schemaHash: this.store.schema.hash, factory: this.factory, ...(this.membership ? { membership: this.membership } : {}), startBlock: this.options.startBlock };
  }

  /** Indexes up to the current head, or until `stopping()` says so (between transactions). */
  async sync(stopping: () => boolean = () => false): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.client.getBlockNumber();
      await this.followReorg();
      try {
        for (let from = this.nextBlock(); from <= head && !stopping(); from = this.nextBlock()) {
          await this.indexRange(from, min(head, from + this.options.range - 1n), head, stopping);
        }
        return;
      } catch (error) {
        if (!(error instanceof ChainMoved) || attempt >= 5) throw error;
      }
    }
  }

  private nextBlock(): bigint {
    const cursor = this.journal.cursor();
    return cursor ? cursor.number + 1n : this.options.startBlock;
  }

  // ---------------------------------------------------------------- reorgs

  /** If the cursor's block is no longer on the chain, rolls back to the newest journaled block that is. */
  private async followReorg() {
    const cursor = this.journal.cursor();
    if (!cursor) return;
    if ((await this.header(cursor.number))?.hash === cursor.hash) return;
    for (const block of this.journal.recentBlocks()) {
      if (block.number >= cursor.number) continue;
      if ((await this.header(block.number))?.hash === block.hash) {
        transaction(this.db, () => this.journal.rollbackTo(block));
        this.options.log(`reorg: rolled back from block ${cursor.number} to block ${block.number}`);
        return;
      }
    }
    // Deeper than the journal reaches (or a new chain, such as a restarted local node).
    transaction(this.db, () => this.journal.wipe());
    this.options.log(
      `block ${cursor.number} left the chain beyond the ${this.options.reorgDepth}-block journal: indexing again from block ${this.options.startBlock}`,
    );
  }

  // ---------------------------------------------------------------- reading the chain

  private async header(number: bigint): Promise<BlockHeader | undefined> {
    const block = (await this.client.request({ method: "eth_getBlockByNumber", params: [toHex(number), false] })) as {
      hash: Hex;
      parentHash: Hex;
      timestamp: Hex;
    } | null;
    return block ? { number, hash: block.hash, parentHash: block.parentHash, timestamp: BigInt(block.timestamp) } : undefined;
  }

  private async addHeaders(headers: Map<bigint, BlockHeader>, numbers: bigint[]) {
    const missing = numbers.filter((n) => !headers.has(n));
    for (let i = 0; i < missing.length; i += this.options.headerConcurrency) {
      const batch = await Promise.all(missing.slice(i, i + this.options.headerConcurrency).map((n) => this.header(n)));
      for (const [j, header] of batch.entries()) {
        if (!header) throw new ChainMoved(`block ${missing[i + j]} is gone`);
        headers.set(header.number, header);
      }
    }
  }

  /** The subscribed logs of `addresses` in [from, to]; a range the node refuses is read in halves. */
  private async logs(addresses: Hex[], from: bigint, to: bigint): Promise<RpcLog[]> {
    try {
      return (await this.client.request({
        method: "eth_getLogs",
        params: [{ address: addresses, topics: [this.topics], fromBlock: toHex(from), toBlock: toHex(to) }],
      })) as RpcLog[];
    } catch (error) {
      if (to <= from) throw error;
      const middle = from + (to - from) / 2n;
      return [...(await this.logs(addresses, from, middle)), ...(await this.logs(addresses, middle + 1n, to))];
    }
  }

  /**
   * A final block's logs say all the index needs of it when the node sends their blockTimestamp:
   * its hash and time. Blocks a reorg may still replace are always read whole, for their parent hash.
   */
  private headersFromLogs(logs: RpcLog[], headers: Map<bigint, BlockHeader>, finalUpTo: bigint) {
    for (const log of logs) {
      const number = logBlock(log);
      if (number > finalUpTo || headers.has(number) || log.blockTimestamp === undefined) continue;
      headers.set(number, { number, hash: log.blockHash, timestamp: BigInt(log.blockTimestamp) });
    }
  }

  /** The blocks of a range to apply: those with logs, the last one, and every block a reorg may still replace. */
  private blocksToRead(logs: RpcLog[], from: bigint, to: bigint, finalUpTo: bigint): bigint[] {
    const blocks = new Set<bigint>(logs.map(logBlock));
    blocks.add(to);
    for (let n = max(from, finalUpTo + 1n); n <= to; n++) blocks.add(n);
    return [...blocks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Logs and headers must describe one chain, continuing from the cursor. */
  private checkConsistent(logs: RpcLog[], headers: Map<bigint, BlockHeader>, blocks: bigint[]) {
    for (const log of logs) {
      if (headers.get(logBlock(log))?.hash !== log.blockHash) throw new ChainMoved(`log of block ${log.blockNumber} from another chain`);
    }
    const cursor = this.journal.cursor();
    let previous: BlockRef | undefined = cursor;
    for (const n of blocks) {
      const header = headers.get(n)!;
      if (previous && previous.number === n - 1n && header.parentHash !== undefined && header.parentHash !== previous.hash) {
        throw new ChainMoved(`block ${n} does not follow block ${previous.number}`);
      }
      previous = header;
    }
  }

  // ---------------------------------------------------------------- applying

  private async indexRange(from: bigint, to: bigint, head: bigint, stopping: () => boolean) {
    const finalUpTo = head - this.options.reorgDepth;
    const read = new Set<Hex>([...this.staticDecoders.keys(), ...this.journal.dataSources().map((s) => s.address)]);
    let logs = (await this.logs([...read], from, to)).sort(byChainOrder);
    const headers = new Map<bigint, BlockHeader>();
    let blocks = this.blocksToRead(logs, from, to, finalUpTo);
    this.headersFromLogs(logs, headers, finalUpTo);
    await this.addHeaders(headers, blocks);
    this.checkConsistent(logs, headers, blocks);

    let next = 0; // index in `blocks` of the first block not yet committed
    for (;;) {
      try {
        const units = blocks.map((n) => ({ header: headers.get(n)!, logs: [] as RpcLog[] }));
        const unitOf = new Map(units.map((u, i) => [u.header.number, i]));
        for (const log of logs) units[unitOf.get(logBlock(log))!].logs.push(log);
        while (next < units.length && !stopping()) {
          next = this.applyChunk(units, next, from, finalUpTo, read);
          await new Promise((resolve) => setImmediate(resolve)); // let queries in between chunks
        }
        return;
      } catch (error) {
        if (!(error instanceof MissingSources)) throw error;
        // Handlers created event contracts in this range: read their logs from their creation on.
        const sources = error.sources;
        const start = sources.reduce((m, s) => min(m, s.block), to);
        const more = (
          await this.logs(
            sources.map((s) => s.address),
            start,
            to,
          )
        ).filter((log) => sources.some((s) => s.address === log.address.toLowerCase() && after(log, s)));
        for (const s of sources) read.add(s.address);
        logs = [...logs, ...more].sort(byChainOrder);
        const committed = blocks.slice(0, next);
        blocks = [...committed, ...this.blocksToRead(logs, from, to, finalUpTo).filter((n) => n > (committed.at(-1) ?? -1n))];
        this.headersFromLogs(more, headers, finalUpTo);
        await this.addHeaders(headers, blocks);
        this.checkConsistent(more, headers, blocks);
      }
    }
  }

  /** Applies whole blocks from `units[start]` in one transaction, up to about `logsPerTransaction` logs. Returns the next unit. */
  private applyChunk(units: Unit[], start: number, from: bigint, finalUpTo: bigint, read: Set<Hex>): number {
    const sources = new Map(this.journal.dataSources().map((s) => [s.address, s]));
    const missing: DataSource[] = [];
    const handlerStore = this.handlerStore(sources, read, missing);
    let end = start;
    // The block the cursor must be at: another process sharing the database may have indexed these blocks meanwhile.
    const expected = start > 0 ? units[start - 1].header.number : from - 1n;
    try {
      transaction(this.db, () => {
        if ((this.journal.cursor()?.number ?? this.options.startBlock - 1n) !== expected) throw new ChainMoved("the index moved on in another process");
        let applied = 0;
        while (end < units.length && (applied === 0 || applied < this.options.logsPerTransaction)) {
          const { header, logs } = units[end];
          const journaled = header.number > finalUpTo;
          this.store.beginBlock(journaled ? this.journal.recorder(header.number) : undefined);
          for (const log of logs) {
            handlerStore.at(log, header);
            this.dispatch(log, header, sources, handlerStore);
          }
          if (journaled) this.journal.recordBlock(header);
          applied += logs.length;
          end++;
        }
        if (missing.length) throw new MissingSources(missing);
        this.store.flush();
        this.journal.setCursor(units[end - 1].header);
        this.journal.prune(finalUpTo);
        this.logsApplied += applied;
      });
    } finally {
      this.store.clear();
    }
    return end;
  }

  private dispatch(log: RpcLog, header: BlockHeader, sources: Map<Hex, DataSource>, store: HandlerStore) {
    const address = log.address.toLowerCase() as Hex;
    let decoder = this.staticDecoders.get(address);
    if (!decoder) {
      const source = sources.get(address);
      if (!source || !after(log, source)) return;
      decoder = this.templateDecoders.get(source.template)!;
    }
    const decoded = decoder.decode(log, header);
    if (!decoded) return;
    try {
      decoded.handler(decoded.event, store);
    } catch (error) {
      throw new HandlerError(`handler of log ${Number(log.logIndex)} in block ${header.number} (${address}) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** The store as handlers see it: entities, plus data-source creation at the current log. */
  private handlerStore(sources: Map<Hex, DataSource>, read: Set<Hex>, missing: DataSource[]) {
    const { store, journal } = this;
    let position: { log: RpcLog; header: BlockHeader } | undefined;
    return {
      at(log: RpcLog, header: BlockHeader) {
        position = { log, header };
      },
      load: store.load.bind(store),
      save: store.save.bind(store),
      remove: store.remove.bind(store),
      loadDerived: store.loadDerived.bind(store),
      createDataSource(template: TemplateName, address: Hex) {
        const source = { template, address: address.toLowerCase() as Hex, block: position!.header.number, logIndex: Number(position!.log.logIndex) };
        journal.addDataSource(source);
        sources.set(source.address, source);
        if (!read.has(source.address)) missing.push(source);
      },
    } satisfies HandlerStore & { at(log: RpcLog, header: BlockHeader): void };
  }
}
