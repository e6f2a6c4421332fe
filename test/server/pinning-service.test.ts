// Remote pinning (IPFS Pinning Service API) of uploaded artwork and event metadata, against a
// small in-process implementation of the spec (ipfs/pinning-services-api-spec 1.0.0).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { MemoryBlockstore } from "blockstore-core/memory";
import { expect } from "chai";
import { CID } from "multiformats/cid";

import { buildApp } from "../../server/app.js";
import { ConfigError, configFromEnv } from "../../server/config.js";
import { openDatabase, type Database } from "../../server/db.js";
import { addFile, LocalContentStore } from "../../server/metadata/index.js";
import { PinnedContentStore, PinningServiceClient, PinningServiceError, type Pin, type PinStatus } from "../../server/metadata/pinning-service.js";
import { freePort } from "../../scripts/lib/supervisor.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { eventually } from "../helpers/eventually.js";
import { readBody } from "../helpers/kubo-fake.js";
import { signIn, testConfig } from "../helpers/server.js";

// ------------------------------------------------------------------ a Pinning Service provider

interface ProviderCall {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
  /** When it arrived (ms). */
  at: number;
}

const STATUSES = ["queued", "pinning", "pinned", "failed"];
const DELEGATE = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDelegateOfTheFakePinningService";

/**
 * The Pinning Service API on 127.0.0.1: bearer token, Pin validation, pins in memory moving from
 * queued to pinned after `pinAfterMs`, list by cid/status/name with limit, get, replace, delete.
 * `respondWith` makes every request answer that HTTP status (a provider in trouble).
 */
async function startProvider(options: { token: string; port?: number; pinAfterMs?: number; respondWith?: number }) {
  const pins = new Map<string, PinStatus>();
  const calls: ProviderCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const pinAfterMs = options.pinAfterMs ?? 50;
  let clock = Date.now();

  const server = createServer((request, response) => void handle(request, response));
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, "http://127.0.0.1");
    const text = (await readBody(request)).toString("utf8");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    calls.push({ method: request.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: request.headers.authorization, body, at: Date.now() });

    const send = (status: number, value?: unknown) => {
      if (value === undefined) return response.writeHead(status).end();
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    };
    const fail = (status: number, reason: string, details: string) => send(status, { error: { reason, details } });

    if (options.respondWith) return fail(options.respondWith, "INTERNAL_SERVER_ERROR", "the provider is having a bad day");
    if (request.headers.authorization !== `Bearer ${options.token}`) return fail(401, "UNAUTHORIZED", "Access token is missing or invalid");

    const id = url.pathname.match(/^\/pins\/([^/]+)$/)?.[1];
    if (url.pathname === "/pins" && request.method === "GET") {
      const list = (name: string) => url.searchParams.getAll(name).flatMap((value) => value.split(",")).filter(Boolean);
      const cids = list("cid");
      const statuses = list("status");
      if (statuses.some((status) => !STATUSES.includes(status))) return fail(400, "BAD_REQUEST", "unknown status");
      const limit = Number(url.searchParams.get("limit") ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(400, "BAD_REQUEST", "limit is 1 to 1000");
      const name = url.searchParams.get("name");
      const matching = [...pins.values()]
        .filter((pin) => (statuses.length ? statuses : ["pinned"]).includes(pin.status))
        .filter((pin) => !cids.length || cids.includes(pin.pin.cid))
        .filter((pin) => name === null || pin.pin.name === name)
        .sort((a, b) => b.created.localeCompare(a.created));
      return send(200, { count: matching.length, results: matching.slice(0, limit) });
    }
    if (url.pathname === "/pins" && request.method === "POST") {
      const problem = checkPin(body);
      if (problem) return fail(400, "BAD_REQUEST", problem);
      return send(202, create(body as Pin));
    }
    if (id && !pins.has(id)) return fail(404, "NOT_FOUND", "The specified resource was not found");
    if (id && request.method === "GET") return send(200, pins.get(id));
    if (id && request.method === "POST") {
      const problem = checkPin(body);
      if (problem) return fail(400, "BAD_REQUEST", problem);
      pins.delete(id);
      return send(202, create(body as Pin));
    }
    if (id && request.method === "DELETE") {
      pins.delete(id);
      return send(202);
    }
    return fail(404, "NOT_FOUND", `no ${request.method} ${url.pathname}`);
  }

  function create(pin: Pin): PinStatus {
    // `created` is unique per pin (the spec pages by it).
    clock = Math.max(clock + 1, Date.now());
    const status: PinStatus = { requestid: randomUUID(), status: "queued", created: new Date(clock).toISOString(), pin, delegates: [DELEGATE] };
    pins.set(status.requestid, status);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (pins.get(status.requestid) === status) status.status = "pinned";
    }, pinAfterMs);
    timers.add(timer);
    return { ...status };
  }

  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pins,
    calls,
    /** The pin requests made (POST /pins and replacements). */
    pinRequests: () => calls.filter((call) => call.method === "POST"),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The spec's Pin schema: a CID, optional name (≤ 255), origins (≤ 20, unique strings), meta (strings). */
