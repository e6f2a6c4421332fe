// Runs the compiled subgraph (`graph build`'s WASM modules, subgraph/build) in Node, the way
// graph-node runs it, against logs the caller reads from a chain: the host functions the mappings
// import (store, ethereum values, BigInt/BigDecimal arithmetic, type conversions, keccak256,
// logging, data source templates), an entity store checked against schema.graphql, and
// graph-node's order of work.
//
// Where it follows graph-node (runtime/wasm, core/subgraph):
// - a fresh instance of the module for every trigger (the stub runtime never frees memory);
// - triggers of a block in log order; data sources created in a block then process that same
//   block's logs that match them (all of them, in log order), and so on until none is created;
// - `store.set` replaces the whole entity and is refused when a field is undeclared, mistyped
//   or a non-null field is missing; derived fields are never stored, `store.loadRelated` finds
//   them; an immutable entity cannot be saved twice;
// - `log.critical` and `abort` fail the handler, which fails the subgraph.
// Where it does not: no block or call handlers, no `ethereum.call` (the mappings never call
// contracts), no IPFS or JSON host functions (not imported), no Postgres: the store is in
// memory; the block and transaction carry what a log and its block header give (hash, number,
// timestamp, parent hash; transaction hash and index; other fields zero).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { decodeEventLog, keccak256, toEventSelector, type Abi, type AbiEvent, type Hex, type Log } from "viem";
import { parse as parseYaml } from "yaml";

import { AscMemory } from "./asc.js";
import { parseSchema, type EntityModel, type IndexSchema } from "../indexer/schema.js";
import { invalidEntity } from "./entity-checks.js";
import { bigDecimalToString, newBigInt, newEntity, newEthereumValue, readBigInt, readEntity, type Entity } from "./values.js";

/** What a mapping sees of the block a log is in. */
export interface BlockInfo {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

interface Kind {
  name: string;
  module: WebAssembly.Module;
  abi: Abi;
  /** Handler export name by topic0, with the ABI event to decode it. */
  handlers: Map<Hex, { handler: string; event: AbiEvent }>;
}

interface DataSource {
  kind: Kind;
  address: string;
  startBlock: bigint;
}

export class SubgraphError extends Error {}

export class SubgraphRunner {
  readonly schema: IndexSchema;
  /** The entity store: type → id → fields. */
  readonly store = new Map<string, Map<string, Entity>>();
  /** Handlers run so far. */
  triggers = 0;
  /** What the mappings logged, for tests and diagnostics. */
  readonly logs: { level: number; message: string }[] = [];
  private readonly templates = new Map<string, Kind>();
  private readonly sources: DataSource[] = [];
  /** Data sources created by the trigger running now. */
  private created: DataSource[] = [];

  constructor(buildDir: string) {
    const manifest = parseYaml(readFileSync(join(buildDir, "subgraph.yaml"), "utf8")) as Manifest;
    this.schema = parseSchema(readFileSync(join(buildDir, manifest.schema.file), "utf8"));
    const kind = (source: ManifestSource): Kind => {
      const abiFile = source.mapping.abis.find((a) => a.name === source.source.abi)!.file;
      const abi = JSON.parse(readFileSync(join(buildDir, abiFile), "utf8")) as Abi;
      const handlers = new Map<Hex, { handler: string; event: AbiEvent }>();
      for (const { event: signature, handler } of source.mapping.eventHandlers ?? []) {
        const canonical = signature.replace(/indexed\s+/g, "").replace(/\s+/g, "");
        const topic = toEventSelector(canonical);
        const event = abi.find((item): item is AbiEvent => item.type === "event" && toEventSelector(item) === topic);
        if (!event) throw new Error(`${source.name}: no event ${canonical} in its ABI`);
        handlers.set(topic, { handler, event });
      }
      return { name: source.name, module: new WebAssembly.Module(readFileSync(join(buildDir, source.mapping.file))), abi, handlers };
    };
    for (const source of manifest.dataSources) {
      this.sources.push({ kind: kind(source), address: source.source.address!.toLowerCase(), startBlock: BigInt(source.source.startBlock ?? 0) });
    }
    for (const template of manifest.templates ?? []) this.templates.set(template.name, kind(template));
  }

  /** The data sources followed now: the manifest's and those created since. */
  get addresses(): { name: string; address: string }[] {
    return this.sources.map((s) => ({ name: s.kind.name, address: s.address }));
  }

