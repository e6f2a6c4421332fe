// Values crossing between the host and a subgraph module: graph-ts's store `Value` (entity
// fields) and `ethereum.Value` (event parameters), with graph-node's encodings: a BigInt is its
// two's-complement bytes, little-endian, shortest form; a BigDecimal is { digits, exp } meaning
// digits × 10^exp; Int is i32, Int8 and Timestamp i64, carried in the u64 payload.
import type { AbiParameter } from "viem";

import type { AscMemory } from "./asc.js";

/** An entity field as the host's store keeps it. */
export type StoreValue =
  | { kind: "String"; value: string }
  | { kind: "Int"; value: number }
  | { kind: "BigDecimal"; value: string }
  | { kind: "Boolean"; value: boolean }
  | { kind: "Array"; value: StoreValue[] }
  | { kind: "Null" }
  | { kind: "Bytes"; value: string }
  | { kind: "BigInt"; value: bigint }
  | { kind: "Int8"; value: bigint }
  | { kind: "Timestamp"; value: bigint };

export type Entity = Map<string, StoreValue>;

// graph-ts common/value.ts ValueKind, in order.
const STORE_KINDS = ["String", "Int", "BigDecimal", "Boolean", "Array", "Null", "Bytes", "BigInt", "Int8", "Timestamp"] as const;

// ------------------------------------------------------------------ BigInt and BigDecimal

export function bigIntFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  const negative = (bytes[bytes.length - 1] & 0x80) !== 0;
  return negative ? value - (1n << BigInt(bytes.length * 8)) : value;
}

