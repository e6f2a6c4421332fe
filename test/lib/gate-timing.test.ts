// The scanner's and the gate server's time limits in their required order (lib/gate-timing.ts):
// a scan whose admission insert is slow must be given up by the device (marked unanswered, so its
// upload recognises the gate's own admission) before the server answers 503 for it.
import { expect } from "chai";

import { DATABASE_QUERY_TIMEOUT_MS, SCAN_TIMEOUT_MS } from "../../lib/gate-timing.js";
import { openPool } from "../../server/pg.js";

describe("The scanner's and the database's time limits (lib/gate-timing.ts)", () => {
  it("give the database longer over a statement than the scanner waits for a scan", () => {
    expect(DATABASE_QUERY_TIMEOUT_MS).to.be.above(SCAN_TIMEOUT_MS);
  });

  it("are the ones a gate server's pool uses when not told otherwise", async () => {
    // No connection is made until a query: the pool's settings can be read without a database.
    const pool = openPool("postgres://nobody@127.0.0.1:1/none");
    try {
      expect((pool as unknown as { options: { query_timeout: number } }).options.query_timeout).to.equal(DATABASE_QUERY_TIMEOUT_MS);
    } finally {
      await pool.end();
    }
  });
});