function checkPin(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "the body is not a Pin object";
  const { cid, name, origins, meta, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length) return `unknown fields ${Object.keys(rest).join(", ")}`;
  if (typeof cid !== "string") return "cid is required";
  try {
    CID.parse(cid);
  } catch {
    return "cid is not a CID";
  }
  if (name !== undefined && (typeof name !== "string" || name.length > 255)) return "name is a string of at most 255 characters";
  if (origins !== undefined && (!Array.isArray(origins) || origins.length > 20 || origins.some((o) => typeof o !== "string") || new Set(origins).size !== origins.length)) {
    return "origins is a list of up to 20 unique multiaddrs";
  }
  if (meta !== undefined && (typeof meta !== "object" || meta === null || Object.values(meta).some((v) => typeof v !== "string"))) return "meta maps strings to strings";
  return undefined;
}

type Provider = Awaited<ReturnType<typeof startProvider>>;

// ------------------------------------------------------------------------------- test content

const TOKEN = "secret-token-of-the-organiser";
const ORIGINS = ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWOriginKuboNodeHoldingTheBlocks", "/ip6/::1/tcp/4001/p2p/12D3KooWOriginKuboNodeHoldingTheBlocks"];
const noChain = { factory: "0x5FbDB2315678afecb367f032d93F642f64180aa3", factoryBlock: 0n, membership: "0x0000000000000000000000000000000000000004", implementation: "0x0000000000000000000000000000000000000003", renderer: "0x0000000000000000000000000000000000000001", usdc: "0x0000000000000000000000000000000000000002" } as const;
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const eventMetadata = {
  name: "Harbour Lights",
  description: "An evening of light and sound on the harbour.",
  image: "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
  venue: { name: "Queens Wharf" },
  start_time: 1_790_000_000,
  end_time: 1_790_028_800,
  tiers: [{ name: "Standing", price: "10000000000000000" }],
};
const cidOf = async (bytes: Uint8Array) => (await addFile(bytes, new MemoryBlockstore())).toString();

type App = ReturnType<typeof buildApp>;

interface PinRow {
  status: string;
  request_id: string | null;
  reason: string | null;
  http_status: number | null;
  attempts: number;
  next_attempt_ms: number | null;
}

// ------------------------------------------------------------------------------------- tests

