// The Graph's extra scalars: BigInt (decimal strings out, strings or integers in) and Bytes
// (0x hex, lowercase out, any case in).
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";

import { normalizeBytes } from "../values.js";

function toBigInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new GraphQLError(`Invalid BigInt value: ${JSON.stringify(String(value))}`);
}

export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: "BigInt",
  serialize: (value) => (typeof value === "string" ? value : toBigInt(value).toString()),
  parseValue: toBigInt,
  parseLiteral(node: ValueNode) {
    if (node.kind === Kind.STRING || node.kind === Kind.INT) return toBigInt(node.value);
    throw new GraphQLError("A BigInt is written as a string or an integer", { nodes: node });
  },
});

function toBytes(value: unknown): string {
  try {
    return normalizeBytes(value);
  } catch {
    throw new GraphQLError(`Invalid Bytes value: ${JSON.stringify(String(value))}; expected 0x followed by pairs of hex digits`);
  }
}

export const BytesScalar = new GraphQLScalarType<string, string>({
  name: "Bytes",
  serialize: (value) => (value as string).toLowerCase(),
  parseValue: toBytes,
  parseLiteral(node: ValueNode) {
    if (node.kind === Kind.STRING) return toBytes(node.value);
    throw new GraphQLError("Bytes are written as a 0x hex string", { nodes: node });
  },
});