  /**
   * One block's logs (of any contracts), in log order. Logs no data source follows are ignored;
   * new data sources then take the block's logs that are theirs.
   */
  processBlock(block: BlockInfo, logs: Log[]) {
    const ordered = [...logs].sort((a, b) => Number(a.logIndex) - Number(b.logIndex));
    let sources = this.sources.filter((s) => s.startBlock <= block.number);
    while (sources.length) {
      const createdHere: DataSource[] = [];
      for (const log of ordered) {
        for (const source of sources) {
          if (source.address !== log.address.toLowerCase()) continue;
          const target = source.kind.handlers.get(log.topics[0] as Hex);
          if (!target) continue;
          this.created = [];
          this.triggers++;
          this.runTrigger(source.kind, target.handler, target.event, block, log);
          createdHere.push(...this.created);
        }
      }
      this.sources.push(...createdHere);
      sources = createdHere;
    }
  }

  /** The entities of one type, by id. */
  entities(type: string): Map<string, Entity> {
    return this.store.get(type) ?? new Map();
  }

  private model(type: string): EntityModel {
    const model = this.schema.entities.get(type);
    if (!model) throw new SubgraphError(`unknown entity type ${type}`);
    return model;
  }

  private runTrigger(kind: Kind, handler: string, event: AbiEvent, block: BlockInfo, log: Log) {
    // The host functions need the memory of the instance they are imported into.
    const holder: { memory?: AscMemory } = {};
    const instance = new WebAssembly.Instance(kind.module, this.imports(() => holder.memory!));
    const exports = instance.exports as unknown as ConstructorParameters<typeof AscMemory>[0] & Record<string, (ptr: number) => void> & { _start?: () => void };
    const memory = (holder.memory = new AscMemory(exports));
    exports._start?.();
    const decoded = decodeEventLog({ abi: [event], data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: true });
    const args = decoded.args as unknown as Record<string, unknown> | unknown[];
    const parameters = event.inputs.map((input, i) => {
      const value = Array.isArray(args) ? args[i] : args[input.name ?? String(i)];
      return memory.newObject([memory.newString(input.name ?? ""), newEthereumValue(memory, input, value)], "EventParam");
    });
    const ptr = memory.newObject(
      [
        memory.newBytes(hexBytes(log.address)),
        newBigInt(memory, BigInt(log.logIndex!)),
        newBigInt(memory, BigInt(log.logIndex!)), // transactionLogIndex: graph-node fills it with the log index too
        0, // logType: null
        this.newBlock(memory, block),
        this.newTransaction(memory, log),
        memory.newArray(parameters, "ArrayEventParam"),
        0, // receipt: not requested by the manifest
      ],
      "EthereumEvent",
    );
    try {
      exports[handler](ptr);
    } catch (error) {
      throw new SubgraphError(`${kind.name}.${handler} failed at block ${block.number} log ${log.logIndex}: ${(error as Error).message}`);
    }
  }

  private newBlock(memory: AscMemory, block: BlockInfo): number {
    const zero32 = memory.newBytes(new Uint8Array(32));
    const zero = newBigInt(memory, 0n);
    return memory.newObject(
      [
        memory.newBytes(hexBytes(block.hash)),
        memory.newBytes(hexBytes(block.parentHash)),
        zero32, // unclesHash
        memory.newBytes(new Uint8Array(20)), // author
        zero32, // stateRoot
        zero32, // transactionsRoot
        zero32, // receiptsRoot
        newBigInt(memory, block.number),
        zero, // gasUsed
        zero, // gasLimit
        newBigInt(memory, block.timestamp),
        zero, // difficulty
        zero, // totalDifficulty
        0, // size: null
        0, // baseFeePerGas: null
      ],
      "EthereumBlock",
    );
  }

  private newTransaction(memory: AscMemory, log: Log): number {
    const zero = newBigInt(memory, 0n);
    return memory.newObject(
      [
        memory.newBytes(hexBytes(log.transactionHash!)),
        newBigInt(memory, BigInt(log.transactionIndex ?? 0)),
        memory.newBytes(new Uint8Array(20)), // from: not in a log
        0, // to: null
        zero, // value
        zero, // gasLimit
        zero, // gasPrice
        memory.newBytes(new Uint8Array(0)), // input
        zero, // nonce
      ],
      "EthereumTransaction",
    );
  }

  // ------------------------------------------------------------------ host functions

