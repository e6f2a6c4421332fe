// SIWE nonces and sessions on both back ends, one suite: the PostgreSQL store that servers on
// several machines share (a real, throwaway PostgreSQL server started by this file) and the
// embedded SQLite store behind the same async interface. Each test gets an empty store and opens
// several "servers" on it: separate pools (PostgreSQL) or separate connections to one file
// (SQLite), as separate gate servers would.
import { readdirSync } from "node:fs";

import cookie from "@fastify/cookie";
import { expect } from "chai";
import Fastify, { type FastifyInstance } from "fastify";
import pg from "pg";
import type { Address } from "viem";

import { SqliteSessionStoreAdapter, type AsyncSessionStore } from "../../server/auth/async-store.js";
import { registerAuth, requireSession } from "../../server/auth/routes.js";
import { openPgSessionStore, PgSessionStore } from "../../server/auth/pg-store.js";
import { AuthStore, NONCE_KEPT_SECONDS, type NonceState } from "../../server/auth/store.js";
import { openDatabase, type Database } from "../../server/db.js";
import { MIGRATIONS_DIR } from "../../server/pg.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { siweMessage, tempDatabase, testConfig } from "../helpers/server.js";

const ALICE = "0x00000000000000000000000000000000000000A1" as Address;
const BOB = "0x00000000000000000000000000000000000000b2" as Address;
const NOW = 1_800_000_000;
const NONCE_TTL = 300;
const SESSION_TTL = 3600;
/** The servers' session cache in these tests (production: SESSION_CACHE_MS, 5 s). */
const CACHE_MS = 150;

/** An empty auth store; server() opens one more server on it. */
interface Store {
  server(options?: { cacheMs?: number }): Promise<AsyncSessionStore>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  fresh(): Promise<Store>;
}

let postgresServer: TestPostgres | undefined;

const postgres: Backend = {
  name: "PostgreSQL",
  async fresh() {
    const url = await postgresServer!.createDatabase();
    const servers: AsyncSessionStore[] = [];
    return {
      async server(options = {}) {
        const store = await openPgSessionStore(url, { cacheMs: CACHE_MS, ...options });
        servers.push(store);
        return store;
      },
      async close() {
        await Promise.all(servers.map((s) => s.close()));
      },
    };
  },
};

