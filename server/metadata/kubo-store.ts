// Content on a kubo node through its RPC API (kubo-rpc-client): `add` with the parameters of
// `ipfs add --cid-version=1 --raw-leaves` and pinned, `cat` to read it back.
import { BlackHoleBlockstore } from "blockstore-core/black-hole";
import { create, type KuboRPCClient } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";

import type { ContentStore } from "./content-store.js";
import { IpfsNodeError } from "./refusal.js";
import { addFile, CHUNK_SIZE } from "./unixfs.js";

export class KuboContentStore implements ContentStore {
  private readonly client: KuboRPCClient;

  constructor(url: string) {
    this.client = create({ url, timeout: "30s" });
  }

  async add(bytes: Uint8Array): Promise<CID> {
    // The node's own Import settings (chunker, raw leaves, CID version) may differ from kubo's
    // defaults: pass ours, and check the node agrees with the CID we compute for the bytes.
    const expected = await addFile(bytes, new BlackHoleBlockstore());
    const { cid } = await this.node(() => this.client.add(bytes, { cidVersion: 1, rawLeaves: true, chunker: `size-${CHUNK_SIZE}`, pin: true }));
    if (!cid.equals(expected)) {
      throw new IpfsNodeError("ipfs-cid-mismatch", `The IPFS node stored the content as ${cid}, expected ${expected}`);
    }
    return cid;
  }

  cat(cid: CID): Promise<Uint8Array> {
    return this.node(async () => {
      const parts: Uint8Array[] = [];
      for await (const part of this.client.cat(cid)) parts.push(part);
      return Buffer.concat(parts);
    });
  }

  private async node<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new IpfsNodeError("ipfs-unavailable", `IPFS node: ${(error as Error).message}`);
    }
  }
}
