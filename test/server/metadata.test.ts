import { createCipheriv, createHash } from "node:crypto";

import * as dagPb from "@ipld/dag-pb";
import { BlackHoleBlockstore } from "blockstore-core/black-hole";
import { MemoryBlockstore } from "blockstore-core/memory";
import { expect } from "chai";
import { UnixFS } from "ipfs-unixfs";
import { importBytes } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import type { Address } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { buildApp } from "../../server/app.js";
import type { ServerConfig } from "../../server/config.js";
import { openDatabase, type Database } from "../../server/db.js";
import { addFile, CHUNK_SIZE, ContentCatalog, LocalContentStore, type MetadataConfig } from "../../server/metadata/index.js";
import { DEFAULT_SVG_LIMITS } from "../../server/metadata/svg-limits.js";
import { localAccount } from "../../scripts/lib/local-chain.js";
import { startFakeKubo } from "../helpers/kubo-fake.js";
import { signIn, startLocalChain, testConfig, tokenId, venueFixture } from "../helpers/server.js";

// Uploads need no chain: the RPC URL is only called by /metadata/:event/:tokenId.
const noChain = { factory: "0x5FbDB2315678afecb367f032d93F642f64180aa3", factoryBlock: 0n, membership: "0x0000000000000000000000000000000000000004", implementation: "0x0000000000000000000000000000000000000003", renderer: "0x0000000000000000000000000000000000000001", usdc: "0x0000000000000000000000000000000000000002" } as const;
const MiB = 1024 * 1024;
const LIMITS: MetadataConfig = { maxArtworkBytes: 5 * MiB, maxMetadataBytes: 64 * 1024, svg: DEFAULT_SVG_LIMITS };

type App = ReturnType<typeof buildApp>;

/**
 * The app with the metadata module mounted the way app.ts is to mount it: in a scope where the
 * session cookie is resolved, as auth's hook does. Once app.ts calls registerMetadata itself,
 * this becomes plain buildApp.
 */
function metadataApp(config: ServerConfig, metadata: MetadataConfig = LIMITS): App {
  return buildApp({ ...config, metadata });
}

/** The database the web worker keeps uploads in (another connection to the same file). */
const contentDbs = new WeakMap<App, Database>();
function contentDb(app: App): Database {
  let db = contentDbs.get(app);
  if (!db) contentDbs.set(app, (db = openDatabase(app.config.contentDatabasePath)));
  return db;
}

// ------------------------------------------------------------------------------ test content

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0"), Buffer.alloc(64)]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x24, 0, 0, 0]), Buffer.from("WEBPVP8 "), Buffer.alloc(64)]);
const GIF = Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(64)]);

/**
 * The deterministic bytes of kubo's CID test vectors (test/cli/testutils DeterministicRandomReaderBytes):
 * the ChaCha20 keystream under key sha256(seed) and a zero nonce.
 */
