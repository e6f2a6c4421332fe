// What was uploaded: each CID's content type and size (what /ipfs/<cid> serves, whichever store
// holds the bytes) and who uploaded it. Only content recorded here is served.
import type { Address } from "viem";

import { transaction, type Database } from "../db.js";

export type UploadKind = "artwork" | "event-metadata" | "announcement";

export interface StoredContent {
  /** CIDv1, base32: the form `ipfs://` URIs and /ipfs/ URLs use. */
  cid: string;
  contentType: string;
  size: number;
}

export class ContentCatalog {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ipfs_content (
        cid TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS metadata_uploads (
        cid TEXT NOT NULL REFERENCES ipfs_content (cid),
        uploader TEXT NOT NULL,
        kind TEXT NOT NULL,
        uploaded_at INTEGER NOT NULL,
        PRIMARY KEY (cid, uploader)
      );
    `);
  }

  /** Records content once its bytes are stored; the same bytes again add only the uploader. */
  record(content: StoredContent, upload: { kind: UploadKind; uploader: Address; at: number }) {
    transaction(this.db, () => {
      this.db.prepare("INSERT OR IGNORE INTO ipfs_content (cid, content_type, size) VALUES (?, ?, ?)").run(content.cid, content.contentType, content.size);
      this.db
        .prepare("INSERT OR IGNORE INTO metadata_uploads (cid, uploader, kind, uploaded_at) VALUES (?, ?, ?, ?)")
        .run(content.cid, upload.uploader, upload.kind, upload.at);
    });
  }

  find(cid: string): StoredContent | undefined {
    const row = this.db.prepare("SELECT content_type, size FROM ipfs_content WHERE cid = ?").get(cid) as
      | { content_type: string; size: number }
      | undefined;
    return row && { cid, contentType: row.content_type, size: row.size };
  }

  uploaders(cid: string): Address[] {
    const rows = this.db.prepare("SELECT uploader FROM metadata_uploads WHERE cid = ? ORDER BY uploaded_at, uploader").all(cid) as { uploader: Address }[];
    return rows.map((row) => row.uploader);
  }
}
