// The web app's build and its dev/preview servers. The app talks to one origin: the server's API
// (auth, metadata, index, gate, offers) and the chain's JSON-RPC are proxied, so cookies stay
// first-party and SIWE's domain is the app's own.
//
// A static build (`npm run build:web -- --network <name>`, scripts/build-web.ts, which sets
// VITE_CHAINPASS_STATIC=1 and the absolute URLs) has a relative base: it works from any folder
// of any static host or IPFS gateway path, and routes in the URL's hash (app/routes.tsx).
import { readFileSync } from "node:fs";
import { extname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin, type ProxyOptions } from "vite";
import { VitePWA } from "vite-plugin-pwa";

import { appShell } from "./app-shell.js";

const serverUrl = process.env.CHAINPASS_SERVER_URL ?? "http://127.0.0.1:8787";
// The gate's own listener (the server's main thread): scans never queue behind the public API.
const gateUrl = process.env.CHAINPASS_GATE_URL ?? serverUrl;
const rpcUrl = process.env.CHAINPASS_RPC_URL ?? "http://127.0.0.1:8545";
// The ERC-4337 bundler passkey accounts send user operations to (npm run dev starts Alto).
const bundlerUrl = process.env.CHAINPASS_BUNDLER_URL ?? "http://127.0.0.1:4337";

// A page load (Accept: text/html) of an app route such as /gate/0x.. is the app's, not the API's.
const api: ProxyOptions = {
  target: serverUrl,
  bypass: (request) => (request.method === "GET" && request.headers.accept?.includes("text/html") ? "/index.html" : undefined),
};
const proxy: Record<string, ProxyOptions> = {
  "/rpc": { target: rpcUrl, rewrite: () => "/" },
  "/bundler": { target: bundlerUrl, rewrite: () => "/" },
  ...Object.fromEntries(["/auth", "/metadata", "/ipfs", "/subgraphs", "/events", "/membership", "/paymaster", "/health"].map((path) => [path, api])),
  // No app route there: a feed opened from its "JSON feed" link (Accept: text/html) is the feed.
  "/announcements": { target: serverUrl },
  "/gate": { ...api, target: gateUrl },
};

// Code loaded on demand that reaches modules the app's own chunks also hold: the wallet SDKs'
// connectors (WalletConnect and its modal, Base Account; src/wallet/config.ts) and ENS (lib/ens.ts
// with viem's ENS actions and the ENSIP-15 normalizer; src/shared/ens.ts). Sharing @wagmi/core,
// viem, ox and @noble with the app, Rolldown splits the app's own chunks into many small ones
// (each gzipped apart), and every route's first load grows. So each root imported with import(),
// and everything it reaches, is loaded again under its own id (the file plus
// "?on-demand=<group>"): a separate copy, in chunks only that group loads, and the app's chunks
// stay as they are without them. One copy per group, not one for all: shared with the SDKs, ENS's
// chunks would carry code only they use. Roots are matched by resolved file, however the import
// is spelled. Build only: the dev server does not chunk.
const frontendDir = fileURLToPath(new URL(".", import.meta.url));
/** group → [import specifier, the file that imports it][] */
const ON_DEMAND_ROOTS: Record<string, readonly (readonly [string, string])[]> = {
  "wallet-sdk": [
    ["wagmi/connectors/walletConnect", "src/wallet/config.ts"],
    ["wagmi/connectors/baseAccount", "src/wallet/config.ts"],
  ],
  ens: [["../../../lib/ens.js", "src/shared/ens.ts"]],
  // The passkey wallet (viem's account abstraction, P-256) and EIP-5792 batches: loaded when used.
  passkey: [
    ["./passkey.js", "src/wallet/config.ts"],
    ["../wallet/passkey.js", "src/app/ConnectDialog.tsx"],
    ["../wallet/passkey.js", "src/fan/PasskeyWalletPage.tsx"],
  ],
  batch: [
    ["./batch.js", "src/shared/tx.ts"],
    ["../shared/batch.js", "src/fan/pay.ts"],
  ],
};
const ON_DEMAND = /\?on-demand=([\w-]+)$/;
// Anything else (CSS, assets, virtual modules such as Vite's preload helper) stays shared.
const COPYABLE = /\.(m|c)?[jt]sx?$|\.json$/;
const MODULE_TYPES: Record<string, "js" | "jsx" | "ts" | "tsx" | "json"> = { ".json": "json", ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".jsx": "jsx" };

