// The app's, the server's and the subgraph's entry for a network, generated from its Ignition
// deployment (scripts/lib/network-entry.ts):
//   npm run network:entry -- --name base-sepolia --deployment ignition/deployments/chain-84532 \
//     --index-url https://api.studio.thegraph.com/query/<id>/chainpass/version/latest [--rpc-url <url>]
//   npm run network:entry -- --check      exits 1, naming the stale files, when any is stale
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { NetworkEntryError, recordedSources, staleNetworkFiles, writeNetworkFiles, type EntrySource } from "./lib/network-entry.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function main(): number {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      deployment: { type: "string" },
      "index-url": { type: "string" },
      "rpc-url": { type: "string" },
      "stablecoin-symbol": { type: "string" },
      "stablecoin-decimals": { type: "string" },
      check: { type: "boolean" },
    },
  });
  const sources = recordedSources(root);
  if (values.check) {
    const stale = staleNetworkFiles(sources, root);
    if (stale.length) console.error(`stale: ${stale.join(", ")} (npm run network:entry)`);
    return stale.length ? 1 : 0;
  }
  if (!values.name || !values.deployment || !values["index-url"]) throw new NetworkEntryError("--name, --deployment and --index-url are required");
  if (!/^[a-z0-9][a-z0-9-]*$/.test(values.name)) throw new NetworkEntryError(`--name "${values.name}": lowercase letters, digits and dashes`);
  const source: EntrySource = {
    name: values.name,
    deployment: path.relative(root, path.resolve(values.deployment)),
    indexUrl: new URL(values["index-url"]).href,
    ...(values["rpc-url"] ? { rpcUrl: new URL(values["rpc-url"]).href } : {}),
    ...(values["stablecoin-symbol"] ? { stablecoin: { symbol: values["stablecoin-symbol"], decimals: Number(values["stablecoin-decimals"] ?? "6") } } : {}),
  };
  const written = writeNetworkFiles([...sources.filter((s) => s.name !== source.name), source], root);
  console.log(`wrote ${written.join(", ")}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof NetworkEntryError || error instanceof TypeError)) throw error;
  console.error(`network:entry: ${error.message}`);
  process.exitCode = 1;
}
