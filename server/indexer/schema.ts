// The entity model of subgraph/schema.graphql, parsed with graphql-js: which entities exist, their
// fields and how each is stored. The store (tables), the GraphQL API and the generated entity
// types are all derived from this one model, so the schema file stays the single definition.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from "graphql";

export const SCHEMA_PATH = new URL("../../subgraph/schema.graphql", import.meta.url);

/** The scalar types the local index serves (no BigDecimal, Int8 or Timestamp: the schema uses none). */
export const SCALARS = ["ID", "Bytes", "BigInt", "Int", "String", "Boolean"] as const;
export type ScalarName = (typeof SCALARS)[number];

export interface FieldModel {
  name: string;
  /** The named type: a scalar or an entity. */
  type: string;
  /** Set when `type` is an entity. */
  entity?: string;
  /** What the column holds: the scalar type, or for a reference the target's id type. */
  scalar: ScalarName;
  list: boolean;
  /** The value (for a list: the list itself) may be null. */
  nullable: boolean;
  /** `@derivedFrom(field:)`: virtual, answered by looking up `entity` where that field points here. */
  derivedFrom?: string;
  description?: string;
}

export interface EntityModel {
  name: string;
  immutable: boolean;
  /** Every field, in schema order, derived ones included. */
  fields: FieldModel[];
  /** The stored fields (one column each), `id` first. */
  columns: FieldModel[];
  field: Map<string, FieldModel>;
  /** Query field names: `ticket` / `tickets`, as graph-node names them. */
  single: string;
  plural: string;
  description?: string;
}

export interface IndexSchema {
  entities: Map<string, EntityModel>;
  /** sha256 of the schema text: a stored index built from another schema is rebuilt. */
  hash: string;
}

function unwrap(node: TypeNode): { type: string; list: boolean; nullable: boolean } {
  let nullable = true;
  let list = false;
  let t = node;
  if (t.kind === Kind.NON_NULL_TYPE) {
    nullable = false;
    t = t.type;
  }
  if (t.kind === Kind.LIST_TYPE) {
    list = true;
    t = t.type.kind === Kind.NON_NULL_TYPE ? t.type.type : t.type;
  }
  if (t.kind !== Kind.NAMED_TYPE) throw new Error("Nested lists are not supported in the index schema");
  return { type: t.name.value, list, nullable };
}

function directiveArgument(node: ObjectTypeDefinitionNode | FieldDefinitionNode, directive: string, argument: string): string | boolean | null | undefined {
  const found = node.directives?.find((d) => d.name.value === directive);
  if (!found) return undefined;
  const arg = found.arguments?.find((a) => a.name.value === argument);
  if (!arg) return null;
  if (arg.value.kind === Kind.STRING || arg.value.kind === Kind.BOOLEAN) return arg.value.value;
  throw new Error(`@${directive}(${argument}:) must be a literal`);
}

const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);

/** English plural of a camelCase name, as graph-node's collection fields use it. */
export function plural(name: string): string {
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

export function parseSchema(source: string): IndexSchema {
  const document = parse(source);
  const types = document.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
  const unsupported = document.definitions.find((d) => d.kind !== Kind.OBJECT_TYPE_DEFINITION);
  if (unsupported) throw new Error(`Only entity types are supported in the index schema, found ${unsupported.kind}`);
  const names = new Set(types.map((t) => t.name.value));

  const entities = new Map<string, EntityModel>();
  for (const type of types) {
    const name = type.name.value;
    if (directiveArgument(type, "entity", "immutable") === undefined) throw new Error(`${name} lacks @entity`);
    const fields = (type.fields ?? []).map((f): FieldModel => {
      const shape = unwrap(f.type);
      const entity = names.has(shape.type) ? shape.type : undefined;
      if (!entity && !(SCALARS as readonly string[]).includes(shape.type)) {
        throw new Error(`${name}.${f.name.value}: type ${shape.type} is not supported by the local index`);
      }
      const derivedFrom = directiveArgument(f, "derivedFrom", "field");
      return {
        name: f.name.value,
        ...shape,
        entity,
        scalar: entity ? "ID" : (shape.type as ScalarName),
        derivedFrom: typeof derivedFrom === "string" ? derivedFrom : undefined,
        description: f.description?.value,
      };
    });
    const id = fields.find((f) => f.name === "id");
    if (!id || id.list || id.nullable || !["ID", "Bytes", "String"].includes(id.type)) {
      throw new Error(`${name}.id must be ID!, Bytes! or String!`);
    }
    const stored = fields.filter((f) => !f.derivedFrom);
    entities.set(name, {
      name,
      immutable: directiveArgument(type, "entity", "immutable") === true,
      fields,
      columns: [id, ...stored.filter((f) => f !== id)],
      field: new Map(fields.map((f) => [f.name, f])),
      single: lowerFirst(name),
      plural: plural(lowerFirst(name)),
      description: type.description?.value,
    });
  }
  for (const entity of entities.values()) {
    for (const f of entity.fields) {
      if (f.entity) f.scalar = entities.get(f.entity)!.field.get("id")!.scalar;
      if (!f.derivedFrom) continue;
      const target = f.entity ? entities.get(f.entity) : undefined;
      const back = target?.field.get(f.derivedFrom);
      if (!target || !back || back.entity !== entity.name || back.derivedFrom) {
        throw new Error(`${entity.name}.${f.name}: @derivedFrom(field: "${f.derivedFrom}") must name a ${f.entity} field referencing ${entity.name}`);
      }
    }
  }
  return { entities, hash: createHash("sha256").update(source).digest("hex") };
}

let cached: IndexSchema | undefined;

/** The Chainpass schema (subgraph/schema.graphql), parsed once. */
export function chainpassSchema(): IndexSchema {
  cached ??= parseSchema(readFileSync(SCHEMA_PATH, "utf8"));
  return cached;
}

/** The field on `target` that a derived field reads (e.g. Event.tiers -> Tier.event). */
export function derivedSource(schema: IndexSchema, field: FieldModel): { entity: EntityModel; field: FieldModel } {
  const entity = schema.entities.get(field.entity!)!;
  return { entity, field: entity.field.get(field.derivedFrom!)! };
}
