// The GraphQL API of the local index, generated from the entity model as graph-node generates a
// subgraph's: per entity an object type, `<Entity>_filter` and `<Entity>_orderBy`, and the root
// fields `ticket(id:)` / `tickets(skip, first, orderBy, orderDirection, where)`; collection
// arguments on @derivedFrom and entity-list fields; `block` and `subgraphError` arguments; and
// `_meta`. Resolvers read the entity tables directly; a request runs synchronously, so it sees
// one consistent state of the index.
import type { StatementSync } from "node:sqlite";

import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  type FieldNode,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLScalarType,
} from "graphql";

import type { Database } from "../../db.js";
import type { BlockRef } from "../journal.js";
import { derivedSource, type EntityModel, type FieldModel, type IndexSchema } from "../schema.js";
import { quote, tableOf, type Row } from "../store.js";
import { bigIntText, columnToJson, normalizeBytes, type Column } from "../values.js";
import { cpWork, DEFAULT_QUERY_LIMITS, STATEMENT_WORK, type QueryLimits, type WorkMeter } from "./limits.js";
import { bytesContain, filterKeys, filterScalar, orderKeys, SqlBuilder, type CollectionArgs } from "./query.js";
import { BigIntScalar, BytesScalar } from "./scalars.js";

export interface IndexMeta {
  /** The last indexed block; undefined before the first. */
  block?: BlockRef;
  deployment: string;
  hasIndexingErrors: boolean;
}

/** Per request: the entity rows loaded so far (references repeat a lot), and its work budget. */
export interface QueryContext {
  rows: Map<string, Row | null>;
  meter: WorkMeter;
}

const SCALAR_TYPES: Record<string, GraphQLScalarType> = {
  ID: GraphQLID,
  String: GraphQLString,
  Int: GraphQLInt,
  Boolean: GraphQLBoolean,
  BigInt: BigIntScalar,
  Bytes: BytesScalar,
};

const nonNullList = <T extends GraphQLOutputType | GraphQLInputType>(type: T) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));

const OrderDirection = new GraphQLEnumType({
  name: "OrderDirection",
  description: "Defines the order direction, either ascending or descending",
  values: { asc: {}, desc: {} },
});

const BlockHeight = new GraphQLInputObjectType({
  name: "Block_height",
  description: "The block at which the query should be executed. The local index keeps only its latest state.",
  fields: { hash: { type: BytesScalar }, number: { type: GraphQLInt }, number_gte: { type: GraphQLInt } },
});

const ErrorPolicy = new GraphQLEnumType({ name: "_SubgraphErrorPolicy_", values: { allow: {}, deny: {} } });

const MetaBlock = new GraphQLObjectType({
  name: "_Block_",
  fields: {
    hash: { type: BytesScalar },
    number: { type: new GraphQLNonNull(GraphQLInt) },
    timestamp: { type: GraphQLInt },
    parentHash: { type: BytesScalar },
  },
});

const Meta = new GraphQLObjectType({
  name: "_Meta_",
  description: "The type for the top-level _meta field",
  fields: {
    block: { type: new GraphQLNonNull(MetaBlock) },
    deployment: { type: new GraphQLNonNull(GraphQLString) },
    hasIndexingErrors: { type: new GraphQLNonNull(GraphQLBoolean) },
  },
});

/** The root fields' `block` argument: only the indexed head can be served, and a minimum must be reached. */
function checkBlock(block: { hash?: string | null; number?: number | null; number_gte?: number | null } | undefined, meta: IndexMeta) {
  if (!block) return;
  const head = meta.block ? Number(meta.block.number) : -1;
  const notYet = (arg: string, n: number) =>
    new GraphQLError(
      `Failed to decode \`${arg}\` value: \`subgraph ${meta.deployment} has only indexed up to block number ${head} and data for block number ${n} is therefore not yet available\``,
    );
  if (block.number_gte != null && block.number_gte > head) throw notYet("block.number_gte", block.number_gte);
  if (block.number != null && block.number !== head) {
    if (block.number > head) throw notYet("block.number", block.number);
    throw new GraphQLError(`The local index keeps only its latest state (block ${head}), not block ${block.number}`);
  }
  if (block.hash != null && block.hash !== meta.block?.hash)
    throw new GraphQLError(`The local index keeps only its latest state (block ${head}), not block ${block.hash}`);
}

