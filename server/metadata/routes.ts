// Routes of the metadata module (docs/ARCHITECTURE.md section 5):
//   POST /metadata/artwork          signed in; body = the image bytes (any Content-Type: the type is read from the bytes)
//   POST /metadata/event            signed in; body = event metadata JSON
//   POST /metadata/announcement     signed in; body = { title, body, link? } (then announced on chain)
//   GET  /ipfs/:cid                 uploaded content, immutable
//   GET  /metadata/:event/:tokenId  a ticket's metadata JSON, as its tokenURI renders it
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CID } from "multiformats/cid";
import { getAddress, isAddress, type Address } from "viem";

import { requireSession } from "../auth/routes.js";
import type { PublicClient } from "../chain.js";
import type { Database } from "../db.js";
import { announcementSchema, normalizeAnnouncement, type AnnouncementText } from "./announcement.js";
import { checkArtwork } from "./artwork.js";
import type { SvgLimits } from "./svg-limits.js";
import { canonicalJson } from "./canonical-json.js";
import { ContentCatalog, type UploadKind } from "./catalog.js";
import { contentStoreFor, type ContentStore } from "./content-store.js";
import { eventMetadataSchema, normalizeEventMetadata, type EventMetadata } from "./event-metadata.js";
import { PinnedContentStore, PinningServiceClient } from "./pinning-service.js";
import { invalidField, IpfsNodeError, Refusal } from "./refusal.js";
import { ChainUnavailable, TokenMetadataReader } from "./token-metadata.js";

export interface MetadataConfig {
  /** Largest artwork upload in bytes. */
  maxArtworkBytes: number;
  /** Largest event metadata JSON in bytes. */
  maxMetadataBytes: number;
  /** A kubo RPC API (http://127.0.0.1:5001): content is added and pinned there. Unset: the embedded block store in the server's database. */
  ipfsApiUrl?: string;
  /**
   * A remote pinning service (IPFS Pinning Service API): every upload is also pinned there, and
   * the upload's response says how far (`pin`). Unset: no remote pins.
   */
  pinning?: {
    url: string;
    token: string;
    /** Multiaddrs that hold the blocks (a kubo node's), sent as the pins' `origins`. */
    origins: string[];
    /** First retry of a pin not yet done after this long, then with doubling waits. */
    retryMs: number;
  };
  /** SVG artwork: largest size, element nesting and element count, checked before it is parsed. */
  svg: SvgLimits;
}

export interface MetadataDeps {
  config: MetadataConfig;
  db: Database;
  client: PublicClient;
  /** The TicketFactory whose events /metadata/:event/:tokenId serves. */
  factory: Address;
  /** Operators' messages (a pinning service refusing the token, ...). */
  log?: (message: string) => void;
}

// Content never changes under its CID.
const IMMUTABLE = "public, max-age=31536000, immutable";
// A ticket's status changes on check-in or cancellation (the contract emits ERC-4906 events then).
const TOKEN_METADATA_MAX_AGE = "public, max-age=60";

const unixNow = () => Math.floor(Date.now() / 1000);