function onDemandIsolation(): Plugin {
  /** Each root's resolved id: its group, and whether the build met it (a root nothing imports is a mistake). */
  const roots = new Map<string, { group: string; seen: boolean }>();
  return {
    name: "chainpass:on-demand-isolation",
    apply: "build",
    enforce: "pre",
    async buildStart() {
      roots.clear();
      for (const [group, entries] of Object.entries(ON_DEMAND_ROOTS)) {
        for (const [source, from] of entries) {
          const resolved = await this.resolve(source, join(frontendDir, from));
          if (!resolved) this.error(`on-demand root ${source} (from ${from}) does not resolve`);
          roots.set(resolved.id, { group, seen: false });
        }
      }
    },
    async resolveId(source, importer, options) {
      const copy = importer?.match(ON_DEMAND);
      // Outside a copy only import() can start one: resolving every static import twice would cost time for nothing.
      if (!importer || (!copy && options.kind !== "dynamic-import")) return null;
      const from = copy ? importer.slice(0, copy.index) : importer;
      const resolved = await this.resolve(source, from, { ...options, skipSelf: true });
      const copyable = !!resolved && !resolved.external && isAbsolute(resolved.id) && COPYABLE.test(resolved.id);
      let group = copy?.[1];
      if (!group) {
        const root = resolved && roots.get(resolved.id);
        if (!root) return null;
        if (!copyable) this.error(`on-demand root ${resolved.id} cannot be copied`);
        root.seen = true;
        group = root.group;
      }
      return copyable ? { ...resolved, id: `${resolved.id}?on-demand=${group}` } : resolved;
    },
    load(id) {
      const copy = id.match(ON_DEMAND);
      if (!copy) return null;
      const file = id.slice(0, copy.index);
      // TypeScript keeps its module type, so the copy is transformed like the original.
      return { code: readFileSync(file, "utf8"), moduleType: MODULE_TYPES[extname(file)] ?? "js" };
    },
    buildEnd(error) {
      if (error) return;
      const missed = [...roots].filter(([, root]) => !root.seen).map(([id]) => id);
      // The isolation silently doing nothing is what costs the routes their budget: say so.
      if (missed.length) this.error(`on-demand roots never imported with import(): ${missed.join(", ")} (vite.config.ts ON_DEMAND_ROOTS)`);
    },
  };
}

// The installable app (docs/ARCHITECTURE.md section 6): a web app manifest and a Workbox service
// worker (vite-plugin-pwa), both under Vite's base, so a static build's sub-path is their scope.
// The worker precaches index.html and the app shell (app-shell.ts: the entry and every fan route,
// with their imports and CSS), so My tickets and a pass open with no network once loaded online
// (their data is the app's own copy: shared/index-query.ts `keep`). Other chunks (organizer,
// gate, wallet SDKs, ENS) and content-addressed IPFS files are kept once loaded. Nothing else is
// handled: POSTs (index queries, scans, sign-in), /auth, /gate, /rpc reach the network as before.
// A new deploy's worker takes over at once; an open page keeps its code until its next load.
const shell = appShell(/\/src\/fan\/\w+Page\.tsx$/);

const pwa = VitePWA({
  registerType: "autoUpdate",
  // A small registerSW.js beside index.html: nothing in the app's chunks (the fan routes' budget).
  injectRegister: "script-defer",
  manifest: {
    name: "Chainpass",
    short_name: "Chainpass",
    description: "NFT tickets in your own wallet, and the pass that gets you in.",
    start_url: "./",
    scope: "./",
    display: "standalone",
    // styles.css: --brand and --bg.
    theme_color: "#4f46e5",
    background_color: "#f8fafc",
    icons: [
      { src: "icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
      { src: "favicon.svg", sizes: "any", type: "image/svg+xml" },
    ],
  },
  workbox: {
    // autoUpdate sets these only with injectRegister "auto".
    skipWaiting: true,
    clientsClaim: true,
    // The manifest's icons come in by themselves (includeManifestIcons).
    globPatterns: ["**/*.{js,css,html}", "apple-touch-icon.png"],
    // Chunks outside the app shell are left to the runtime cache below (registerSW.js stays).
    manifestTransforms: [async (entries) => ({ manifest: entries.filter((entry) => !entry.url.startsWith("assets/") || shell.files.has(entry.url)), warnings: [] })],
    // Page loads of app routes get index.html; the server's own paths never do.
    navigateFallbackDenylist: [/^\/(auth|metadata|ipfs|subgraphs|health|rpc|announcements)(\/|$)/],
    runtimeCaching: [
      {
        // Hashed file names: a name's content never changes.
        urlPattern: ({ url }) => url.href.startsWith(`${(self as unknown as { registration: ServiceWorkerRegistration }).registration.scope}assets/`),
        handler: "CacheFirst",
        options: { cacheName: "chainpass-assets", expiration: { maxEntries: 200 }, cacheableResponse: { statuses: [200] } },
      },
      {
        // Event metadata and artwork: content-addressed (the server's /ipfs or a gateway).
        urlPattern: ({ url }) => /\/ipfs\/\w+/.test(url.pathname),
        handler: "CacheFirst",
        options: { cacheName: "chainpass-ipfs", expiration: { maxEntries: 100 }, cacheableResponse: { statuses: [200] } },
      },
    ],
  },
});

export default defineConfig({
  root: frontendDir,
  base: process.env.VITE_CHAINPASS_STATIC === "1" ? "./" : "/",
  plugins: [react(), onDemandIsolation(), shell, pwa],
  server: { proxy },
  preview: { proxy },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
});
