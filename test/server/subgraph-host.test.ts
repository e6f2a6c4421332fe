// The pieces of the subgraph host (server/subgraph-host) that must agree with graph-node bit for
// bit: BigInt bytes (two's complement, little-endian, shortest), BigDecimal text, and the checks
// graph-node makes before it stores an entity. The host running the whole compiled subgraph
// against chain scenarios is in indexer-conformance.test.ts and indexer-membership.test.ts.
import { expect } from "chai";

import { chainpassSchema } from "../../server/indexer/schema.js";
import { invalidEntity } from "../../server/subgraph-host/entity-checks.js";
import { bigDecimalToString, bigIntFromBytes, bigIntToBytes, type Entity, type StoreValue } from "../../server/subgraph-host/values.js";

describe("Server: the subgraph host's encodings and entity checks", function () {
  it("encodes BigInt as graph-node does: two's complement, little-endian, shortest form", function () {
    const cases: [bigint, number[]][] = [
      [0n, [0x00]],
      [1n, [0x01]],
      [127n, [0x7f]],
      [128n, [0x80, 0x00]],
      [255n, [0xff, 0x00]],
      [256n, [0x00, 0x01]],
      [-1n, [0xff]],
      [-128n, [0x80]],
      [-129n, [0x7f, 0xff]],
    ];
    for (const [value, bytes] of cases) {
      expect([...bigIntToBytes(value)], String(value)).to.deep.equal(bytes);
      expect(bigIntFromBytes(Uint8Array.from(bytes)), String(value)).to.equal(value);
    }
    const max = 2n ** 256n - 1n; // a uint256 needs a 33rd byte to stay positive
    expect(bigIntToBytes(max)).to.have.length(33);
    expect(bigIntFromBytes(bigIntToBytes(max))).to.equal(max);
    expect(bigIntFromBytes(new Uint8Array(0))).to.equal(0n);
  });

  it("prints BigDecimal as plain decimals without trailing zeros", function () {
    expect(bigDecimalToString(15n, -1n)).to.equal("1.5");
    expect(bigDecimalToString(1500n, -3n)).to.equal("1.5");
    expect(bigDecimalToString(-5n, -3n)).to.equal("-0.005");
    expect(bigDecimalToString(12n, 2n)).to.equal("1200");
    expect(bigDecimalToString(0n, -7n)).to.equal("0");
  });

  it("refuses what graph-node refuses to store: undeclared, derived, mistyped and missing non-null fields", function () {
    const account = chainpassSchema().entities.get("Account")!;
    const id = "0x00000000000000000000000000000000000000aa";
    const ok: Entity = new Map<string, StoreValue>([["id", { kind: "Bytes", value: id }]]);
    // Every non-null field of Account, from the schema, with a value of its kind.
    for (const field of account.columns) {
      if (field.nullable || field.name === "id") continue;
      const value: StoreValue =
        field.scalar === "BigInt" ? { kind: "BigInt", value: 0n } : field.scalar === "Int" ? { kind: "Int", value: 0 } : field.scalar === "Boolean" ? { kind: "Boolean", value: false } : field.scalar === "Bytes" ? { kind: "Bytes", value: "0x" } : { kind: "String", value: "" };
      ok.set(field.name, field.list ? { kind: "Array", value: [] } : value);
    }
    expect(invalidEntity(account, id, ok)).to.equal(undefined);
    expect(invalidEntity(account, id, new Map([...ok, ["nickname", { kind: "String", value: "x" }]]))).to.match(/no field nickname/);
    const derived = account.fields.find((f) => f.derivedFrom)!;
    expect(invalidEntity(account, id, new Map([...ok, [derived.name, { kind: "Array", value: [] }]]))).to.match(/derived and cannot be set/);
    expect(invalidEntity(account, id, new Map([...ok, ["id", { kind: "String", value: id }]]))).to.match(/id must be Bytes, is String/);
    const ticket = chainpassSchema().entities.get("Ticket")!;
    expect(invalidEntity(ticket, "1", new Map([["id", { kind: "Bytes", value: "0x01" }]]))).to.match(/missing value for non-nullable field/);
    const required = ticket.columns.find((f) => !f.nullable && f.scalar === "BigInt")!;
    expect(invalidEntity(ticket, "1", new Map<string, StoreValue>([["id", { kind: "Bytes", value: "0x01" }], [required.name, { kind: "Int", value: 1 }]]))).to.match(
      new RegExp(`${required.name} must be BigInt, is Int`),
    );
  });
});