export function registerMetadata(scope: FastifyInstance, deps: MetadataDeps) {
  const { config } = deps;
  const pinned = config.pinning
    ? new PinnedContentStore(contentStoreFor(config, deps.db), new PinningServiceClient(config.pinning), deps.db, {
        origins: config.pinning.origins,
        retryMs: config.pinning.retryMs,
        log: deps.log,
      })
    : undefined;
  const store: ContentStore = pinned ?? contentStoreFor(config, deps.db);
  if (pinned) {
    pinned.start();
    scope.addHook("onClose", () => pinned.stop());
  }
  const catalog = new ContentCatalog(deps.db);
  const tokens = new TokenMetadataReader(deps.client, deps.factory);

  /** Stores the bytes, then records them: content is served only once it is complete. */
  async function publish(bytes: Uint8Array, contentType: string, kind: UploadKind, uploader: Address) {
    const cid = (await store.add(bytes, { name: `chainpass ${kind}` })).toString();
    catalog.record({ cid, contentType, size: bytes.length }, { kind, uploader, at: unixNow() });
    // With remote pinning: where the pin stands (it never fails the upload; pinning-service.ts).
    const pin = pinned?.pinState(cid);
    return { cid, uri: `ipfs://${cid}`, url: `/ipfs/${cid}`, contentType, size: bytes.length, ...(pin ? { pin } : {}) };
  }

  // Own scope: its own error handler, and (for artwork) its own body parser.
  scope.register(async (metadata) => {
    metadata.setErrorHandler(refusalHandler);

    metadata.register(async (artwork) => {
      // The body is the file, whatever Content-Type the client declares.
      artwork.removeAllContentTypeParsers();
      artwork.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
      artwork.post("/metadata/artwork", { onRequest: requireSession, bodyLimit: config.maxArtworkBytes }, async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const { bytes, contentType, removed } = await checkArtwork(body, config.svg);
        const stored = await publish(bytes, contentType, "artwork", request.session!.address);
        return reply.code(201).send(removed ? { ...stored, removed } : stored);
      });
    });

    metadata.post<{ Body: EventMetadata }>(
      "/metadata/event",
      { onRequest: requireSession, bodyLimit: config.maxMetadataBytes, schema: { body: eventMetadataSchema } },
      async (request, reply) => {
        const metadata = normalizeEventMetadata(request.body);
        const stored = await publish(Buffer.from(canonicalJson(metadata), "utf8"), "application/json", "event-metadata", request.session!.address);
        return reply.code(201).send({ ...stored, metadata });
      },
    );

    metadata.post<{ Body: AnnouncementText }>(
      "/metadata/announcement",
      { onRequest: requireSession, bodyLimit: config.maxMetadataBytes, schema: { body: announcementSchema } },
      async (request, reply) => {
        const text = normalizeAnnouncement(request.body);
        const stored = await publish(Buffer.from(canonicalJson(text), "utf8"), "application/json", "announcement", request.session!.address);
        return reply.code(201).send({ ...stored, announcement: text });
      },
    );

    metadata.get<{ Params: { cid: string } }>("/ipfs/:cid", async (request, reply) => {
      const cid = parseCid(request.params.cid);
      const content = catalog.find(cid);
      if (!content) throw new Refusal(404, "unknown-cid", `Nothing was uploaded here as ${cid}`);
      const etag = `"${cid}"`;
      reply.headers({
        "cache-control": IMMUTABLE,
        etag,
        "access-control-allow-origin": "*",
        "x-content-type-options": "nosniff",
        // Opened directly, an SVG is a document: let it draw but never run or fetch anything.
        "content-security-policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
      });
      if (matchesEtag(request.headers["if-none-match"], etag)) return reply.code(304).send();
      return reply.type(content.contentType).send(Buffer.from(await store.cat(CID.parse(cid))));
    });

    metadata.get<{ Params: { event: string; tokenId: string } }>("/metadata/:event/:tokenId", async (request, reply) => {
      const { tokenId } = request.params;
      if (!isAddress(request.params.event, { strict: false })) throw new Refusal(400, "invalid-event", `${request.params.event} is not an address`);
      const event = getAddress(request.params.event.toLowerCase()); // any letter case, as in a URL typed by hand
      if (!/^[0-9]{1,78}$/.test(tokenId) || BigInt(tokenId) >= 2n ** 256n) throw new Refusal(400, "invalid-token-id", `${tokenId} is not a token id`);
      if (!(await tokens.isChainpassEvent(event))) throw new Refusal(404, "unknown-event", `No Chainpass event at ${event}`);
      const json = await tokens.tokenJson(event, BigInt(tokenId));
      if (json === undefined) throw new Refusal(404, "unknown-token", `Token ${tokenId} of ${event} does not exist (never sold, or refunded)`);
      reply.headers({ "cache-control": TOKEN_METADATA_MAX_AGE, "access-control-allow-origin": "*" });
      return reply.type("application/json; charset=utf-8").send(json);
    });
  });
}

/** A CID in any form CID.parse reads, as CIDv1 base32 (how the catalog keys content). */
function parseCid(text: string): string {
  try {
    return CID.parse(text).toV1().toString();
  } catch {
    throw new Refusal(400, "invalid-cid", `${text} is not a CID`);
  }
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*") ?? false;
}

/** Named refusals for this module's checks; anything else goes on to the app's error handler. */
function refusalHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof Refusal) return reply.code(error.statusCode).send(error.body);
  if (error instanceof IpfsNodeError) return reply.code(502).send({ error: error.reason, message: error.message });
  if (error instanceof ChainUnavailable) return reply.code(503).send({ error: "chain-unavailable", message: error.message });
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const limit = request.routeOptions.bodyLimit;
    return reply.code(413).send({ error: "too-large", message: `The upload is larger than the ${limit}-byte limit`, limit });
  }
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    return reply.code(400).send({ error: "invalid-json", message: "The body is not a JSON document" });
  }
  if (error.validation) {
    const [first] = error.validation;
    const params = first.params as { missingProperty?: string; additionalProperty?: string };
    const refusal = params.missingProperty
      ? invalidField(`${first.instancePath}/${params.missingProperty}`, "is required")
      : params.additionalProperty
        ? invalidField(`${first.instancePath}/${params.additionalProperty}`, "is not a known field")
        : invalidField(first.instancePath || "/", first.message ?? "is invalid");
    return reply.code(refusal.statusCode).send(refusal.body);
  }
  throw error;
}
