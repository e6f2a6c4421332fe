// `npm run deploy:rehearsal`: the whole operator's path on a local node with Base Sepolia's chain
// id (test/e2e/support/rehearsal.ts: deploy with Ignition, generate the network entry, start the
// server and index from it, build and host the app, buy a ticket in it, admit it at the gate).
// Progress goes to stderr; stdout gets one JSON line:
//   {"ok": true, "chainId": 84532, "contractsVerifiedOffline": 6, "purchase": {…}, "admission": {…}}
// or {"ok": false, "error": "…"} with exit code 1. Needs Chromium (`npm test` installs it).
import { runMain } from "./lib/supervisor.js";
import { rehearse } from "../test/e2e/support/rehearsal.js";

await runMain(
  async () => {
    try {
      const rehearsal = await rehearse({ log: (line) => console.error(`[rehearsal] ${line}`) });
      await rehearsal.close();
      const { ok, chainId, contractsVerifiedOffline, purchase, admission, walletsOffered, network } = rehearsal.outcome;
      console.log(JSON.stringify({ ok, chainId, contractsVerifiedOffline, purchase, admission, walletsOffered, factory: network.factory, factoryStartBlock: network.factoryStartBlock }));
      return 0;
    } catch (error) {
      console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
      return 1;
    }
  },
  { name: "deploy:rehearsal", timeoutMs: 10 * 60_000 },
);
