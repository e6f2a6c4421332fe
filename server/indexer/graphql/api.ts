// Runs GraphQL requests against the generated schema within the limits of ./limits.ts: length
// and tokens, depth, statements, then execution metered row by row with a deadline. Parsing and
// validation are cached per query text, since clients send the same documents over and over.
import { execute, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";

import { checkDepth, checkInputDepth, checkLength, checkStatements, DEFAULT_QUERY_LIMITS, metered, QueryRefusal, refusalOfParseError, WorkMeter, type QueryLimits } from "./limits.js";
import type { QueryContext } from "./schema.js";

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** The JSON body of a response: `data`, and `errors` as graph-node reports them. */
export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; locations?: readonly { line: number; column: number }[]; path?: readonly (string | number)[] }[];
}

const MAX_CACHED_DOCUMENTS = 500;

/** A stack overflow anywhere in a request is the request's nesting, never a server fault. */
const isStackOverflow = (error: unknown) => error instanceof RangeError && /call stack/i.test(error.message);

export class GraphQLApi {
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[] | QueryRefusal>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {}

  private document(query: string): DocumentNode | readonly GraphQLError[] | QueryRefusal {
    let document = this.documents.get(query);
    if (!document) {
      document = this.prepare(query);
      if (this.documents.size >= MAX_CACHED_DOCUMENTS) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }

  private prepare(query: string): DocumentNode | readonly GraphQLError[] | QueryRefusal {
    try {
      checkLength(query, this.limits);
      let parsed: DocumentNode;
      try {
        parsed = parse(query, { maxTokens: this.limits.maxTokens });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return refusalOfParseError(error, this.limits) ?? [error];
      }
      checkDepth(parsed, this.limits);
      const errors = validate(this.schema, parsed);
      return errors.length ? errors : parsed;
    } catch (error) {
      if (error instanceof QueryRefusal) return error;
      if (isStackOverflow(error)) return new QueryRefusal("query-too-deep", "The query nests too deeply");
      throw error;
    }
  }

  /**
   * Runs one request. Throws QueryRefusal when a limit refuses it (the route answers 400); other
   * problems (syntax, validation, execution) are GraphQL errors in the response, as graph-node
   * reports them.
   */
  run(request: GraphQLRequest): GraphQLResponse {
    const document = this.document(request.query);
    if (document instanceof QueryRefusal) throw document;
    if (Array.isArray(document)) return { errors: document.map(formatError) };
    try {
      checkInputDepth(request.variables, this.limits);
      checkStatements(this.schema, document as DocumentNode, request.operationName, request.variables, this.limits);
      const meter = new WorkMeter(this.limits);
      const contextValue: QueryContext = { rows: new Map(), meter };
      const result = metered(meter, () =>
        execute({
          schema: this.schema,
          document: document as DocumentNode,
          variableValues: request.variables ?? undefined,
          operationName: request.operationName ?? undefined,
          contextValue,
        }),
      ) as ExecutionResult;
      if (result instanceof Promise) throw new Error("a resolver of the local index returned a promise");
      // A limit hit inside a resolver (or inside SQLite) refuses the whole request.
      const refusal = result.errors?.map((e) => e.originalError).find((e) => e instanceof QueryRefusal);
      if (refusal) throw refusal;
      const overflow = result.errors?.some((e) => isStackOverflow(e.originalError));
      if (overflow) throw new QueryRefusal("query-too-deep", "The query nests too deeply");
      return result.errors ? { data: result.data ?? null, errors: result.errors.map(formatError) } : { data: result.data ?? null };
    } catch (error) {
      if (isStackOverflow(error)) throw new QueryRefusal("query-too-deep", "The query nests too deeply");
      throw error;
    }
  }
}

function formatError(error: GraphQLError) {
  // A resolver's own bug (not a GraphQLError) is not the client's business: name it generically.
  const internal = error.originalError && !(error.originalError instanceof GraphQLError);
  if (internal) console.error("[indexer] query failed:", error.originalError);
  return {
    message: internal ? "Internal error while executing the query" : error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
}
