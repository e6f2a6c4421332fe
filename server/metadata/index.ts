// The metadata module: artwork and event metadata uploads, content addressed as on IPFS and
// served at /ipfs/<cid>, and per-token metadata at /metadata/<event>/<tokenId>.
export { registerMetadata, type MetadataConfig, type MetadataDeps } from "./routes.js";
export { contentStoreFor, LocalContentStore, type ContentStore } from "./content-store.js";
export { ContentCatalog } from "./catalog.js";
export { addFile, CHUNK_SIZE } from "./unixfs.js";
