// Collection arguments (where, orderBy, orderDirection, first, skip) to SQL over the entity
// tables, with The Graph's semantics: the filter keys of `<Entity>_filter` (`field`, `field_not`,
// `field_gt` ... `field_in`, string and list matching, `field_: {...}` one level deep, `and`/`or`),
// ordering by a field or a referenced entity's field (`tier__name`) with id as the tiebreaker,
// and `first` between 0 and 1000.
import { GraphQLError } from "graphql";

import { derivedSource, type EntityModel, type FieldModel, type IndexSchema } from "../schema.js";
import { DEFAULT_QUERY_LIMITS, QueryRefusal, type QueryLimits } from "./limits.js";
import { quote, tableOf } from "../store.js";
import { encodeBigInt, type Column } from "../values.js";

export const MAX_FIRST = 1000;
export const DEFAULT_FIRST = 100;
/** Filter terms one collection's `where` may hold (an `or` of thousands would build huge SQL). */
export const MAX_FILTER_TERMS = 200;
/** Values one `_in` / `_not_in` may list. */
export const MAX_IN_VALUES = 1000;

// Every row SQLite examines for a request calls cp_work (graphql/limits.ts): it goes first in
// each WHERE so that SQLite evaluates it before anything else can short-circuit.
const work = (alias: string) => `cp_work(${alias}."id")`;

export const SCALAR_OPS: Record<string, string[]> = {
  BigInt: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  Int: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  ID: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
  Boolean: ["", "not", "in", "not_in"],
  Bytes: ["", "not", "gt", "lt", "gte", "lte", "in", "not_in", "contains", "not_contains"],
  String: [
    ...["", "not", "gt", "lt", "gte", "lte", "in", "not_in"],
    ...["contains", "not_contains", "starts_with", "not_starts_with", "ends_with", "not_ends_with"].flatMap((op) => [op, `${op}_nocase`]),
  ],
};
export const LIST_OPS = ["", "not", "contains", "contains_nocase", "not_contains", "not_contains_nocase"];

/** What a key of `<Entity>_filter` tests: a field with an operator, or a child filter (`field_`). */
export interface FilterKey {
  field: FieldModel;
  op: string;
  child?: boolean;
}

/** The API type of a filter value on `field`: references are matched by id, as a String. */
export const filterScalar = (field: FieldModel) => (field.entity ? "String" : field.type);

export function filterKeys(entity: EntityModel): Map<string, FilterKey> {
  const keys = new Map<string, FilterKey>();
  for (const field of entity.fields) {
    if (!field.derivedFrom) {
      const ops = field.list ? LIST_OPS : SCALAR_OPS[filterScalar(field)];
      for (const op of ops) keys.set(op ? `${field.name}_${op}` : field.name, { field, op });
    }
    if (field.entity) keys.set(`${field.name}_`, { field, op: "", child: true });
  }
  return keys;
}

/** `<Entity>_orderBy` values: every field, and `field__child` for each scalar field of a referenced entity. */
export function orderKeys(schema: IndexSchema, entity: EntityModel): Map<string, { field: FieldModel; child?: FieldModel }> {
  const keys = new Map<string, { field: FieldModel; child?: FieldModel }>();
  for (const field of entity.fields) {
    keys.set(field.name, { field });
    if (field.entity && !field.list) {
      for (const child of schema.entities.get(field.entity)!.fields) {
        if (!child.list && !child.entity) keys.set(`${field.name}__${child.name}`, { field, child });
      }
    }
  }
  return keys;
}

export interface CollectionArgs {
  first?: number | null;
  skip?: number | null;
  orderBy?: string | null;
  orderDirection?: "asc" | "desc" | null;
  where?: Record<string, unknown> | null;
}

/** A condition the caller adds (the parent of a derived or list field). */
export interface Scope {
  sql: string;
  params: Column[];
}

export class SqlBuilder {
  private readonly filters = new Map<string, Map<string, FilterKey>>();
  private readonly orders = new Map<string, ReturnType<typeof orderKeys>>();

