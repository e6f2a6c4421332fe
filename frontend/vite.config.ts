// The web app's build and its dev/preview servers. The app talks to one origin: the server's API
// (auth, metadata, index, gate, offers) and the chain's JSON-RPC are proxied, so cookies stay
// first-party and SIWE's domain is the app's own.
//
// A static build (`npm run build:web -- --network <name>`, scripts/build-web.ts, which sets
// VITE_CHAINPASS_STATIC=1 and the absolute URLs) has a relative base: it works from any folder
// of any static host or IPFS gateway path, and routes in the URL's hash (app/routes.tsx).
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

const serverUrl = process.env.CHAINPASS_SERVER_URL ?? "http://127.0.0.1:8787";
// The gate's own listener (the server's main thread): scans never queue behind the public API.
const gateUrl = process.env.CHAINPASS_GATE_URL ?? serverUrl;
const rpcUrl = process.env.CHAINPASS_RPC_URL ?? "http://127.0.0.1:8545";

// A page load (Accept: text/html) of an app route such as /gate/0x.. is the app's, not the API's.
const api: ProxyOptions = {
  target: serverUrl,
  bypass: (request) => (request.method === "GET" && request.headers.accept?.includes("text/html") ? "/index.html" : undefined),
};
const proxy: Record<string, ProxyOptions> = {
  "/rpc": { target: rpcUrl, rewrite: () => "/" },
  ...Object.fromEntries(["/auth", "/metadata", "/ipfs", "/subgraphs", "/events", "/health"].map((path) => [path, api])),
  "/gate": { ...api, target: gateUrl },
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: process.env.VITE_CHAINPASS_STATIC === "1" ? "./" : "/",
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
});