// Facts about a field's selection, computed once per field of a (cached) document: the first of
// its field nodes identifies it, as a document always merges the same nodes there.

/** True when the selection on a reference asks for nothing but its id (no lookup needed). */
const onlyIdCache = new WeakMap<FieldNode, boolean>();
function selectsOnlyId(info: GraphQLResolveInfo): boolean {
  let only = onlyIdCache.get(info.fieldNodes[0]);
  if (only === undefined) {
    only = info.fieldNodes.every((node) =>
      node.selectionSet?.selections.every((s) => s.kind === Kind.FIELD && !s.directives?.length && (s.name.value === "id" || s.name.value === "__typename")),
    );
    onlyIdCache.set(info.fieldNodes[0], only);
  }
  return only;
}

/**
 * The columns a collection field's selection reads: the selected stored fields and `id` (derived
 * fields look up by it). A selection with fragments reads every column.
 */
const columnsCache = new WeakMap<FieldNode, string>();
function selectedColumns(entity: EntityModel, info: GraphQLResolveInfo): string {
  let columns = columnsCache.get(info.fieldNodes[0]);
  if (columns === undefined) {
    const names = new Set(["id"]);
    let all = false;
    for (const node of info.fieldNodes) {
      for (const selection of node.selectionSet?.selections ?? []) {
        if (selection.kind !== Kind.FIELD) all = true;
        else if (entity.field.has(selection.name.value) && !entity.field.get(selection.name.value)!.derivedFrom) names.add(selection.name.value);
      }
    }
    columns = all ? "t.*" : [...names].map((name) => `t.${quote(name)}`).join(", ");
    columnsCache.set(info.fieldNodes[0], columns);
  }
  return columns;
}

