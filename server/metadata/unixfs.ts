// UnixFS files as kubo builds them with `ipfs add --cid-version=1 --raw-leaves`: the IPFS
// project's importer with kubo's parameters, and a reader for the DAGs it writes.
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { importBytes, type ImporterOptions, type WritableStorage } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";

/** kubo's `size-262144` chunker: files up to this size are one raw block whose CID is the file's. */
export const CHUNK_SIZE = 262_144;
/** kubo's default `Import.UnixFSFileMaxLinks`. */
const MAX_LINKS_PER_NODE = 174;

// Spelled out rather than left to the importer's defaults, which newer releases may move to
// IPIP-499's 1 MiB / 1024-link profile: the CID must not change under us. (kubo-rpc-client
// sends the same parameters to a node, see kubo-store.ts.)
const KUBO_CID_V1_RAW_LEAVES: ImporterOptions = {
  cidVersion: 1,
  rawLeaves: true,
  reduceSingleLeafToSelf: true,
  chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
  layout: balanced({ maxChildrenPerNode: MAX_LINKS_PER_NODE }),
};

/** Chunks `bytes` into `blockstore` and returns the root CID (what kubo prints for the same bytes). */
export async function addFile(bytes: Uint8Array, blockstore: WritableStorage): Promise<CID> {
  const { cid } = await importBytes(bytes, blockstore, KUBO_CID_V1_RAW_LEAVES);
  return cid;
}

/** Anything that returns a block's bytes by CID. */
export type BlockSource = (cid: CID) => Uint8Array | undefined;

/**
 * The file's bytes, in order: a raw block is its own content; a dag-pb UnixFS file node holds
 * optional inline data followed by its children.
 */
export function* readFile(blocks: BlockSource, cid: CID): Generator<Uint8Array> {
  const block = blocks(cid);
  if (!block) throw new Error(`Block ${cid} is missing from the block store`);
  if (cid.code === raw.code) {
    yield block;
    return;
  }
  if (cid.code !== dagPb.code) throw new Error(`Block ${cid} is neither raw nor dag-pb`);
  const node = dagPb.decode(block);
  if (!node.Data) throw new Error(`Block ${cid} has no UnixFS data`);
  const entry = UnixFS.unmarshal(node.Data);
  if (entry.type !== "file" && entry.type !== "raw") throw new Error(`Block ${cid} is a UnixFS ${entry.type}, not a file`);
  if (entry.data && entry.data.length > 0) yield entry.data;
  for (const link of node.Links) yield* readFile(blocks, link.Hash);
}