export function bigIntToBytes(value: bigint): Uint8Array {
  const out: number[] = [];
  let rest = value;
  // Shortest two's complement: stop once the rest is all sign and the sign bit agrees.
  for (;;) {
    const byte = Number(rest & 0xffn);
    out.push(byte);
    rest >>= 8n;
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

/** digits × 10^exp as graph-node prints it: plain decimal notation, no trailing zeros after the point. */
export function bigDecimalToString(digits: bigint, exp: bigint): string {
  if (digits === 0n) return "0";
  if (exp >= 0n) return (digits * 10n ** exp).toString();
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString();
  const scale = Number(-exp);
  const padded = text.padStart(scale + 1, "0");
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

export function readBigInt(memory: AscMemory, ptr: number): bigint {
  return bigIntFromBytes(memory.typedBytes(ptr));
}

export function newBigInt(memory: AscMemory, value: bigint): number {
  return memory.newBytes(bigIntToBytes(value));
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}`;

// ------------------------------------------------------------------ store values

export function readStoreValue(memory: AscMemory, ptr: number): StoreValue {
  const kind = STORE_KINDS[memory.u32(ptr)];
  const data = ptr + 8;
  switch (kind) {
    case "String":
      return { kind, value: memory.string(memory.u32(data)) };
    case "Int":
      return { kind, value: memory.i32(data) };
    case "BigDecimal": {
      const decimal = memory.u32(data);
      return { kind, value: bigDecimalToString(readBigInt(memory, memory.u32(decimal)), readBigInt(memory, memory.u32(decimal + 4))) };
    }
    case "Boolean":
      return { kind, value: memory.u32(data) !== 0 };
    case "Array":
      return { kind, value: memory.array(memory.u32(data)).map((item) => readStoreValue(memory, item)) };
    case "Null":
      return { kind };
    case "Bytes":
      return { kind, value: hex(memory.typedBytes(memory.u32(data))) };
    case "BigInt":
      return { kind, value: readBigInt(memory, memory.u32(data)) };
    case "Int8":
    case "Timestamp":
      return { kind, value: BigInt.asIntN(64, memory.u64(data)) };
    default:
      throw new Error(`unknown store value kind ${memory.u32(ptr)}`);
  }
}

export function newStoreValue(memory: AscMemory, value: StoreValue): number {
  const kind = STORE_KINDS.indexOf(value.kind);
  const make = (data: bigint) => memory.newKindValue(kind, data, "StoreValue");
  switch (value.kind) {
    case "String":
      return make(BigInt(memory.newString(value.value)));
    case "Int":
      return make(BigInt.asUintN(64, BigInt(value.value)));
    case "BigDecimal": {
      const [digits, exp] = parseDecimal(value.value);
      return make(BigInt(memory.newObject([newBigInt(memory, digits), newBigInt(memory, exp)], "BigDecimal")));
    }
    case "Boolean":
      return make(value.value ? 1n : 0n);
    case "Array":
      return make(BigInt(memory.newArray(value.value.map((item) => newStoreValue(memory, item)), "ArrayStoreValue")));
    case "Null":
      return make(0n);
    case "Bytes":
      return make(BigInt(memory.newBytes(Buffer.from(value.value.slice(2), "hex"))));
    case "BigInt":
      return make(BigInt(newBigInt(memory, value.value)));
    case "Int8":
    case "Timestamp":
      return make(BigInt.asUintN(64, value.value));
  }
}

function parseDecimal(text: string): [bigint, bigint] {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const fraction = match[3] ?? "";
  return [BigInt(`${match[1]}${match[2]}${fraction}`), BigInt(-fraction.length)];
}

/** An Entity (TypedMap<string, Value>) in the module's memory, as graph-node builds it. */
export function newEntity(memory: AscMemory, entity: Entity): number {
  const entries = [...entity].map(([key, value]) => memory.newObject([memory.newString(key), newStoreValue(memory, value)], "TypedMapEntryStringStoreValue"));
  return memory.newObject([memory.newArray(entries, "ArrayTypedMapEntryStringStoreValue")], "TypedMapStringStoreValue");
}

export function readEntity(memory: AscMemory, ptr: number): Entity {
  const entity: Entity = new Map();
  for (const entry of memory.array(memory.u32(ptr))) entity.set(memory.string(memory.u32(entry)), readStoreValue(memory, memory.u32(entry + 4)));
  return entity;
}

// ------------------------------------------------------------------ ethereum values

// graph-ts chain/ethereum.ts ValueKind.
const ETH = { ADDRESS: 0, FIXED_BYTES: 1, BYTES: 2, INT: 3, UINT: 4, BOOL: 5, STRING: 6, FIXED_ARRAY: 7, ARRAY: 8, TUPLE: 9 } as const;

/**
 * A decoded ABI value (viem's decoding) as an ethereum.Value. An indexed parameter of a dynamic
 * type is only its topic, a bytes32 (graph-node: FixedBytes).
 */
export function newEthereumValue(memory: AscMemory, param: AbiParameter & { indexed?: boolean }, value: unknown): number {
  const make = (kind: number, data: number | bigint) => memory.newKindValue(kind, BigInt(data), "EthereumValue");
  const type = param.type;
  const dynamic = type === "string" || type === "bytes" || type.endsWith("]") || type === "tuple";
  if (param.indexed && dynamic) return make(ETH.FIXED_BYTES, memory.newBytes(Buffer.from((value as string).slice(2), "hex")));
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) {
    const inner = { ...param, type: array[1], indexed: false } as unknown as AbiParameter;
    const items = (value as unknown[]).map((item) => newEthereumValue(memory, inner, item));
    return make(array[2] ? ETH.FIXED_ARRAY : ETH.ARRAY, memory.newArray(items, "ArrayEthereumValue"));
  }
  if (type === "tuple") {
    const components = (param as { components: readonly AbiParameter[] }).components;
    const items = components.map((component, i) => newEthereumValue(memory, component, Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[component.name!]));
    return make(ETH.TUPLE, memory.newArray(items, "ArrayEthereumValue"));
  }
  if (type === "address") return make(ETH.ADDRESS, memory.newBytes(Buffer.from((value as string).slice(2), "hex")));
  if (type === "bool") return make(ETH.BOOL, value ? 1 : 0);
  if (type === "string") return make(ETH.STRING, memory.newString(value as string));
  if (type === "bytes") return make(ETH.BYTES, memory.newBytes(Buffer.from((value as string).slice(2), "hex")));
  if (/^bytes\d+$/.test(type)) return make(ETH.FIXED_BYTES, memory.newBytes(Buffer.from((value as string).slice(2), "hex")));
  if (/^uint\d*$/.test(type)) return make(ETH.UINT, newBigInt(memory, BigInt(value as bigint | number)));
  if (/^int\d*$/.test(type)) return make(ETH.INT, newBigInt(memory, BigInt(value as bigint | number)));
  throw new Error(`no ethereum.Value for ABI type ${type}`);
}
