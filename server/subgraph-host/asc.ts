// Reading and writing AssemblyScript objects in a subgraph module's memory, as graph-node's
// runtime does (graph-cli compiles mappings with `--runtime stub --exportRuntime`): every object
// is allocated by the module's own `__new(size, classId)` and has a header whose last two words
// are its class id (ptr - 8) and its payload size in bytes (ptr - 4). The stub runtime never
// frees, so an object the host allocates stays where it is for the life of the instance.
//
// Layouts (wasm32, graph-ts 0.38, apiVersion 0.0.9): String is UTF-16LE; ArrayBuffer is raw
// bytes; a typed array (Uint8Array and graph-ts's Bytes, Address and BigInt, which extend it) is
// { buffer, dataStart, byteLength }; Array<T> is { buffer, dataStart, byteLength, length };
// classes lay out their fields in order, u64 aligned to 8. Class ids come from the module's
// `id_of_type(TypeId)` export (graph-ts's global.ts numbers TypeId).

/** graph-ts's TypeId (global/global.ts), the ones the host allocates. */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
} as const;
export type TypeIdName = keyof typeof TypeId;

interface RuntimeExports {
  memory: WebAssembly.Memory;
  __new(size: number, id: number): number;
  id_of_type(typeId: number): number;
}

export class AscMemory {
  private readonly classIds = new Map<number, number>();

  constructor(private readonly exports: RuntimeExports) {}

  // The memory may grow during any call into the module (its buffer is then replaced): the views
  // are made again whenever the buffer is not the one they were made on.
  private buffer?: ArrayBuffer;
  private dataView?: DataView;
  private byteView?: Uint8Array;
  private refresh() {
    const buffer = this.exports.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.dataView = new DataView(buffer);
      this.byteView = new Uint8Array(buffer);
    }
  }
  private get view(): DataView {
    this.refresh();
    return this.dataView!;
  }
  private get bytes(): Uint8Array {
    this.refresh();
    return this.byteView!;
  }

  classId(type: TypeIdName): number {
    const typeId = TypeId[type];
    let id = this.classIds.get(typeId);
    if (id === undefined) this.classIds.set(typeId, (id = this.exports.id_of_type(typeId)));
    return id;
  }

  /** An object of `size` payload bytes of class `type`, zeroed. */
  alloc(size: number, type: TypeIdName): number {
    return this.exports.__new(size, this.classId(type));
  }

  u32(ptr: number): number {
    return this.view.getUint32(ptr, true);
  }
  i32(ptr: number): number {
    return this.view.getInt32(ptr, true);
  }
  u64(ptr: number): bigint {
    return this.view.getBigUint64(ptr, true);
  }
  f64(ptr: number): number {
    return this.view.getFloat64(ptr, true);
  }
  setU32(ptr: number, value: number) {
    this.view.setUint32(ptr, value, true);
  }
  setU64(ptr: number, value: bigint) {
    this.view.setBigUint64(ptr, value, true);
  }

  /** The payload size the header records. */
  size(ptr: number): number {
    return this.u32(ptr - 4);
  }

  // ------------------------------------------------------------------ strings

  string(ptr: number): string {
    const length = this.size(ptr);
    return Buffer.from(this.exports.memory.buffer, ptr, length).toString("utf16le");
  }

  newString(text: string): number {
    const encoded = Buffer.from(text, "utf16le");
    const ptr = this.alloc(encoded.length, "String");
    this.bytes.set(encoded, ptr);
    return ptr;
  }

  // ------------------------------------------------------------------ bytes

  /** A copy of a typed array's bytes (Bytes, Address, BigInt, Uint8Array). */
  typedBytes(ptr: number): Uint8Array {
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return this.bytes.slice(dataStart, dataStart + byteLength);
  }

  /** A Uint8Array (and so a Bytes, Address or BigInt) holding `data`. */
  newBytes(data: Uint8Array): number {
    const buffer = this.alloc(data.length, "ArrayBuffer");
    this.bytes.set(data, buffer);
    const ptr = this.alloc(12, "Uint8Array");
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, data.length);
    return ptr;
  }

  // ------------------------------------------------------------------ arrays of references

  /** The element pointers of an Array<T> of references. */
  array(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.u32(dataStart + 4 * i));
    return out;
  }

  newArray(items: number[], type: TypeIdName): number {
    const buffer = this.alloc(items.length * 4, "ArrayBuffer");
    items.forEach((item, i) => this.setU32(buffer + 4 * i, item));
    const ptr = this.alloc(16, type);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, items.length * 4);
    this.setU32(ptr + 12, items.length);
    return ptr;
  }

  /** An object whose fields are the given 32-bit words (pointers, i32), in order. */
  newObject(fields: number[], type: TypeIdName): number {
    const ptr = this.alloc(fields.length * 4, type);
    fields.forEach((field, i) => this.setU32(ptr + 4 * i, field));
    return ptr;
  }

  /** A { kind: i32, data: u64 } value (store.Value, ethereum.Value). */
  newKindValue(kind: number, data: bigint, type: "StoreValue" | "EthereumValue"): number {
    const ptr = this.alloc(16, type);
    this.setU32(ptr, kind);
    this.setU64(ptr + 8, data);
    return ptr;
  }
}
