// The scan path is isolated (issue 11, requirement 1): with the index flooded by the costliest
// queries its limits allow (over 300,000 tickets) and 4 MB SVGs uploaded in a loop, scans at a
// gate server (a real process, as `npm run server` starts it) keep their latency, and every
// neighbour's request is answered with a verdict or a named refusal, never a 500.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startHostileNeighbours } from "../helpers/hostile.js";
import { fillTickets, startIndexer } from "../helpers/indexer.js";
import { fanPasses, scanOverHttp, serverEnv, signInOverHttp, spawnServer, startLocalChain, tokenId, venueFixture } from "../helpers/server.js";

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];

describe("Server: scans are isolated from the index and uploads", function () {
  this.timeout(300_000);

  it("keeps scans fast while 8 clients flood the index with its costliest queries and another uploads 4 MB SVGs", async function () {
    const chain = await startLocalChain();
    const venue = await venueFixture(chain.clients);
    const dir = mkdtempSync(join(tmpdir(), "chainpass-isolation-"));
    const database = join(dir, "server.db");
    // A large index: the venue's own entities and 300,000 more tickets (the server's index file).
    const pre = await startIndexer(chain.rpcUrl, venue.platform, { databasePath: join(dir, "server.index.db") });
    await pre.indexer.syncOnce();
    fillTickets(pre.db, 300_000);
    await pre.close();
    const server = await spawnServer(serverEnv(chain.rpcUrl, venue.platform, database));
    try {
      // Gate devices talk to the gate's own listener; the neighbours to the public one.
      const cookie = await signInOverHttp(server.gateUrl, venue.staff);
      const fan = await fanPasses(venue.fans[0], venue.event, 1);
      const admitted = new Set<bigint>();
      /** Scans fan 0's ten tickets in turn: each is admitted once, then refused as used. */
      const scans = async (count: number, offset: number) => {
        const ms: number[] = [];
        for (let i = 0; i < count; i++) {
          const id = tokenId(1, 1 + ((offset + i) % 10));
          const pass = await fan.pass(id);
          const t0 = performance.now();
          const { status, body } = await scanOverHttp(server.gateUrl, cookie, venue.event, pass);
          ms.push(performance.now() - t0);
          expect(status, JSON.stringify(body)).to.equal(admitted.has(id) ? 409 : 200);
          admitted.add(id);
        }
        return ms;
      };
      const quiet = await scans(30, 0);

      const neighbours = startHostileNeighbours({ serverUrl: server.url, cookie, graphqlClients: 8, uploadClients: 1 });
      await new Promise((r) => setTimeout(r, 1500)); // the flood is under way
      const loaded = await scans(150, 3);
      const seen = await neighbours.stop();

      const summary = `quiet p50 ${percentile(quiet, 0.5).toFixed(1)} ms; under load p50 ${percentile(loaded, 0.5).toFixed(1)}, p95 ${percentile(loaded, 0.95).toFixed(1)}, max ${Math.max(...loaded).toFixed(1)} ms; neighbours ${JSON.stringify(seen)}`;
      // The flood was real: the index took its time on each query and refused them by their limits.
      expect(seen.graphql.requests, summary).to.be.greaterThan(4);
      expect(seen.graphql.medianMs, summary).to.be.greaterThan(500);
      expect(Object.keys(seen.graphql.statuses).every((s) => s === "200" || s === "400"), summary).to.equal(true);
      expect(seen.uploads.requests, summary).to.be.greaterThan(3);
      expect(Object.keys(seen.uploads.statuses), summary).to.deep.equal(["413"]);
      // And the door did not notice.
      expect(percentile(loaded, 0.95), summary).to.be.lessThan(150);
      expect(Math.max(...loaded), summary).to.be.lessThan(1000);
      if (process.env.CHAINPASS_TEST_VERBOSE) console.log(`      ${summary}`);
    } finally {
      await server.stop();
      await chain.rpc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