describe("Server: remote pinning (IPFS Pinning Service API)", function () {
  describe("uploads", function () {
    let provider: Provider | undefined;
    let app: App | undefined;
    let db: Database | undefined;
    let cookie: string;

    afterEach(async function () {
      db?.close();
      await app?.close();
      await provider?.close();
      db = app = provider = undefined;
    });

    async function start(url: string, env: Record<string, string> = {}) {
      // Retries 50 ms after the upload, then doubling: the loop follows a queued pin to pinned quickly.
      app = buildApp(
        testConfig("http://127.0.0.1:1", noChain, {}, { IPFS_PINNING_URL: url, IPFS_PINNING_TOKEN: TOKEN, IPFS_PINNING_ORIGINS: ORIGINS.join(","), IPFS_PINNING_RETRY_MS: "50", ...env }),
      );
      cookie = await signIn(app, localAccount(2));
      db = openDatabase(app.config.contentDatabasePath);
    }
    const uploadArtwork = (body: Buffer) =>
      app!.server.inject({ method: "POST", url: "/metadata/artwork", headers: { "content-type": "application/octet-stream", cookie }, payload: body });
    const uploadMetadata = (body: unknown) =>
      app!.server.inject({ method: "POST", url: "/metadata/event", headers: { "content-type": "application/json", cookie }, payload: JSON.stringify(body) });
    const pinRow = (cid: string) => db!.prepare("SELECT status, request_id, reason, http_status, attempts, next_attempt_ms FROM ipfs_remote_pins WHERE cid = ?").get(cid) as PinRow | undefined;

    it("pins uploaded artwork on the provider: the CID the server returns, named, with the origins; then follows it to pinned", async function () {
      provider = await startProvider({ token: TOKEN });
      await start(provider.url);
      const response = await uploadArtwork(PNG);
      expect(response.statusCode).to.equal(201);
      const body = response.json();
      const cid = await cidOf(PNG);
      expect(body).to.deep.include({ cid, uri: `ipfs://${cid}`, url: `/ipfs/${cid}`, contentType: "image/png", size: PNG.length });

      const [request] = provider.pinRequests();
      expect(provider.pinRequests()).to.have.length(1);
      expect(request.path).to.equal("/pins");
      expect(request.authorization).to.equal(`Bearer ${TOKEN}`);
      expect(request.body).to.deep.equal({ cid, name: "chainpass artwork", origins: ORIGINS });
      // It looked for an existing pin of the CID first, in every state.
      const lookup = provider.calls.find((call) => call.method === "GET" && call.path === "/pins");
      expect(lookup?.query).to.deep.include({ cid, status: "queued,pinning,pinned,failed" });

      const [stored] = [...provider.pins.values()];
      expect(body.pin).to.deep.equal({ status: "queued", requestId: stored.requestid });
      // The retry loop polls the request until the provider has pinned it.
      await eventually(async () => pinRow(cid)?.status === "pinned", "the pin followed to pinned", 10_000);
      expect(pinRow(cid)).to.deep.include({ request_id: stored.requestid, next_attempt_ms: null });
      expect(provider.calls.some((call) => call.method === "GET" && call.path === `/pins/${stored.requestid}`)).to.equal(true);
      // The bytes are served here as before.
      const served = await app!.server.inject({ method: "GET", url: `/ipfs/${cid}` });
      expect(served.statusCode).to.equal(200);
      expect(served.rawPayload.equals(PNG)).to.equal(true);
    });

    it("pins uploaded event metadata the same way, under the CID of the canonical JSON the server returns", async function () {
      provider = await startProvider({ token: TOKEN });
      await start(provider.url);
      const response = await uploadMetadata(eventMetadata);
      expect(response.statusCode).to.equal(201);
      const { cid, metadata, pin } = response.json();
      expect(metadata.name).to.equal("Harbour Lights");
      const stored = await app!.server.inject({ method: "GET", url: `/ipfs/${cid}` });
      expect(cid).to.equal(await cidOf(stored.rawPayload));
      expect(provider.pinRequests().map((call) => call.body)).to.deep.equal([{ cid, name: "chainpass event-metadata", origins: ORIGINS }]);
      expect(pin.status).to.be.oneOf(["queued", "pinned"]);
      expect(pin.requestId).to.equal([...provider.pins.keys()][0]);
    });

    it("makes one pin request for the same bytes uploaded twice", async function () {
      provider = await startProvider({ token: TOKEN, pinAfterMs: 60_000 });
      await start(provider.url);
      const first = (await uploadArtwork(PNG)).json();
      const second = await uploadArtwork(PNG);
      expect(second.statusCode).to.equal(201);
      expect(second.json().cid).to.equal(first.cid);
      expect(second.json().pin).to.deep.equal(first.pin);
      expect(provider.pinRequests()).to.have.length(1);
      expect(provider.pins.size).to.equal(1);
    });

    it("with a wrong token: stores the bytes, answers 201 with the pin failed and the provider's reason (401), and leaks no stack", async function () {
      provider = await startProvider({ token: "the-right-token" });
      await start(provider.url);
      const response = await uploadArtwork(PNG);
      expect(response.statusCode).to.equal(201);
      const cid = await cidOf(PNG);
      expect(response.json()).to.deep.equal({
        cid,
        uri: `ipfs://${cid}`,
        url: `/ipfs/${cid}`,
        contentType: "image/png",
        size: PNG.length,
        pin: { status: "failed", reason: "UNAUTHORIZED", httpStatus: 401 },
      });
      expect(response.body).to.not.match(/\n\s+at |Error:|node:internal|pinning-service\.ts/);
      expect(response.body).to.not.contain(TOKEN);
      expect(provider.pins.size).to.equal(0);
      const served = await app!.server.inject({ method: "GET", url: `/ipfs/${cid}` });
      expect(served.statusCode).to.equal(200);
      expect(served.rawPayload.equals(PNG)).to.equal(true);
      expect(pinRow(cid)).to.deep.include({ status: "failed", reason: "UNAUTHORIZED", http_status: 401 });
    });

    it("with the provider down: answers 201 with the pin pending, and the retry loop pins it once the provider is back", async function () {
      const port = await freePort(); // nothing listens there yet
      await start(`http://127.0.0.1:${port}`);
      const response = await uploadArtwork(PNG);
      expect(response.statusCode).to.equal(201);
      const cid = await cidOf(PNG);
      expect(response.json().cid).to.equal(cid);
      expect(response.json().pin).to.deep.equal({ status: "pending", reason: "pinning-service-unavailable" });
      expect((await app!.server.inject({ method: "GET", url: `/ipfs/${cid}` })).rawPayload.equals(PNG)).to.equal(true);

      provider = await startProvider({ token: TOKEN, port });
      await eventually(async () => pinRow(cid)?.status === "pinned", "the retried pin", 15_000);
      expect(provider.pinRequests().map((call) => call.body)).to.deep.equal([{ cid, name: "chainpass artwork", origins: ORIGINS }]);
      expect([...provider.pins.values()].map((status) => [status.pin.cid, status.status])).to.deep.equal([[cid, "pinned"]]);
    });
  });

  describe("the client", function () {
    let provider: Provider;
    afterEach(async () => provider?.close());

    it("reuses an existing pin of the CID (even one it did not make) and replaces a failed one", async function () {
      provider = await startProvider({ token: TOKEN, pinAfterMs: 60_000 });
      const client = new PinningServiceClient({ url: `${provider.url}/`, token: TOKEN });
      const cid = await cidOf(PNG);
      const first = await client.pin(cid, "chainpass artwork", ORIGINS);
      expect(first).to.deep.include({ status: "queued", delegates: [DELEGATE] });
      // Another server (its own database) pins the same bytes: no second request.
      const again = await new PinningServiceClient({ url: provider.url, token: TOKEN }).pin(cid, "chainpass artwork");
      expect(again.requestid).to.equal(first.requestid);
      expect(provider.pinRequests()).to.have.length(1);

      provider.pins.get(first.requestid)!.status = "failed";
      const replaced = await client.pin(cid, "chainpass artwork", ORIGINS);
      expect(replaced.requestid).to.not.equal(first.requestid);
      expect(provider.pinRequests().at(-1)!.path).to.equal(`/pins/${first.requestid}`);
      expect([...provider.pins.keys()]).to.deep.equal([replaced.requestid]);

      expect((await client.get(replaced.requestid)).pin.cid).to.equal(cid);
      await client.remove(replaced.requestid);
      expect(provider.pins.size).to.equal(0);
    });

    it("turns the provider's Failure into a PinningServiceError with its reason and HTTP status", async function () {
      provider = await startProvider({ token: TOKEN });
      const refused = await new PinningServiceClient({ url: provider.url, token: "wrong" }).pin(await cidOf(PNG)).catch((error: unknown) => error);
      expect(refused).to.be.instanceOf(PinningServiceError);
      expect(refused).to.deep.include({ reason: "UNAUTHORIZED", httpStatus: 401, transient: false });
      const missing = await new PinningServiceClient({ url: provider.url, token: TOKEN }).get("no-such-request").catch((error: unknown) => error);
      expect(missing).to.deep.include({ reason: "NOT_FOUND", httpStatus: 404 });
      const down = await new PinningServiceClient({ url: `http://127.0.0.1:${await freePort()}`, token: TOKEN }).pin(await cidOf(PNG)).catch((error: unknown) => error);
      expect(down).to.be.instanceOf(PinningServiceError);
      expect(down).to.deep.include({ reason: "pinning-service-unavailable", httpStatus: undefined, transient: true });
    });
  });

  describe("the retry loop", function () {
    let provider: Provider | undefined;
    let store: PinnedContentStore | undefined;
    let db: Database;

    beforeEach(() => (db = openDatabase(":memory:")));
    afterEach(async function () {
      await store?.stop();
      await provider?.close();
      db.close();
      store = provider = undefined;
    });

    const row = (cid: string) => db.prepare("SELECT status, request_id, reason, http_status, attempts, next_attempt_ms FROM ipfs_remote_pins WHERE cid = ?").get(cid) as unknown as PinRow;

    it("gives up after its last retry, with waits doubling, and keeps the content", async function () {
      provider = await startProvider({ token: TOKEN, respondWith: 503 });
      store = new PinnedContentStore(new LocalContentStore(db), new PinningServiceClient({ url: provider.url, token: TOKEN }), db, { retryMs: 20, maxAttempts: 3 });
      store.start();
      const cid = await store.add(PNG, { name: "chainpass artwork" });
      expect(store.pinState(cid)).to.deep.equal({ status: "pending", reason: "INTERNAL_SERVER_ERROR", httpStatus: 503 });
      await eventually(async () => row(cid.toString()).next_attempt_ms === null, "the loop giving up", 10_000);
      expect(row(cid.toString())).to.deep.include({ status: "pending", attempts: 3 });
      const lookups = provider.calls.filter((call) => call.method === "GET");
      expect(lookups).to.have.length(4); // during the upload, then three retries
      // 20, 40 then 80 ms at least between them (1 ms of timer slack).
      lookups.slice(1).forEach((call, i) => expect(call.at - lookups[i].at).to.be.at.least(20 * 2 ** i - 1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(provider.calls.filter((call) => call.method === "GET")).to.have.length(4);
      expect(Buffer.from(await store.cat(cid)).equals(PNG)).to.equal(true);
    });

    it("stops on stop(): nothing is sent after it", async function () {
      const port = await freePort();
      store = new PinnedContentStore(new LocalContentStore(db), new PinningServiceClient({ url: `http://127.0.0.1:${port}`, token: TOKEN }), db, { retryMs: 20 });
      store.start();
      const cid = await store.add(PNG);
      expect(store.pinState(cid)?.status).to.equal("pending");
      await store.stop();
      provider = await startProvider({ token: TOKEN, port });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(provider.calls).to.have.length(0);
      expect(row(cid.toString()).status).to.equal("pending");
    });
  });

  describe("configuration", function () {
    const env = { CHAINPASS_FACTORY: noChain.factory };

    it("refuses IPFS_PINNING_URL without IPFS_PINNING_TOKEN, naming the token", function () {
      expect(() => configFromEnv({ ...env, IPFS_PINNING_URL: "https://pinning.example/psa" }))
        .to.throw(ConfigError)
        .with.property("message")
        .that.contains("IPFS_PINNING_TOKEN");
    });

    it("refuses a URL that is not http(s), origins that are not multiaddrs, and a token or origins without a URL, naming each", function () {
      const refusal = (values: Record<string, string>) => {
        try {
          configFromEnv({ ...env, ...values });
        } catch (error) {
          expect(error).to.be.instanceOf(ConfigError);
          return (error as Error).message;
        }
        throw new Error(`accepted ${JSON.stringify(values)}`);
      };
      expect(refusal({ IPFS_PINNING_URL: "ftp://pinning.example", IPFS_PINNING_TOKEN: TOKEN })).to.contain("IPFS_PINNING_URL");
      expect(refusal({ IPFS_PINNING_URL: "https://pinning.example", IPFS_PINNING_TOKEN: TOKEN, IPFS_PINNING_ORIGINS: "127.0.0.1:4001" })).to.contain("IPFS_PINNING_ORIGINS");
      expect(refusal({ IPFS_PINNING_TOKEN: TOKEN })).to.contain("IPFS_PINNING_URL");
      expect(refusal({ IPFS_PINNING_ORIGINS: ORIGINS[0] })).to.contain("IPFS_PINNING_URL");
      const badToken = refusal({ IPFS_PINNING_URL: "https://pinning.example", IPFS_PINNING_TOKEN: "two words" });
      expect(badToken).to.contain("IPFS_PINNING_TOKEN").and.not.contain("two words");
    });

    it("reads the endpoint, token and origins; no URL means no remote pinning", function () {
      const config = configFromEnv({ ...env, IPFS_PINNING_URL: "https://pinning.example/psa", IPFS_PINNING_TOKEN: TOKEN, IPFS_PINNING_ORIGINS: ` ${ORIGINS[0]} , ${ORIGINS[1]},` });
      expect(config.metadata.pinning).to.deep.equal({ url: "https://pinning.example/psa", token: TOKEN, origins: ORIGINS, retryMs: 30_000 });
      expect(configFromEnv(env).metadata.pinning).to.equal(undefined);
    });
  });
});