  constructor(
    private readonly schema: IndexSchema,
    private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {
    for (const entity of schema.entities.values()) {
      this.filters.set(entity.name, filterKeys(entity));
      this.orders.set(entity.name, orderKeys(schema, entity));
    }
  }

  /** SELECT of one page of `entity` rows (the `columns` given, all by default), filtered, ordered and paged as The Graph does. */
  collection(entity: EntityModel, args: CollectionArgs, scope?: Scope, columns = "t.*"): { sql: string; params: Column[] } {
    const first = args.first ?? DEFAULT_FIRST;
    const skip = args.skip ?? 0;
    if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) {
      throw new GraphQLError(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${first}`);
    }
    if (!Number.isInteger(skip) || skip < 0) throw new GraphQLError(`The \`skip\` argument must be between 0 and 4294967295, but is ${skip}`);
    const params: Column[] = [];
    const conditions: string[] = [work("t")];
    if (scope) {
      conditions.push(scope.sql);
      params.push(...scope.params);
    }
    if (args.where) conditions.push(this.filter(entity, "t", args.where, params, 0, { terms: 0, nesting: 0 }));
    const direction = args.orderDirection === "desc" ? "DESC" : "ASC";
    const nulls = direction === "ASC" ? "NULLS LAST" : "NULLS FIRST";
    const order = args.orderBy ? `${this.orderExpression(entity, args.orderBy)} ${direction} ${nulls}, ` : "";
    const where = ` WHERE ${conditions.join(" AND ")}`;
    params.push(first, skip);
    return { sql: `SELECT ${columns} FROM ${tableOf(entity.name)} t${where} ORDER BY ${order}t."id" ${direction} LIMIT ? OFFSET ?`, params };
  }

  private orderExpression(entity: EntityModel, key: string): string {
    const order = this.orders.get(entity.name)!.get(key);
    if (!order) throw new GraphQLError(`${entity.name} cannot be ordered by ${key}`);
    if (order.field.derivedFrom) throw new GraphQLError(`Sorting by the derived field ${entity.name}.${key} is not supported`);
    if (!order.child) return `t.${quote(order.field.name)}`;
    return `(SELECT c.${quote(order.child.name)} FROM ${tableOf(order.field.entity!)} c WHERE ${work("c")} AND c."id" = t.${quote(order.field.name)})`;
  }

  private filter(entity: EntityModel, alias: string, where: Record<string, unknown>, params: Column[], depth: number, count: { terms: number; nesting: number }): string {
    const keys = this.filters.get(entity.name)!;
    const parts: string[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (++count.terms > MAX_FILTER_TERMS) throw new QueryRefusal("query-too-costly", `A \`where\` may hold at most ${MAX_FILTER_TERMS} conditions`);
      if (key === "and" || key === "or") {
        if (value === null) continue;
        if (count.nesting >= this.limits.maxInputDepth) throw new QueryRefusal("query-too-deep", `\`and\`/\`or\` may nest at most ${this.limits.maxInputDepth} levels`);
        count.nesting++;
        const branches = (value as Record<string, unknown>[]).map((w) => this.filter(entity, alias, w, params, depth, count));
        count.nesting--;
        if (branches.length) parts.push(`(${branches.join(key === "and" ? " AND " : " OR ")})`);
        continue;
      }
      const filter = keys.get(key);
      if (!filter) throw new GraphQLError(`${entity.name} has no filter ${key}`);
      if (filter.child) {
        if (depth > 0) throw new GraphQLError("Child filters can not be nested");
        if (value !== null) parts.push(this.childFilter(filter.field, alias, value as Record<string, unknown>, params, count));
        continue;
      }
      parts.push(this.condition(filter, `${alias}.${quote(filter.field.name)}`, value, params));
    }
    return parts.length ? `(${parts.join(" AND ")})` : "1";
  }

  private childFilter(field: FieldModel, alias: string, where: Record<string, unknown>, params: Column[], count: { terms: number; nesting: number }): string {
    const child = this.schema.entities.get(field.entity!)!;
    const inner = `${work("c")} AND ${this.filter(child, "c", where, params, 1, count)}`;
    const childTable = tableOf(child.name);
    if (field.derivedFrom) {
      const back = derivedSource(this.schema, field).field;
      return back.list
        ? `EXISTS (SELECT 1 FROM ${childTable} c, json_each(c.${quote(back.name)}) j WHERE j.value = ${alias}."id" AND ${inner})`
        : `${alias}."id" IN (SELECT c.${quote(back.name)} FROM ${childTable} c WHERE ${inner})`;
    }
    const column = `${alias}.${quote(field.name)}`;
    return field.list
      ? `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE j.value IN (SELECT c."id" FROM ${childTable} c WHERE ${inner}))`
      : `${column} IN (SELECT c."id" FROM ${childTable} c WHERE ${inner})`;
  }

  /** A filter value as the column stores it. */
  private encode(field: FieldModel, value: unknown): Column {
    if (value === null) return null;
    switch (field.scalar) {
      case "BigInt":
        return encodeBigInt(value as bigint);
      case "Boolean":
        return value ? 1 : 0;
      case "Bytes":
        // References to Bytes-id entities are matched by a String id; ids are stored lowercase.
        return (value as string).toLowerCase();
      default:
        return value as string | number;
    }
  }

  private condition({ field, op }: FilterKey, column: string, value: unknown, params: Column[]): string {
    const bind = (v: unknown) => {
      params.push(this.encode(field, v));
      return "?";
    };
    if (field.list) return this.listCondition(field, op, column, value, params);
    const nocase = op.endsWith("_nocase");
    const base = nocase ? op.slice(0, -"_nocase".length) : op;
    const negate = base.startsWith("not_") ? "NOT " : "";
    const text = nocase ? `lower(${column})` : column;
    const needle = () => (nocase ? `lower(${bind(value)})` : bind(value));
    switch (base) {
      case "":
        return value === null ? `${column} IS NULL` : `${column} = ${bind(value)}`;
      case "not":
        return value === null ? `${column} IS NOT NULL` : `${column} != ${bind(value)}`;
      case "gt":
        return `${column} > ${bind(value)}`;
      case "gte":
        return `${column} >= ${bind(value)}`;
      case "lt":
        return `${column} < ${bind(value)}`;
      case "lte":
        return `${column} <= ${bind(value)}`;
      case "in":
      case "not_in": {
        const values = (value as unknown[] | null) ?? [];
        if (values.length > MAX_IN_VALUES) throw new QueryRefusal("query-too-costly", `\`${field.name}_${op}\` may list at most ${MAX_IN_VALUES} values`);
        if (values.length === 0) return negate ? "1" : "0";
        return `${column} ${negate}IN (${values.map(bind).join(", ")})`;
      }
      case "contains":
      case "not_contains":
        // Bytes: a whole-byte match in the hex text (an odd offset would straddle two bytes).
        if (field.type === "Bytes") return `${negate}bytes_contain(${column}, ${bind(value)})`;
        return `${negate}(instr(${text}, ${needle()}) > 0)`;
      case "starts_with":
      case "not_starts_with":
        return `${negate}(substr(${text}, 1, length(${bind(value)})) = ${needle()})`;
      case "ends_with":
      case "not_ends_with":
        return `${negate}(substr(${text}, -length(${bind(value)})) = ${needle()})`;
    }
    throw new GraphQLError(`Unsupported filter operator ${op}`);
  }

  /** List fields: equality of the whole list, or whether it contains every given element. */
  private listCondition(field: FieldModel, op: string, column: string, value: unknown, params: Column[]): string {
    if (value === null) return `${column} IS ${op === "not" ? "NOT " : ""}NULL`;
    const values = (value as unknown[]).map((v) => this.encode({ ...field, list: false }, v));
    const nocase = op.endsWith("_nocase");
    if (op === "" || op === "not") {
      params.push(JSON.stringify(values));
      return `${column} ${op === "not" ? "!=" : "="} ?`;
    }
    params.push(JSON.stringify(values));
    const element = nocase ? "lower(j.value)" : "j.value";
    const wanted = nocase ? "lower(w.value)" : "w.value";
    const containsAll = `NOT EXISTS (SELECT 1 FROM json_each(?) w WHERE ${wanted} NOT IN (SELECT ${element} FROM json_each(${column}) j))`;
    return op.startsWith("not_") ? `NOT ${containsAll}` : containsAll;
  }
}

/** SQL function behind Bytes `_contains`: `needle` occurs in `haystack` at a byte boundary. */
export function bytesContain(haystack: unknown, needle: unknown): number {
  if (typeof haystack !== "string" || typeof needle !== "string") return 0;
  const hay = haystack.slice(2);
  const want = needle.slice(2);
  for (let i = hay.indexOf(want); i >= 0; i = hay.indexOf(want, i + 1)) if (i % 2 === 0) return 1;
  return 0;
}