export function buildApiSchema(schema: IndexSchema, db: Database, meta: () => IndexMeta, limits: QueryLimits = DEFAULT_QUERY_LIMITS): GraphQLSchema {
  const sql = new SqlBuilder(schema, limits);
  db.function("bytes_contain", { deterministic: true }, bytesContain);
  // Not deterministic: SQLite must call it for every row it examines (limits.ts).
  db.function("cp_work", { deterministic: false }, cpWork);
  const statements = new Map<string, StatementSync>();
  const prepared = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size > 1000) statements.clear();
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const load = (ctx: QueryContext, entity: string, id: string): Row | null => {
    const key = `${entity} ${id}`;
    let row = ctx.rows.get(key);
    if (row === undefined) {
      ctx.meter.add(STATEMENT_WORK);
      row = (prepared(`SELECT * FROM ${tableOf(entity)} WHERE "id" = ?`).get(id) as Row | undefined) ?? null;
      ctx.rows.set(key, row);
    }
    return row;
  };
  const page = (ctx: QueryContext, info: GraphQLResolveInfo, entity: EntityModel, args: CollectionArgs, scope?: { sql: string; params: Column[] }) => {
    ctx.meter.add(STATEMENT_WORK);
    const query = sql.collection(entity, args, scope, selectedColumns(entity, info));
    return prepared(query.sql).all(...query.params) as Row[];
  };
  /** An `id` argument as stored: Bytes ids are lowercase hex. */
  const idArgument = (entity: EntityModel, id: string) => {
    if (entity.field.get("id")!.scalar !== "Bytes") return id;
    try {
      return normalizeBytes(id);
    } catch {
      throw new GraphQLError(`Invalid value provided for argument \`id\`: ${JSON.stringify(id)} is not a Bytes id of ${entity.name}`);
    }
  };

  const objects = new Map<string, GraphQLObjectType>();
  const filters = new Map<string, GraphQLInputObjectType>();
  const orders = new Map<string, GraphQLEnumType>();

  const collectionArgs = (entity: string): GraphQLFieldConfigArgumentMap => ({
    skip: { type: GraphQLInt, defaultValue: 0 },
    first: { type: GraphQLInt, defaultValue: 100 },
    orderBy: { type: orders.get(entity)! },
    orderDirection: { type: OrderDirection },
    where: { type: filters.get(entity)! },
  });

  function filterType(entity: EntityModel): GraphQLInputObjectType {
    return new GraphQLInputObjectType({
      name: `${entity.name}_filter`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = {};
        for (const [key, { field, op, child }] of filterKeys(entity)) {
          if (child) {
            fields[key] = { type: filters.get(field.entity!)! };
            continue;
          }
          const scalar = SCALAR_TYPES[filterScalar(field)];
          fields[key] = { type: field.list || op === "in" || op === "not_in" ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar };
        }
        fields.and = { type: new GraphQLList(filters.get(entity.name)!) };
        fields.or = { type: new GraphQLList(filters.get(entity.name)!) };
        return fields;
      },
    });
  }

  function fieldConfig(entity: EntityModel, field: FieldModel): GraphQLFieldConfig<Row, QueryContext> {
    const column = field.name;
    const description = field.description;
    if (!field.entity) {
      const scalar = SCALAR_TYPES[field.type];
      const type = field.list ? new GraphQLList(new GraphQLNonNull(scalar)) : scalar;
      const resolve = field.list
        ? (row: Row) => columnToJson(field, row[column])
        : field.scalar === "BigInt"
        ? (row: Row) => (row[column] === null ? null : bigIntText(row[column] as string))
        : undefined;
      return { type: field.nullable ? type : new GraphQLNonNull(type), description, resolve };
    }
    const target = schema.entities.get(field.entity)!;
    if (field.derivedFrom || field.list) {
      const back = field.derivedFrom ? derivedSource(schema, field).field : undefined;
      return {
        type: nonNullList(objects.get(target.name)!),
        description,
        args: collectionArgs(target.name),
        resolve: (row, args: CollectionArgs, ctx, info) => {
          if (back) {
            const ref = `t.${quote(back.name)}`;
            return page(ctx, info, target, args, {
              sql: back.list ? `EXISTS (SELECT 1 FROM json_each(${ref}) j WHERE j.value = ?)` : `${ref} = ?`,
              params: [row.id],
            });
          }
          if (row[column] === null) return null;
          return page(ctx, info, target, args, { sql: `t."id" IN (SELECT value FROM json_each(?))`, params: [row[column]] });
        },
      };
    }
    const type = objects.get(target.name)!;
    return {
      type: field.nullable ? type : new GraphQLNonNull(type),
      description,
      resolve: (row, _args, ctx, info) => {
        const id = row[column] as string | null;
        if (id === null) return null;
        return selectsOnlyId(info) ? { id } : load(ctx, target.name, id);
      },
    };
  }

  for (const entity of schema.entities.values()) {
    filters.set(entity.name, filterType(entity));
    orders.set(
      entity.name,
      new GraphQLEnumType({ name: `${entity.name}_orderBy`, values: Object.fromEntries([...orderKeys(schema, entity).keys()].map((k) => [k, {}])) }),
    );
    objects.set(
      entity.name,
      new GraphQLObjectType<Row, QueryContext>({
        name: entity.name,
        description: entity.description,
        fields: () => Object.fromEntries(entity.fields.map((f) => [f.name, fieldConfig(entity, f)])),
      }),
    );
  }

  const rootArgs = { block: { type: BlockHeight }, subgraphError: { type: new GraphQLNonNull(ErrorPolicy), defaultValue: "deny" } };
  const query: Record<string, GraphQLFieldConfig<unknown, QueryContext>> = {};
  for (const entity of schema.entities.values()) {
    query[entity.single] = {
      type: objects.get(entity.name)!,
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, ...rootArgs },
      resolve: (_root, args: { id: string; block?: Parameters<typeof checkBlock>[0] }, ctx) => {
        checkBlock(args.block, meta());
        return load(ctx, entity.name, idArgument(entity, args.id));
      },
    };
    query[entity.plural] = {
      type: nonNullList(objects.get(entity.name)!),
      args: { ...collectionArgs(entity.name), ...rootArgs },
      resolve: (_root, args: CollectionArgs & { block?: Parameters<typeof checkBlock>[0] }, ctx, info) => {
        checkBlock(args.block, meta());
        return page(ctx, info, entity, args);
      },
    };
  }
  query._meta = {
    type: Meta,
    description: "Access to subgraph metadata",
    args: { block: { type: BlockHeight } },
    resolve: (_root, args: { block?: Parameters<typeof checkBlock>[0] }) => {
      const m = meta();
      checkBlock(args.block, m);
      const block = m.block;
      return {
        block: { number: block ? Number(block.number) : 0, hash: block?.hash ?? null, timestamp: block ? Number(block.timestamp) : null, parentHash: null },
        deployment: m.deployment,
        hasIndexingErrors: m.hasIndexingErrors,
      };
    },
  };

  return new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields: query }) });
}
