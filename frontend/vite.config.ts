// The web app's build and its dev/preview servers. The app talks to one origin: the server's API
// (auth, metadata, index, gate, offers) and the chain's JSON-RPC are proxied, so cookies stay
// first-party and SIWE's domain is the app's own.
//
// A static build (`npm run build:web -- --network <name>`, scripts/build-web.ts, which sets
// VITE_CHAINPASS_STATIC=1 and the absolute URLs) has a relative base: it works from any folder
// of any static host or IPFS gateway path, and routes in the URL's hash (app/routes.tsx).
import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin, type ProxyOptions } from "vite";

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

// The wallet SDKs (WalletConnect and its modal, Base Account) are loaded only when a fan picks one
// (src/wallet/config.ts), but their wagmi connectors and the SDKs use @wagmi/core, viem, ox and
// @noble like the app does. Sharing those modules with the app, Rolldown splits the app's own
// chunks into many small ones (each gzipped apart), and every route's first load grows. So all
// that those connectors reach is loaded again under its own id (the file plus "?wallet-sdk"): a
// separate copy, in chunks only they load, and the app's chunks stay as they are without them.
// Build only: the dev server does not chunk.
const WALLET_SDK_ROOTS = new Set(["wagmi/connectors/walletConnect", "wagmi/connectors/baseAccount"]);
const WALLET_SDK = "?wallet-sdk";
const walletSdkIsolation: Plugin = {
  name: "chainpass:wallet-sdk-isolation",
  apply: "build",
  enforce: "pre",
  async resolveId(source, importer, options) {
    const inSdk = importer?.endsWith(WALLET_SDK);
    if (!inSdk && !WALLET_SDK_ROOTS.has(source)) return null;
    const from = inSdk ? importer?.slice(0, -WALLET_SDK.length) : importer;
    const resolved = await this.resolve(source, from, { ...options, skipSelf: true });
    // Externals, virtual modules (Vite's preload helper...) and anything but JavaScript or JSON stay shared.
    if (!resolved || resolved.external || !isAbsolute(resolved.id) || !/\.(m|c)?js$|\.json$/.test(resolved.id)) return resolved;
    return { ...resolved, id: resolved.id + WALLET_SDK };
  },
  load(id) {
    if (!id.endsWith(WALLET_SDK)) return null;
    const file = id.slice(0, -WALLET_SDK.length);
    return { code: readFileSync(file, "utf8"), moduleType: file.endsWith(".json") ? "json" : "js" };
  },
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: process.env.VITE_CHAINPASS_STATIC === "1" ? "./" : "/",
  plugins: [react(), walletSdkIsolation],
  server: { proxy },
  preview: { proxy },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
});
