// graph-node's checks when a mapping saves an entity (`store.set`), on the schema model the local
// index uses (server/indexer/schema.ts): every field is declared and not derived, holds the
// declared type (a reference: the target's id type), and every non-null field has a value.
import type { EntityModel, ScalarName } from "../indexer/schema.js";
import type { Entity, StoreValue } from "./values.js";

const KIND_OF: Record<ScalarName, StoreValue["kind"]> = { ID: "String", String: "String", Bytes: "Bytes", BigInt: "BigInt", Int: "Int", Boolean: "Boolean" };

/** Why graph-node would refuse to store `entity`, or undefined. */
export function invalidEntity(model: EntityModel, id: string, entity: Entity): string | undefined {
  const where = `${model.name} ${id}`;
  for (const [name, value] of entity) {
    const field = model.field.get(name);
    if (!field) return `${where}: no field ${name} in the schema`;
    if (field.derivedFrom) return `${where}: ${name} is derived and cannot be set`;
    if (value.kind === "Null") continue;
    const kind = KIND_OF[field.scalar];
    if (field.list) {
      if (value.kind !== "Array") return `${where}: ${name} must be a list, is ${value.kind}`;
      const wrong = value.value.find((item) => item.kind !== kind);
      if (wrong) return `${where}: ${name} must hold ${kind}, holds ${wrong.kind}`;
    } else if (value.kind !== kind) {
      return `${where}: ${name} must be ${kind}, is ${value.kind}`;
    }
  }
  for (const field of model.columns) {
    if (field.nullable) continue;
    const value = entity.get(field.name);
    if (!value || value.kind === "Null") return `${where}: missing value for non-nullable field ${field.name}`;
  }
  return undefined;
}
