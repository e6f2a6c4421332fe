// Where uploaded bytes live, addressed by their IPFS CID: the embedded block store in SQLite
// (default) or a kubo node (kubo-store.ts). Both give the CID kubo gives for the same bytes.
// With a remote pinning service, PinnedContentStore (pinning-service.ts) wraps either.
import type { CID } from "multiformats/cid";

import type { Database } from "../db.js";
import { SqliteBlockstore } from "./sqlite-blockstore.js";
import { addFile, readFile } from "./unixfs.js";

export interface AddOptions {
  /** What the content is ("chainpass artwork"): the name of its remote pin (pinning-service.ts). */
  name?: string;
}

export interface ContentStore {
  /** Stores the bytes (on a node: adds and pins them) and returns their CID. */
  add(bytes: Uint8Array, options?: AddOptions): Promise<CID>;
  /** The bytes stored under `cid`. */
  cat(cid: CID): Promise<Uint8Array>;
}

export class LocalContentStore implements ContentStore {
  private readonly blocks: SqliteBlockstore;

  constructor(db: Database) {
    this.blocks = new SqliteBlockstore(db);
  }

  add(bytes: Uint8Array): Promise<CID> {
    return addFile(bytes, this.blocks);
  }

  async cat(cid: CID): Promise<Uint8Array> {
    return Buffer.concat([...readFile((block) => this.blocks.block(block), cid)]);
  }
}

/** The kubo client is loaded on first use: most servers never need it, and it is slow to load. */
class KuboOnDemand implements ContentStore {
  private store?: Promise<ContentStore>;
  constructor(private readonly url: string) {}
  private get() {
    this.store ??= import("./kubo-store.js").then(({ KuboContentStore }) => new KuboContentStore(this.url));
    return this.store;
  }
  async add(bytes: Uint8Array) {
    return (await this.get()).add(bytes);
  }
  async cat(cid: CID) {
    return (await this.get()).cat(cid);
  }
}

export function contentStoreFor(config: { ipfsApiUrl?: string }, db: Database): ContentStore {
  return config.ipfsApiUrl ? new KuboOnDemand(config.ipfsApiUrl) : new LocalContentStore(db);
}
