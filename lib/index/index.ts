// The index's query documents, result types and a fetch helper: one set for The Graph and the
// local index (docs/ARCHITECTURE.md section 4).
export * from "./documents.js";
export * from "./types.js";
export * from "./client.js";
export * from "./dashboard.js";
