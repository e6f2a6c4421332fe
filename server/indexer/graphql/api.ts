// Runs GraphQL requests against the generated schema: parse and validate (cached per query
// text, since clients send the same documents over and over), then execute synchronously.
import { execute, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";

import { ROWS_PER_REQUEST, type QueryContext } from "./schema.js";

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

export class GraphQLApi {
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(readonly schema: GraphQLSchema) {}

  private document(query: string): DocumentNode | readonly GraphQLError[] {
    let document = this.documents.get(query);
    if (!document) {
      try {
        const parsed = parse(query);
        const errors = validate(this.schema, parsed);
        document = errors.length ? errors : parsed;
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        document = [error];
      }
      if (this.documents.size >= MAX_CACHED_DOCUMENTS) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }

  run(request: GraphQLRequest): GraphQLResponse {
    const document = this.document(request.query);
    if (Array.isArray(document)) return { errors: document.map(formatError) };
    const contextValue: QueryContext = { rows: new Map(), budget: ROWS_PER_REQUEST };
    const result = execute({
      schema: this.schema,
      document: document as DocumentNode,
      variableValues: request.variables ?? undefined,
      operationName: request.operationName ?? undefined,
      contextValue,
    }) as ExecutionResult;
    if (result instanceof Promise) throw new Error("a resolver of the local index returned a promise");
    return result.errors ? { data: result.data ?? null, errors: result.errors.map(formatError) } : { data: result.data ?? null };
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
