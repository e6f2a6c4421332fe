// How entity values live in SQLite columns. The encodings keep SQL comparison and ORDER BY in
// agreement with The Graph's: BigInt compares numerically, Bytes bytewise (lowercase hex text of
// the same bytes sorts the same way), Boolean as 0/1. Lists are JSON arrays of encoded elements.
import type { FieldModel } from "./schema.js";

export type Column = string | number | null;

/**
 * A BigInt as text that sorts like the number: a sign letter ("n" < "p"), the digit count in two
 * digits, then the digits; a negative number stores 99 - count and the nines' complement of its
 * digits, so that larger magnitudes sort first. 1000n -> "p041000", 0n -> "p010".
 */
export function encodeBigInt(n: bigint): string {
  if (n >= 0n) {
    const digits = n.toString();
    return `p${String(digits.length).padStart(2, "0")}${digits}`;
  }
  const digits = (-n).toString();
  let complement = "";
  for (const d of digits) complement += String(9 - Number(d));
  return `n${String(99 - digits.length).padStart(2, "0")}${complement}`;
}

/** The decimal text of an encoded BigInt (what GraphQL returns), without building a bigint. */
export function bigIntText(stored: string): string {
  if (stored[0] === "p") return stored.slice(3);
  let digits = "";
  for (const d of stored.slice(3)) digits += String(9 - Number(d));
  return `-${digits}`;
}

export function decodeBigInt(stored: string): bigint {
  return BigInt(bigIntText(stored));
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;

/** Lowercase 0x hex of whole bytes: how every Bytes value and id is stored (checked by hand: this runs for every write). */
function isStoredBytes(value: unknown): value is string {
  if (typeof value !== "string" || value.length % 2 !== 0 || value.charCodeAt(0) !== 48 || value.charCodeAt(1) !== 120) return false;
  for (let i = 2; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Bytes as lowercase 0x hex; throws on anything else. */
export function normalizeBytes(value: unknown): string {
  if (typeof value !== "string" || !HEX.test(value)) throw new TypeError(`not a hex byte string: ${String(value)}`);
  return value.toLowerCase();
}

function scalarToColumn(type: string, value: unknown, where: string): string | number {
  switch (type) {
    case "BigInt":
      if (typeof value !== "bigint") throw new TypeError(`${where}: expected a bigint`);
      return encodeBigInt(value);
    case "Int":
      if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
        throw new TypeError(`${where}: expected a 32-bit integer, got ${String(value)}`);
      }
      return value;
    case "Boolean":
      if (typeof value !== "boolean") throw new TypeError(`${where}: expected a boolean`);
      return value ? 1 : 0;
    case "Bytes":
      // Handlers must write lowercase hex: ids built from mixed case would never match.
      if (!isStoredBytes(value)) throw new TypeError(`${where}: expected lowercase 0x hex bytes, got ${String(value)}`);
      return value;
    default: // ID, String, and entity references to String ids
      if (typeof value !== "string") throw new TypeError(`${where}: expected a string`);
      return value;
  }
}

/** An entity's field value (as handlers hold it) to its column. */
export function toColumn(field: FieldModel, value: unknown, where: string): Column {
  if (value === null || value === undefined) {
    if (!field.nullable) throw new TypeError(`${where}: missing value for non-nullable field ${field.name}`);
    return null;
  }
  if (!field.list) return scalarToColumn(field.scalar, value, where);
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected a list`);
  return JSON.stringify(value.map((v) => scalarToColumn(field.scalar, v, where)));
}

function scalarFromColumn(type: string, raw: string | number): unknown {
  switch (type) {
    case "BigInt":
      return decodeBigInt(raw as string);
    case "Boolean":
      return raw !== 0;
    default:
      return raw;
  }
}

/** A column back to the handler's value. */
export function fromColumn(field: FieldModel, raw: Column): unknown {
  if (raw === null) return null;
  if (!field.list) return scalarFromColumn(field.scalar, raw);
  return (JSON.parse(raw as string) as (string | number)[]).map((v) => scalarFromColumn(field.scalar, v));
}

function scalarToJson(type: string, raw: string | number): unknown {
  switch (type) {
    case "BigInt":
      return bigIntText(raw as string);
    case "Boolean":
      return raw !== 0;
    default:
      return raw;
  }
}

/** A column as The Graph returns it in JSON: BigInt as decimal strings, Bytes as lowercase hex. */
export function columnToJson(field: FieldModel, raw: Column): unknown {
  if (raw === null || raw === undefined) return null;
  if (!field.list) return scalarToJson(field.scalar, raw);
  return (JSON.parse(raw as string) as (string | number)[]).map((v) => scalarToJson(field.scalar, v));
}