  private imports(mem: () => AscMemory): WebAssembly.Imports {
    const str = (ptr: number) => mem().string(ptr);
    const big = (ptr: number) => readBigInt(mem(), ptr);
    const newBig = (value: bigint) => newBigInt(mem(), value);
    const table = (type: string) => {
      let entities = this.store.get(type);
      if (!entities) this.store.set(type, (entities = new Map()));
      return entities;
    };
    return {
      env: {
        abort: (message: number, file: number, line: number, column: number) => {
          throw new SubgraphError(`abort: ${message ? str(message) : "(no message)"} at ${file ? str(file) : "?"}:${line}:${column}`);
        },
      },
      index: {
        "store.get": (type: number, id: number) => {
          this.model(str(type));
          const entity = this.store.get(str(type))?.get(str(id));
          return entity ? newEntity(mem(), entity) : 0;
        },
        "store.set": (typePtr: number, idPtr: number, data: number) => {
          const type = str(typePtr);
          const id = str(idPtr);
          const entity = readEntity(mem(), data);
          const model = this.model(type);
          const reason = invalidEntity(model, id, entity);
          if (reason) throw new SubgraphError(`store.set refused: ${reason}`);
          const stored = entity.get("id");
          const storedId = stored && "value" in stored ? String(stored.value) : undefined;
          if (storedId !== id) throw new SubgraphError(`store.set refused: ${type} ${id} has id ${storedId}`);
          const entities = table(type);
          if (model.immutable && entities.has(id)) throw new SubgraphError(`store.set refused: ${type} ${id} is immutable and exists`);
          // Fields set to null are not stored (graph-node stores NULL; both read back as absent).
          entities.set(id, new Map([...entity].filter(([, value]) => value.kind !== "Null")));
        },
        "store.remove": (type: number, id: number) => {
          this.model(str(type));
          this.store.get(str(type))?.delete(str(id));
        },
        "store.loadRelated": (typePtr: number, idPtr: number, fieldPtr: number) => {
          const type = str(typePtr);
          const id = str(idPtr);
          const field = this.model(type).field.get(str(fieldPtr));
          if (!field?.derivedFrom || !field.entity) throw new SubgraphError(`store.loadRelated: ${type}.${str(fieldPtr)} is not a derived field`);
          const back = field.derivedFrom;
          const related = [...this.entities(field.entity).values()].filter((entity) => {
            const value = entity.get(back);
            if (!value || value.kind === "Null") return false;
            if (value.kind === "Array") return value.value.some((item) => "value" in item && String(item.value) === id);
            return "value" in value && String(value.value) === id;
          });
          return mem().newArray(
            related.map((entity) => newEntity(mem(), entity)),
            "ArrayTypedMapEntryStringStoreValue",
          );
        },
        "crypto.keccak256": (bytes: number) => mem().newBytes(hexBytes(keccak256(mem().typedBytes(bytes)))),
        "log.log": (level: number, message: number) => {
          const text = str(message);
          this.logs.push({ level, message: text });
          if (level === 0) throw new SubgraphError(`log.critical: ${text}`);
        },
      },
      conversion: {
        "typeConversion.bigIntToString": (ptr: number) => mem().newString(big(ptr).toString()),
        "typeConversion.bytesToHex": (ptr: number) => mem().newString(`0x${Buffer.from(mem().typedBytes(ptr)).toString("hex")}`),
        // graph-node: lossy UTF-8, trailing NULs trimmed.
        "typeConversion.bytesToString": (ptr: number) => mem().newString(Buffer.from(mem().typedBytes(ptr)).toString("utf8").replace(/\0+$/, "")),
      },
      numbers: {
        "bigInt.plus": (a: number, b: number) => newBig(big(a) + big(b)),
        "bigInt.minus": (a: number, b: number) => newBig(big(a) - big(b)),
        "bigInt.times": (a: number, b: number) => newBig(big(a) * big(b)),
        "bigInt.dividedBy": (a: number, b: number) => {
          const divisor = big(b);
          if (divisor === 0n) throw new SubgraphError("attempted to divide BigInt by zero");
          return newBig(big(a) / divisor);
        },
        "bigInt.mod": (a: number, b: number) => {
          const divisor = big(b);
          if (divisor === 0n) throw new SubgraphError("attempted to calculate the remainder of a BigInt division by zero");
          return newBig(big(a) % divisor);
        },
        "bigDecimal.toString": (ptr: number) => mem().newString(bigDecimalToString(big(mem().u32(ptr)), big(mem().u32(ptr + 4)))),
      },
      datasource: {
        "dataSource.create": (namePtr: number, params: number) => {
          const name = str(namePtr);
          const kind = this.templates.get(name);
          if (!kind) throw new SubgraphError(`dataSource.create: no template ${name}`);
          const [address] = mem().array(params).map(str);
          this.created.push({ kind, address: address.toLowerCase(), startBlock: 0n });
        },
      },
    };
  }
}

const hexBytes = (hex: string) => Buffer.from(hex.slice(2), "hex");

interface ManifestSource {
  name: string;
  source: { address?: string; abi: string; startBlock?: number };
  mapping: { file: string; abis: { name: string; file: string }[]; eventHandlers?: { event: string; handler: string }[] };
}

interface Manifest {
  schema: { file: string };
  dataSources: ManifestSource[];
  templates?: ManifestSource[];
}

/** subgraph/build beside this repository's root. */
export const SUBGRAPH_BUILD = join(dirname(new URL(import.meta.url).pathname), "../../subgraph/build");