const sqlite: Backend = {
  name: "SQLite",
  fresh() {
    const path = tempDatabase();
    const databases: Database[] = [];
    return Promise.resolve({
      server(options = {}) {
        const db = openDatabase(path);
        databases.push(db);
        return Promise.resolve(new SqliteSessionStoreAdapter(new AuthStore(db, { cacheMs: CACHE_MS, ...options })));
      },
      close() {
        for (const db of databases) db.close();
        return Promise.resolve();
      },
    });
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Server: SIWE nonces and sessions on PostgreSQL and SQLite", function () {
  before(async function () {
    postgresServer = await startPostgres();
    console.log(`      PostgreSQL started in ${Math.round(postgresServer.startupMs)} ms on port ${postgresServer.port}`);
  });

  after(async function () {
    await postgresServer?.stop();
  });

  for (const backend of [postgres, sqlite]) {
    describe(`on ${backend.name}`, function () {
      let store: Store;

      beforeEach(async function () {
        store = await backend.fresh();
      });

      afterEach(async function () {
        await store.close();
      });

      it("a session created at one server is valid at another on the same database", async function () {
        const [a, b] = await Promise.all([store.server(), store.server()]);
        const session = await a.createSession(ALICE, 31337, NOW, SESSION_TTL);
        expect(session.id).to.match(/^[A-Za-z0-9_-]{43}$/); // within the bearer token's pattern (auth/routes.ts)
        expect(await b.getSession(session.id, NOW + 1)).to.deep.equal({ id: session.id, address: ALICE, chainId: 31337, expiresAt: NOW + SESSION_TTL });
        expect(await a.getSession(session.id, NOW + 1)).to.deep.equal(session);
        const other = await b.createSession(BOB, 1, NOW, SESSION_TTL);
        expect((await a.getSession(other.id, NOW))?.address).to.equal(BOB);
        expect(await b.getSession("no-such-session-id", NOW)).to.equal(undefined);
      });

      it("signing out at one server ends the session at every server, at the latest when its cache runs out", async function () {
        const [a, b, c] = await Promise.all([store.server(), store.server(), store.server()]);
        const session = await a.createSession(ALICE, 31337, NOW, SESSION_TTL);
        expect(await a.getSession(session.id, NOW), "read at A: now in A's cache").to.not.equal(undefined);
        await b.deleteSession(session.id);
        const signedOutAt = performance.now();
        expect(await b.getSession(session.id, NOW), "at B at once").to.equal(undefined);
        expect(await c.getSession(session.id, NOW), "at C, which had not read it, at once").to.equal(undefined);
        await sleep(CACHE_MS + 20 - (performance.now() - signedOutAt));
        expect(await a.getSession(session.id, NOW), `at A after ${CACHE_MS} ms`).to.equal(undefined);
        // Without a cache, A sees the sign-out at once.
        const uncached = await store.server({ cacheMs: 0 });
        const again = await a.createSession(ALICE, 31337, NOW, SESSION_TTL);
        expect(await uncached.getSession(again.id, NOW)).to.not.equal(undefined);
        await b.deleteSession(again.id);
        expect(await uncached.getSession(again.id, NOW)).to.equal(undefined);
      });

      it("over HTTP: signed in at server A, signed in at B; signed out at B, signed out at A within its cache time", async function () {
        const alice = localAccount(5);
        const [a, b] = await Promise.all([authServer(await store.server()), authServer(await store.server())]);
        try {
          const { nonce } = (await a.inject({ method: "GET", url: "/auth/nonce" })).json<{ nonce: string }>();
          const message = siweMessage(alice, nonce);
          const signature = await alice.signMessage({ message });
          const signedIn = await a.inject({ method: "POST", url: "/auth/verify", payload: { message, signature } });
          expect(signedIn.statusCode).to.equal(200);
          const session = signedIn.cookies.find((c) => c.name === "chainpass_session")!;
          const headers = { cookie: `${session.name}=${session.value}` };
          const replay = await b.inject({ method: "POST", url: "/auth/verify", payload: { message, signature } });
          expect(replay.json<{ error: string }>().error, "the nonce, replayed at B").to.equal("nonce-used");
          for (const server of [a, b]) {
            expect((await server.inject({ method: "GET", url: "/auth/session", headers })).json()).to.include({ signedIn: true, address: alice.address });
            expect((await server.inject({ method: "GET", url: "/whoami", headers })).statusCode).to.equal(200);
          }
          expect((await b.inject({ method: "POST", url: "/auth/logout", headers })).statusCode).to.equal(200);
          expect((await b.inject({ method: "GET", url: "/whoami", headers })).statusCode, "at B").to.equal(401);
          await sleep(CACHE_MS + 20);
          expect((await a.inject({ method: "GET", url: "/whoami", headers })).statusCode, "at A").to.equal(401);
          expect((await a.inject({ method: "GET", url: "/auth/session", headers })).json()).to.deep.equal({ signedIn: false });
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });

      it("spends a nonce exactly once when four servers try it twenty-five times each at once", async function () {
        const servers = await Promise.all(Array.from({ length: 4 }, () => store.server()));
        const nonces = await Promise.all(Array.from({ length: 10 }, (_, i) => servers[i % 4].createNonce(NOW, NONCE_TTL)));
        expect(new Set(nonces).size).to.equal(10);
        for (const nonce of nonces) expect(nonce).to.match(/^[0-9a-f]{32}$/);
        const started = performance.now();
        const outcomes = await Promise.all(
          nonces.map(async (nonce) => {
            const tries = servers.flatMap((server) => Array.from({ length: 25 }, () => server.consumeNonce(nonce, NOW + 1)));
            return count(await Promise.all(tries));
          }),
        );
        if (backend === postgres) console.log(`      ${nonces.length * 100} concurrent sign-ins on 4 pools in ${Math.round(performance.now() - started)} ms`);
        for (const outcome of outcomes) expect(outcome).to.deep.equal({ ok: 1, "nonce-used": 99 });
        expect(await servers[3].consumeNonce(nonces[0], NOW + 2), "later").to.equal("nonce-used");
      });

      it("refuses a nonce at and after its expiry, and one never issued", async function () {
        const [a, b] = await Promise.all([store.server(), store.server()]);
        const early = await a.createNonce(NOW, NONCE_TTL);
        const late = await a.createNonce(NOW, NONCE_TTL);
        expect(await b.consumeNonce(late, NOW + NONCE_TTL), "at its expiry").to.equal("nonce-expired");
        expect(await b.consumeNonce(late, NOW + NONCE_TTL + 60)).to.equal("nonce-expired");
        expect(await b.consumeNonce(early, NOW + NONCE_TTL - 1), "a second before").to.equal("ok");
        expect(await b.consumeNonce("0123456789abcdef0123456789abcdef", NOW)).to.equal("unknown-nonce");
      });

      it("refuses a session at and after its expiry, cached or not", async function () {
        const [a, b] = await Promise.all([store.server(), store.server()]);
        const session = await a.createSession(ALICE, 31337, NOW, SESSION_TTL);
        expect(await b.getSession(session.id, NOW + SESSION_TTL - 1)).to.not.equal(undefined);
        expect(await b.getSession(session.id, NOW + SESSION_TTL), "cached at B, expired").to.equal(undefined);
        expect(await a.getSession(session.id, NOW + SESSION_TTL), "read from the database").to.equal(undefined);
      });

      it("deletes nonces a day after they expired, and expired sessions when a session is created", async function () {
        const [a, b] = await Promise.all([store.server(), store.server({ cacheMs: 0 })]);
        const old = await a.createNonce(NOW, NONCE_TTL);
        const recent = await a.createNonce(NOW + 1000, NONCE_TTL);
        const expired = await a.createSession(ALICE, 31337, NOW, 60);
        const live = await a.createSession(BOB, 31337, NOW, SESSION_TTL);

        // A day after the first nonce expired (not a second more): it is still known.
        await b.createNonce(NOW + NONCE_TTL + NONCE_KEPT_SECONDS, NONCE_TTL);
        expect(await a.consumeNonce(old, NOW + NONCE_TTL + NONCE_KEPT_SECONDS)).to.equal("nonce-expired");
        await b.createNonce(NOW + NONCE_TTL + NONCE_KEPT_SECONDS + 1, NONCE_TTL);
        expect(await a.consumeNonce(old, NOW + NONCE_TTL + NONCE_KEPT_SECONDS + 1), "deleted").to.equal("unknown-nonce");
        expect(await a.consumeNonce(recent, NOW + NONCE_TTL + NONCE_KEPT_SECONDS + 1), "kept").to.equal("nonce-expired");

        expect(await rowCount(b, "auth_sessions")).to.equal(2);
        await b.createSession(ALICE, 31337, NOW + 60, SESSION_TTL);
        expect(await rowCount(b, "auth_sessions"), "the expired one deleted").to.equal(2);
        expect(await b.getSession(expired.id, NOW + 59)).to.equal(undefined);
        expect((await b.getSession(live.id, NOW + 60))?.address).to.equal(BOB);
      });
    });
  }

  describe("PostgreSQL migrations", function () {
    it("create the auth tables once when several servers open one new database at the same moment", async function () {
      const url = await postgresServer!.createDatabase();
      const servers = await Promise.all(Array.from({ length: 4 }, () => openPgSessionStore(url)));
      try {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ name: string }>("SELECT name FROM chainpass_migrations ORDER BY id");
          expect(rows.map((r) => r.name), "each migration once, in order").to.deep.equal(migrationNames());
          expect(rows.map((r) => r.name)).to.include("0002_auth-sessions");
          const { rows: tables } = await client.query<{ nonces: string | null; sessions: string | null }>(
            "SELECT to_regclass('auth_nonces')::text AS nonces, to_regclass('auth_sessions')::text AS sessions",
          );
          expect(tables[0]).to.deep.equal({ nonces: "auth_nonces", sessions: "auth_sessions" });
        } finally {
          await client.end();
        }
        const session = await servers[0].createSession(ALICE, 31337, NOW, SESSION_TTL);
        expect((await servers[3].getSession(session.id, NOW))?.address).to.equal(ALICE);
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });
  });
});

