// Raw JSON-RPC logs to the events handlers receive: matched by topic0 against a data source's
// ABI, decoded with viem's ABI decoder, addresses lowercased as the entities store them.
import { decodeAbiParameters, toEventSelector, type AbiEvent, type AbiParameter, type Hex } from "viem";

import type { ChainEvent, Handler } from "./mapping.js";
import type { SourceKind } from "./manifest.js";

/** An eth_getLogs entry as the node sends it. */
export interface RpcLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  /** Sent by newer nodes (EDR, geth >= 1.16): spares a block request per block. */
  blockTimestamp?: Hex;
}

export interface BlockHeader {
  number: bigint;
  hash: Hex;
  /** Unknown for a block known only from its logs. */
  parentHash?: Hex;
  timestamp: bigint;
}

interface Subscription {
  item: AbiEvent;
  handler: Handler<never>;
  indexed: AbiParameter[];
  plain: AbiParameter[];
}

const isDynamic = (type: string) => type === "string" || type === "bytes" || type.endsWith("]") || type.startsWith("tuple");

function lowerAddresses(param: AbiParameter, value: unknown): unknown {
  if (param.type === "address") return (value as string).toLowerCase();
  const array = /^(.*)\[\d*\]$/.exec(param.type);
  if (array) return (value as unknown[]).map((v) => lowerAddresses({ ...param, type: array[1] }, v));
  if (param.type === "tuple" && "components" in param) {
    const out: Record<string, unknown> = {};
    for (const c of param.components) out[c.name!] = lowerAddresses(c, (value as Record<string, unknown>)[c.name!]);
    return out;
  }
  return value;
}

/** The subscribed logs of one kind of data source (the factory, or the EventTicket template). */
export class LogDecoder {
  private readonly byTopic = new Map<Hex, Subscription>();

  constructor(kind: SourceKind) {
    for (const [name, handler] of Object.entries(kind.handlers)) {
      const item = kind.abi.find((x): x is AbiEvent => x.type === "event" && x.name === name);
      if (!item) throw new Error(`${kind.name} has no event ${name}`);
      this.byTopic.set(toEventSelector(item), {
        item,
        handler,
        indexed: item.inputs.filter((i) => i.indexed),
        plain: item.inputs.filter((i) => !i.indexed),
      });
    }
  }

  topics(): Hex[] {
    return [...this.byTopic.keys()];
  }

  /** The handler and its event for `log`, or undefined when the log is not subscribed. */
  decode(log: RpcLog, block: BlockHeader): { handler: Handler<ChainEvent<unknown>>; event: ChainEvent<unknown> } | undefined {
    const subscription = this.byTopic.get(log.topics[0]);
    if (!subscription) return undefined;
    const params: Record<string, unknown> = {};
    subscription.indexed.forEach((input, i) => {
      const topic = log.topics[i + 1];
      // A dynamic indexed value is only its hash in the topic (as viem returns it).
      params[input.name!] = isDynamic(input.type) ? topic : lowerAddresses(input, decodeAbiParameters([input], topic)[0]);
    });
    const values = decodeAbiParameters(subscription.plain, log.data);
    subscription.plain.forEach((input, i) => (params[input.name!] = lowerAddresses(input, values[i])));
    return {
      handler: subscription.handler as Handler<ChainEvent<unknown>>,
      event: {
        address: log.address.toLowerCase() as Hex,
        logIndex: Number(log.logIndex),
        block: { number: block.number, timestamp: block.timestamp, hash: block.hash },
        transaction: { hash: log.transactionHash },
        params,
      },
    };
  }
}

export const logBlock = (log: RpcLog) => BigInt(log.blockNumber);

/** Chain order: block, then log index. */
export function byChainOrder(a: RpcLog, b: RpcLog): number {
  const block = BigInt(a.blockNumber) - BigInt(b.blockNumber);
  return block !== 0n ? (block < 0n ? -1 : 1) : Number(a.logIndex) - Number(b.logIndex);
}