function kuboDeterministicBytes(length: number, seed: string): Buffer {
  const key = createHash("sha256").update(seed).digest();
  // OpenSSL's chacha20 IV: a 32-bit block counter (0) then the 96-bit nonce (0).
  return createCipheriv("chacha20", key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** A PNG (by its signature and first chunks) of `length` bytes: filler after its IEND chunk. */
const pngOfLength = (length: number) => Buffer.concat([PNG, kuboDeterministicBytes(length - PNG.length, "filler")]);

const HOSTILE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(https://tracker.example/x.css); .a { fill: red }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <rect class="b" width="100" height="100" fill="url(#g)" onclick="steal()" style="stroke: url(https://tracker.example/p)"/>
  <image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/>
  <image href="data:image/png;base64,${PNG.toString("base64")}" width="1" height="1"/>
  <a href="javascript:alert(3)"><text x="10" y="50">Harbour Lights</text></a>
  <pattern id="p"><use xlink:href="#g"/></pattern>
  <use href="https://tracker.example/sprite.svg#icon"/>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
</svg>`;

const CLEAN_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#1d2440"/></svg>`;

const eventMetadata = () => ({
  name: "Harbour Lights",
  description: "An evening of light and sound on the harbour.",
  image: "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
  external_url: "https://harbourlights.example",
  venue: { name: "Queens Wharf", address: "1 Queens Wharf, Wellington" },
  start_time: 1_790_000_000,
  end_time: 1_790_028_800,
  currency: { symbol: "ETH", decimals: 18 },
  tiers: [
    { name: "Standing", price: "10000000000000000" },
    { name: "Stalls", price: "20000000000000000" },
  ],
  attributes: [
    { trait_type: "Genre", value: "Electronic" },
    { trait_type: "Doors", display_type: "date", value: 1_789_998_200 },
  ],
});

// ------------------------------------------------------------------------------------- tests

describe("Server: metadata", function () {
  describe("content addressing: the CIDs kubo gives (`ipfs add --cid-version=1 --raw-leaves`)", function () {
    // Published CIDs of small files (one raw block): "hello world" (kubo's CID profile tests and
    // the IPFS docs; it has no trailing newline) and "hello\n" (kubo's gateway test fixtures).
    for (const [text, cid] of [
      ["hello world", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"],
      ["hello\n", "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am"],
    ]) {
      it(`gives ${JSON.stringify(text)} the CID ${cid}`, async function () {
        expect((await addFile(Buffer.from(text), new MemoryBlockstore())).toString()).to.equal(cid);
      });
    }

    // kubo's own test vectors for multi-block files (test/cli/cid_profiles_test.go, IPIP-499):
    // one byte over the chunk size, so a dag-pb root over two leaves. They pin down the importer
    // against kubo for both chunk sizes and both leaf kinds; our parameters combine kubo's
    // default 256 KiB chunker with raw CIDv1 leaves, checked structurally in the next test.
    for (const vector of [
      { profile: "unixfs-v1-2025: raw leaves, 1 MiB chunks", size: 1_048_577, seed: "chunk-v1-seed", options: { cidVersion: 1, rawLeaves: true, chunker: fixedSize({ chunkSize: 1_048_576 }), layout: balanced({ maxChildrenPerNode: 1024 }) }, cid: "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64" },
      { profile: "unixfs-v0-2015: dag-pb leaves, 256 KiB chunks", size: 262_145, seed: "chunk-v0-seed", options: { cidVersion: 0, rawLeaves: false, chunker: fixedSize({ chunkSize: CHUNK_SIZE }), layout: balanced({ maxChildrenPerNode: 174 }) }, cid: "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ" },
    ] as const) {
      it(`the importer reproduces kubo's two-chunk vector for ${vector.profile}`, async function () {
        const { cid } = await importBytes(kuboDeterministicBytes(vector.size, vector.seed), new BlackHoleBlockstore(), vector.options);
        expect(cid.toString()).to.equal(vector.cid);
      });
    }

    it("chunks a larger file into 256 KiB raw leaves under one dag-pb UnixFS root", async function () {
      const bytes = kuboDeterministicBytes(3 * CHUNK_SIZE + 1000, "three chunks");
      const blocks = new MemoryBlockstore();
      const root = await addFile(bytes, blocks);
      expect(root.version).to.equal(1);
      expect(root.code).to.equal(dagPb.code);
      const node = dagPb.decode(Buffer.concat([...(blocks.get(root) as Generator<Uint8Array>)]));
      const file = UnixFS.unmarshal(node.Data!);
      expect(file.type).to.equal("file");
      expect(file.fileSize()).to.equal(BigInt(bytes.length));
      // Each leaf is the raw block of its slice: its CID computed here from the bytes alone.
      const slices = [0, 1, 2, 3].map((i) => bytes.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE));
      const leaves = await Promise.all(slices.map(async (slice) => CID.createV1(raw.code, await sha256.digest(slice)).toString()));
      expect(node.Links.map((link) => link.Hash.toString())).to.deep.equal(leaves);
      expect(file.blockSizes).to.deep.equal(slices.map((slice) => BigInt(slice.length)));
      // The same bytes give the same CID again.
      expect((await addFile(Buffer.from(bytes), new MemoryBlockstore())).equals(root)).to.equal(true);
    });

    it("keeps the blocks in SQLite and reads a multi-chunk file back", async function () {
      const app = buildApp(testConfig("http://127.0.0.1:1", noChain));
      try {
        const store = new LocalContentStore(contentDb(app));
        const bytes = kuboDeterministicBytes(2 * CHUNK_SIZE + 7, "two chunks");
        const cid = await store.add(bytes);
        expect(cid.equals(await addFile(bytes, new MemoryBlockstore()))).to.equal(true);
        expect(Buffer.from(await store.cat(cid)).equals(bytes)).to.equal(true);
        const blocks = contentDb(app).prepare("SELECT COUNT(*) AS n FROM ipfs_blocks").get() as { n: number };
        expect(blocks.n).to.equal(4); // three leaves and the root
      } finally {
        await app.close();
      }
    });
  });

  describe("uploads and /ipfs", function () {
    let app: App;
    let cookie: string;
    const organizer = localAccount(2);

    // One server for these tests (its web thread takes ~2 s to start): each checks what it stored
    // against the count before it.
    const stored = () => (contentDb(app).prepare("SELECT COUNT(*) AS n FROM ipfs_content").get() as { n: number }).n;
    let storedBefore = 0;
    before(async function () {
      app = metadataApp(testConfig("http://127.0.0.1:1", noChain));
      cookie = await signIn(app, organizer);
      // The web thread makes its tables when it starts: any request of its starts it.
      expect((await app.server.inject({ method: "GET", url: `/ipfs/${(await addFile(PNG, new MemoryBlockstore())).toString()}` })).statusCode).to.equal(404);
    });
    beforeEach(function () {
      storedBefore = stored();
    });
    after(async function () {
      await app?.close();
    });

    const uploadArtwork = (body: Buffer | string, contentType = "application/octet-stream", session = cookie) =>
      app.server.inject({ method: "POST", url: "/metadata/artwork", headers: { "content-type": contentType, cookie: session }, payload: body });
    const uploadMetadata = (body: unknown, session = cookie) =>
      app.server.inject({
        method: "POST",
        url: "/metadata/event",
        headers: { "content-type": "application/json", cookie: session },
        payload: typeof body === "string" ? body : JSON.stringify(body),
      });
    const get = (url: string, headers: Record<string, string> = {}) => app.server.inject({ method: "GET", url, headers });

    describe("artwork", function () {
      it("stores a PNG under its CID, whatever type was declared, records the uploader and serves it immutable", async function () {
        const response = await uploadArtwork(PNG, "text/plain");
        expect(response.statusCode).to.equal(201);
        const cid = (await addFile(PNG, new MemoryBlockstore())).toString();
        expect(response.json()).to.deep.equal({ cid, uri: `ipfs://${cid}`, url: `/ipfs/${cid}`, contentType: "image/png", size: PNG.length });
        expect(new ContentCatalog(contentDb(app)).uploaders(cid)).to.deep.equal([organizer.address]);

        const served = await get(`/ipfs/${cid}`);
        expect(served.statusCode).to.equal(200);
        expect(served.rawPayload.equals(PNG)).to.equal(true);
        expect(served.headers).to.include({
          "content-type": "image/png",
          "cache-control": "public, max-age=31536000, immutable",
          etag: `"${cid}"`,
          "x-content-type-options": "nosniff",
        });
        expect((await get(`/ipfs/${cid}`, { "if-none-match": `"${cid}"` })).statusCode).to.equal(304);
      });

      it("detects JPEG and WebP from their bytes", async function () {
        expect((await uploadArtwork(JPEG, "image/png")).json().contentType).to.equal("image/jpeg");
        expect((await uploadArtwork(WEBP)).json().contentType).to.equal("image/webp");
      });

      it("stores a file larger than one chunk and serves it back whole", async function () {
        const big = pngOfLength(CHUNK_SIZE * 2 + 123);
        const { cid } = (await uploadArtwork(big)).json();
        expect(cid).to.equal((await addFile(big, new MemoryBlockstore())).toString());
        expect(cid).to.match(/^bafybei/); // a dag-pb root over raw leaves
        expect((await get(`/ipfs/${cid}`)).rawPayload.equals(big)).to.equal(true);
      });

      it("sanitizes SVG: no scripts, event handlers, foreign objects or external references are stored", async function () {
        const response = await uploadArtwork(HOSTILE_SVG, "image/svg+xml");
        expect(response.statusCode).to.equal(201);
        const body = response.json();
        expect(body.contentType).to.equal("image/svg+xml");
        expect(body.removed).to.include.members(["<script>", "@onload", "@onclick", "<foreignObject>", "<style>", "@style", "@xlink:href", "@href"]);
        const served = await get(body.url);
        expect(served.headers["content-type"]).to.equal("image/svg+xml");
        expect(served.headers["content-security-policy"]).to.include("sandbox");
        const svg = served.body;
        for (const gone of ["<script", "alert", "onload", "onclick", "foreignObject", "tracker.example", "javascript:", "@import"]) expect(svg).to.not.include(gone);
        // What only draws is kept: the gradient fill, the embedded raster image, the text.
        for (const kept of ['fill="url(#g)"', "data:image/png;base64,", 'xlink:href="#g"', "Harbour Lights", 'viewBox="0 0 100 100"']) expect(svg).to.include(kept);
      });

      it("keeps a clean SVG as it is", async function () {
        const body = (await uploadArtwork(CLEAN_SVG, "image/png")).json();
        expect(body.removed).to.deep.equal([]);
        expect((await get(body.url)).body).to.equal(CLEAN_SVG);
      });

      describe("refusals: a 4xx naming the failed check, and nothing stored", function () {
        it("requires a signed-in account", async function () {
          const response = await uploadArtwork(PNG, "image/png", "");
          expect(response.statusCode).to.equal(401);
          expect(response.json().error).to.equal("not-signed-in");
          expect(stored()).to.equal(storedBefore);
        });

        it("refuses a type other than PNG, JPEG, WebP or SVG, naming what it is", async function () {
          const gif = await uploadArtwork(GIF, "image/png");
          expect(gif.statusCode).to.equal(415);
          expect(gif.json()).to.include({ error: "unsupported-type", detected: "image/gif" });
          for (const disguised of ["<html><script>alert(1)</script></html>", '<?xml version="1.0"?><note>not an image</note>']) {
            const response = await uploadArtwork(disguised, "image/png");
            expect(response.statusCode, disguised).to.equal(415);
            expect(response.json().error, disguised).to.equal("unsupported-type");
          }
          expect(stored()).to.equal(storedBefore);
        });

        it("refuses an SVG that is not well-formed, has another root, or declares entities", async function () {
          for (const svg of [
            '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',
            '<html><svg xmlns="http://www.w3.org/2000/svg"/></html>',
            '<svg viewBox="0 0 1 1"/>', // no SVG namespace: XML, not SVG
            '<!DOCTYPE svg [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
          ]) {
            const response = await uploadArtwork(svg, "image/svg+xml");
            expect(response.statusCode, svg).to.equal(400);
            expect(response.json().error, svg).to.equal("invalid-svg");
          }
          expect(stored()).to.equal(storedBefore);
        });

        it("measures an SVG before parsing it: too deep, too many elements or too large is refused, naming the limit, without a stack overflow", async function () {
          const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
          const nested = (levels: number) => svg(`${"<g>".repeat(levels)}<rect/>${"</g>".repeat(levels)}`);
          for (const levels of [3_000, 12_000, 100_000]) {
            const response = await uploadArtwork(nested(levels), "image/svg+xml");
            expect(response.statusCode, `${levels} levels`).to.equal(400);
            expect(response.json(), `${levels} levels`).to.include({ error: "svg-too-deep", limit: DEFAULT_SVG_LIMITS.maxDepth });
          }
          const many = (count: number) => svg('<rect x="1" y="1" width="1" height="1"/>'.repeat(count));
          const fourMb = await uploadArtwork(many(100_000), "image/svg+xml");
          expect(fourMb.statusCode).to.equal(413);
          expect(fourMb.json()).to.include({ error: "svg-too-large", limit: DEFAULT_SVG_LIMITS.maxBytes });
          const crowded = await uploadArtwork(svg("<g/>".repeat(DEFAULT_SVG_LIMITS.maxElements + 1)), "image/svg+xml");
          expect(crowded.statusCode).to.equal(400);
          expect(crowded.json()).to.include({ error: "svg-too-many-elements", limit: DEFAULT_SVG_LIMITS.maxElements });
          // At the limit (the root, the groups and the rect: maxDepth levels), it is stored.
          expect((await uploadArtwork(nested(DEFAULT_SVG_LIMITS.maxDepth - 2), "image/svg+xml")).statusCode).to.equal(201);
          expect(stored()).to.equal(storedBefore + 1);
        });

        it("refuses artwork over the size limit (5 MiB by default) and an empty body", async function () {
          const tooLarge = await uploadArtwork(pngOfLength(5 * MiB + 1));
          expect(tooLarge.statusCode).to.equal(413);
          expect(tooLarge.json()).to.include({ error: "too-large", limit: 5 * MiB });
          expect((await uploadArtwork(pngOfLength(5 * MiB))).statusCode).to.equal(201);
          const empty = await uploadArtwork(Buffer.alloc(0));
          expect(empty.statusCode).to.equal(400);
          expect(empty.json().error).to.equal("empty");
        });
      });
    });

    describe("event metadata", function () {
      it("stores the canonical JSON: the same content in another key order or layout has the same CID", async function () {
        const response = await uploadMetadata(eventMetadata());
        expect(response.statusCode).to.equal(201);
        const { cid, uri, metadata } = response.json();
        expect(uri).to.equal(`ipfs://${cid}`);
        expect(metadata).to.deep.equal(eventMetadata());

        const reordered = JSON.stringify(Object.fromEntries(Object.entries(eventMetadata()).reverse()), null, 2);
        expect((await uploadMetadata(reordered)).json().cid).to.equal(cid);

        const served = await get(`/ipfs/${cid}`);
        expect(served.headers["content-type"]).to.match(/^application\/json/);
        expect(served.body.startsWith('{"attributes":[{"trait_type":"Genre","value":"Electronic"}')).to.equal(true);
        expect(served.json()).to.deep.equal(eventMetadata());
      });

      it("writes the image as CIDv1 base32, however the CID was given", async function () {
        const v0 = "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN"; // kubo's fixture "hello\n" as CIDv0
        const response = await uploadMetadata({ ...eventMetadata(), image: `ipfs://${v0}` });
        expect(response.json().metadata.image).to.equal(`ipfs://${CID.parse(v0).toV1().toString()}`);
      });

      it("refuses invalid metadata, naming the field", async function () {
        const valid = eventMetadata();
        const cases: [unknown, string][] = [
          [{ ...valid, name: undefined }, "/name"],
          [{ ...valid, name: "" }, "/name"],
          [{ ...valid, description: 42 }, "/description"],
          [{ ...valid, image: "https://example.com/a.png" }, "/image"],
          [{ ...valid, image: "ipfs://not-a-cid" }, "/image"],
          [{ ...valid, image: `${valid.image}/poster.png` }, "/image"],
          [{ ...valid, venue: {} }, "/venue/name"],
          [{ ...valid, start_time: "tomorrow" }, "/start_time"],
          [{ ...valid, end_time: valid.start_time }, "/end_time"],
          [{ ...valid, tiers: [] }, "/tiers"],
          [{ ...valid, tiers: [{ name: "Standing", price: "0.01" }] }, "/tiers/0/price"],
          [{ ...valid, tiers: [{ name: "Standing", price: 1 }] }, "/tiers/0/price"],
          [{ ...valid, tiers: [valid.tiers[0], valid.tiers[0]] }, "/tiers/1/name"],
          [{ ...valid, attributes: [{ trait_type: "Doors", display_type: "date", value: "8pm" }] }, "/attributes/0/value"],
          [{ ...valid, attributes: [{ trait_type: "Mood", display_type: "sparkly", value: 1 }] }, "/attributes/0/display_type"],
          [{ ...valid, external_url: "javascript:alert(1)" }, "/external_url"],
          [{ ...valid, animation_url: "https://example.com" }, "/animation_url"],
        ];
        for (const [body, field] of cases) {
          const response = await uploadMetadata(body);
          expect(response.statusCode, field).to.equal(400);
          expect(response.json(), field).to.include({ error: "invalid-field", field });
        }
        expect(stored()).to.equal(storedBefore);
      });

      it("keeps the venue's IANA time zone; refuses an unknown zone, an offset or a non-string, naming /timezone", async function () {
        const stored = await uploadMetadata({ ...eventMetadata(), timezone: "Pacific/Auckland" });
        expect(stored.statusCode).to.equal(201);
        expect(stored.json().metadata.timezone).to.equal("Pacific/Auckland");
        expect((await get(`/ipfs/${stored.json().cid}`)).json()).to.deep.include({ timezone: "Pacific/Auckland" });
        // Old events have none: still accepted.
        expect((await uploadMetadata(eventMetadata())).statusCode).to.equal(201);
        for (const timezone of ["Mars/Olympus_Mons", "+08:00", "GMT+8 ", "", 480, "Asia/".padEnd(65, "x")]) {
          const refused = await uploadMetadata({ ...eventMetadata(), timezone });
          expect(refused.statusCode, String(timezone)).to.equal(400);
          expect(refused.json(), String(timezone)).to.include({ error: "invalid-field", field: "/timezone" });
        }
        const named = (await uploadMetadata({ ...eventMetadata(), timezone: "Mars/Olympus_Mons" })).json();
        expect(named.message).to.equal('/timezone must be an IANA time zone name such as "Asia/Shanghai", not "Mars/Olympus_Mons"');
      });

      it("keeps a refund policy as setRefundPolicy takes it; refuses a malformed one, naming the step's field", async function () {
        const refundPolicy = { steps: [{ secondsBefore: 7 * 86_400, shareBps: 10_000 }, { secondsBefore: 43_200, shareBps: 5_000 }] };
        const stored = await uploadMetadata({ ...eventMetadata(), refundPolicy });
        expect(stored.statusCode).to.equal(201);
        expect(stored.json().metadata.refundPolicy).to.deep.equal(refundPolicy);
        expect((await get(`/ipfs/${stored.json().cid}`)).json()).to.deep.include({ refundPolicy });
        // One step until the start itself (0 seconds before) is a policy too.
        expect((await uploadMetadata({ ...eventMetadata(), refundPolicy: { steps: [{ secondsBefore: 0, shareBps: 1 }] } })).statusCode).to.equal(201);
        const step = (secondsBefore: unknown, shareBps: unknown) => ({ secondsBefore, shareBps });
        const cases: [unknown, string][] = [
          [{ steps: [] }, "/refundPolicy/steps"],
          [{ steps: [step(5, 5), step(4, 4), step(3, 3), step(2, 2), step(1, 1)] }, "/refundPolicy/steps"],
          [{}, "/refundPolicy/steps"],
          [{ steps: [step(3600, 0)] }, "/refundPolicy/steps/0/shareBps"],
          [{ steps: [step(3600, 10_001)] }, "/refundPolicy/steps/0/shareBps"],
          [{ steps: [step(-1, 5000)] }, "/refundPolicy/steps/0/secondsBefore"],
          [{ steps: [step(2 ** 32, 5000)] }, "/refundPolicy/steps/0/secondsBefore"],
          [{ steps: [step("1 day", 5000)] }, "/refundPolicy/steps/0/secondsBefore"],
          [{ steps: [step(1.5, 5000)] }, "/refundPolicy/steps/0/secondsBefore"],
          [{ steps: [step(86_400, 5000), step(86_400, 2500)] }, "/refundPolicy/steps/1/secondsBefore"],
          [{ steps: [step(86_400, 5000), step(172_800, 2500)] }, "/refundPolicy/steps/1/secondsBefore"],
          [{ steps: [step(86_400, 5000), step(3600, 5000)] }, "/refundPolicy/steps/1/shareBps"],
          [{ steps: [step(86_400, 5000)], exchanges: true }, "/refundPolicy/exchanges"],
        ];
        for (const [policy, field] of cases) {
          const refused = await uploadMetadata({ ...eventMetadata(), refundPolicy: policy });
          expect(refused.statusCode, JSON.stringify(policy)).to.equal(400);
          expect(refused.json(), JSON.stringify(policy)).to.include({ error: "invalid-field", field });
        }
        const named = (await uploadMetadata({ ...eventMetadata(), refundPolicy: { steps: [step(86_400, 5000), step(3600, 6000)] } })).json();
        expect(named.message).to.equal("/refundPolicy/steps/1/shareBps must be less than the step before's (shares fall as the start nears)");
      });

      it("refuses a body that is not JSON, one over the size limit, and an anonymous upload", async function () {
        const notJson = await uploadMetadata("{ name: Harbour Lights");
        expect(notJson.statusCode).to.equal(400);
        expect(notJson.json().error).to.equal("invalid-json");
        const tooLarge = await uploadMetadata({ ...eventMetadata(), description: "x".repeat(70_000) });
        expect(tooLarge.statusCode).to.equal(413);
        expect(tooLarge.json()).to.include({ error: "too-large", limit: 64 * 1024 });
        expect((await uploadMetadata(eventMetadata(), "")).statusCode).to.equal(401);
        const form = await app.server.inject({ method: "POST", url: "/metadata/event", headers: { "content-type": "application/x-www-form-urlencoded", cookie }, payload: "name=x" });
        expect(form.statusCode).to.equal(415);
        expect(form.json().error).to.equal("unsupported-content-type");
      });
    });

    describe("/ipfs/<cid>", function () {
      it("answers 400 for a malformed CID and 404 for content never uploaded here", async function () {
        const malformed = await get("/ipfs/not-a-cid");
        expect(malformed.statusCode).to.equal(400);
        expect(malformed.json().error).to.equal("invalid-cid");
        const unknown = await get("/ipfs/bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
        expect(unknown.statusCode).to.equal(404);
        expect(unknown.json().error).to.equal("unknown-cid");
      });
    });
  });

  describe("with IPFS_API_URL: added and pinned on a kubo node", function () {
    let kubo: Awaited<ReturnType<typeof startFakeKubo>>;
    let app: App;
    let cookie: string;

    afterEach(async function () {
      await app.close();
      await kubo.close();
    });

    async function start(options: Parameters<typeof startFakeKubo>[0] = {}, url?: string) {
      kubo = await startFakeKubo(options);
      app = metadataApp(testConfig("http://127.0.0.1:1", noChain), { ...LIMITS, ipfsApiUrl: url ?? kubo.url });
      cookie = await signIn(app, localAccount(2));
    }
    const upload = (body: Buffer) =>
      app.server.inject({ method: "POST", url: "/metadata/artwork", headers: { "content-type": "application/octet-stream", cookie }, payload: body });

    it("gets the same CID as the embedded store, pins it, and serves it from the node", async function () {
      await start();
      const artwork = pngOfLength(CHUNK_SIZE + 5000); // two chunks: the chunker matters
      const response = await upload(artwork);
      expect(response.statusCode).to.equal(201);
      const { cid } = response.json();
      expect(cid).to.equal((await addFile(artwork, new MemoryBlockstore())).toString());
      expect(kubo.pins.has(cid)).to.equal(true);
      expect(kubo.calls[0]).to.deep.include({ endpoint: "add" });
      expect(kubo.calls[0].params).to.include({ "cid-version": "1", "raw-leaves": "true", chunker: `size-${CHUNK_SIZE}`, pin: "true" });

      const served = await app.server.inject({ method: "GET", url: `/ipfs/${cid}` });
      expect(served.statusCode).to.equal(200);
      expect(served.headers["content-type"]).to.equal("image/png");
      expect(served.rawPayload.equals(artwork)).to.equal(true);
      expect(kubo.calls.at(-1)).to.deep.equal({ endpoint: "cat", params: { arg: cid } });
    });

    it("refuses to hand out a CID the node does not agree with (502)", async function () {
      await start({ ignoreRawLeaves: true });
      const response = await upload(pngOfLength(CHUNK_SIZE + 5000));
      expect(response.statusCode).to.equal(502);
      expect(response.json().error).to.equal("ipfs-cid-mismatch");
      expect(contentDb(app).prepare("SELECT COUNT(*) AS n FROM ipfs_content").get()).to.deep.include({ n: 0 });
    });

    it("answers 502 when the node is unreachable", async function () {
      await start({}, "http://127.0.0.1:1");
      const response = await upload(PNG);
      expect(response.statusCode).to.equal(502);
      expect(response.json().error).to.equal("ipfs-unavailable");
    });
  });

  describe("per-token metadata at /metadata/<event>/<tokenId>", function () {
    let chain: Awaited<ReturnType<typeof startLocalChain>>;
    let venue: Awaited<ReturnType<typeof venueFixture>>;
    let app: App;

    before(async function () {
      chain = await startLocalChain();
      venue = await venueFixture(chain.clients);
    });
    after(async function () {
      await chain.rpc.close();
    });
    beforeEach(function () {
      app = metadataApp(testConfig(chain.rpcUrl, venue.platform));
    });
    afterEach(async function () {
      await app.close();
    });

    const get = (event: string, id: bigint | string) => app.server.inject({ method: "GET", url: `/metadata/${event}/${id}` });
    /** What the contract's tokenURI holds, decoded. */
    async function onChain(id: bigint) {
      const uri = await chain.clients.publicClient.readContract({ address: venue.event, abi: chainpassEventAbi, functionName: "tokenURI", args: [id] });
      return JSON.parse(Buffer.from(uri.replace("data:application/json;base64,", ""), "base64").toString("utf8"));
    }
    const trait = (json: { attributes: { trait_type: string; value: unknown }[] }, name: string) => json.attributes.find((a) => a.trait_type === name)?.value;

    it("serves the JSON the contract's tokenURI returns, as JSON, cacheable for a minute", async function () {
      const response = await get(venue.event, tokenId(1, 1));
      expect(response.statusCode).to.equal(200);
      expect(response.headers["content-type"]).to.equal("application/json; charset=utf-8");
      expect(response.headers["cache-control"]).to.equal("public, max-age=60");
      expect(response.headers["access-control-allow-origin"]).to.equal("*");
      const json = response.json();
      expect(json).to.deep.equal(await onChain(tokenId(1, 1)));
      expect(trait(json, "Tier")).to.equal("Standing");
      expect(trait(json, "Status")).to.equal("Valid");
      expect(json.event_metadata).to.match(/^ipfs:\/\//);
      expect((await get(venue.event.toLowerCase(), tokenId(1, 1))).json()).to.deep.equal(json);
    });

    it("carries the seat of a seated ticket and the slot of a timed one", async function () {
      expect(trait((await get(venue.event, tokenId(2, 13))).json(), "Seat")).to.equal("Stalls, Row B, Seat 3");
      const timed = (await get(venue.event, tokenId(3, 1))).json();
      expect(trait(timed, "Entry from")).to.be.a("number");
      expect(trait(timed, "Entry until")).to.be.greaterThan(trait(timed, "Entry from") as number);
    });

    it("shows a checked-in ticket as attended", async function () {
      const id = tokenId(1, 25); // a ticket no other test reads
      await venue.write("checkIn", [[id]], venue.staff);
      const json = (await get(venue.event, id)).json();
      expect(trait(json, "Status")).to.equal("Attended");
      expect(json).to.deep.equal(await onChain(id));
    });

    it("answers 404 with a reason for a token that does not exist and for an address that is no Chainpass event", async function () {
      const unsold = await get(venue.event, tokenId(1, 999));
      expect(unsold.statusCode).to.equal(404);
      expect(unsold.json().error).to.equal("unknown-token");
      for (const address of [venue.platform.factory, venue.organizer.address, "0x000000000000000000000000000000000000dEaD"] as Address[]) {
        const response = await get(address, tokenId(1, 1));
        expect(response.statusCode, address).to.equal(404);
        expect(response.json().error, address).to.equal("unknown-event");
      }
    });

    it("answers 400 for an event that is not an address and a token id that is not a number", async function () {
      expect((await get("harbour-lights", 1n)).json().error).to.equal("invalid-event");
      for (const id of ["abc", "-1", "1.5", (2n ** 256n).toString()]) {
        const response = await get(venue.event, id);
        expect(response.statusCode, id).to.equal(400);
        expect(response.json().error, id).to.equal("invalid-token-id");
      }
    });

    it("answers 503 when the chain RPC is unreachable", async function () {
      const offline = metadataApp(testConfig("http://127.0.0.1:1", venue.platform));
      try {
        const response = await offline.server.inject({ method: "GET", url: `/metadata/${venue.event}/${tokenId(1, 1)}` });
        expect(response.statusCode).to.equal(503);
        expect(response.json().error).to.equal("chain-unavailable");
      } finally {
        await offline.close();
      }
    });
  });
});