/** The platform's addresses: sign-in never calls the chain. */
const PLATFORM = { factory: "0x5FbDB2315678afecb367f032d93F642f64180aa3", factoryBlock: 0n, membership: "0x0000000000000000000000000000000000000004", implementation: "0x0000000000000000000000000000000000000003", renderer: "0x0000000000000000000000000000000000000001", usdc: "0x0000000000000000000000000000000000000002" } as const;

/** A server answering /auth on `store`, and /whoami behind requireSession (as the gate's routes are). */
async function authServer(store: AsyncSessionStore): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(cookie);
  await app.register(async (scope) => {
    registerAuth(scope, testConfig("http://127.0.0.1:1", PLATFORM), store);
    scope.get("/whoami", { preHandler: requireSession }, async (request) => ({ address: request.session!.address }));
  });
  await app.ready();
  return app;
}

/** The migrations in server/migrations/, by name, in the order node-pg-migrate applies them. */
function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith(".sql"))
    .map((file) => file.slice(0, -".sql".length))
    .sort();
}

function count(states: NonceState[]): Partial<Record<NonceState, number>> {
  const counts: Partial<Record<NonceState, number>> = {};
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** Rows of `table`, read straight from the back end's database (the store has no count). */
async function rowCount(server: AsyncSessionStore, table: string): Promise<number> {
  if (server instanceof PgSessionStore) {
    const { rows } = await server.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0].n);
  }
  const db = ((server as SqliteSessionStoreAdapter).store as unknown as { db: Database }).db;
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
