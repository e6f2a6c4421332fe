// An IPFS block store in the server's SQLite database (interface-blockstore, through
// blockstore-core's BaseBlockstore), so the importer can write into it like into any other.
import { BaseBlockstore } from "blockstore-core/base";
import type { CID } from "multiformats/cid";

import type { Database } from "../db.js";

type BlockBytes = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export class SqliteBlockstore extends BaseBlockstore {
  constructor(private readonly db: Database) {
    super();
    // Keyed by multihash, as kubo keys its blocks: the bytes are what the hash names, whatever
    // the CID's version or codec.
    db.exec(`
      CREATE TABLE IF NOT EXISTS ipfs_blocks (
        multihash BLOB PRIMARY KEY,
        bytes BLOB NOT NULL
      );
    `);
  }

  override async put(cid: CID, value: BlockBytes): Promise<CID> {
    const bytes = value instanceof Uint8Array ? value : await concat(value);
    this.db.prepare("INSERT OR IGNORE INTO ipfs_blocks (multihash, bytes) VALUES (?, ?)").run(cid.multihash.bytes, bytes);
    return cid;
  }

  override *get(cid: CID): Generator<Uint8Array> {
    const bytes = this.block(cid);
    if (!bytes) throw Object.assign(new Error(`Block ${cid} not found`), { name: "NotFoundError" });
    yield bytes;
  }

  override has(cid: CID): boolean {
    return this.db.prepare("SELECT 1 FROM ipfs_blocks WHERE multihash = ?").get(cid.multihash.bytes) !== undefined;
  }

  override delete(cid: CID): void {
    this.db.prepare("DELETE FROM ipfs_blocks WHERE multihash = ?").run(cid.multihash.bytes);
  }

  /** The block's bytes, or undefined: the synchronous read the UnixFS reader uses. */
  block(cid: CID): Uint8Array | undefined {
    const row = this.db.prepare("SELECT bytes FROM ipfs_blocks WHERE multihash = ?").get(cid.multihash.bytes) as { bytes: Uint8Array } | undefined;
    return row?.bytes;
  }
}

async function concat(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}
