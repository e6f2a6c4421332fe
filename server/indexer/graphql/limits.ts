// Bounds on what one GraphQL request may cost the local index, as graph-node bounds a
// subgraph's queries (docs/environment-variables.md there: depth, first/skip, complexity, a
// timeout) and OWASP's GraphQL cheat sheet advises. Checked in this order:
//   1. before parsing: the document's length; while parsing: its token count (graphql-js stops
//      at maxTokens, so a document cannot nest deep enough to exhaust the parser's stack);
//   2. before validation: selection depth (fragments expanded, iteratively) and the nesting of
//      the variables' JSON;
//   3. after validation: the number of SQL statements the document can run at most: every
//      collection or reference field costs one statement per row its parent may return, a
//      parent collection returning at most its `first` (default 100) rows;
//   4. while running: every row SQLite examines (a `cp_work()` call in every generated WHERE)
//      and every statement counts against a work budget, and the same function checks the
//      deadline, so a runaway statement is interrupted inside SQLite, not after it.
// Each refusal is a QueryRefusal with its code; the route answers 400 with that code.
import { GraphQLError, Kind, getNamedType, isListType, isNonNullType, isObjectType, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type GraphQLType, type ValueNode, type OperationDefinitionNode, type GraphQLObjectType } from "graphql";

export type QueryRefusalCode = "query-too-large" | "query-too-deep" | "query-too-costly" | "query-timeout";

export class QueryRefusal extends Error {
  constructor(
    readonly code: QueryRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export interface QueryLimits {
  /** Characters in the query document. */
  maxQueryLength: number;
  /** Tokens in the query document (graphql-js `maxTokens`). */
  maxTokens: number;
  /** Nesting of selections, counting fields (fragments expanded). */
  maxDepth: number;
  /** Nesting of the variables' JSON, and of `and`/`or` in a filter. */
  maxInputDepth: number;
  /** SQL statements a document may run at most (statically, from `first` arguments). */
  maxStatements: number;
  /** Work units at run time: one per row SQLite examines, ten per statement. */
  maxWork: number;
  /** Wall-clock time of one request's execution. */
  timeoutMs: number;
}

/** Defaults: every document in lib/index runs within them at its largest `first` (a test checks). */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxQueryLength: 20_000,
  maxTokens: 2_000,
  maxDepth: 10,
  maxInputDepth: 8,
  maxStatements: 5_000,
  maxWork: 2_000_000,
  timeoutMs: 2_000,
};

/** Work units one SQL statement costs on top of the rows it examines. */
export const STATEMENT_WORK = 10;

/**
 * The budget of the request running now. Requests run synchronously, one at a time per index, so
 * the SQL function `cp_work()` finds its request's meter here.
 */
export class WorkMeter {
  private work = 0;
  private checks = 0;
  private readonly deadline: number;

  constructor(private readonly limits: QueryLimits) {
    this.deadline = performance.now() + limits.timeoutMs;
  }

  get used() {
    return this.work;
  }

  /** Adds `units`; throws once the budget or the time is spent. */
  add(units: number) {
    this.work += units;
    if (this.work > this.limits.maxWork) {
      throw new QueryRefusal("query-too-costly", `The query examines more than ${this.limits.maxWork} rows; ask for fewer (smaller \`first\`, narrower \`where\`, less nesting)`);
    }
    // The clock is read every 64 units: cheap enough for once per row.
    if ((++this.checks & 63) === 0 || units >= STATEMENT_WORK) this.checkTime();
  }

