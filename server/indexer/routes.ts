// The index over HTTP, where The Graph serves a subgraph: POST /subgraphs/name/chainpass with
// {query, variables, operationName}, or GET with the same as query parameters. GraphQL errors
// (syntax, validation, execution) answer 200 with `errors`, as graph-node does; a request that is
// not a GraphQL request at all answers 400, also with `errors`; so does a request refused by a
// limit (graphql/limits.ts), with the limit's code in `error` and in the error's extensions.
import type { FastifyError, FastifyInstance } from "fastify";

import type { GraphQLApi, GraphQLRequest } from "./graphql/api.js";
import { QueryRefusal } from "./graphql/limits.js";

export const SUBGRAPH_PATH = "/subgraphs/name/chainpass";

type Parsed = GraphQLRequest | { error: string };

function graphQLRequest(query: unknown, variables: unknown, operationName: unknown): Parsed {
  if (typeof query !== "string" || query.trim() === "") return { error: 'The "query" field is missing in request data' };
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    return { error: 'The "variables" field must be an object' };
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return { error: 'The "operationName" field must be a string' };
  }
  return { query, variables: variables as Record<string, unknown> | null | undefined, operationName: operationName as string | null | undefined };
}

function fromQueryString(params: Record<string, string | undefined>): Parsed {
  let variables: unknown;
  if (params.variables) {
    try {
      variables = JSON.parse(params.variables);
    } catch {
      return { error: 'The "variables" parameter is not valid JSON' };
    }
  }
  return graphQLRequest(params.query, variables, params.operationName);
}

export function registerIndexerRoutes(scope: FastifyInstance, api: GraphQLApi) {
  // A child context: its error handler (GraphQL-shaped errors) applies to these routes only.
  scope.register(async (graph) => {
    graph.setErrorHandler((error: FastifyError, _request, reply) => {
      const client = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
      if (!client) console.error("[indexer] request failed:", error);
      return reply.code(client ? error.statusCode! : 500).send({ errors: [{ message: client ? error.message : "Internal server error" }] });
    });
    const answer = (parsed: Parsed) => {
      if ("error" in parsed) return { status: 400, body: { errors: [{ message: parsed.error }] } };
      try {
        return { status: 200, body: api.run(parsed) };
      } catch (error) {
        if (!(error instanceof QueryRefusal)) throw error;
        return { status: 400, body: { error: error.code, message: error.message, errors: [{ message: error.message, extensions: { code: error.code } }] } };
      }
    };

    graph.post(SUBGRAPH_PATH, async (request, reply) => {
      const body = request.body as Record<string, unknown> | null;
      const parsed =
        body && typeof body === "object" && !Array.isArray(body)
          ? graphQLRequest(body.query, body.variables, body.operationName)
          : { error: "The request body must be a JSON object" };
      const { status, body: response } = answer(parsed);
      return reply.code(status).send(response);
    });

    graph.get(SUBGRAPH_PATH, async (request, reply) => {
      const { status, body } = answer(fromQueryString(request.query as Record<string, string | undefined>));
      return reply.code(status).send(body);
    });
  });
}