  checkTime() {
    if (performance.now() > this.deadline) throw new QueryRefusal("query-timeout", `The query ran longer than ${this.limits.timeoutMs} ms and was stopped`);
  }
}

let current: WorkMeter | undefined;

/** Runs `work` with `meter` as the running request's meter. */
export function metered<T>(meter: WorkMeter, work: () => T): T {
  const previous = current;
  current = meter;
  try {
    return work();
  } finally {
    current = previous;
  }
}

/** The SQL function `cp_work(x)`: one unit of the running request's work per row examined (x ties it to the row). */
export function cpWork(_row: unknown): number {
  current?.add(1);
  return 1;
}

/** The running request's meter, for resolvers that count statements. */
export function currentMeter(): WorkMeter | undefined {
  return current;
}

/** Step 1: the document's length (the token count is parse's own `maxTokens`). */
export function checkLength(query: string, limits: QueryLimits) {
  if (query.length > limits.maxQueryLength) {
    throw new QueryRefusal("query-too-large", `The query document has ${query.length} characters; the limit is ${limits.maxQueryLength}`);
  }
}

/** Maps graphql-js's own token-limit error to a refusal; other parse errors stay GraphQL errors. */
export function refusalOfParseError(error: GraphQLError, limits: QueryLimits): QueryRefusal | undefined {
  return /more tha[nt] \d+ tokens/.test(error.message)
    ? new QueryRefusal("query-too-large", `The query document has more than ${limits.maxTokens} tokens`)
    : undefined;
}

/** Step 2: selection depth, fragments expanded, without recursion. */
export function checkDepth(document: DocumentNode, limits: QueryLimits) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  // Nodes visited at most: a fragment cycle (refused later by validation) must not loop here.
  let budget = 50_000;
  const stack: { set: SelectionSetNode; depth: number }[] = [];
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) stack.push({ set: definition.selectionSet, depth: 0 });
  while (stack.length) {
    const { set, depth } = stack.pop()!;
    for (const selection of set.selections) {
      if (--budget < 0) throw new QueryRefusal("query-too-costly", "The query's selections expand to too many fields");
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet) continue;
        if (depth + 1 > limits.maxDepth) throw new QueryRefusal("query-too-deep", `The query nests selections deeper than ${limits.maxDepth} levels`);
        stack.push({ set: selection.selectionSet, depth: depth + 1 });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        stack.push({ set: selection.selectionSet, depth });
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) stack.push({ set: fragment.selectionSet, depth });
      }
    }
  }
}

/** Step 2: the variables' JSON nesting, without recursion (coercion recurses over it). */
export function checkInputDepth(value: unknown, limits: QueryLimits, what = "The variables") {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let budget = 100_000;
  while (stack.length) {
    const { value: item, depth } = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth >= limits.maxInputDepth * 2 + 4) throw new QueryRefusal("query-too-deep", `${what} nest deeper than the limit`);
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (--budget < 0) throw new QueryRefusal("query-too-costly", `${what} hold too many values`);
      stack.push({ value: child, depth: depth + 1 });
    }
  }
}

/** Step 3: the most SQL statements the operation can run. Call after validation. */
export function checkStatements(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, limits: QueryLimits) {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return; // execution reports the missing operation
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? []) if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);

  const firstOf = (args: readonly { name: { value: string }; value: ValueNode }[] | undefined): number => {
    const arg = args?.find((a) => a.name.value === "first");
    if (!arg) return 100;
    const node = arg.value.kind === Kind.VARIABLE ? undefined : arg.value;
    if (node?.kind === Kind.INT) return Number(node.value);
    if (arg.value.kind === Kind.VARIABLE) {
      const name = arg.value.name.value;
      const given = variables?.[name];
      if (typeof given === "number") return given;
      const fallback = defaults.get(name);
      if (fallback?.kind === Kind.INT) return Number(fallback.value);
    }
    return 100;
  };
  const isCollection = (type: GraphQLType) => isListType(isNonNullType(type) ? type.ofType : type);

  let statements = 0;
  // (selection set, its parent type, how many times it is resolved)
  const stack: { set: SelectionSetNode; type: GraphQLObjectType; times: number }[] = [{ set: operation.selectionSet, type: schema.getQueryType()!, times: 1 }];
  let budget = 50_000;
  while (stack.length) {
    const { set, type, times } = stack.pop()!;
    for (const selection of set.selections) {
      if (--budget < 0) throw new QueryRefusal("query-too-costly", "The query's selections expand to too many fields");
      if (selection.kind !== Kind.FIELD) {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
        if (inner) stack.push({ set: inner, type, times });
        continue;
      }
      const field = type.getFields()[selection.name.value];
      if (!field || !selection.selectionSet) continue;
      const target = getNamedType(field.type);
      if (!isObjectType(target)) continue;
      const collection = isCollection(field.type);
      // A reference that selects only its id is answered without a statement (schema.ts).
      const idOnly = selection.selectionSet.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === "id" || s.name.value === "__typename"));
      if (!collection && idOnly) continue;
      // One statement per time the parent is resolved.
      statements += times;
      if (statements > limits.maxStatements) {
        throw new QueryRefusal("query-too-costly", `The query can run up to ${statements}+ lookups; the limit is ${limits.maxStatements} (ask for fewer rows with \`first\`, or nest less)`);
      }
      const rows = collection ? Math.max(0, firstOf(selection.arguments)) : 1;
      if (rows > 0) stack.push({ set: selection.selectionSet, type: target, times: times * rows });
    }
  }
}
